//! Evidence of wrong rows: its hash (the slashes tree's and io_staking's `evidence_hash`) and its
//! verification, which anyone can run from the published evidence alone: it re-runs io-proof's
//! verifier on the recorded challenge, commitment, reveal and answer.
use super::Evidence;
use crate::{
    worker::{self, Answer, ChallengeRequest, Kind},
    Pubkey,
};
use io_proof::{reveal_commitment, Reject, Round, Verifier};
use sha2::{Digest, Sha256};

/// Domain tag of [`Evidence::hash`].
pub const EVIDENCE_DOMAIN: &[u8] = b"io-evidence-v1";

/// What a verified piece of evidence proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The io_staking device account the challenge was for.
    pub device_account: Pubkey,
    /// The oracle-set key that signed the challenge (set membership is the node's check).
    pub oracle: Pubkey,
    pub challenge_id: [u8; 32],
    /// The first wrong transition: row `i` of `C_k`.
    pub k: u32,
    pub i: u32,
}

impl Evidence {
    /// sha256(`io-evidence-v1` ‖ challenge id ‖ committed root ‖ reveal ‖ sha256(answer payload)).
    ///
    /// The answer's payload is the exact JSON the device signed, so its hash fixes every opened
    /// row, and with it the failing row: the verifier is deterministic, so `(k, i)` of the first
    /// wrong row ([`Failure`]) follows from these fields and is not hashed again (hashing it would
    /// make the hash cost a verifier run). Signatures are left out: a re-signature of the same
    /// answer is the same evidence.
    pub fn hash(&self) -> [u8; 32] {
        let answer = Sha256::digest(self.answer.payload.as_bytes());
        let mut h = Sha256::new();
        h.update(EVIDENCE_DOMAIN);
        h.update(self.commitment.challenge_id.0);
        h.update(self.commitment.root.0);
        h.update(self.reveal.0);
        h.update(answer);
        h.finalize().into()
    }

    /// Ok only when the evidence is self-consistent and proves that `device_key` answered a
    /// challenge of `cluster` with wrong rows; otherwise the reason, in words.
    ///
    /// The commitment is taken as received on time (`issued_at_ms`): lateness is no wrong row,
    /// and a recorded answer cannot prove when it arrived.
    pub fn verify(&self, cluster: &str, device_key: &Pubkey) -> Result<Failure, String> {
        let (oracle, req): (Pubkey, ChallengeRequest) =
            self.challenge.open(Kind::Challenge).map_err(|e| format!("challenge: {e}"))?;
        if req.cluster != cluster {
            return Err(format!("the challenge is for cluster {}, not {cluster}", req.cluster));
        }
        if req.oracle != oracle.to_string() {
            return Err(format!("the challenge names oracle {} but is signed by {oracle}", req.oracle));
        }
        if req.device != device_key.to_string() {
            return Err(format!("the challenge is for device key {}, not {device_key}", req.device));
        }
        let device_account = req
            .device_account
            .parse::<Pubkey>()
            .map_err(|_| format!("device account '{}' is not base58", req.device_account))?;
        let challenge = worker::proof::challenge(&req)?;
        let id = challenge.id();

        let commitment = worker::proof::commitment(&self.commitment)?;
        if commitment.challenge_id != id {
            return Err("the commitment answers another challenge".into());
        }
        if commitment.device != device_key.to_bytes() {
            return Err(format!(
                "the commitment names device key {}, not {device_key}",
                self.commitment.device
            ));
        }
        if !commitment.signature_valid(&device_key.to_bytes()) {
            return Err(format!("the commitment is not signed by {device_key}"));
        }
        if reveal_commitment(&self.reveal.0) != challenge.reveal_commitment {
            return Err("the reveal does not match the challenge's reveal commitment".into());
        }

        let (signer, answer): (Pubkey, Answer) =
            self.answer.open(Kind::Answer).map_err(|e| format!("answer: {e}"))?;
        if signer != *device_key {
            return Err(format!("the answer is signed by {signer}, not the device key {device_key}"));
        }
        if answer.cluster != cluster || answer.challenge_id.0 != id {
            return Err("the answer is for another cluster or challenge".into());
        }

        let round = Round::new(challenge.params, challenge.beacon, self.reveal.0)
            .map_err(|e| format!("the challenge's parameters: {e}"))?;
        let openings: Vec<_> = answer.openings.iter().map(worker::proof::opening).collect();
        match Verifier::new(round).verify(&challenge, &commitment, challenge.issued_at_ms, &openings) {
            Err(Reject::WrongRow { k, i }) => Ok(Failure { device_account, oracle, challenge_id: id, k, i }),
            Ok(_) => Err("the answer is correct: no wrong row".into()),
            Err(other) => Err(format!("the answer fails, but not by a wrong row: {other}")),
        }
    }
}
