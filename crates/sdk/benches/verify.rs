//! `io verify` at network scale: a synthetic but consistent network of 100 / 1,000 / 5,000
//! devices (operators of 10 devices, a lease per 4 devices, 24 certified periods, 4 oracle nodes
//! publishing every report) as a `verify::Snapshot`, and the time of `verify::verify` over it,
//! whole and per area. Every report is built by `report::build` from chained inputs (each
//! period's previous leaves are the last report's, its pool what io_token emitted and earlier
//! reports did not allot) and signed by a quorum of the oracle set; the ledgers (io_token,
//! io_staking, io_escrow, io_oracle and their vaults) balance. No indexer is compared (`Served`
//! without a url), so the rows against the indexer are left out, as with `--no-indexer`.
//!
//! The network is consistent, so the failing rows must be 0: they are printed (with the first
//! few) rather than asserted, as every figure here. The baseline is the floor of any check of the
//! published leaves: the four Merkle roots of every node's copy (`PeriodReport::roots_match`),
//! measured in the same run; the ratio says how far `verify` is from it.
//!
//! `cargo bench -p io-sdk --bench verify` (release); `cargo test -p io-sdk --bench verify` runs
//! it unoptimised, at 100 and 1,000 devices only. Where `cargo bench` (io-sdk's dev-dependencies
//! in release with fat LTO) is too slow, a throwaway crate outside the workspace whose
//! `src/main.rs` is this file and whose dependencies are io-sdk, io-staking, io-token,
//! io-escrow, io-oracle (`no-entrypoint`) and io-math by path, anchor-lang (=1.2.2, `event-cpi`) and
//! ed25519-dalek, built with `cargo build --release --offline` and the workspace's Cargo.lock,
//! runs the same code at opt-level 3 without LTO.
use anchor_lang::{AnchorDeserialize, Space};
use ed25519_dalek::{Signer, SigningKey};
use io_escrow::{math::device_owed_floor, EscrowConfig, Lease, LeaseDevice, LeaseStatus};
use io_oracle::{OracleBond, OracleConfig, OracleParams, OracleSet, Report, ReportStatus};
use io_sdk::{
    report::{
        build, json::hex, ChainDevice, ChainLease, ChallengeOutcome, Cumulative, DeviceObservation, Inputs,
        PeriodReport,
    },
    verify::{self, snapshot::Chain, NodeCopy, PeriodRange, Published, Rows, Served, Snapshot, Verdict},
    Pubkey,
};
use io_staking::{Config as StakingConfig, Device, DeviceStatus, HardwareClass, Operator, Position};
use io_token::{schedule, EmissionParams, TokenConfig, ALLOCATION_BPS, GENESIS_SUPPLY_IO, MAX_SUPPLY_IO};
use std::{
    collections::BTreeMap,
    hint::black_box,
    time::{Duration, Instant},
};

const DECIMALS: u8 = 9;
const ONE_IO: u64 = 1_000_000_000;
/// The first certified period; io_token's emission started four hours before it.
const FIRST: u64 = 493_000;
const PERIODS: u64 = 24;
const GENESIS: u64 = FIRST - 4;
const NODES: usize = 4;
/// The oracle set: 4 members, 3 of them sign every report.
const MEMBERS: u8 = 4;
const THRESHOLD: u8 = 3;
const CLUSTER_ID: [u8; 32] = [7; 32];
/// USDC base units per device-hour.
const RATE: u64 = 1_000_000;
const FEE_BPS: u16 = 200;
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

/// An account with every field zero or empty (its borsh decoding of zero bytes): the bench sets
/// only the fields the checks read.
fn zeroed<T: AnchorDeserialize + Space>() -> T {
    T::deserialize(&mut vec![0u8; T::INIT_SPACE].as_slice()).expect("zero bytes decode")
}

fn start_of(period: u64) -> i64 {
    (period * 3_600) as i64
}

fn oracle_key(i: u8) -> SigningKey {
    SigningKey::from_bytes(&[201 + i; 32])
}

