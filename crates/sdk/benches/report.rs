//! A period's report at fleet scale: `build` (all four trees) and a proof for every leaf, for
//! 1,000 / 10,000 / 100,000 devices and as many leases (one device each), and a follower's `check`
//! of the result. The baseline is hashing the same number of leaves (one sha256 each, the floor of
//! any tree over them), so the ratio says how far the builder is from the hashing it cannot avoid.
//!
//! `cargo bench -p io-sdk --bench report` (release); `cargo test -p io-sdk --bench report` runs
//! it unoptimised. Figures are printed, never asserted. `cargo bench` also builds io-sdk's
//! dev-dependencies (the local network) in release with fat LTO; where that is too slow, a
//! throwaway crate outside the workspace whose `src/main.rs` is this file and whose dependencies
//! are io-sdk, io-staking (`no-entrypoint`), io-merkle and serde_json by path, built with
//! `cargo build --release --offline` and the workspace's Cargo.lock, runs the same code at
//! opt-level 3 without LTO.
use io_sdk::{
    report::{
        build, check, ChainDevice, ChainLease, ChallengeOutcome, Cumulative, DeviceObservation, Inputs, Tree,
    },
    Pubkey,
};
use io_staking::{DeviceStatus, HardwareClass};
use std::{
    collections::BTreeMap,
    hint::black_box,
    time::{Duration, Instant},
};

const PERIOD: u64 = 493_000;
const CLASSES: [HardwareClass; 5] = [
    HardwareClass::Cpu,
    HardwareClass::ConsumerGpu,
    HardwareClass::WorkstationGpu,
    HardwareClass::DatacenterGpu,
    HardwareClass::FlagshipGpu,
];

/// A distinct key per (tag, index).
fn key(tag: u8, i: u64) -> Pubkey {
    let mut b = [tag; 32];
    b[..8].copy_from_slice(&i.to_le_bytes());
    Pubkey::new_from_array(b)
}

/// `n` devices of n/10 operators (classes and GPU counts mixed, uptimes spread around the
/// threshold, one in 50 failed), one lease per device covering part of the period, and a previous
/// report with every operator and lease device in it.
fn fleet(n: u64) -> Inputs {
    let start = (PERIOD * 3_600) as i64;
    let mut i = Inputs {
        period: PERIOD,
        set_epoch: 1,
        expiry_slot: 1_000,
        usdc_per_io: 1_500_000,
        cluster: "bench".into(),
        devices: Vec::new(),
        leases: Vec::new(),
        observations: BTreeMap::new(),
        previous: Cumulative::default(),
        pool: 1_000_000_000_000_000,
    };
    for d in 0..n {
        let (address, operator) = (key(1, d), key(2, d / 10));
        i.devices.push(ChainDevice {
            address,
            operator,
            class: CLASSES[(d % 5) as usize],
            gpu_count: (d % 9) as u16,
            worker_key: key(3, d),
            green: d % 3 == 0,
            status: DeviceStatus::Active,
            bonded: 1_000_000_000,
        });
        let challenge = if d % 50 == 0 {
            ChallengeOutcome::Failed { reason: "late".into(), evidence: None }
        } else {
            ChallengeOutcome::Passed
        };
        let live = vec![(start + (d % 2_400) as i64, start + 3_000), (start + 3_100, start + 3_600)];
        i.observations.insert(address, DeviceObservation { live, unserved: vec![], challenge });
        let lease = key(4, d);
        let from = start - 600 + (d % 1_200) as i64;
        i.leases.push(ChainLease {
            address: lease,
            start_ts: from,
            end_ts: from + 7_200,
            devices: vec![address],
        });
        i.previous.usage.insert((lease, address), 3_600);
        i.previous.rewards.insert(operator, 1_000_000);
    }
    i
}

fn best<R>(reps: usize, mut f: impl FnMut() -> R) -> (Duration, R) {
    let mut out = None;
    let mut fastest = Duration::MAX;
    for _ in 0..reps {
        let t = Instant::now();
        let r = f();
        fastest = fastest.min(t.elapsed());
        out = Some(r);
    }
    (fastest, out.expect("at least one repetition"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    println!("report build + every proof (best of 3; 1 at 100,000), against hashing as many leaves");
    println!(
        "{:>8} {:>8} {:>8} {:>10} {:>11} {:>13} {:>10} {:>12} {:>7} {:>9}",
        "devices",
        "leases",
        "leaves",
        "build ms",
        "proofs ms",
        "build+proofs",
        "check ms",
        "baseline ms",
        "ratio",
        "JSON MB"
    );
    for n in [1_000u64, 10_000, 100_000] {
        let reps = if n >= 100_000 { 1 } else { 3 };
        let inputs = fleet(n);
        let (t_build, report) = best(reps, || build(black_box(&inputs)).expect("the fleet builds"));
        let leaves: usize = Tree::ALL_FOUR.iter().map(|t| report.leaf_hashes(*t).len()).sum();
        let (t_proofs, siblings) = best(reps, || {
            let mut siblings = 0usize;
            for t in Tree::ALL_FOUR {
                for j in 0..report.leaf_hashes(t).len() {
                    siblings += black_box(report.proof(t, j)).map_or(0, |p| p.len());
                }
            }
            siblings
        });
        let (t_check, verdict) = best(reps, || check(black_box(&report), &inputs));
        assert!(verdict.is_ok(), "a node signs its own report: {verdict:?}");
        let (t_base, _) = best(reps, || {
            (0..leaves as u64)
                .map(|j| io_merkle::leaf_hash(b"bench", &[key(5, j).as_ref(), &j.to_le_bytes()]))
                .fold(0u8, |acc, h| acc ^ h[0])
        });
        let json = serde_json::to_vec(&report).expect("serialises").len();
        let total = t_build + t_proofs;
        println!(
            "{:>8} {:>8} {:>8} {:>10.1} {:>11.1} {:>13.1} {:>10.1} {:>12.1} {:>7.1} {:>9.1}",
            n,
            n,
            leaves,
            ms(t_build),
            ms(t_proofs),
            ms(total),
            ms(t_check),
            ms(t_base),
            total.as_secs_f64() / t_base.as_secs_f64(),
            json as f64 / 1e6,
        );
        black_box(siblings);
    }
}
