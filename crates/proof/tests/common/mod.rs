//! Fixtures shared by the integration tests: fixed keys, a round and an honest run.
#![allow(dead_code)]
use ed25519_dalek::SigningKey;
use io_proof::{Challenge, CpuBackend, Params, Prover, Round, Verifier};

pub const ISSUED_AT: u64 = 1_700_000_000_000;

pub fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

pub fn small() -> Params {
    Params { n: 64, k: 8, samples: 32, deadline_ms: 5_000 }
}

pub fn round(params: Params) -> Round {
    Round::new(params, [7; 32], [42; 32]).unwrap()
}

/// A verifier, a challenge for device `key(1)` and the honest prover's finished chain.
pub fn honest(params: Params) -> (Verifier, Challenge, Prover) {
    let round = round(params);
    let challenge = round.challenge(key(1).verifying_key().to_bytes(), [3; 32], ISSUED_AT);
    let prover = Prover::run(&challenge, &mut CpuBackend::new()).unwrap();
    (Verifier::new(round), challenge, prover)
}
