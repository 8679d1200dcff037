//! What every event arm of the projection writes, on SQLite and PostgreSQL. Each case commits its
//! set-up events, then the event under test in a transaction of its own, and compares the
//! current-state and log tables before and after: the rows that changed must be exactly the
//! expected ones (each expected row given by the columns it must hold), so an arm that writes too
//! little, too much, or a wrong value fails. A last test checks that every variant of the event
//! enum (every entry of the event table) has a case here, including the arms that write nothing.
use crate::common::fixtures::{ev, tx, T0};
use crate::common::{rows, TestDb, ENTITY_TABLES};
use crate::dual;
use anchor_lang::AnchorDeserialize;
use io_indexer::decode::events::{self, EVENTS};
use io_indexer::decode::{DecodedEvent, Program};
use io_indexer::store::{Batch, Cursor};
use io_sdk::Pubkey;
use io_staking::events::BondAction;
use io_staking::state::{DeviceStatus, HardwareClass};
use io_token::state::BurnReason;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

dual!(every_event_arm_writes_what_it_should);

/// One event arm: set-up events, the event, and the rows it must change (table, columns).
struct Case {
    program: Program,
    name: &'static str,
    setup: Vec<DecodedEvent>,
    event: DecodedEvent,
    writes: Vec<(&'static str, Value)>,
}

fn case(setup: Vec<DecodedEvent>, event: DecodedEvent, writes: Vec<(&'static str, Value)>) -> Case {
    let name = events::EVENTS
        .iter()
        .find(|d| d.program == event.program && d.name == event.name)
        .map(|d| d.name)
        .expect("event in the table");
    Case { program: event.program, name, setup, event, writes }
}

/// An arm that writes nothing but the event row (the event decoded from zeros: its values do not
/// matter, the test shows that no value of it reaches a table).
fn nothing(program: Program, name: &'static str) -> Case {
    let def = EVENTS.iter().find(|d| d.program == program && d.name == name).expect("event in the table");
    let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    data.extend_from_slice(def.discriminator);
    data.extend_from_slice(&[0u8; 2048]);
    let event = (def.decode)(&data).expect("zeros decode");
    Case { program, name, setup: vec![], event: DecodedEvent::new(String::new(), 0, event), writes: vec![] }
}

/// An event struct with every field zero (set the fields a case needs).
fn zero<E: AnchorDeserialize>() -> E {
    E::deserialize(&mut &[0u8; 2048][..]).expect("zeros decode")
}

fn k() -> Pubkey {
    Pubkey::new_unique()
}

fn s(p: &Pubkey) -> Value {
    json!(p.to_string())
}

use io_escrow::events as es;
use io_oracle::events as or;
use io_staking::events as st;
use io_token::events as tk;

fn registered(op: Pubkey) -> DecodedEvent {
    let mut x: st::OperatorRegistered = zero();
    x.operator = op;
    x.authority = k();
    x.name = "op".into();
    x.region = "eu-west".into();
    ev(Program::Staking, &x)
}

fn offer_posted(device: Pubkey, offer: Pubkey) -> DecodedEvent {
    let mut x: es::OfferPosted = zero();
    x.offer = offer;
    x.operator = k();
    x.device = device;
    x.price_usdc_per_hour = 1_000_000;
    x.min_hours = 1;
    x.max_hours = 10;
    ev(Program::Escrow, &x)
}

fn lease_opened(lease: Pubkey, devices: Vec<Pubkey>) -> DecodedEvent {
    let mut x: es::LeaseOpened = zero();
    x.lease = lease;
    x.renter = k();
    x.payment_mint = k();
    x.rates_per_hour = devices.iter().map(|_| 2_000_000).collect();
    x.devices = devices;
    x.hours = 10;
    x.deposit = 40_800_000;
    x.fee_bps = 200;
    x.start_ts = T0;
    x.end_ts = T0 + 36_000;
    ev(Program::Escrow, &x)
}

fn slash_proposed(slash: Pubkey, op: Pubkey) -> DecodedEvent {
    let mut x: st::SlashProposed = zero();
    x.slash = slash;
    x.operator = op;
    x.index = 4;
    x.amount = 700;
    x.evidence_hash = [0xab; 32];
    x.executable_ts = T0 + 99;
    ev(Program::Staking, &x)
}

fn staking_cases() -> Vec<Case> {
    let mut out: Vec<Case> = [
        "ConfigInitialized",
        "AdminProposed",
        "AdminAccepted",
        "PausedSet",
        "ParamsUpdated",
        "AuthoritiesUpdated",
    ]
    .into_iter()
    .map(|n| nothing(Program::Staking, n))
    .collect();

    let op = k();
    let mut x: st::OperatorRegistered = zero();
    (x.operator, x.authority, x.name, x.region, x.metadata_url, x.commission_bps, x.ts) =
        (op, k(), "alpha".into(), "eu-west".into(), "https://a".into(), 500, T0 + 1);
    let authority = x.authority;
    out.push(case(
        vec![],
        ev(Program::Staking, &x),
        vec![(
            "operators",
            json!({"address": s(&op), "authority": s(&authority), "name": "alpha", "region": "eu-west",
                   "metadata_url": "https://a", "commission_bps": 500, "registered_ts": T0 + 1}),
        )],
    ));

    let op = k();
    let mut x: st::OperatorUpdated = zero();
    (x.operator, x.name, x.region, x.metadata_url) =
        (op, "beta".into(), "us-east".into(), "https://b".into());
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![(
            "operators",
            json!({"address": s(&op), "name": "beta", "region": "us-east", "metadata_url": "https://b"}),
        )],
    ));

