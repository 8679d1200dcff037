//! Test fixture of the report-derived checks: a small network whose chain balances — two
//! operators, three devices, one USDC lease, two certified periods built by `report::build` and
//! signed by a quorum of a three-key oracle set, two oracle nodes publishing them, and an indexer
//! that serves what the chain says for the report-derived areas (reports, devices, usage,
//! rewards): their checks find no failing row in it; each test forges one figure and asserts the
//! failing row it causes.
//!
//! The ledger areas (supply, escrow, stake) test on their own balanced network
//! (`supply::ledger_net`), with the indexer answers they read.
use super::{NodeCopy, PeriodRange, Published, Served, Snapshot};
use crate::{
    names::Name,
    report::{
        self, json::hex, ChainDevice, ChainLease, ChallengeOutcome, Cumulative, DeviceObservation, Inputs,
    },
    Pubkey,
};
use ed25519_dalek::{Signer, SigningKey};
use io_escrow::{EscrowConfig, EscrowParams, Lease, LeaseDevice, LeaseStatus};
use io_oracle::{OracleBond, OracleConfig, OracleParams, OracleSet, PendingRotation, Report, ReportStatus};
use io_staking::{Config as StakingConfig, Device, DeviceStatus, HardwareClass, Operator, Params, Position};
use io_token::{
    schedule, EmissionParams, EmissionState, TokenConfig, ALLOCATION_BPS, BUCKET_COUNT, BURN_REASON_COUNT,
    GENESIS_SUPPLY_IO, MAX_SUPPLY_IO, RESERVED_BURN_REASONS,
};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(crate) const DECIMALS: u8 = 9;
/// The two certified periods.
pub(crate) const P1: u64 = 493_000;
pub(crate) const P2: u64 = 493_001;
pub(crate) const CLUSTER_ID: [u8; 32] = [7; 32];
pub(crate) const NODE_A: &str = "http://node-a:8080";
pub(crate) const NODE_B: &str = "http://node-b:8080";
pub(crate) const INDEXER: &str = "http://indexer:8999";
/// Hours of emission before P1's report was built (the genesis is four hours before P1).
const GENESIS_PERIOD: u64 = P1 - 4;
/// USDC base units per device-hour of the lease.
pub(crate) const RATE: u64 = 1_000_000;

/// A key from one byte.
pub(crate) fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

/// Operators A and B (io_staking operator accounts).
pub(crate) fn op_a() -> Pubkey {
    key(10)
}
pub(crate) fn op_b() -> Pubkey {
    key(11)
}
/// Devices: 1 (A, consumer GPU ×2, green), 2 (A, CPU), 3 (B, flagship GPU ×8, green).
pub(crate) fn dev(n: u8) -> Pubkey {
    key(n)
}
/// The lease over devices 1 and 2.
pub(crate) fn lease() -> Pubkey {
    key(50)
}

/// The oracle set's signing keys (members 0, 1, 2).
pub(crate) fn oracle_key(i: u8) -> SigningKey {
    SigningKey::from_bytes(&[201 + i; 32])
}
pub(crate) fn oracle_pubkey(i: u8) -> Pubkey {
    Pubkey::new_from_array(oracle_key(i).verifying_key().to_bytes())
}

fn one_io() -> u64 {
    10u64.pow(u32::from(DECIMALS))
}

fn start_of(period: u64) -> i64 {
    (period * 3_600) as i64
}

/// (class, gpu_count, green, operator) of devices 1..=3.
fn spec(n: u8) -> (HardwareClass, u16, bool, Pubkey) {
    match n {
        1 => (HardwareClass::ConsumerGpu, 2, true, op_a()),
        2 => (HardwareClass::Cpu, 0, false, op_a()),
        _ => (HardwareClass::FlagshipGpu, 8, true, op_b()),
    }
}

/// Chain seconds each device was seen live in each period: device 2 sits out half of P2, so it
/// is not active in P2 (uptime below the rule's floor) while it was in P1.
fn live(n: u8, period: u64) -> (i64, i64) {
    let s = start_of(period);
    match (n, period) {
        (2, P2) => (s, s + 1_200),
        (2, _) => (s, s + 3_000),
        _ => (s, s + 3_600),
    }
}

