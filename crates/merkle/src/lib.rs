//! Domain-separated sha256 Merkle trees, shared by the programs (proof verification, on-chain) and
//! off-chain code (tree building, proofs).
//!
//! - A leaf is `sha256(0x00 ‖ domain ‖ data…)`; an inner node is `sha256(0x01 ‖ lo ‖ hi)` where
//!   `lo ≤ hi` are its children sorted bytewise. The prefixes keep a leaf from ever passing for a
//!   node (second-preimage), the domain keeps a leaf of one tree kind from passing in another,
//!   and sorted pairs let a proof be a plain list of siblings with no left/right bits.
//! - A level with an odd count carries its last node up unchanged.
//! - The root of an empty tree is all zeros, and no proof verifies against it.
#![no_std]
extern crate alloc;

use alloc::vec::Vec;
use solana_sha256_hasher::hashv;

pub type Hash = [u8; 32];

const LEAF_PREFIX: &[u8] = &[0];
const NODE_PREFIX: &[u8] = &[1];

/// Hash of a leaf of the tree kind `domain` whose content is the concatenation of `parts`.
pub fn leaf_hash(domain: &[u8], parts: &[&[u8]]) -> Hash {
    let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 2);
    all.push(LEAF_PREFIX);
    all.push(domain);
    all.extend_from_slice(parts);
    hashv(&all).to_bytes()
}

/// Hash of an inner node over two children, order-independent.
pub fn node_hash(a: &Hash, b: &Hash) -> Hash {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    hashv(&[NODE_PREFIX, lo, hi]).to_bytes()
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(proof: &[Hash], root: &Hash, leaf: &Hash) -> bool {
    if *root == [0u8; 32] {
        return false;
    }
    let computed = proof.iter().fold(*leaf, |acc, sibling| node_hash(&acc, sibling));
    computed == *root
}

/// A whole tree, kept level by level (leaves first) so proofs are cheap to produce.
#[derive(Debug, Clone)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// Builds the tree over already-hashed leaves, in the order given.
    pub fn new(leaves: Vec<Hash>) -> Self {
        let mut levels = alloc::vec![leaves];
        while levels.last().is_some_and(|l| l.len() > 1) {
            let prev = levels.last().map(Vec::as_slice).unwrap_or_default();
            let next: Vec<Hash> = prev
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => node_hash(a, b),
                    [a] => *a,
                    _ => unreachable!("chunks(2) yields one or two"),
                })
                .collect();
            levels.push(next);
        }
        MerkleTree { levels }
    }

    pub fn root(&self) -> Hash {
        match self.levels.last().map(Vec::as_slice) {
            Some([root]) => *root,
            _ => [0u8; 32],
        }
    }

    pub fn len(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sibling path of leaf `index`, bottom up; `None` past the last leaf.
    pub fn proof(&self, index: usize) -> Option<Vec<Hash>> {
        if index >= self.len() {
            return None;
        }
        let mut proof = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len().saturating_sub(1)] {
            let sibling = i ^ 1;
            if let Some(h) = level.get(sibling) {
                proof.push(*h);
            }
            i /= 2;
        }
        Some(proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_leaf_tree_is_its_leaf() {
        let l = leaf_hash(b"t", &[b"a"]);
        let t = MerkleTree::new(alloc::vec![l]);
        assert_eq!(t.root(), l);
        assert_eq!(t.proof(0), Some(alloc::vec![]));
        assert!(verify(&[], &t.root(), &l));
    }

    #[test]
    fn empty_tree_verifies_nothing() {
        let t = MerkleTree::new(alloc::vec![]);
        assert_eq!(t.root(), [0; 32]);
        assert!(!verify(&[], &t.root(), &[0; 32]));
    }

    #[test]
    fn domains_separate_leaves() {
        assert_ne!(leaf_hash(b"rewards", &[b"x"]), leaf_hash(b"usage", &[b"x"]));
    }
}