    let op = k();
    let mut x: st::CommissionChangeRequested = zero();
    (x.operator, x.commission_bps, x.requested_bps, x.effective_ts) = (op, 300, 450, T0 + 7);
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![(
            "operators",
            json!({"address": s(&op), "commission_bps": 300, "pending_commission_bps": 450,
                   "commission_effective_ts": T0 + 7}),
        )],
    ));

    let op = k();
    let mut x: st::BondChanged = zero();
    (x.operator, x.action, x.amount, x.bond_after, x.withdrawing_after, x.unlock_ts, x.required_bond) =
        (op, BondAction::RequestWithdrawal, 5, 16_000, 2_000, T0 + 30, 8_000);
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![(
            "operators",
            json!({"address": s(&op), "bond": 16_000, "bond_withdrawing": 2_000, "bond_unlock_ts": T0 + 30,
                   "required_bond": 8_000}),
        )],
    ));

    let (op, dev) = (k(), k());
    let mut x: st::DeviceRegistered = zero();
    (
        x.device,
        x.operator,
        x.id_hash,
        x.gpu_model,
        x.gpu_count,
        x.vram_gb,
        x.region,
        x.green,
        x.class,
        x.ts,
    ) = (
        dev,
        op,
        [0x11; 32],
        "H100".into(),
        8,
        80,
        "eu-west".into(),
        true,
        HardwareClass::ConsumerGpu,
        T0 + 2,
    );
    out.push(case(
        vec![],
        ev(Program::Staking, &x),
        vec![(
            "devices",
            json!({"address": s(&dev), "operator": s(&op), "id_hash": "11".repeat(32), "gpu_model": "H100",
                   "gpu_count": 8, "vram_gb": 80, "region": "eu-west", "green": true,
                   // The sdk's one spelling of the hardware class (the CLI printed `consumer`).
                   "class": "consumer_gpu", "status": "pending", "registered_ts": T0 + 2, "status_ts": T0 + 2}),
        )],
    ));

    let (op, dev) = (k(), k());
    let mut reg: st::DeviceRegistered = zero();
    (reg.device, reg.operator, reg.gpu_model) = (dev, op, "A100".into());
    let mut x: st::DeviceStatusChanged = zero();
    (x.device, x.operator, x.before, x.after, x.required_bond_after, x.devices_active_after, x.ts) =
        (dev, op, DeviceStatus::Pending, DeviceStatus::Active, 9_000, 3, T0 + 4);
    out.push(case(
        vec![registered(op), ev(Program::Staking, &reg)],
        ev(Program::Staking, &x),
        vec![
            ("devices", json!({"address": s(&dev), "status": "active", "status_ts": T0 + 4})),
            ("operators", json!({"address": s(&op), "required_bond": 9_000, "devices_active": 3})),
            (
                "device_status_history",
                json!({"device": s(&dev), "operator": s(&op), "status_before": "pending", "status_after": "active"}),
            ),
        ],
    ));

    // A rebind: the device's worker key is the event's `after`.
    let (op, dev, worker) = (k(), k(), k());
    let mut reg: st::DeviceRegistered = zero();
    (reg.device, reg.operator) = (dev, op);
    let mut x: st::WorkerBound = zero();
    (x.device, x.operator, x.before, x.after, x.ts) = (dev, op, k(), worker, T0 + 5);
    out.push(case(
        vec![registered(op), ev(Program::Staking, &reg)],
        ev(Program::Staking, &x),
        vec![("devices", json!({"address": s(&dev), "operator": s(&op), "worker_key": s(&worker)}))],
    ));

    let (op, staker) = (k(), k());
    let mut x: st::Staked = zero();
    (x.operator, x.staker, x.amount, x.position_shares_after, x.pool_shares_after, x.pool_tokens_after) =
        (op, staker, 100, 150, 400, 420);
    x.delegator_count_after = 2;
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![
            (
                "operators",
                json!({"address": s(&op), "stake_shares": 400, "stake_tokens": 420, "delegator_count": 2}),
            ),
            ("positions", json!({"operator": s(&op), "staker": s(&staker), "shares": 150})),
            (
                "stake_history",
                json!({"operator": s(&op), "staker": s(&staker), "kind": "staked", "amount": 100,
                       "stake_before": 0, "stake_after": 420, "stake_delta": 420, "delegators_after": 2}),
            ),
        ],
    ));

    let (op, staker) = (k(), k());
    let mut x: st::Unstaked = zero();
    (x.operator, x.staker, x.amount, x.unbonding_shares_minted, x.unlock_ts) = (op, staker, 60, 55, T0 + 50);
    (x.position_shares_after, x.pool_shares_after, x.pool_tokens_after) = (90, 340, 360);
    (x.unbonding_tokens_after, x.delegator_count_after) = (60, 1);
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![
            (
                "operators",
                json!({"address": s(&op), "stake_shares": 340, "stake_tokens": 360, "unbonding_tokens": 60,
                       "delegator_count": 1}),
            ),
            ("positions", json!({"operator": s(&op), "staker": s(&staker), "shares": 90})),
            (
                "unstake_tickets",
                json!({"operator": s(&op), "staker": s(&staker), "amount": 60, "unbonding_shares": 55,
                       "unlock_ts": T0 + 50, "withdrawn_slot": null}),
            ),
            (
                "stake_history",
                json!({"operator": s(&op), "staker": s(&staker), "kind": "unstaked", "amount": 60,
                       "stake_before": 0, "stake_after": 360, "stake_delta": 360, "delegators_after": 1}),
            ),
        ],
    ));

    let (op, staker) = (k(), k());
    let mut x: st::ActivatingUnstaked = zero();
    (x.operator, x.staker, x.amount, x.pool_shares_after, x.pool_tokens_after, x.delegator_count_after) =
        (op, staker, 10, 330, 350, 4);
    x.pool_tokens_before = 360;
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![
            (
                "operators",
                json!({"address": s(&op), "stake_shares": 330, "stake_tokens": 350, "delegator_count": 4}),
            ),
            (
                "stake_history",
                json!({"operator": s(&op), "staker": s(&staker), "kind": "activating_unstaked", "amount": 10,
                       "stake_before": 360, "stake_after": 350, "stake_delta": -10, "delegators_after": 4}),
            ),
        ],
    ));

    // A ticket that matured (unlock at T0) is marked withdrawn at the withdrawal's slot.
    let (op, staker) = (k(), k());
    let mut un: st::Unstaked = zero();
    (un.operator, un.staker, un.amount, un.unbonding_shares_minted, un.unlock_ts) = (op, staker, 60, 55, T0);
    let mut x: st::Withdrawn = zero();
    (x.operator, x.staker, x.amount, x.unbonding_tokens_after) = (op, staker, 60, 0);
    out.push(case(
        vec![registered(op), ev(Program::Staking, &un)],
        ev(Program::Staking, &x),
        vec![
            ("operators", json!({"address": s(&op), "unbonding_tokens": 0})),
            ("unstake_tickets", json!({"operator": s(&op), "staker": s(&staker), "withdrawn_slot": "SLOT"})),
        ],
    ));

    let op = k();
    let mut x: st::RewardsFunded = zero();
    (x.operator, x.amount, x.reward_per_share_after) = (op, 1_000, 1u128 << 70);
    (x.commission, x.to_delegators) = (80, 920);
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![
            ("operators", json!({"address": s(&op), "reward_per_share": (1u128 << 70).to_string()})),
            (
                "operator_rewards",
                json!({"operator": s(&op), "kind": "funded", "period": null, "amount": 1_000, "commission": 80,
                       "to_delegators": 920}),
            ),
        ],
    ));

    let (op, staker) = (k(), k());
    let mut x: st::RewardsClaimed = zero();
    (x.operator, x.staker, x.amount) = (op, staker, 7);
    out.push(case(
        vec![],
        ev(Program::Staking, &x),
        vec![(
            "reward_claims",
            json!({"kind": "delegator", "operator": s(&op), "staker": s(&staker), "amount": 7, "period": null}),
        )],
    ));

    let op = k();
    let mut x: st::CommissionClaimed = zero();
    (x.operator, x.amount) = (op, 9);
    out.push(case(
        vec![],
        ev(Program::Staking, &x),
        vec![(
            "reward_claims",
            json!({"kind": "commission", "operator": s(&op), "staker": null, "amount": 9, "period": null}),
        )],
    ));

    let op = k();
    let mut x: st::OperatorRewardsClaimed = zero();
    (x.operator, x.period, x.amount, x.reward_per_share_after) = (op, 12, 300, 5u128 << 64);
    (x.commission, x.to_delegators) = (30, 270);
    out.push(case(
        vec![registered(op)],
        ev(Program::Staking, &x),
        vec![
            (
                "reward_claims",
                json!({"kind": "operator_report", "operator": s(&op), "staker": null, "amount": 300,
                       "period": 12}),
            ),
            ("operators", json!({"address": s(&op), "reward_per_share": (5u128 << 64).to_string()})),
            (
                "operator_rewards",
                json!({"operator": s(&op), "kind": "report", "period": 12, "amount": 300, "commission": 30,
                       "to_delegators": 270}),
            ),
        ],
    ));

    let (op, slash) = (k(), k());
    out.push(case(
        vec![],
        slash_proposed(slash, op),
        vec![(
            "slashes",
            json!({"address": s(&slash), "operator": s(&op), "idx": 4, "amount": 700,
                   "evidence_hash": "ab".repeat(32), "executable_ts": T0 + 99, "status": "pending"}),
        )],
    ));

    let (op, slash) = (k(), k());
    let mut x: st::SlashCancelled = zero();
    (x.slash, x.operator, x.index) = (slash, op, 4);
    out.push(case(
        vec![slash_proposed(slash, op)],
        ev(Program::Staking, &x),
        vec![("slashes", json!({"address": s(&slash), "status": "cancelled", "amount": 700}))],
    ));

    let (op, slash) = (k(), k());
    let mut x: st::SlashExecuted = zero();
    (x.slash, x.operator, x.index, x.amount, x.from_bond, x.from_stake, x.from_unbonding) =
        (slash, op, 4, 700, 400, 200, 100);
    (x.bond_after, x.bond_withdrawing_after, x.stake_tokens_after, x.unbonding_tokens_after) =
        (1_600, 0, 800, 5);
    out.push(case(
        vec![registered(op), slash_proposed(slash, op)],
        ev(Program::Staking, &x),
        vec![
            (
                "slashes",
                json!({"address": s(&slash), "status": "executed", "from_bond": 400, "from_stake": 200,
                       "from_unbonding": 100}),
            ),
            (
                "operators",
                json!({"address": s(&op), "bond": 1_600, "bond_withdrawing": 0, "stake_tokens": 800,
                       "unbonding_tokens": 5}),
            ),
            // The stake part only: the pool held `from_stake` more before.
            (
                "stake_history",
                json!({"operator": s(&op), "staker": null, "kind": "slash", "amount": 200,
                       "stake_before": 1_000, "stake_after": 800, "stake_delta": -200, "delegators_after": null}),
            ),
        ],
    ));
    out
}