fn chain_devices() -> Vec<ChainDevice> {
    (1..=3)
        .map(|n| {
            let (class, gpu_count, green, operator) = spec(n);
            ChainDevice {
                address: dev(n),
                operator,
                class,
                gpu_count,
                worker_key: key(100 + n),
                green,
                status: DeviceStatus::Active,
                bonded: 0,
            }
        })
        .collect()
}

fn chain_lease() -> ChainLease {
    ChainLease {
        address: lease(),
        start_ts: start_of(P1) + 1_800,
        end_ts: start_of(P2) + 3 * 3_600,
        devices: vec![dev(1), dev(2)],
    }
}

/// Σ emitted by io_token once `hours` hours were covered.
fn emitted_after(hours: u64) -> u64 {
    let p = EmissionParams::defaults(DECIMALS);
    schedule::cumulative(p.first_month_emission, p.decay_bps, hours).expect("the fixture's emission fits")
}

/// The reports of P1 and P2, built as every honest node builds them.
pub(crate) fn reports() -> (report::PeriodReport, report::PeriodReport) {
    let inputs = |period: u64, previous: Cumulative, pool: u64| Inputs {
        period,
        set_epoch: 1,
        expiry_slot: 1_000 + period,
        usdc_per_io: 1_500_000,
        cluster: "fixture".into(),
        devices: chain_devices(),
        leases: vec![chain_lease()],
        observations: (1..=3)
            .map(|n| {
                let obs = DeviceObservation {
                    live: vec![live(n, period)],
                    unserved: vec![],
                    challenge: ChallengeOutcome::Passed,
                };
                (dev(n), obs)
            })
            .collect(),
        previous,
        pool,
    };
    let r1 = report::build(&inputs(P1, Cumulative::default(), emitted_after(P1 - GENESIS_PERIOD)))
        .expect("P1 builds");
    let previous = Cumulative {
        rewards: r1.rewards.iter().map(|l| (l.operator, l.cumulative)).collect(),
        usage: r1.usage.iter().map(|l| ((l.lease, l.device), l.seconds)).collect(),
    };
    let allotted: u64 = previous.rewards.values().sum();
    let pool = emitted_after(P2 - GENESIS_PERIOD) - allotted;
    let r2 = report::build(&inputs(P2, previous, pool)).expect("P2 builds");
    (r1, r2)
}

/// The oracle set: members 0..3, threshold 2, epoch 1.
fn oracle_set() -> OracleSet {
    OracleSet::new(1, &[oracle_pubkey(0), oracle_pubkey(1), oracle_pubkey(2)], 2).expect("a valid set")
}

/// What a node publishes for `r`: signed by members 0 and 1 (signature hex, as the node stores
/// it).
pub(crate) fn published(r: &report::PeriodReport) -> Published {
    let digest = r.digest(&CLUSTER_ID);
    Published {
        status: "certified".into(),
        digest: hex(&digest),
        signatures: (0..2)
            .map(|i| {
                let sig = oracle_key(i).sign(&digest).to_bytes();
                (oracle_pubkey(i).to_string(), sig.iter().map(|b| format!("{b:02x}")).collect())
            })
            .collect(),
        report: r.clone(),
    }
}

fn report_account(r: &report::PeriodReport) -> Report {
    Report {
        body: r.body,
        digest: r.digest(&CLUSTER_ID),
        status: ReportStatus::Certified,
        signers: 0b011,
        posted_by: oracle_pubkey(0),
        certified_slot: 500 + r.body.period,
        bump: 255,
    }
}