fn oracle_pubkey(i: u8) -> Pubkey {
    Pubkey::new_from_array(oracle_key(i).verifying_key().to_bytes())
}

/// Σ io_token emitted once `hours` hours were covered.
fn emitted_after(hours: u64) -> u64 {
    let p = EmissionParams::defaults(DECIMALS);
    schedule::cumulative(p.first_month_emission, p.decay_bps, hours).expect("the emission fits")
}

/// The fleet: `n` devices (classes and GPU counts mixed, one in three green) of n/10 operators,
/// and a lease per 4 devices whose service windows start and end at different periods.
struct Fleet {
    devices: Vec<ChainDevice>,
    /// (lease, hours paid for).
    leases: Vec<(ChainLease, u32)>,
}

fn fleet(n: u64) -> Fleet {
    let devices = (0..n)
        .map(|d| {
            let class = CLASSES[(d % 5) as usize];
            ChainDevice {
                address: key(1, d),
                operator: key(2, d / 10),
                class,
                gpu_count: if class == HardwareClass::Cpu { 0 } else { 1 + (d % 8) as u16 },
                worker_key: key(3, d),
                green: d.is_multiple_of(3),
                status: DeviceStatus::Active,
                bonded: 0,
            }
        })
        .collect();
    let leases = (0..n.div_ceil(4))
        .map(|l| {
            let hours = 12 + (l % 16) as u32;
            let start_ts = start_of(FIRST) - 1_800 + (l % 12) as i64 * 3_600;
            let lease = ChainLease {
                address: key(4, l),
                start_ts,
                end_ts: start_ts + i64::from(hours) * 3_600,
                devices: (4 * l..(4 * l + 4).min(n)).map(|d| key(1, d)).collect(),
            };
            (lease, hours)
        })
        .collect();
    Fleet { devices, leases }
}

/// What every node observed of device `d` in `period`: live for most of it (uptimes spread
/// around the activity threshold), one challenge in 50 failed.
fn observation(d: u64, period: u64) -> DeviceObservation {
    let s = start_of(period);
    let from = s + ((d * 37 + period * 11) % 2_400) as i64;
    let challenge = if (d + period).is_multiple_of(50) {
        ChallengeOutcome::Failed { reason: "late".into(), evidence: None }
    } else {
        ChallengeOutcome::Passed
    };
    DeviceObservation { live: vec![(from, s + 3_000), (s + 3_100, s + 3_600)], unserved: vec![], challenge }
}

fn cumulative_of(r: &PeriodReport) -> Cumulative {
    Cumulative {
        rewards: r.rewards.iter().map(|l| (l.operator, l.cumulative)).collect(),
        usage: r.usage.iter().map(|l| ((l.lease, l.device), l.seconds)).collect(),
    }
}

/// The certified reports, oldest first, each built on the last one's cumulative leaves.
fn reports(f: &Fleet) -> Vec<PeriodReport> {
    let mut out: Vec<PeriodReport> = Vec::new();
    for period in FIRST..FIRST + PERIODS {
        let previous = out.last().map(cumulative_of).unwrap_or_default();
        let allotted: u64 = previous.rewards.values().sum();
        let inputs = Inputs {
            period,
            set_epoch: 1,
            expiry_slot: 1_000 + period,
            usdc_per_io: 1_500_000,
            cluster: "bench".into(),
            devices: f.devices.clone(),
            leases: f.leases.iter().map(|(l, _)| l.clone()).collect(),
            observations: (0..f.devices.len() as u64).map(|d| (key(1, d), observation(d, period))).collect(),
            previous,
            pool: emitted_after(period - GENESIS) - allotted,
        };
        out.push(build(&inputs).expect("the fleet builds"));
    }
    out
}

/// What every node publishes for `r`: signed by the first THRESHOLD members.
fn published(r: &PeriodReport) -> Published {
    let digest = r.digest(&CLUSTER_ID);
    Published {
        status: "certified".into(),
        digest: hex(&digest),
        signatures: (0..THRESHOLD)
            .map(|i| {
                let sig = oracle_key(i).sign(&digest).to_bytes();
                (oracle_pubkey(i).to_string(), sig.iter().map(|b| format!("{b:02x}")).collect())
            })
            .collect(),
        report: r.clone(),
    }
}