fn token_cases() -> Vec<Case> {
    let mut out: Vec<Case> = [
        "AdminProposed",
        "AdminAccepted",
        "PausedSet",
        "BurnAuthoritySet",
        "RewardsDistributorSet",
        "GenesisCompleted",
        "VestingCreated",
        "VestingClaimed",
        "AirdropCreated",
        "AirdropClaimed",
        "AirdropClosed",
    ]
    .into_iter()
    .map(|n| nothing(Program::Token, n))
    .collect();

    let mut x: tk::TokenInitialized = zero();
    (x.decimals, x.max_supply) = (9, 10_000_000_000_000_000_000);
    out.push(case(
        vec![],
        ev(Program::Token, &x),
        // Above i64::MAX: stored and read back exactly.
        vec![("supply", json!({"id": "io", "decimals": 9, "max_supply": 10_000_000_000_000_000_000u64}))],
    ));

    let mut x: tk::Minted = zero();
    (x.amount, x.total_minted_after, x.supply_after) = (50, 1_050, 1_000);
    out.push(case(
        vec![],
        ev(Program::Token, &x),
        vec![
            ("supply", json!({"id": "io", "total_minted": 1_050, "supply": 1_000})),
            ("supply_history", json!({"total_minted": 1_050, "supply": 1_000})),
        ],
    ));

    let mut x: tk::Emitted = zero();
    (x.from_hour, x.to_hour, x.scheduled, x.minted, x.emitted_after) = (3, 5, 9_122, 9_100, 20_000);
    out.push(case(
        vec![],
        ev(Program::Token, &x),
        vec![
            (
                "emissions",
                json!({"from_hour": 3, "to_hour": 5, "scheduled": 9_122, "minted": 9_100, "emitted_after": 20_000}),
            ),
            ("supply", json!({"id": "io", "emitted": 20_000})),
        ],
    ));

    let (authority, from) = (k(), k());
    let mut x: tk::Burned = zero();
    (x.reason, x.authority, x.from, x.amount, x.reason_burned_after) =
        (BurnReason::Slash, authority, from, 10, 40);
    (x.total_burned_after, x.total_minted, x.supply_after) = (65, 2_000, 1_935);
    out.push(case(
        vec![],
        ev(Program::Token, &x),
        vec![
            (
                "burns",
                json!({"reason": "slash", "authority": s(&authority), "source": s(&from), "amount": 10}),
            ),
            (
                "supply",
                json!({"id": "io", "burned_slash": 40, "total_burned": 65, "total_minted": 2_000,
                       "supply": 1_935}),
            ),
            ("supply_history", json!({"total_minted": 2_000, "supply": 1_935})),
        ],
    ));

    let mut x: tk::RewardsWithdrawn = zero();
    (x.distributor, x.amount, x.withdrawn_before, x.withdrawn_after) = (k(), 30, 70, 100);
    out.push(case(
        vec![],
        ev(Program::Token, &x),
        vec![("supply", json!({"id": "io", "rewards_withdrawn": 100}))],
    ));
    out
}