fn token_config(emitted: u64, withdrawn: u64) -> TokenConfig {
    let genesis = GENESIS_SUPPLY_IO * one_io();
    let allocations: [u64; BUCKET_COUNT] = ALLOCATION_BPS.map(|bps| genesis / 10_000 * u64::from(bps));
    let params = EmissionParams::defaults(DECIMALS);
    let hours = P2 + 1 - GENESIS_PERIOD;
    let month = params.first_month_emission;
    let mut vaults = [Pubkey::default(); BUCKET_COUNT];
    for (i, v) in vaults.iter_mut().enumerate() {
        *v = key(150 + i as u8);
    }
    TokenConfig {
        admin: key(1),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: key(140),
        decimals: DECIMALS,
        max_supply: MAX_SUPPLY_IO * one_io(),
        params,
        genesis_done: true,
        vaults,
        rewards_vault: key(141),
        allocations,
        allocated: [0; BUCKET_COUNT],
        released: [0; BUCKET_COUNT],
        schedule_count: [0; BUCKET_COUNT],
        campaign_count: 0,
        rewards_distributor: key(142),
        rewards_withdrawn: withdrawn,
        burn_authorities: [Pubkey::default(); RESERVED_BURN_REASONS],
        total_minted: genesis + emitted,
        genesis_minted: genesis,
        burned: [0; BURN_REASON_COUNT],
        total_burned: 0,
        emission: EmissionState {
            start_ts: start_of(GENESIS_PERIOD),
            next_hour: hours,
            month_amount: month,
            emitted,
        },
        bump: 255,
        mint_bump: 254,
    }
}

fn operator(
    authority: Pubkey,
    name: &str,
    commission_bps: u16,
    stake: u64,
    claimed: u64,
    devices: (u32, u32),
) -> Operator {
    Operator {
        authority,
        name: name.into(),
        region: "eu".into(),
        metadata_url: String::new(),
        commission_bps,
        pending_commission_bps: 0,
        commission_effective_ts: 0,
        last_commission_epoch: 0,
        bond: 10_000 * one_io(),
        bond_withdrawing: 0,
        bond_unlock_ts: 0,
        required_bond: 0,
        devices_registered: devices.0,
        devices_active: devices.1,
        stake_shares: stake,
        stake_tokens: stake,
        unbonding_shares: 0,
        unbonding_tokens: 0,
        reward_per_share: 0,
        commission_claimable: 0,
        rewards_claimed_cumulative: claimed,
        delegator_count: u32::from(stake > 0),
        slash_count: 0,
        pending_slashes: 0,
        unbonding_era: 0,
        total_slashed: 0,
        registered_ts: start_of(GENESIS_PERIOD),
        rewards_period: 0,
        activating_shares: 0,
        bump: 255,
    }
}

fn device(n: u8, status: DeviceStatus) -> Device {
    let (class, gpu_count, green, operator) = spec(n);
    Device {
        operator,
        id_hash: [n; 32],
        worker_key: key(100 + n),
        gpu_model: if gpu_count == 0 { String::new() } else { "H100".into() },
        gpu_count,
        vram_gb: if gpu_count == 0 { 0 } else { 80 },
        region: "eu".into(),
        green,
        class,
        status,
        bonded: 0,
        registered_ts: start_of(GENESIS_PERIOD),
        status_ts: start_of(P2),
        attested_period: P2,
        bump: 255,
    }
}

/// The lease as io_escrow records it after settling every second P2's usage leaves prove.
fn lease_account(r2: &report::PeriodReport) -> Lease {
    let devices: Vec<LeaseDevice> = [dev(1), dev(2)]
        .iter()
        .map(|d| {
            let attested =
                r2.usage.iter().find(|l| l.lease == lease() && l.device == *d).map_or(0, |l| l.seconds);
            LeaseDevice {
                device: *d,
                offer: key(60 + d.to_bytes()[0]),
                operator_authority: key(20),
                rate_per_hour: RATE,
                attested_seconds: attested,
                paid: RATE * attested / 3_600,
            }
        })
        .collect();
    let paid: u64 = devices.iter().map(|d| d.paid).sum();
    let fees = paid * 200 / 10_000;
    Lease {
        renter: key(40),
        nonce: 0,
        payment_mint: key(143),
        vault: key(51),
        fee_bps: 200,
        start_ts: chain_lease().start_ts,
        end_ts: chain_lease().end_ts,
        hours: 3,
        max_hours: 24,
        devices,
        deposit: 2 * 3 * RATE * 102 / 100,
        paid,
        fees,
        refunded: 0,
        status: LeaseStatus::Open,
        bump: 255,
        vault_bump: 254,
    }
}

