//! Test inputs: a small fleet, a lease, observations, and real evidence from io-proof's CPU prover
//! on light parameters (honest, or cheating with committed wrong rows).
use super::{ChainDevice, ChainLease, ChallengeOutcome, Cumulative, DeviceObservation, Evidence, Inputs};
use crate::{
    worker::{self, Answer, Bytes32, ChallengeRequest, Kind, Signed, PROTOCOL_VERSION},
    Pubkey,
};
use ed25519_dalek::SigningKey;
use io_proof::{reveal_commitment, CpuBackend, Prover};
use io_staking::{DeviceStatus, HardwareClass};
use std::collections::BTreeMap;

pub const CLUSTER: &str = "4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY";
pub const PERIOD: u64 = 493_000;
pub const ORACLE_SECRET: [u8; 32] = [200; 32];

/// A key from one byte.
pub fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

/// First chain second of [`PERIOD`].
pub fn start() -> i64 {
    PERIOD as i64 * 3_600
}

/// The worker secret of device `n`.
pub fn worker_secret(n: u8) -> [u8; 32] {
    [n.wrapping_add(100); 32]
}

pub fn pubkey_of(secret: &[u8; 32]) -> Pubkey {
    Pubkey::new_from_array(SigningKey::from_bytes(secret).verifying_key().to_bytes())
}

pub fn device(n: u8, operator: u8, class: HardwareClass, gpu_count: u16) -> ChainDevice {
    ChainDevice {
        address: key(n),
        operator: key(operator),
        class,
        gpu_count,
        worker_key: pubkey_of(&worker_secret(n)),
        green: n.is_multiple_of(2),
        status: DeviceStatus::Active,
        bonded: 1_000_000 + u64::from(n),
    }
}

/// Live for `secs` seconds from the period's start, challenge `outcome`.
pub fn seen(secs: i64, outcome: ChallengeOutcome) -> DeviceObservation {
    DeviceObservation { live: vec![(start(), start() + secs)], unserved: vec![], challenge: outcome }
}

/// Four devices of operators 10 and 11, one lease over devices 1 and 2 from mid-period, a prior
/// reward of operator 12 (no devices any more) and of operator 10.
pub fn inputs() -> Inputs {
    let devices = vec![
        device(1, 10, HardwareClass::ConsumerGpu, 2),
        device(2, 10, HardwareClass::Cpu, 0),
        device(3, 11, HardwareClass::FlagshipGpu, 8),
        device(4, 11, HardwareClass::DatacenterGpu, 1),
    ];
    let observations = BTreeMap::from([
        (key(1), seen(3_600, ChallengeOutcome::Passed)),
        (key(2), seen(2_700, ChallengeOutcome::Passed)),
        (key(3), seen(3_000, ChallengeOutcome::Passed)),
        (key(4), seen(3_600, ChallengeOutcome::Failed { reason: "late".into(), evidence: None })),
    ]);
    let lease = ChainLease {
        address: key(50),
        start_ts: start() + 1_800,
        end_ts: start() + 7_200,
        devices: vec![key(1), key(2)],
    };
    let previous = Cumulative {
        rewards: BTreeMap::from([(key(10), 5_000), (key(12), 777)]),
        usage: BTreeMap::from([((key(50), key(2)), 100)]),
    };
    Inputs {
        period: PERIOD,
        set_epoch: 3,
        expiry_slot: 9_999,
        usdc_per_io: 1_500_000,
        cluster: CLUSTER.into(),
        devices,
        leases: vec![lease],
        observations,
        previous,
        pool: 1_000_003,
    }
}

/// Evidence of device `d` answering a light challenge: with every row of every product off by
/// one in a single entry (committed and opened as computed) when `cheat`, honestly otherwise.
pub fn evidence(d: &ChainDevice, worker: &[u8; 32], cheat: bool) -> Evidence {
    let params = io_proof::HardwareClass::Cpu.light_params();
    let reveal = [7u8; 32];
    let req = ChallengeRequest {
        version: PROTOCOL_VERSION,
        cluster: CLUSTER.into(),
        oracle: pubkey_of(&ORACLE_SECRET).to_string(),
        device_account: d.address.to_string(),
        device: pubkey_of(worker).to_string(),
        class: "cpu".into(),
        simulated: true,
        n: params.n,
        k: params.k,
        samples: params.samples,
        deadline_ms: params.deadline_ms,
        beacon: Bytes32([5; 32]),
        nonce: Bytes32([u8::from(cheat); 32]),
        reveal_commitment: Bytes32(reveal_commitment(&reveal)),
        issued_at_ms: 1_000,
    };
    let challenge = worker::proof::challenge(&req).unwrap();
    let n = params.n as usize;
    let prover = if cheat {
        Prover::run_with(&challenge, &mut CpuBackend::new(), |_, m| {
            for row in m.chunks_mut(n) {
                row[5] += 1;
            }
        })
    } else {
        Prover::run(&challenge, &mut CpuBackend::new())
    }
    .unwrap();
    let key = SigningKey::from_bytes(worker);
    let answer = Answer {
        version: PROTOCOL_VERSION,
        cluster: CLUSTER.into(),
        challenge_id: Bytes32(challenge.id()),
        openings: prover.open(&reveal).unwrap().iter().map(worker::proof::opening_msg).collect(),
    };
    Evidence {
        challenge: Signed::sign(Kind::Challenge, &req, &ORACLE_SECRET),
        commitment: worker::proof::commitment_msg(&prover.commit(&key), 2_000),
        reveal: Bytes32(reveal),
        answer: Signed::sign(Kind::Answer, &answer, worker),
    }
}

/// Cheating evidence of device 3 (made once: the prover run is the slow part of the tests).
pub fn cheat_of_3() -> Evidence {
    static E: std::sync::OnceLock<Evidence> = std::sync::OnceLock::new();
    E.get_or_init(|| evidence(&device(3, 11, HardwareClass::FlagshipGpu, 8), &worker_secret(3), true)).clone()
}

/// Honest evidence of device 3.
pub fn honest_of_3() -> Evidence {
    static E: std::sync::OnceLock<Evidence> = std::sync::OnceLock::new();
    E.get_or_init(|| evidence(&device(3, 11, HardwareClass::FlagshipGpu, 8), &worker_secret(3), false))
        .clone()
}

/// [`inputs`] where device 3 was caught with wrong rows.
pub fn inputs_with_cheat() -> Inputs {
    let mut i = inputs();
    i.observations.insert(
        key(3),
        seen(3_000, ChallengeOutcome::Failed { reason: "wrong row".into(), evidence: Some(cheat_of_3()) }),
    );
    i
}