fn escrow_cases() -> Vec<Case> {
    let mut out: Vec<Case> = [
        "EscrowInitialized",
        "AdminProposed",
        "AdminAccepted",
        "PausedSet",
        "ParamsUpdated",
        "AuthoritiesSet",
        "PriceSet",
    ]
    .into_iter()
    .map(|n| nothing(Program::Escrow, n))
    .collect();

    // A price of u64::MAX: the current-state row holds it exactly (it used to be clamped).
    let (offer, op, dev) = (k(), k(), k());
    let mut x: es::OfferPosted = zero();
    (x.offer, x.operator, x.device, x.price_usdc_per_hour, x.price_io_per_hour, x.min_hours, x.max_hours) =
        (offer, op, dev, u64::MAX, 3, 2, 48);
    out.push(case(
        vec![],
        ev(Program::Escrow, &x),
        vec![(
            "offers",
            json!({"device": s(&dev), "address": s(&offer), "operator": s(&op), "price_usdc_per_hour": u64::MAX,
                   "price_io_per_hour": 3, "min_hours": 2, "max_hours": 48, "active": true}),
        )],
    ));

    let (offer, dev) = (k(), k());
    let mut x: es::OfferWithdrawn = zero();
    (x.offer, x.device) = (offer, dev);
    out.push(case(
        vec![offer_posted(dev, offer)],
        ev(Program::Escrow, &x),
        vec![("offers", json!({"device": s(&dev), "active": false, "price_usdc_per_hour": 1_000_000}))],
    ));

    let (lease, d1, d2) = (k(), k(), k());
    let opened = lease_opened(lease, vec![d1, d2]);
    out.push(case(
        vec![offer_posted(d1, k()), offer_posted(d2, k())],
        opened,
        vec![
            (
                "leases",
                json!({"address": s(&lease), "fee_bps": 200, "hours": 10, "start_ts": T0, "end_ts": T0 + 36_000,
                       "deposit": 40_800_000, "device_count": 2, "status": "open"}),
            ),
            (
                "lease_devices",
                json!({"lease": s(&lease), "device": s(&d1), "device_index": 0, "rate_per_hour": 2_000_000}),
            ),
            (
                "lease_devices",
                json!({"lease": s(&lease), "device": s(&d2), "device_index": 1, "rate_per_hour": 2_000_000}),
            ),
            ("offers", json!({"device": s(&d1), "lease": s(&lease), "leased_until": T0 + 36_000})),
            ("offers", json!({"device": s(&d2), "lease": s(&lease), "leased_until": T0 + 36_000})),
        ],
    ));

    let (lease, d1) = (k(), k());
    let mut x: es::LeaseToppedUp = zero();
    (x.lease, x.hours, x.amount, x.deposit_after, x.end_before, x.end_after) =
        (lease, 5, 1_000, 41_800_000, T0 + 36_000, T0 + 54_000);
    out.push(case(
        vec![offer_posted(d1, k()), lease_opened(lease, vec![d1])],
        ev(Program::Escrow, &x),
        vec![
            ("leases", json!({"address": s(&lease), "deposit": 41_800_000, "end_ts": T0 + 54_000})),
            ("offers", json!({"device": s(&d1), "leased_until": T0 + 54_000})),
        ],
    ));

    let (lease, d1) = (k(), k());
    let mut x: es::LeaseSettled = zero();
    (x.lease, x.device, x.device_index, x.attested_before, x.attested_after, x.paid, x.fee) =
        (lease, d1, 0, 600, 1_800, 1_000_000, 20_000);
    (x.lease_paid_after, x.lease_fees_after) = (3_000_000, 60_000);
    out.push(case(
        vec![lease_opened(lease, vec![d1])],
        ev(Program::Escrow, &x),
        vec![
            (
                "settlements",
                json!({"lease": s(&lease), "device": s(&d1), "device_index": 0, "attested_before": 600,
                       "attested_after": 1_800, "paid": 1_000_000, "fee": 20_000}),
            ),
            ("fees", json!({"lease": s(&lease), "amount": 20_000})),
            ("leases", json!({"address": s(&lease), "paid": 3_000_000, "fees": 60_000})),
            ("lease_devices", json!({"lease": s(&lease), "device": s(&d1), "attested_seconds": 1_800})),
        ],
    ));

    let (lease, d1) = (k(), k());
    let mut x: es::LeaseEnded = zero();
    (x.lease, x.end_before, x.end_after, x.refund) = (lease, T0 + 36_000, T0 + 7_200, 30_000_000);
    out.push(case(
        vec![offer_posted(d1, k()), lease_opened(lease, vec![d1])],
        ev(Program::Escrow, &x),
        vec![
            ("leases", json!({"address": s(&lease), "end_ts": T0 + 7_200, "status": "ended"})),
            ("offers", json!({"device": s(&d1), "leased_until": T0 + 7_200})),
        ],
    ));

    let (lease, d1) = (k(), k());
    let mut x: es::LeaseClosed = zero();
    (x.lease, x.deposit, x.paid, x.fees, x.refunded) = (lease, 40_800_000, 9_000_000, 180_000, 31_620_000);
    out.push(case(
        vec![lease_opened(lease, vec![d1])],
        ev(Program::Escrow, &x),
        vec![(
            "leases",
            json!({"address": s(&lease), "status": "closed", "deposit": 40_800_000, "paid": 9_000_000,
                   "fees": 180_000, "refunded": 31_620_000}),
        )],
    ));

    let mut x: es::BuybackBurned = zero();
    (x.usdc_spent, x.io_burned, x.usdc_per_io, x.min_io) = (1_000, 500, 2, 485);
    out.push(case(
        vec![],
        ev(Program::Escrow, &x),
        vec![("buybacks", json!({"usdc_spent": 1_000, "io_burned": 500, "usdc_per_io": 2, "min_io": 485}))],
    ));
    out
}