/// The consistent network (see the module's doc).
pub(crate) fn snapshot() -> Snapshot {
    let (r1, r2) = reports();
    let emitted = emitted_after(P2 + 1 - GENESIS_PERIOD);
    // Operator A claimed its P1 cumulative; B has not claimed yet.
    let claimed_a = r1.rewards.iter().find(|l| l.operator == op_a()).map_or(0, |l| l.cumulative);
    let token = token_config(emitted, claimed_a);

    let operators = BTreeMap::from([
        (op_a(), operator(key(20), "alpha", 1_000, 1_000 * one_io(), claimed_a, (2, 1))),
        (op_b(), operator(key(21), "beta", 500, 0, 0, (1, 1))),
    ]);
    // On chain a device is active when P2's report says so (device 2 was not active in P2).
    let active_in_p2 = |n: u8| r2.devices.iter().any(|l| l.device == dev(n) && l.active);
    let devices: BTreeMap<Pubkey, Device> = (1..=3)
        .map(|n| {
            (dev(n), device(n, if active_in_p2(n) { DeviceStatus::Active } else { DeviceStatus::Jailed }))
        })
        .collect();
    let positions = BTreeMap::from([(
        key(31),
        Position {
            operator: op_a(),
            staker: key(30),
            shares: 1_000 * one_io(),
            reward_per_share_paid: 0,
            rewards_owed: 0,
            tickets: Default::default(),
            activating_shares: 0,
            activation_period: 0,
            fresh_shares: 0,
            bump: 255,
        },
    )]);
    let total_staked: u64 = operators.values().map(|o| o.stake_tokens + o.unbonding_tokens).sum();
    let total_bonded: u64 = operators.values().map(|o| o.bond + o.bond_withdrawing).sum();
    let staking = StakingConfig {
        admin: key(1),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: token.io_mint,
        io_decimals: DECIMALS,
        stake_vault: key(160),
        bond_vault: key(161),
        reward_vault: key(162),
        oracle_authority: key(2),
        rewards_authority: key(3),
        params: Params::defaults(DECIMALS),
        operator_count: 2,
        total_bonded,
        total_staked,
        rewards_funded: claimed_a,
        rewards_paid: 0,
        total_slashed: 0,
        bump: 255,
    };

    let lease_acc = lease_account(&r2);
    let escrow = EscrowConfig {
        admin: key(1),
        pending_admin: Pubkey::default(),
        paused: false,
        usdc_mint: lease_acc.payment_mint,
        io_mint: token.io_mint,
        treasury_usdc: key(170),
        treasury_io: key(171),
        buyback_vault: key(172),
        usage_authority: key(4),
        price_authority: key(5),
        treasury_authority: key(6),
        params: EscrowParams::defaults(DECIMALS, 6),
        leases_opened: 1,
        fees_usdc: lease_acc.fees,
        fees_io: 0,
        paid_usdc: lease_acc.paid,
        paid_io: 0,
        refunded_usdc: 0,
        refunded_io: 0,
        buyback_usdc_spent: 0,
        buyback_io_burned: 0,
        buyback_count: 0,
        bump: 255,
    };

    let set = oracle_set();
    let min_bond = OracleParams::defaults(DECIMALS).min_bond;
    let oracle_bonds: BTreeMap<Pubkey, OracleBond> = (0..3)
        .map(|i| {
            let bond = OracleBond {
                oracle: oracle_pubkey(i),
                amount: min_bond,
                withdrawing: 0,
                unlock_ts: 0,
                slashed: false,
                bump: 255,
            };
            (io_oracle_bond_address(i), bond)
        })
        .collect();
    let oracle = OracleConfig {
        admin: key(1),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: token.io_mint,
        bond_vault: key(180),
        params: OracleParams::defaults(DECIMALS),
        set,
        prev_set: OracleSet::default(),
        prev_valid_until: 0,
        pending_rotation: PendingRotation::default(),
        last_period: P2,
        reports_certified: 2,
        total_bonded: 3 * min_bond,
        total_slashed: 0,
        bump: 255,
        cluster_id: CLUSTER_ID,
        prev_last_period: 0,
        set_revoked: false,
    };
    let reports: BTreeMap<Pubkey, Report> =
        [&r1, &r2].iter().map(|r| (crate::oracle::report(&CLUSTER_ID, &r.body), report_account(r))).collect();

    let stake_pool = total_staked;
    let balances = BTreeMap::from([
        (token.rewards_vault, emitted - token.rewards_withdrawn),
        (staking.stake_vault, stake_pool),
        (staking.bond_vault, total_bonded),
        (staking.reward_vault, staking.rewards_funded - staking.rewards_paid),
        (oracle.bond_vault, oracle.total_bonded),
        (escrow.treasury_usdc, escrow.fees_usdc),
        (escrow.treasury_io, 0),
        (escrow.buyback_vault, 0),
        (lease_acc.vault, lease_acc.deposit - lease_acc.paid - lease_acc.fees - lease_acc.refunded),
    ]);

    let chain = super::snapshot::Chain {
        now: start_of(P2 + 1) + 600,
        slot: 10_000,
        mint_supply: token.total_minted - token.total_burned,
        token,
        staking,
        operators,
        devices,
        positions,
        slashes: BTreeMap::new(),
        escrow,
        leases: BTreeMap::from([(lease(), lease_acc)]),
        offers: BTreeMap::new(),
        price: None,
        oracle,
        oracle_bonds,
        reports,
        balances,
    };
    let copies = [&r1, &r2]
        .iter()
        .map(|r| {
            let copy = |node: &str| NodeCopy { node: node.into(), result: Ok(published(r)) };
            (r.body.period, vec![copy(NODE_A), copy(NODE_B)])
        })
        .collect();
    let mut s = Snapshot { range: PeriodRange::default(), chain, copies, served: Served::default() };
    s.served = served(&s);
    s
}

