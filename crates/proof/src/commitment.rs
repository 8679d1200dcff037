//! The prover's signed commitment to its rows, and the rows it opens afterwards.
use crate::{
    challenge::{Challenge, Hash},
    tags,
};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

/// Sent by the device before it learns which rows will be checked: the root of the tree over
/// every row of every C_k, signed with the device key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commitment {
    /// The challenge answered (its id); device and nonce are repeated so that a mismatch can
    /// be reported as what it is.
    pub challenge_id: Hash,
    pub device: [u8; 32],
    pub nonce: Hash,
    pub root: Hash,
    /// ed25519 over [`commit_message`].
    pub signature: [u8; 64],
}

/// COMMIT ‖ challenge id ‖ root: what the device key signs.
pub fn commit_message(challenge_id: &Hash, root: &Hash) -> Vec<u8> {
    [tags::COMMIT, challenge_id, root].concat()
}

impl Commitment {
    /// Signs `root` as the answer to `challenge` with the device key.
    pub fn sign(challenge: &Challenge, root: Hash, key: &SigningKey) -> Self {
        let challenge_id = challenge.id();
        let signature = key.sign(&commit_message(&challenge_id, &root)).to_bytes();
        Commitment {
            challenge_id,
            device: key.verifying_key().to_bytes(),
            nonce: challenge.nonce,
            root,
            signature,
        }
    }

    /// Whether `device` signed this root for this challenge id (strict: no malleable or
    /// small-order forms).
    pub fn signature_valid(&self, device: &[u8; 32]) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(device) else { return false };
        key.verify_strict(
            &commit_message(&self.challenge_id, &self.root),
            &Signature::from_bytes(&self.signature),
        )
        .is_ok()
    }
}

/// The answer for one sampled transition `C_{k−1}[i] → C_k[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub k: u32,
    pub i: u32,
    /// Row i of C_{k−1} and its path; `None` when k = 1 (the verifier regenerates `A₀[i]`).
    pub prev: Option<(Vec<i32>, Vec<Hash>)>,
    /// Row i of C_k.
    pub row: Vec<i32>,
    /// Its sibling path, bottom up.
    pub path: Vec<Hash>,
}