fn oracle_cases() -> Vec<Case> {
    let mut out: Vec<Case> = [
        "AdminProposed",
        "AdminAccepted",
        "PausedSet",
        "ParamsUpdated",
        "RotationProposed",
        "RotationCancelled",
    ]
    .into_iter()
    .map(|n| nothing(Program::Oracle, n))
    .collect();

    let (a, b) = (k(), k());
    let mut x: or::SetRotated = zero();
    (x.epoch, x.members, x.threshold, x.by_quorum) = (7, vec![a, b], 2, true);
    out.push(case(
        vec![],
        ev(Program::Oracle, &x),
        vec![(
            "oracle_set",
            json!({"epoch": 7, "members": [s(&a), s(&b)], "threshold": 2, "by_quorum": true}),
        )],
    ));

    let oracle = k();
    let mut x: or::OracleBondChanged = zero();
    (x.oracle, x.amount, x.bond_after, x.withdrawing_after, x.unlock_ts) = (oracle, 5, 1_000, 200, T0 + 9);
    out.push(case(
        vec![],
        ev(Program::Oracle, &x),
        vec![(
            "oracles",
            json!({"address": s(&oracle), "bond": 1_000, "withdrawing": 200, "unlock_ts": T0 + 9, "slashed": false}),
        )],
    ));

    let oracle = k();
    let mut bond: or::OracleBondChanged = zero();
    (bond.oracle, bond.bond_after) = (oracle, 1_000);
    let mut x: or::OracleSlashed = zero();
    (x.oracle, x.period, x.amount, x.removed, x.epoch_after) = (oracle, 3, 1_000, true, 8);
    out.push(case(
        vec![ev(Program::Oracle, &bond)],
        ev(Program::Oracle, &x),
        vec![("oracles", json!({"address": s(&oracle), "slashed": true, "bond": 1_000}))],
    ));

    let report = k();
    let mut x: or::ReportPosted = zero();
    x.report = report;
    x.digest = [0x0d; 32];
    (x.body.period, x.body.set_epoch, x.body.rewards_root, x.body.usdc_per_io) =
        (5, 7, [0x01; 32], 2_000_000);
    (x.body.emission_distributed, x.body.device_seconds, x.body.devices_attested, x.body.expiry_slot) =
        (9_000, 86_400, 3, 500);
    out.push(case(
        vec![],
        ev(Program::Oracle, &x),
        vec![(
            "reports",
            json!({"address": s(&report), "digest": "0d".repeat(32), "period": 5, "set_epoch": 7,
                   "rewards_root": "01".repeat(32), "usage_root": "00".repeat(32), "usdc_per_io": 2_000_000,
                   "emission_distributed": 9_000, "device_seconds": 86_400, "devices_attested": 3,
                   "expiry_slot": 500, "status": "posted"}),
        )],
    ));
    out
}