fn io_oracle_bond_address(i: u8) -> Pubkey {
    crate::oracle::bond(&oracle_pubkey(i))
}

/// What an honest indexer serves for the chain of `s` (the report-derived paths; part S adds
/// its own in its files).
pub(crate) fn served(s: &Snapshot) -> Served {
    let c = &s.chain;
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    for (address, r) in &c.reports {
        let b = &r.body;
        let row = json!({
            "address": address.to_string(),
            "period": b.period,
            "digest": hex(&r.digest),
            "set_epoch": b.set_epoch,
            "rewards_root": hex(&b.rewards_root),
            "usage_root": hex(&b.usage_root),
            "devices_root": hex(&b.devices_root),
            "slashes_root": hex(&b.slashes_root),
            "usdc_per_io": b.usdc_per_io,
            "emission_distributed": b.emission_distributed,
            "device_seconds": b.device_seconds,
            "devices_attested": b.devices_attested,
            "expiry_slot": b.expiry_slot,
            "status": r.status.name(),
            "signers": r.signers,
            "posted_by": r.posted_by.to_string(),
            "certified_slot": r.certified_slot,
            "slot": c.slot,
        });
        answers.insert(format!("/v1/reports/{}", b.period), json!([row]));
    }

    // The proof beside the report-backed figures: the latest certified report.
    let latest = c
        .reports
        .iter()
        .filter(|(_, r)| r.status == ReportStatus::Certified)
        .max_by_key(|(_, r)| r.body.period);
    let report_proof = latest.map_or(Value::Null, |(address, r)| {
        json!({ "kind": "report", "period": r.body.period, "report": format!("/v1/reports/{}", r.body.period),
                "report_address": address.to_string(), "digest": hex(&r.digest) })
    });

    // The network's attested devices, as the indexer counts them (io_staking status `active`).
    let active: Vec<&Device> = c.devices.values().filter(|d| d.status == DeviceStatus::Active).collect();
    let mut by_class: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for d in &active {
        let e = by_class.entry(d.class.name()).or_default();
        e.0 += 1;
        e.1 += u64::from(d.gpu_count);
    }
    let by_class: Vec<Value> =
        by_class.iter().map(|(class, (n, g))| json!({"class": class, "devices": n, "gpus": g})).collect();
    let gpus: u64 = active.iter().map(|d| u64::from(d.gpu_count)).sum();
    let green = active.iter().filter(|d| d.green).count();
    answers.insert(
        "/v1/network".into(),
        json!({
            "devices": {
                "total": c.devices.len(),
                "active": active.len(),
                "gpus_active": gpus,
                "green_active": green,
            },
            "devices_by_class": by_class,
            "reports": { "last_certified_period": P2, "certified": 2 },
            "settlements": {
                "settlements": c.leases.values().flat_map(|l| &l.devices).filter(|d| d.attested_seconds > 0).count(),
                "attested_seconds": c.leases.values().flat_map(|l| &l.devices).map(|d| d.attested_seconds).sum::<u64>(),
            },
            "overview": {
                "devices_attested": active.len(),
                "gpus_attested": gpus,
                "by_class": by_class,
                "proofs": {
                    "devices_attested": report_proof.clone(),
                    "gpus_attested": report_proof,
                    "staked": { "kind": "chain" },
                },
            },
        }),
    );

    let devices: Vec<Value> = c
        .devices
        .iter()
        .map(|(a, d)| {
            json!({
                "address": a.to_string(),
                "operator": d.operator.to_string(),
                "gpu_count": d.gpu_count,
                "green": d.green,
                "class": d.class.name(),
                "status": d.status.name(),
            })
        })
        .collect();
    answers.insert("/v1/devices".into(), Value::Array(devices));

    let mut leases = Vec::new();
    for (a, l) in &c.leases {
        let devices: Vec<Value> = l
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                json!({
                    "device": d.device.to_string(),
                    "device_index": i,
                    "rate_per_hour": d.rate_per_hour,
                    "attested_seconds": d.attested_seconds,
                    "paid": d.paid,
                })
            })
            .collect();
        let row = json!({
            "address": a.to_string(),
            "renter": l.renter.to_string(),
            "status": l.status.name(),
            "deposit": l.deposit,
            "paid": l.paid,
            "fees": l.fees,
            "refunded": l.refunded,
        });
        let mut detail = row.clone();
        detail["devices"] = Value::Array(devices);
        leases.push(row);
        answers.insert(format!("/v1/leases/{a}"), detail);
    }
    answers.insert("/v1/leases".into(), Value::Array(leases));

    let mut operators = Vec::new();
    for (a, o) in &c.operators {
        let row = json!({
            "address": a.to_string(),
            "authority": o.authority.to_string(),
            "commission_bps": o.commission_bps,
            "bond": o.bond,
            "stake_tokens": o.stake_tokens,
            "unbonding_tokens": o.unbonding_tokens,
            "commission_claimable": o.commission_claimable,
            "delegator_count": o.delegator_count,
        });
        let mut detail = row.clone();
        detail["earnings"] = json!({
            "rewards_allotted": o.rewards_claimed_cumulative,
            "commission_claimed": 0,
            "delegator_rewards_claimed": 0,
        });
        operators.push(row);
        answers.insert(format!("/v1/operators/{a}"), detail);
    }
    answers.insert("/v1/operators".into(), Value::Array(operators));

    Served { url: Some(INDEXER.into()), answers, errors: BTreeMap::new() }
}

