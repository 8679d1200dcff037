//! The wire types of [`super`] to and from io-proof's types, field for field: the worker and the
//! oracle nodes convert through these functions and nowhere else.
use super::{Bytes32, Bytes64, ChallengeRequest, CommitmentMsg, OpenedRow, OpeningMsg};
use crate::Pubkey;
use io_proof::{Challenge, Commitment, HardwareClass as ProofClass, Opening, Params};
use io_staking::HardwareClass;

/// io-proof's class for an on-chain class (one table: the challenge sizes follow from it).
pub fn proof_class(class: HardwareClass) -> ProofClass {
    match class {
        HardwareClass::Cpu => ProofClass::Cpu,
        HardwareClass::ConsumerGpu => ProofClass::ConsumerGpu,
        HardwareClass::WorkstationGpu => ProofClass::Workstation,
        HardwareClass::DatacenterGpu => ProofClass::Datacenter,
        HardwareClass::FlagshipGpu => ProofClass::Flagship,
    }
}

/// The challenge sizes a device of `class` answers: the class's, or the light ones of a local
/// network's simulated device.
pub fn expected_params(class: HardwareClass, simulated: bool) -> Params {
    let c = proof_class(class);
    if simulated {
        c.light_params()
    } else {
        c.params()
    }
}

/// io-proof's challenge from a request (the key must be a valid base58 key).
pub fn challenge(req: &ChallengeRequest) -> Result<Challenge, String> {
    let device =
        req.device.parse::<Pubkey>().map_err(|_| format!("device key '{}' is not base58", req.device))?;
    Ok(Challenge {
        params: Params { n: req.n, k: req.k, samples: req.samples, deadline_ms: req.deadline_ms },
        beacon: req.beacon.0,
        device: device.to_bytes(),
        nonce: req.nonce.0,
        reveal_commitment: req.reveal_commitment.0,
        issued_at_ms: req.issued_at_ms,
    })
}

pub fn commitment_msg(c: &Commitment, done_at_ms: u64) -> CommitmentMsg {
    CommitmentMsg {
        challenge_id: Bytes32(c.challenge_id),
        device: Pubkey::new_from_array(c.device).to_string(),
        nonce: Bytes32(c.nonce),
        root: Bytes32(c.root),
        signature: Bytes64(c.signature),
        done_at_ms,
    }
}

pub fn commitment(m: &CommitmentMsg) -> Result<Commitment, String> {
    let device =
        m.device.parse::<Pubkey>().map_err(|_| format!("device key '{}' is not base58", m.device))?;
    Ok(Commitment {
        challenge_id: m.challenge_id.0,
        device: device.to_bytes(),
        nonce: m.nonce.0,
        root: m.root.0,
        signature: m.signature.0,
    })
}

fn row(r: &OpenedRow) -> (Vec<i32>, Vec<[u8; 32]>) {
    (r.row.clone(), r.path.iter().map(|h| h.0).collect())
}

fn opened(row: &[i32], path: &[[u8; 32]]) -> OpenedRow {
    OpenedRow { row: row.to_vec(), path: path.iter().copied().map(Bytes32).collect() }
}

pub fn opening_msg(o: &Opening) -> OpeningMsg {
    OpeningMsg {
        k: o.k,
        i: o.i,
        prev: o.prev.as_ref().map(|(r, p)| opened(r, p)),
        current: opened(&o.row, &o.path),
    }
}

pub fn opening(m: &OpeningMsg) -> Opening {
    let (row_, path) = row(&m.current);
    Opening { k: m.k, i: m.i, prev: m.prev.as_ref().map(row), row: row_, path }
}
