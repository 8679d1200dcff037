//! The verifier's side: a round (beacon, secret reveal, B·r), the commitments it accepts on time,
//! and the typed verdict on the opened rows.
//!
//! Order of a round: [`Round::new`] (once: B and B·r, O(n²)); [`Round::challenge`] per device;
//! [`Verifier::accept_commitment`] as each signed root arrives; after every commitment of the
//! round is in or late, [`Verifier::disclose`] the reveal; [`Verifier::check_openings`] per
//! device, O(s·n). r follows from the reveal alone, so the reveal must not reach any device before
//! all the round's commitments are in: a device that knew r before committing could fit wrong rows
//! to it. The verifier therefore refuses every commitment once it has disclosed the reveal. The
//! sampled rows also depend on each device's root, so they differ per device.
use crate::{
    challenge::{reveal_commitment, Challenge, Hash},
    commitment::{Commitment, Opening},
    derive,
    error::ParamsError,
    field,
    params::Params,
};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use thiserror::Error;

/// Why an answer is refused. Each names the first check that failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Reject {
    #[error("the challenge is not of this round (beacon, parameters or reveal commitment differ)")]
    ForeignChallenge,
    #[error("replay: this challenge, or the one the commitment names, was already answered")]
    Replay,
    #[error("wrong device: the commitment names another device key than the challenge")]
    WrongDevice,
    #[error("wrong nonce: the commitment answers another nonce than the challenge's")]
    WrongNonce,
    #[error("the commitment names another challenge (same device and nonce, other fields)")]
    WrongChallenge,
    #[error("bad signature: the commitment is not signed by the challenged device key")]
    BadSignature,
    #[error("late: commitment received {elapsed_ms} ms after the challenge, deadline {deadline_ms} ms")]
    Late { elapsed_ms: u64, deadline_ms: u64 },
    #[error("late: the round's reveal was already disclosed, no commitment can be accepted")]
    RoundClosed,
    #[error("no accepted commitment for this challenge")]
    NotCommitted,
    #[error("{got} openings for {expected} samples")]
    WrongOpeningCount { expected: usize, got: usize },
    #[error("opening {index} answers row {got_i} of C_{got_k}, the sample is row {i} of C_{k}")]
    WrongSample { index: usize, k: u32, i: u32, got_k: u32, got_i: u32 },
    #[error("row {i} of C_{k} is malformed ({what})")]
    MalformedRow { k: u32, i: u32, what: &'static str },
    #[error("bad path: row {i} of C_{k} does not lead to the committed root")]
    BadPath { k: u32, i: u32 },
    #[error("wrong row: row {i} of C_{k} is not A_{prev}[i]·B (Freivalds check failed)", prev = k - 1)]
    WrongRow { k: u32, i: u32 },
}

/// An accepted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub challenge_id: Hash,
    /// Row transitions checked.
    pub samples: usize,
}

pub type Verdict = Result<Accepted, Reject>;

/// One round of challenges: public beacon, the verifier's secret reveal, and what follows from
/// them (r and B·r mod p).
#[derive(Debug, Clone)]
pub struct Round {
    params: Params,
    beacon: Hash,
    reveal: Hash,
    reveal_commitment: Hash,
    r: field::Limbed,
    br: field::Limbed,
}

impl Round {
    /// Derives B and computes B·r mod p (O(n²), on every core): the per-round cost.
    pub fn new(params: Params, beacon: Hash, reveal: Hash) -> Result<Self, ParamsError> {
        params.validate()?;
        let n = params.n as usize;
        let b = derive::b_matrix(&beacon, params.n);
        let r = field::Limbed::new(&derive::freivalds_r(&beacon, &reveal, params.n));
        let br: Vec<u64> = b.par_chunks(n).map(|row| r.dot_i8(row)).collect();
        Ok(Round {
            params,
            beacon,
            reveal,
            reveal_commitment: reveal_commitment(&reveal),
            r,
            br: field::Limbed::new(&br),
        })
    }

    /// A challenge for one device of this round.
    pub fn challenge(&self, device: [u8; 32], nonce: Hash, issued_at_ms: u64) -> Challenge {
        Challenge {
            params: self.params,
            beacon: self.beacon,
            device,
            nonce,
            reveal_commitment: self.reveal_commitment,
            issued_at_ms,
        }
    }

    /// The secret to disclose once every commitment of the round is in. Disclose it through
    /// [`Verifier::disclose`], which also stops accepting commitments.
    pub fn reveal(&self) -> Hash {
        self.reveal
    }

    pub fn params(&self) -> Params {
        self.params
    }

    fn owns(&self, c: &Challenge) -> bool {
        c.params == self.params && c.beacon == self.beacon && c.reveal_commitment == self.reveal_commitment
    }
}

/// A verifier for one round: remembers which challenges were answered, so none counts twice.
pub struct Verifier {
    round: Round,
    /// Challenge id → committed root, for commitments accepted on time.
    committed: HashMap<Hash, Hash>,
    /// Challenges whose openings were judged (accepted or not): one judgement each, so a
    /// malformed attempt uses the challenge up too.
    settled: HashSet<Hash>,
    /// Whether the reveal was disclosed: from then on every commitment is refused.
    disclosed: bool,
}