/// Replaces `period`'s copy published by `node` (tests forge a node's leaves with it).
pub(crate) fn set_copy(s: &mut Snapshot, period: u64, node: &str, result: Result<Published, String>) {
    let copies = s.copies.get_mut(&period).expect("a certified period");
    let c = copies.iter_mut().find(|c| c.node == node).expect("a fixture node");
    c.result = result;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixture_is_consistent() {
        let s = snapshot();
        assert_eq!(s.certified().len(), 2);
        assert!(s.leaves_of(P1).is_some() && s.leaves_of(P2).is_some());
        let (r1, r2) = reports();
        // The fixture exercises what the checks recompute: devices, usage and rewards in both
        // periods, and a device that dropped out in P2.
        assert_eq!(r1.body.devices_attested, 3);
        assert_eq!(r2.body.devices_attested, 2);
        assert!(r1.body.emission_distributed > 0 && r2.body.emission_distributed > 0);
        assert!(!r2.usage.is_empty());
        // The report-derived areas: part S's ledger areas test on their own balanced network
        // (the indexer answers they read are not served here).
        let mut rows = super::super::Rows::default();
        super::super::reports::check(&s, &mut rows);
        super::super::devices::check(&s, &mut rows);
        super::super::usage::check(&s, &mut rows);
        super::super::rewards::check(&s, &mut rows);
        let failing: Vec<_> = rows.into_vec().into_iter().filter(|r| r.verdict.fails()).collect();
        assert!(failing.is_empty(), "the clean fixture fails: {failing:#?}");
    }
}