fn all_cases() -> Vec<Case> {
    let mut out = staking_cases();
    out.extend(token_cases());
    out.extend(escrow_cases());
    out.extend(oracle_cases());
    out
}

/// Every row of every entity table, as (table, row).
async fn dump(db: &TestDb) -> Vec<(&'static str, Map<String, Value>)> {
    let mut out = Vec::new();
    for (t, key) in ENTITY_TABLES {
        for r in rows(&db.store, &format!("SELECT * FROM {t} ORDER BY {key}")).await {
            out.push((*t, r));
        }
    }
    out
}

/// `row` holds every column of `want` (`"SLOT"` stands for the slot of the event under test).
fn holds(row: &Map<String, Value>, want: &Value, slot: u64) -> bool {
    want.as_object().expect("object").iter().all(|(c, v)| {
        let v = if v == "SLOT" { json!(slot) } else { v.clone() };
        row.get(c) == Some(&v)
    })
}

async fn commit(db: &TestDb, n: u32, slot: u64, events: Vec<DecodedEvent>) {
    let t = tx(n, slot, events);
    let cursor =
        Cursor { program: "io_staking".into(), last_signature: t.signature.clone(), last_slot: slot };
    let out = db
        .store
        .commit_batch(&Batch { transactions: vec![t], ..Batch::default() }, &cursor)
        .await
        .expect("commit");
    assert_eq!(out.gap, None);
}

