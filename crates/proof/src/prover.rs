//! The device's side: run the chain, commit, open the sampled rows.
use crate::{
    backend::{cpu::PreparedB, Backend},
    challenge::{reveal_commitment, Challenge, Hash},
    commitment::{Commitment, Opening},
    derive,
    error::ProveError,
};
use ed25519_dalek::SigningKey;
use io_merkle::MerkleTree;
use rayon::prelude::*;
use std::collections::HashMap;

/// A test hook that may rewrite C_k (see [`Prover::run_with`]).
type Tamper<'a> = dyn FnMut(u32, &mut [i32]) + 'a;

/// A finished chain: the tree over its rows, and the inputs A₀ … A_{K−1} (int8, K·n² bytes) to
/// recompute any opened row in O(n²) instead of keeping every C_k (4·K·n² bytes).
pub struct Prover {
    challenge: Challenge,
    id: Hash,
    inputs: Vec<Vec<i8>>,
    /// Rows a dishonest test prover replaced, keyed by (k, i): opened as committed.
    replaced: HashMap<(u32, u32), Vec<i32>>,
    b: PreparedB,
    tree: MerkleTree,
}

impl Prover {
    /// Computes C_1 … C_K on `backend` and the tree over their rows.
    pub fn run(challenge: &Challenge, backend: &mut dyn Backend) -> Result<Self, ProveError> {
        Self::run_inner(challenge, backend, None)
    }

    /// [`Prover::run`] with a hook that may rewrite each C_k after the product, before its rows are
    /// hashed and A_k is derived; rewritten rows are opened as committed. Tests use it to play
    /// dishonest provers.
    pub fn run_with(
        challenge: &Challenge,
        backend: &mut dyn Backend,
        mut tamper: impl FnMut(u32, &mut [i32]),
    ) -> Result<Self, ProveError> {
        Self::run_inner(challenge, backend, Some(&mut tamper))
    }

    fn run_inner(
        challenge: &Challenge,
        backend: &mut dyn Backend,
        mut tamper: Option<&mut Tamper<'_>>,
    ) -> Result<Self, ProveError> {
        let p = challenge.params;
        p.validate()?;
        let n = p.n as usize;
        let id = challenge.id();
        let b = derive::b_matrix(&challenge.beacon, p.n);
        backend.load_b(&b, n)?;
        let a0 = derive::a0_matrix(challenge);
        let mut inputs = Vec::with_capacity(p.k as usize);
        let mut leaves = vec![[0u8; 32]; p.leaf_count()];
        let mut c = vec![0i32; n * n];
        let mut a = a0.clone();
        let mut replaced = HashMap::new();
        for k in 1..=p.k {
            backend.multiply(&a, &mut c)?;
            if let Some(tamper) = tamper.as_mut() {
                let honest = c.clone();
                tamper(k, &mut c);
                for (i, (got, want)) in c.chunks(n).zip(honest.chunks(n)).enumerate() {
                    if got != want {
                        replaced.insert((k, i as u32), got.to_vec());
                    }
                }
            }
            let step_leaves = &mut leaves[derive::leaf_index(p.n, k, 0)..][..n];
            step_leaves.par_iter_mut().zip(c.par_chunks(n)).enumerate().for_each(|(i, (leaf, row))| {
                *leaf = derive::row_leaf(&id, k, i as u32, row);
            });
            let mut next = vec![0i8; n * n];
            next.par_chunks_mut(n).zip(c.par_chunks(n)).zip(a0.par_chunks(n)).for_each(
                |((out, row), a0_row)| {
                    derive::next_a(row, a0_row, out);
                },
            );
            inputs.push(std::mem::replace(&mut a, next));
        }
        Ok(Prover {
            challenge: challenge.clone(),
            id,
            inputs,
            replaced,
            b: PreparedB::new(&b, n),
            tree: MerkleTree::new(leaves),
        })
    }

    pub fn root(&self) -> Hash {
        self.tree.root()
    }

    /// The signed commitment to send before the verifier reveals anything.
    pub fn commit(&self, key: &SigningKey) -> Commitment {
        Commitment::sign(&self.challenge, self.root(), key)
    }

    /// Row i of C_k, recomputed from A_{k−1}.
    pub fn row(&self, k: u32, i: u32) -> Vec<i32> {
        if let Some(row) = self.replaced.get(&(k, i)) {
            return row.clone();
        }
        let n = self.challenge.params.n as usize;
        let a = &self.inputs[k as usize - 1];
        self.b.row(&a[i as usize * n..(i as usize + 1) * n])
    }

    /// The openings for the samples the reveal selects. Refuses a reveal that does not match
    /// the challenge's commitment to it.
    pub fn open(&self, reveal: &Hash) -> Result<Vec<Opening>, ProveError> {
        if reveal_commitment(reveal) != self.challenge.reveal_commitment {
            return Err(ProveError::RevealMismatch);
        }
        let n = self.challenge.params.n;
        let samples = derive::samples(&self.challenge, &self.root(), reveal);
        Ok(samples
            .par_iter()
            .map(|&(k, i)| {
                let path = |k| self.tree.proof(derive::leaf_index(n, k, i)).expect("sample inside the tree");
                Opening {
                    k,
                    i,
                    prev: (k > 1).then(|| (self.row(k - 1, i), path(k - 1))),
                    row: self.row(k, i),
                    path: path(k),
                }
            })
            .collect())
    }

    /// The challenge id the rows are bound to.
    pub fn challenge_id(&self) -> Hash {
        self.id
    }
}
