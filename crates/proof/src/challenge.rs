//! The challenge a verifier issues to one device, and its id (the hash every later message names).
use crate::{params::Params, tags};
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// One challenge. Everything the prover computes follows from these fields; nothing from them
/// but `beacon` is known before `issued_at_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub params: Params,
    /// Public randomness of the round (a slot hash chosen after the round starts). B follows
    /// from it alone, so every verifier of the round shares one B and one B·r.
    pub beacon: Hash,
    /// The device's ed25519 public key (the key named in its on-chain record).
    pub device: [u8; 32],
    /// The verifier's fresh nonce: with the device key it fixes A₀, so no chain can be computed
    /// before the challenge arrives or reused for another device.
    pub nonce: Hash,
    /// sha256(REVEAL ‖ reveal): the verifier's promise of the secret that will pick r and the
    /// sampled rows after the commitment. Shared by every challenge of a round.
    pub reveal_commitment: Hash,
    /// Verifier's clock when the challenge was sent (ms since the Unix epoch).
    pub issued_at_ms: u64,
}

impl Challenge {
    /// sha256 over the tag and every field, fixed-width little-endian.
    pub fn id(&self) -> Hash {
        let p = &self.params;
        let mut h = Sha256::new();
        h.update(tags::CHALLENGE);
        h.update(p.n.to_le_bytes());
        h.update(p.k.to_le_bytes());
        h.update(p.samples.to_le_bytes());
        h.update(p.deadline_ms.to_le_bytes());
        h.update(self.beacon);
        h.update(self.device);
        h.update(self.nonce);
        h.update(self.reveal_commitment);
        h.update(self.issued_at_ms.to_le_bytes());
        h.finalize().into()
    }
}

/// sha256(REVEAL ‖ reveal), the value a challenge carries before the reveal is disclosed.
pub fn reveal_commitment(reveal: &Hash) -> Hash {
    sha256(&[tags::REVEAL, reveal])
}

pub(crate) fn sha256(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}