async fn every_event_arm_writes_what_it_should(db: TestDb) {
    for (i, c) in all_cases().into_iter().enumerate() {
        let (n, slot) = (u32::try_from(2 * i).unwrap(), 100 + 10 * i as u64);
        if !c.setup.is_empty() {
            commit(&db, n, slot, c.setup).await;
        }
        let before = dump(&db).await;
        commit(&db, n + 1, slot + 1, vec![c.event]).await;
        let after = dump(&db).await;
        let changed: Vec<&(&str, Map<String, Value>)> =
            after.iter().filter(|r| !before.contains(r)).collect();
        let what = format!("{:?}::{}", c.program, c.name);
        assert_eq!(
            changed.len(),
            c.writes.len(),
            "{what}: changed rows {changed:#?}, expected {:#?}",
            c.writes
        );
        let mut used = vec![false; changed.len()];
        for (table, want) in &c.writes {
            let hit = changed
                .iter()
                .enumerate()
                .find(|(j, (t, row))| !used[*j] && t == table && holds(row, want, slot + 1))
                .map(|(j, _)| j);
            match hit {
                Some(j) => used[j] = true,
                None => panic!("{what}: no changed {table} row holds {want}; changed: {changed:#?}"),
            }
            // A written row carries the slot of the event that set it (a ticket keeps its
            // unstake's slot: a withdrawal only marks it).
            let slot_of_row = changed.iter().find(|(t, _)| t == table && *t != "unstake_tickets");
            if let Some(Value::Number(s)) = slot_of_row.and_then(|(_, r)| r.get("slot")) {
                assert_eq!(s.as_u64(), Some(slot + 1), "{what}: {table}.slot");
            }
        }
    }
}

/// Every variant of the event enum (every entry of the event table) has exactly one case above.
#[test]
fn every_event_variant_has_a_projection_case() {
    let cases: Vec<(Program, &str)> = all_cases().iter().map(|c| (c.program, c.name)).collect();
    let listed: BTreeSet<(Program, &str)> = cases.iter().copied().collect();
    assert_eq!(listed.len(), cases.len(), "an event has two cases");
    let table: BTreeSet<(Program, &str)> = EVENTS.iter().map(|d| (d.program, d.name)).collect();
    let missing: Vec<_> = table.difference(&listed).collect();
    assert!(missing.is_empty(), "event arms without a projection case: {missing:?}");
    assert_eq!(listed, table);
}
