//! One leaf with its Merkle proof, as the oracle nodes publish it
//! (`/v1/reports/{period}/proof/{tree}/{key}`) and as a client (an operator claiming rewards, a
//! renter checking a lease's usage, `io verify`) reads and checks it before sending it on chain.
use super::{
    json,
    leaves::{DeviceLeaf, RewardLeaf, SlashLeaf, Tree, UsageLeaf},
    PeriodReport,
};
use crate::worker::Bytes32;
use io_merkle::Hash;
use serde::{Deserialize, Serialize};

/// A leaf of any tree. Untagged: each kind has required fields the others lack, so the JSON
/// object alone says which it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Leaf {
    Device(DeviceLeaf),
    Usage(UsageLeaf),
    Reward(RewardLeaf),
    /// Boxed: it carries the whole evidence.
    Slash(Box<SlashLeaf>),
}

impl Leaf {
    pub fn tree(&self) -> Tree {
        match self {
            Leaf::Device(_) => Tree::Devices,
            Leaf::Usage(_) => Tree::Usage,
            Leaf::Reward(_) => Tree::Rewards,
            Leaf::Slash(_) => Tree::Slashes,
        }
    }

    pub fn hash(&self) -> Hash {
        match self {
            Leaf::Device(l) => l.hash(),
            Leaf::Usage(l) => l.hash(),
            Leaf::Reward(l) => l.hash(),
            Leaf::Slash(l) => l.hash(),
        }
    }
}

/// A leaf, where it sits, the root it belongs to and the sibling path to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafProof {
    pub period: u64,
    pub tree: Tree,
    pub index: usize,
    pub leaf: Leaf,
    #[serde(with = "json::hex32")]
    pub root: [u8; 32],
    /// Siblings bottom up: the programs' `proof` argument.
    pub proof: Vec<Bytes32>,
}

impl LeafProof {
    /// Whether the proof leads from the leaf to `root` (and the leaf is of `tree`). A client
    /// compares `root` with the certified report's on chain itself.
    pub fn verify(&self) -> bool {
        self.leaf.tree() == self.tree && io_merkle::verify(&self.siblings(), &self.root, &self.leaf.hash())
    }

    /// The path as the programs take it.
    pub fn siblings(&self) -> Vec<[u8; 32]> {
        self.proof.iter().map(|b| b.0).collect()
    }
}

impl PeriodReport {
    /// The leaf at `index` of `tree` with its proof; `None` past the last leaf.
    pub fn leaf_proof(&self, tree: Tree, index: usize) -> Option<LeafProof> {
        let leaf = match tree {
            Tree::Devices => Leaf::Device(self.devices.get(index)?.clone()),
            Tree::Usage => Leaf::Usage(self.usage.get(index)?.clone()),
            Tree::Rewards => Leaf::Reward(self.rewards.get(index)?.clone()),
            Tree::Slashes => Leaf::Slash(Box::new(self.slashes.get(index)?.clone())),
        };
        Some(LeafProof {
            period: self.body.period,
            tree,
            index,
            leaf,
            root: self.root(tree),
            proof: self.proof(tree, index)?.into_iter().map(Bytes32).collect(),
        })
    }

    /// [`PeriodReport::leaf_proof`] of the leaf named by its published key text (`Ok(None)`: no
    /// such leaf; `Err`: the text names no key).
    pub fn leaf_proof_by_key(&self, tree: Tree, key: &str) -> Result<Option<LeafProof>, String> {
        Ok(self.index_of_key(tree, key)?.and_then(|i| self.leaf_proof(tree, i)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build, fixtures::*, leaves};
    use super::*;

    #[test]
    fn every_leaf_proof_round_trips_and_verifies() {
        let r = build(&inputs_with_cheat()).unwrap();
        for t in Tree::ALL_FOUR {
            for i in 0..r.leaf_hashes(t).len() {
                let p = r.leaf_proof(t, i).unwrap();
                assert!(p.verify(), "{t} {i}");
                let back: LeafProof = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
                assert_eq!(back, p, "the JSON names the leaf kind by its fields");
            }
            assert_eq!(r.leaf_proof(t, usize::MAX), None);
        }
        let by_key =
            r.leaf_proof_by_key(Tree::Usage, &leaves::usage_key_text(&key(50), &key(1))).unwrap().unwrap();
        assert_eq!(by_key.leaf, Leaf::Usage(r.usage[0].clone()));
        assert_eq!(by_key.siblings(), r.proof(Tree::Usage, 0).unwrap());
    }

    #[test]
    fn a_changed_leaf_or_root_does_not_verify() {
        let r = build(&inputs()).unwrap();
        let mut p = r.leaf_proof(Tree::Rewards, 0).unwrap();
        let Leaf::Reward(l) = &mut p.leaf else { panic!("a reward leaf") };
        l.cumulative += 1;
        assert!(!p.verify());
        let mut p = r.leaf_proof(Tree::Rewards, 0).unwrap();
        p.root = r.body.usage_root;
        assert!(!p.verify());
        let mut p = r.leaf_proof(Tree::Rewards, 0).unwrap();
        p.tree = Tree::Usage;
        assert!(!p.verify());
    }
}