/// The consistent network of `n` devices.
fn snapshot(n: u64) -> Snapshot {
    let f = fleet(n);
    let reports = reports(&f);
    let last = reports.last().expect("PERIODS > 0");
    let hours = FIRST + PERIODS - GENESIS;
    let emitted = emitted_after(hours);

    // Operators claimed their rewards up to the middle report; the rest stays in the vaults.
    let claimed_at = cumulative_of(&reports[reports.len() / 2]).rewards;
    let claimed: u64 = claimed_at.values().sum();

    let genesis = GENESIS_SUPPLY_IO * ONE_IO;
    let mut token: TokenConfig = zeroed();
    token.decimals = DECIMALS;
    token.io_mint = key(9, 0);
    token.max_supply = MAX_SUPPLY_IO * ONE_IO;
    token.params = EmissionParams::defaults(DECIMALS);
    token.genesis_done = true;
    token.genesis_minted = genesis;
    token.allocations = ALLOCATION_BPS.map(|bps| genesis / 10_000 * u64::from(bps));
    for (i, v) in token.vaults.iter_mut().enumerate() {
        *v = key(10, i as u64);
    }
    token.rewards_vault = key(11, 0);
    token.rewards_withdrawn = claimed;
    token.total_minted = genesis + emitted;
    token.emission.start_ts = start_of(GENESIS);
    token.emission.next_hour = hours;
    token.emission.month_amount = token.params.first_month_emission;
    token.emission.emitted = emitted;

    // Operators: a bond, one delegator staking 1,000 $IO, 10% commission.
    let mut operators = BTreeMap::new();
    let mut positions = BTreeMap::new();
    for o in 0..n.div_ceil(10) {
        let address = key(2, o);
        let mut op: Operator = zeroed();
        op.authority = key(5, o);
        op.commission_bps = 1_000;
        op.bond = 10_000 * ONE_IO;
        op.stake_shares = 1_000 * ONE_IO;
        op.stake_tokens = 1_000 * ONE_IO;
        op.delegator_count = 1;
        op.rewards_claimed_cumulative = claimed_at.get(&address).copied().unwrap_or(0);
        operators.insert(address, op);
        let mut p = Position::new(address, key(6, o), 0, 255);
        p.shares = 1_000 * ONE_IO;
        positions.insert(key(7, o), p);
    }
    let mut staking: StakingConfig = zeroed();
    staking.io_mint = token.io_mint;
    staking.io_decimals = DECIMALS;
    (staking.stake_vault, staking.bond_vault, staking.reward_vault) = (key(12, 0), key(12, 1), key(12, 2));
    staking.total_staked = operators.values().map(|o| o.stake_tokens + o.unbonding_tokens).sum();
    staking.total_bonded = operators.values().map(|o| o.bond + o.bond_withdrawing).sum();
    staking.rewards_funded = claimed;

    // Devices as io_staking records them after the last report.
    let devices: BTreeMap<Pubkey, Device> = f
        .devices
        .iter()
        .map(|c| {
            let mut d: Device = zeroed();
            (d.operator, d.worker_key, d.class, d.gpu_count, d.green) =
                (c.operator, c.worker_key, c.class, c.gpu_count, c.green);
            let active = last.device_index(&c.address).is_some_and(|i| last.devices[i].active);
            d.status = if active { DeviceStatus::Active } else { DeviceStatus::Jailed };
            d.attested_period = last.body.period;
            (c.address, d)
        })
        .collect();

    // Leases in USDC, each device settled up to the last report's usage leaf.
    let mut escrow: EscrowConfig = zeroed();
    escrow.usdc_mint = key(13, 0);
    escrow.io_mint = token.io_mint;
    (escrow.treasury_usdc, escrow.treasury_io, escrow.buyback_vault) = (key(13, 1), key(13, 2), key(13, 3));
    let fee = io_math::Bps::new(FEE_BPS).expect("a fee rate");
    let mut leases = BTreeMap::new();
    let mut balances = BTreeMap::new();
    for (i, (l, hours)) in f.leases.iter().enumerate() {
        let devices: Vec<LeaseDevice> = l
            .devices
            .iter()
            .map(|d| {
                let seconds = last.usage_index(&l.address, d).map_or(0, |j| last.usage[j].seconds);
                LeaseDevice {
                    device: *d,
                    offer: key(14, i as u64),
                    operator_authority: key(5, 0),
                    rate_per_hour: RATE,
                    attested_seconds: seconds,
                    paid: device_owed_floor(seconds, RATE, *hours).expect("a payout"),
                }
            })
            .collect();
        let quote = RATE * u64::from(*hours) * devices.len() as u64;
        let paid: u64 = devices.iter().map(|d| d.paid).sum();
        let lease = Lease {
            renter: key(15, i as u64),
            nonce: 0,
            payment_mint: escrow.usdc_mint,
            vault: key(16, i as u64),
            fee_bps: FEE_BPS,
            start_ts: l.start_ts,
            end_ts: l.end_ts,
            hours: *hours,
            max_hours: 48,
            devices,
            deposit: quote + fee.of_ceil(quote).expect("a fee"),
            paid,
            fees: fee.of_ceil(paid).expect("a fee"),
            refunded: 0,
            status: LeaseStatus::Open,
            bump: 255,
            vault_bump: 254,
        };
        escrow.paid_usdc += lease.paid;
        escrow.fees_usdc += lease.fees;
        balances.insert(lease.vault, lease.deposit - lease.paid - lease.fees);
        leases.insert(l.address, lease);
    }
    escrow.leases_opened = leases.len() as u64;

    let min_bond = OracleParams::defaults(DECIMALS).min_bond;
    let keys: Vec<Pubkey> = (0..MEMBERS).map(oracle_pubkey).collect();
    let mut oracle: OracleConfig = zeroed();
    oracle.io_mint = token.io_mint;
    oracle.bond_vault = key(17, 0);
    oracle.params = OracleParams::defaults(DECIMALS);
    oracle.set = OracleSet::new(1, &keys, THRESHOLD).expect("a valid set");
    oracle.last_period = last.body.period;
    oracle.total_bonded = u64::from(MEMBERS) * min_bond;
    oracle.cluster_id = CLUSTER_ID;
    let oracle_bonds = keys
        .iter()
        .map(|k| {
            let mut b: OracleBond = zeroed();
            (b.oracle, b.amount) = (*k, min_bond);
            (io_sdk::oracle::bond(k), b)
        })
        .collect();

    balances.insert(token.rewards_vault, emitted - token.rewards_withdrawn);
    for (v, a) in token.vaults.iter().zip(token.allocations) {
        balances.insert(*v, a);
    }
    balances.insert(staking.stake_vault, staking.total_staked);
    balances.insert(staking.bond_vault, staking.total_bonded);
    balances.insert(staking.reward_vault, staking.rewards_funded);
    balances.insert(oracle.bond_vault, oracle.total_bonded);
    balances.insert(escrow.treasury_usdc, escrow.fees_usdc);

    let quorum = (1u8 << THRESHOLD) - 1;
    let accounts = reports
        .iter()
        .map(|r| {
            let account = Report {
                body: r.body,
                digest: r.digest(&CLUSTER_ID),
                status: ReportStatus::Certified,
                signers: quorum,
                posted_by: keys[0],
                certified_slot: 500 + r.body.period,
                bump: 255,
            };
            (io_sdk::oracle::report(&CLUSTER_ID, &r.body), account)
        })
        .collect();
    let copies = reports
        .iter()
        .map(|r| {
            let p = published(r);
            let copies = (0..NODES)
                .map(|i| NodeCopy { node: format!("http://node-{i}:8080"), result: Ok(p.clone()) })
                .collect();
            (r.body.period, copies)
        })
        .collect();

    let chain = Chain {
        now: start_of(FIRST + PERIODS) + 600,
        slot: 10_000,
        mint_supply: token.total_minted - token.total_burned,
        token,
        staking,
        operators,
        devices,
        positions,
        slashes: BTreeMap::new(),
        escrow,
        leases,
        offers: BTreeMap::new(),
        price: None,
        oracle,
        oracle_bonds,
        reports: accounts,
        balances,
    };
    Snapshot { range: PeriodRange::default(), chain, copies, served: Served::default() }
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

type Area = (&'static str, fn(&Snapshot, &mut Rows));

const AREAS: [Area; 7] = [
    ("reports", verify::reports::check),
    ("devices", verify::devices::check),
    ("usage", verify::usage::check),
    ("rewards", verify::rewards::check),
    ("supply", verify::supply::check),
    ("escrow", verify::escrow::check),
    ("stake", verify::stake::check),
];

fn main() {
    // Unoptimised (`cargo test`), only the smaller networks: enough to see it work.
    let sizes: &[u64] = if cfg!(debug_assertions) { &[100, 1_000] } else { &[100, 1_000, 5_000] };
    println!(
        "io verify over {PERIODS} certified periods × {NODES} node copies, no indexer (best of 3; 1 at 5,000), \
         against the four roots of every copy"
    );
    println!(
        "{:>8} {:>7} {:>10} {:>7} {:>8} {:>10} {:>11} {:>13} {:>12} {:>7}",
        "devices",
        "leases",
        "snapshot s",
        "rows",
        "failing",
        "verify ms",
        "µs/figure",
        "ms/period×node",
        "baseline ms",
        "ratio"
    );
    for &n in sizes {
        let reps = if n >= 5_000 { 1 } else { 3 };
        let t = Instant::now();
        let s = snapshot(n);
        let t_snapshot = t.elapsed();
        let (t_verify, rows) = best(reps, || verify::verify(black_box(&s)));
        let failing: Vec<_> = rows.iter().filter(|r| r.verdict.fails()).collect();
        let compared = rows.iter().filter(|r| r.verdict == Verdict::Ok).count();
        // Rows that say why a figure was not recomputed (a consistent network should have none).
        let unchecked: Vec<_> =
            rows.iter().filter(|r| r.verdict == Verdict::Recomputed && r.recomputed.is_none()).collect();
        let (t_base, matched) = best(reps, || {
            s.copies
                .values()
                .flatten()
                .filter(|c| c.result.as_ref().is_ok_and(|p| black_box(&p.report).roots_match()))
                .count()
        });
        let copies: usize = s.copies.values().map(Vec::len).sum();
        println!(
            "{:>8} {:>7} {:>10.2} {:>7} {:>8} {:>10.1} {:>11.2} {:>13.2} {:>12.1} {:>7.2}",
            n,
            s.chain.leases.len(),
            t_snapshot.as_secs_f64(),
            rows.len(),
            failing.len(),
            ms(t_verify),
            t_verify.as_secs_f64() * 1e6 / rows.len() as f64,
            ms(t_verify) / copies as f64,
            ms(t_base),
            t_verify.as_secs_f64() / t_base.as_secs_f64(),
        );
        if matched != copies {
            println!("         {} of {copies} copies' roots do not match their leaves", copies - matched);
        }
        println!(
            "         rows: {compared} ok (compared or invariant), {} recomputed only, {} not recomputed",
            rows.len() - compared - failing.len() - unchecked.len(),
            unchecked.len()
        );
        for r in unchecked.iter().take(3) {
            println!("         NOT RECOMPUTED {}: {:?}", r.figure, r.note);
        }
        for r in failing.iter().take(5) {
            println!(
                "         FAILING {} {:?}: recomputed {:?}, served {:?} by {:?}: {:?}",
                r.figure, r.verdict, r.recomputed, r.served, r.served_by, r.note
            );
        }
        let per_area: Vec<String> = AREAS
            .iter()
            .map(|(name, check)| {
                let (t, _) = best(reps, || {
                    let mut rows = Rows::default();
                    check(black_box(&s), &mut rows);
                    rows.into_vec().len()
                });
                format!("{name} {:.1}", ms(t))
            })
            .collect();
        println!("         per area (ms): {}", per_area.join(", "));
    }
}
