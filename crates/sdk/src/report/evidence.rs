//! Evidence of wrong rows: its hash (the slashes tree's and io_staking's `evidence_hash`) and its
//! verification, which anyone can run from the published evidence alone: it re-runs io-proof's
//! verifier on the recorded challenge, commitment, reveal and answer.
use super::Evidence;
use crate::{
    names::Name,
    worker::{self, Answer, ChallengeRequest, Kind},
    Pubkey,
};
use io_proof::{reveal_commitment, Reject, Round, Verifier};
use io_staking::HardwareClass;
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
        // Only the sizes a device of the named class answers: they bound what re-verifying costs
        // (B is n² bytes), so a forged challenge with huge sizes cannot make a checker spend more
        // than a real one.
        let class = HardwareClass::parse_name(&req.class).map_err(|e| e.to_string())?;
        let expected = worker::proof::expected_params(class, req.simulated);
        if challenge.params != expected {
            return Err(format!(
                "the challenge's sizes {:?} are not those a {} device answers ({expected:?})",
                challenge.params, req.class
            ));
        }
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

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::worker::{Bytes32, Signed};

    fn worker3() -> Pubkey {
        pubkey_of(&worker_secret(3))
    }

    fn answer_of(e: &Evidence) -> Answer {
        e.answer.open::<Answer>(Kind::Answer).unwrap().1
    }

    #[test]
    fn wrong_rows_by_the_bound_key_are_proved() {
        let f = cheat_of_3().verify(CLUSTER, &worker3()).unwrap();
        assert_eq!((f.device_account, f.oracle), (key(3), pubkey_of(&ORACLE_SECRET)));
        let params = io_proof::HardwareClass::Cpu.light_params();
        assert!((1..=params.k).contains(&f.k) && f.i < params.n);
        assert_eq!(f.challenge_id, cheat_of_3().commitment.challenge_id.0);
    }

    #[test]
    fn an_honest_answer_proves_nothing() {
        let why = honest_of_3().verify(CLUSTER, &worker3()).unwrap_err();
        assert!(why.contains("correct"), "{why}");
    }

    #[test]
    fn evidence_for_another_cluster_or_device_proves_nothing() {
        let e = cheat_of_3();
        assert!(e.verify("another-cluster", &worker3()).unwrap_err().contains("cluster"));
        assert!(e.verify(CLUSTER, &pubkey_of(&worker_secret(1))).unwrap_err().contains("device key"));
        // The same wrong rows, made for device 1's account: they prove nothing against device 3's
        // key, and what they prove names device 1's account.
        let d1 = device(1, 10, HardwareClass::Cpu, 0);
        let f = evidence(&d1, &worker_secret(3), true).verify(CLUSTER, &worker3()).unwrap();
        assert_eq!(f.device_account, key(1));
    }

    #[test]
    fn forged_signatures_prove_nothing() {
        let e = cheat_of_3();
        // The answer re-signed by another key.
        let forged =
            Evidence { answer: Signed::sign(Kind::Answer, &answer_of(&e), &worker_secret(1)), ..e.clone() };
        assert!(forged.verify(CLUSTER, &worker3()).unwrap_err().contains("signed by"));
        // The commitment's signature by another key.
        let mut other = e.clone();
        other.commitment.signature =
            evidence(&device(1, 10, HardwareClass::Cpu, 0), &worker_secret(1), true).commitment.signature;
        assert!(other.verify(CLUSTER, &worker3()).unwrap_err().contains("not signed"));
        // The challenge signed by a key other than the oracle it names.
        let (_, req): (Pubkey, ChallengeRequest) = e.challenge.open(Kind::Challenge).unwrap();
        let resigned = Evidence { challenge: Signed::sign(Kind::Challenge, &req, &[201; 32]), ..e.clone() };
        assert!(resigned.verify(CLUSTER, &worker3()).unwrap_err().contains("names oracle"));
        // An answer envelope whose signature does not cover its payload.
        let mut tampered = e.clone();
        tampered.answer.payload = tampered.answer.payload.replacen("\"k\":", "\"k\" :", 1);
        assert!(tampered.verify(CLUSTER, &worker3()).unwrap_err().contains("answer"));
    }

    #[test]
    fn only_wrong_rows_count() {
        let e = cheat_of_3();
        // Sizes other than the class's: refused before any work.
        let (_, mut req): (Pubkey, ChallengeRequest) = e.challenge.open(Kind::Challenge).unwrap();
        req.n = 65_536;
        let huge = Evidence { challenge: Signed::sign(Kind::Challenge, &req, &ORACLE_SECRET), ..e.clone() };
        assert!(huge.verify(CLUSTER, &worker3()).unwrap_err().contains("sizes"));
        req.n = 64;
        req.class = "gpu".into();
        let unknown =
            Evidence { challenge: Signed::sign(Kind::Challenge, &req, &ORACLE_SECRET), ..e.clone() };
        assert!(unknown.verify(CLUSTER, &worker3()).unwrap_err().contains("unknown hardware class"));
        // Another reveal than the challenge promised.
        let bad_reveal = Evidence { reveal: Bytes32([8; 32]), ..e.clone() };
        assert!(bad_reveal.verify(CLUSTER, &worker3()).unwrap_err().contains("reveal"));
        // A row changed after the commitment (re-signed by the device): a bad path, not wrong rows.
        let mut answer = answer_of(&e);
        answer.openings[0].current.row[0] ^= 1;
        let changed =
            Evidence { answer: Signed::sign(Kind::Answer, &answer, &worker_secret(3)), ..e.clone() };
        let why = changed.verify(CLUSTER, &worker3()).unwrap_err();
        assert!(why.contains("not by a wrong row") && why.contains("bad path"), "{why}");
        // Too few openings.
        let mut answer = answer_of(&e);
        answer.openings.pop();
        let short = Evidence { answer: Signed::sign(Kind::Answer, &answer, &worker_secret(3)), ..e };
        assert!(short.verify(CLUSTER, &worker3()).unwrap_err().contains("openings"));
    }

    #[test]
    fn the_hash_covers_challenge_root_reveal_and_answer() {
        let e = cheat_of_3();
        assert_eq!(e.hash(), cheat_of_3().hash());
        assert_ne!(e.hash(), honest_of_3().hash());
        let mut c = e.clone();
        c.commitment.challenge_id = Bytes32([1; 32]);
        let mut r = e.clone();
        r.commitment.root = Bytes32([1; 32]);
        let mut v = e.clone();
        v.reveal = Bytes32([1; 32]);
        let mut a = e.clone();
        a.answer.payload.push(' ');
        let hashes = [e.hash(), c.hash(), r.hash(), v.hash(), a.hash()];
        let distinct: std::collections::BTreeSet<_> = hashes.iter().collect();
        assert_eq!(distinct.len(), hashes.len());
        // Signatures are not part of it: the same answer is the same evidence.
        let mut s = e.clone();
        s.commitment.signature = crate::worker::Bytes64([0; 64]);
        assert_eq!(s.hash(), e.hash());
    }
}