impl Verifier {
    pub fn new(round: Round) -> Self {
        Verifier { round, committed: HashMap::new(), settled: HashSet::new(), disclosed: false }
    }

    pub fn round(&self) -> &Round {
        &self.round
    }

    /// Closes the round to commitments and returns the reveal to send to its devices.
    pub fn disclose(&mut self) -> Hash {
        self.disclosed = true;
        self.round.reveal
    }

    /// Checks a commitment as it arrives (`received_at_ms` on the verifier's clock) and records
    /// its root. O(1): one signature.
    pub fn accept_commitment(
        &mut self,
        challenge: &Challenge,
        commitment: &Commitment,
        received_at_ms: u64,
    ) -> Result<(), Reject> {
        if !self.round.owns(challenge) {
            return Err(Reject::ForeignChallenge);
        }
        let id = challenge.id();
        let answered = |h: &Hash| self.committed.contains_key(h) || self.settled.contains(h);
        if answered(&id) || answered(&commitment.challenge_id) {
            return Err(Reject::Replay);
        }
        if self.disclosed {
            return Err(Reject::RoundClosed);
        }
        if commitment.device != challenge.device {
            return Err(Reject::WrongDevice);
        }
        if commitment.nonce != challenge.nonce {
            return Err(Reject::WrongNonce);
        }
        if commitment.challenge_id != id {
            return Err(Reject::WrongChallenge);
        }
        if !commitment.signature_valid(&challenge.device) {
            return Err(Reject::BadSignature);
        }
        let elapsed_ms = received_at_ms.saturating_sub(challenge.issued_at_ms);
        if elapsed_ms > challenge.params.deadline_ms {
            return Err(Reject::Late { elapsed_ms, deadline_ms: challenge.params.deadline_ms });
        }
        self.committed.insert(id, commitment.root);
        Ok(())
    }

    /// Judges the openings of an accepted commitment, after the reveal. O(s·n): per sample two
    /// row hashes, two paths, one A₀ row from the cipher and two dot products mod p.
    pub fn check_openings(&mut self, challenge: &Challenge, openings: &[Opening]) -> Verdict {
        if !self.round.owns(challenge) {
            return Err(Reject::ForeignChallenge);
        }
        let id = challenge.id();
        if self.settled.contains(&id) {
            return Err(Reject::Replay);
        }
        let root = *self.committed.get(&id).ok_or(Reject::NotCommitted)?;
        self.settled.insert(id);
        let samples = derive::samples(challenge, &root, &self.round.reveal);
        if openings.len() != samples.len() {
            return Err(Reject::WrongOpeningCount { expected: samples.len(), got: openings.len() });
        }
        let n = self.round.params.n;
        let depth = self.round.params.path_len();
        let a0_seed = derive::a0_seed(challenge);
        let mut a = vec![0i8; n as usize];
        for (index, (o, &(k, i))) in openings.iter().zip(&samples).enumerate() {
            if (o.k, o.i) != (k, i) {
                return Err(Reject::WrongSample { index, k, i, got_k: o.k, got_i: o.i });
            }
            let a0 = derive::a0_row(&a0_seed, n, i);
            match (&o.prev, k) {
                (None, 1) => a.copy_from_slice(&a0),
                (Some((prev, path)), 2..) => {
                    check_row(&id, &root, depth, n, k - 1, i, prev, path)?;
                    derive::next_a(prev, &a0, &mut a);
                }
                (Some(_), _) => return Err(Reject::MalformedRow { k, i, what: "C_0 does not exist" }),
                (None, _) => return Err(Reject::MalformedRow { k: k - 1, i, what: "missing" }),
            }
            check_row(&id, &root, depth, n, k, i, &o.row, &o.path)?;
            // Freivalds: C_k[i]·r ≡ A_{k−1}[i]·(B·r) (mod p) iff the row is right, but for 1/p.
            if self.round.r.dot_i32(&o.row) != self.round.br.dot_i8(&a) {
                return Err(Reject::WrongRow { k, i });
            }
        }
        Ok(Accepted { challenge_id: id, samples: samples.len() })
    }

    /// [`Verifier::accept_commitment`] then [`Verifier::check_openings`], for callers that
    /// hold both (tests, the bench, a verifier re-checking a recorded answer): it does not
    /// disclose anything.
    pub fn verify(
        &mut self,
        challenge: &Challenge,
        commitment: &Commitment,
        received_at_ms: u64,
        openings: &[Opening],
    ) -> Verdict {
        self.accept_commitment(challenge, commitment, received_at_ms)?;
        self.check_openings(challenge, openings)
    }
}

/// Length, then path: every honest path has exactly `depth` siblings (K·n = 2^depth leaves), and
/// requiring it caps the committed tree at K·n leaves.
#[allow(clippy::too_many_arguments)]
fn check_row(
    id: &Hash,
    root: &Hash,
    depth: usize,
    n: u32,
    k: u32,
    i: u32,
    row: &[i32],
    path: &[Hash],
) -> Result<(), Reject> {
    if row.len() != n as usize {
        return Err(Reject::MalformedRow { k, i, what: "wrong length" });
    }
    if path.len() != depth || !io_merkle::verify(path, root, &derive::row_leaf(id, k, i, row)) {
        return Err(Reject::BadPath { k, i });
    }
    Ok(())
}
