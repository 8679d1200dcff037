//! A period's report as built and published: the body io_oracle certifies, the pool it shared,
//! and every leaf of the four trees. The trees are built once and kept, so proofs for every leaf
//! of a large fleet cost one sibling walk each.
use super::{
    json,
    leaves::{DeviceLeaf, RewardLeaf, SlashLeaf, Tree, UsageLeaf},
};
use crate::Pubkey;
use io_merkle::{Hash, MerkleTree};
use io_oracle::ReportBody;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A period's report. Every leaf vector is sorted by its key (strictly: one leaf per key).
///
/// The leaves are public for reading. The trees behind [`PeriodReport::proof`] are kept once
/// built (by [`super::build`] or on the first proof), so code that changes leaves afterwards calls
/// [`PeriodReport::reroot`], which recomputes the body's roots and forgets the kept trees.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PeriodReport {
    #[serde(with = "json::body")]
    pub body: ReportBody,
    /// $IO the rewards tree could share this period: emitted into the rewards vault and not yet
    /// allotted by a certified report. `body.emission_distributed ≤ pool`.
    pub pool: u64,
    pub devices: Vec<DeviceLeaf>,
    pub usage: Vec<UsageLeaf>,
    pub rewards: Vec<RewardLeaf>,
    pub slashes: Vec<SlashLeaf>,
    #[serde(skip)]
    trees: OnceLock<[MerkleTree; 4]>,
}

impl PartialEq for PeriodReport {
    fn eq(&self, o: &Self) -> bool {
        self.body == o.body
            && self.pool == o.pool
            && self.devices == o.devices
            && self.usage == o.usage
            && self.rewards == o.rewards
            && self.slashes == o.slashes
    }
}

impl Eq for PeriodReport {}

impl PeriodReport {
    /// A report from its parts; the body's roots are set from the leaves.
    pub fn new(
        body: ReportBody,
        pool: u64,
        devices: Vec<DeviceLeaf>,
        usage: Vec<UsageLeaf>,
        rewards: Vec<RewardLeaf>,
        slashes: Vec<SlashLeaf>,
    ) -> Self {
        let mut report =
            PeriodReport { body, pool, devices, usage, rewards, slashes, trees: OnceLock::new() };
        report.reroot();
        report
    }

    /// The 32 bytes the oracle set signs for this body on cluster `cluster_id`.
    pub fn digest(&self, cluster_id: &[u8; 32]) -> [u8; 32] {
        io_oracle::report_digest(cluster_id, &self.body)
    }

    /// The leaf hashes of `tree`, in order.
    pub fn leaf_hashes(&self, tree: Tree) -> Vec<Hash> {
        match tree {
            Tree::Devices => self.devices.iter().map(DeviceLeaf::hash).collect(),
            Tree::Usage => self.usage.iter().map(UsageLeaf::hash).collect(),
            Tree::Rewards => self.rewards.iter().map(RewardLeaf::hash).collect(),
            Tree::Slashes => self.slashes.iter().map(SlashLeaf::hash).collect(),
        }
    }

    fn build_trees(&self) -> [MerkleTree; 4] {
        [Tree::Devices, Tree::Usage, Tree::Rewards, Tree::Slashes]
            .map(|t| MerkleTree::new(self.leaf_hashes(t)))
    }

    fn trees(&self) -> &[MerkleTree; 4] {
        self.trees.get_or_init(|| self.build_trees())
    }

    /// The body's root of `tree`.
    pub fn root(&self, tree: Tree) -> Hash {
        match tree {
            Tree::Devices => self.body.devices_root,
            Tree::Usage => self.body.usage_root,
            Tree::Rewards => self.body.rewards_root,
            Tree::Slashes => self.body.slashes_root,
        }
    }

    /// Whether the body's four roots are the roots of the leaves (recomputed from the leaves
    /// themselves, never from kept trees).
    pub fn roots_match(&self) -> bool {
        Tree::ALL_FOUR.iter().all(|&t| MerkleTree::new(self.leaf_hashes(t)).root() == self.root(t))
    }

    /// Recomputes the body's roots after the leaves were changed, and forgets the kept trees.
    pub fn reroot(&mut self) {
        self.trees = OnceLock::new();
        let [devices_root, usage_root, rewards_root, slashes_root] =
            self.trees().each_ref().map(MerkleTree::root);
        self.body = ReportBody { devices_root, usage_root, rewards_root, slashes_root, ..self.body };
    }

    /// The sibling path of leaf `index` of `tree` (what the programs' `proof` argument takes);
    /// `None` past the last leaf.
    pub fn proof(&self, tree: Tree, index: usize) -> Option<Vec<[u8; 32]>> {
        self.trees()[tree.index()].proof(index)
    }

    /// The leaf hash at `index` of `tree`.
    pub fn leaf_hash(&self, tree: Tree, index: usize) -> Option<Hash> {
        match tree {
            Tree::Devices => self.devices.get(index).map(DeviceLeaf::hash),
            Tree::Usage => self.usage.get(index).map(UsageLeaf::hash),
            Tree::Rewards => self.rewards.get(index).map(RewardLeaf::hash),
            Tree::Slashes => self.slashes.get(index).map(SlashLeaf::hash),
        }
    }

    pub fn device_index(&self, device: &Pubkey) -> Option<usize> {
        self.devices.binary_search_by(|l| l.device.cmp(device)).ok()
    }

    pub fn usage_index(&self, lease: &Pubkey, device: &Pubkey) -> Option<usize> {
        self.usage.binary_search_by(|l| (&l.lease, &l.device).cmp(&(lease, device))).ok()
    }

    pub fn reward_index(&self, operator: &Pubkey) -> Option<usize> {
        self.rewards.binary_search_by(|l| l.operator.cmp(operator)).ok()
    }

    pub fn slash_index(&self, operator: &Pubkey, evidence_hash: &[u8; 32]) -> Option<usize> {
        self.slashes
            .binary_search_by(|l| (&l.operator, &l.evidence_hash).cmp(&(operator, evidence_hash)))
            .ok()
    }

    /// The leaf of `tree` named by its published key text (see [`super::leaves`]`::*_key_text`),
    /// as the proof endpoint receives it; `Err` says why the text names no key.
    pub fn index_of_key(&self, tree: Tree, key: &str) -> Result<Option<usize>, String> {
        let key_of = |s: &str| s.parse::<Pubkey>().map_err(|_| format!("'{s}' is not a base58 address"));
        Ok(match tree {
            Tree::Devices => self.device_index(&key_of(key)?),
            Tree::Rewards => self.reward_index(&key_of(key)?),
            Tree::Usage => {
                let (lease, device) = split_pair(key)?;
                self.usage_index(&key_of(lease)?, &key_of(device)?)
            }
            Tree::Slashes => {
                let (operator, hash) = split_pair(key)?;
                let hash = hash
                    .parse::<crate::worker::Bytes32>()
                    .map_err(|e| format!("evidence hash '{hash}': {e}"))?;
                self.slash_index(&key_of(operator)?, &hash.0)
            }
        })
    }
}

fn split_pair(s: &str) -> Result<(&str, &str), String> {
    s.split_once(':').ok_or_else(|| format!("'{s}' is not two keys joined by ':'"))
}

impl Tree {
    /// The trees in body order (`Name::ALL` as an array).
    pub const ALL_FOUR: [Tree; 4] = [Tree::Devices, Tree::Usage, Tree::Rewards, Tree::Slashes];
}
