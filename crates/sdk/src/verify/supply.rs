//! The $IO ledger: cap, minted, burned by reason, circulating, the mint's own supply, emissions
//! against io_token's schedule, and io_token's vaults holding what the ledger says they hold —
//! each from io_token's config (through [`SupplyView`], the figures every client shows) and
//! compared with the indexer's `/v1/supply`, the `supply` it repeats in `/v1/network`, and the
//! burns it lists in `/v1/burns`.
//!
//! Also the helpers the other ledger areas (escrow, stake) share: a figure against the indexer,
//! a vault against its ledger, a checked sum.
//!
//! Figures: `supply.{cap,minted,burned,circulating,mint_supply,emitted,rewards_withdrawn,
//! decimals}` and `supply.burned.<reason>` against `/v1/supply` (the first four also against
//! `/v1/network`'s copy, each reason also against Σ of `/v1/burns`); `supply.mint_vs_ledger`
//! (mint supply ≤ minted − burned); `supply.emitted_vs_schedule`, `supply.emission_cursor`,
//! `supply.emission_month_amount` (io_token's schedule); `vault.token_rewards` and
//! `vault.bucket.<bucket>` (balance ≥ ledger).
//!
//! Work: O(1) figures plus one pass over the `/v1/burns` rows; the schedule's cumulative sum is
//! O(months elapsed).
use super::{Area, Row, Rows, Snapshot, Verdict};
use crate::{names::Name, views::SupplyView, Pubkey};
use io_token::{
    schedule::{cumulative, hours_due, month_amount, HOURS_PER_MONTH},
    Bucket, BurnReason, TokenConfig,
};
use serde_json::Value;
use std::fmt::Display;

const SUPPLY: &str = "/v1/supply";
const NETWORK: &str = "/v1/network";
const BURNS: &str = "/v1/burns";

pub fn check(s: &Snapshot, rows: &mut Rows) {
    let t = &s.chain.token;
    let view = match SupplyView::new(t) {
        Ok(v) => v,
        Err(e) => {
            // Only a corrupted config gets here: nothing else can be derived from it.
            rows.push(broken(Area::Supply, "supply.circulating", e.to_string()));
            return;
        }
    };
    let a = Area::Supply;
    let figures: [(&str, &str, u64); 8] = [
        ("supply.cap", "max_supply", view.cap),
        ("supply.minted", "total_minted", view.minted),
        ("supply.burned", "total_burned", view.burned),
        ("supply.circulating", "circulating", view.circulating),
        ("supply.mint_supply", "supply", s.chain.mint_supply),
        ("supply.emitted", "emitted", t.emission.emitted),
        ("supply.rewards_withdrawn", "rewards_withdrawn", t.rewards_withdrawn),
        ("supply.decimals", "decimals", u64::from(view.decimals)),
    ];
    for (figure, field, value) in figures {
        vs_indexer(s, rows, a, figure, value, SUPPLY, &format!("/{field}"), "indexer");
    }
    for (reason, amount) in &view.burned_by_reason {
        let figure = format!("supply.burned.{reason}");
        vs_indexer(s, rows, a, &figure, amount, SUPPLY, &format!("/burned_{reason}"), "indexer");
    }
    // `/v1/network` repeats the supply object: a headline figure forged there alone is caught.
    for (figure, field, value) in &figures[..4] {
        let pointer = format!("/supply/{field}");
        vs_indexer(s, rows, a, figure, value, NETWORK, &pointer, "indexer /v1/network");
    }
    burns_listed(s, rows, t);
    mint_supply(rows, t, s.chain.mint_supply);
    schedule(rows, t, s.chain.now);
    vaults(s, rows, t);
}

/// Σ of the burns the indexer lists, per reason, against io_token's counter of that reason: a
/// burn row invented, dropped or altered in the indexer shows here.
fn burns_listed(s: &Snapshot, rows: &mut Rows, t: &TokenConfig) {
    let Some(list) = indexer_answer(s, rows, Area::Supply, "supply.burned", BURNS) else { return };
    let Some(items) = list.as_array() else {
        rows.push(broken(Area::Supply, "supply.burned", format!("the indexer's {BURNS} is not a list")));
        return;
    };
    for reason in BurnReason::ALL {
        let figure = format!("supply.burned.{}", reason.name());
        let mut sum = Some(0u128);
        for row in items.iter().filter(|r| r.get("reason").and_then(Value::as_str) == Some(reason.name())) {
            let amount = row.get("amount").and_then(as_u128);
            sum = sum.zip(amount).and_then(|(acc, v)| acc.checked_add(v));
        }
        let served = sum.map(|v| v.to_string()).unwrap_or_else(|| "unreadable".into());
        rows.compare(Area::Supply, figure, t.burned[reason.index()], Some(served), "indexer /v1/burns");
    }
}

/// The mint's supply against the ledger: `supply ≤ minted − burned`, equal unless someone burned
/// with a direct SPL `burn`, which is legal but bypasses the per-reason ledger (io_token's own
/// `check_supply`). More supply than the ledger allows means tokens were minted outside it.
fn mint_supply(rows: &mut Rows, t: &TokenConfig, supply: u64) {
    let figure = "supply.mint_vs_ledger";
    let Some(ledger) = t.total_minted.checked_sub(t.total_burned) else {
        rows.push(broken(Area::Supply, figure, "io_token's ledger burned more than it minted"));
        return;
    };
    let holds = supply <= ledger;
    let note = if !holds {
        Some(format!(
            "the $IO mint's supply {supply} exceeds minted − burned = {ledger}: tokens minted outside io_token's ledger"
        ))
    } else if supply < ledger {
        // Holds, but say why the two differ.
        Some(format!(
            "{} base units burned with a direct SPL burn, outside io_token's per-reason ledger",
            ledger - supply
        ))
    } else {
        None
    };
    rows.push(Row {
        area: Area::Supply,
        figure: figure.to_owned(),
        recomputed: Some(supply.to_string()),
        served: Some(ledger.to_string()),
        served_by: Some("ledger".into()),
        verdict: if holds { Verdict::Ok } else { Verdict::Mismatch },
        note,
    });
}

/// Emissions against io_token's schedule (`io_token::schedule`, the function `emit` runs):
/// - `supply.emitted_vs_schedule`: emitted ≤ the schedule's sum over every hour fully elapsed by
///   the chain's clock, clipped to the emission budget (cap − genesis);
/// - `supply.emission_cursor`: emitted == the schedule's sum over exactly the hours io_token says
///   it covered (`emission.next_hour`), clipped the same way — `emit` clips each step to what
///   the cap leaves, and a sum of such steps is the clipped sum;
/// - `supply.emission_month_amount`: the current month's amount is the schedule's.
fn schedule(rows: &mut Rows, t: &TokenConfig, now: i64) {
    let a = Area::Supply;
    if !t.genesis_done {
        rows.recomputed(a, "supply.emitted_vs_schedule", t.emission.emitted);
        return;
    }
    let (first, decay) = (t.params.first_month_emission, t.params.decay_bps);
    let Some(budget) = t.max_supply.checked_sub(t.genesis_minted) else {
        rows.push(broken(a, "supply.emitted_vs_schedule", "genesis minted more than the cap"));
        return;
    };
    let emitted = t.emission.emitted;
    match hours_due(t.emission.start_ts, now).and_then(|h| cumulative(first, decay, h)) {
        Ok(allowed) => {
            let allowed = allowed.min(budget);
            let why = format!("io_token emitted {emitted}, more than its schedule allows by now ({allowed})");
            rows.invariant(
                a,
                "supply.emitted_vs_schedule",
                emitted,
                allowed,
                "schedule",
                emitted <= allowed,
                why,
            );
        }
        Err(e) => rows.push(broken(a, "supply.emitted_vs_schedule", format!("schedule: {e:?}"))),
    }
    let next = t.emission.next_hour;
    match cumulative(first, decay, next) {
        Ok(scheduled) => {
            let scheduled = scheduled.min(budget);
            let why = format!("io_token covered {next} hours, for which its schedule emits {scheduled}, and emitted {emitted}");
            rows.invariant(
                a,
                "supply.emission_cursor",
                emitted,
                scheduled,
                "schedule",
                emitted == scheduled,
                why,
            );
        }
        Err(e) => rows.push(broken(a, "supply.emission_cursor", format!("schedule: {e:?}"))),
    }
    let month = next / HOURS_PER_MONTH;
    match month_amount(first, decay, month) {
        Ok(amount) => {
            let held = t.emission.month_amount;
            let why = format!("month {month} of the schedule emits {amount}; io_token holds {held}");
            rows.invariant(a, "supply.emission_month_amount", held, amount, "schedule", held == amount, why);
        }
        Err(e) => rows.push(broken(a, "supply.emission_month_amount", format!("schedule: {e:?}"))),
    }
}

/// io_token's vaults hold at least what its ledger says is still in them: the rewards vault
/// `emitted − rewards_withdrawn`, each allocation vault `allocation − released`.
fn vaults(s: &Snapshot, rows: &mut Rows, t: &TokenConfig) {
    if !t.genesis_done {
        return;
    }
    let owed = t.emission.emitted.checked_sub(t.rewards_withdrawn);
    vault_covers(s, rows, Area::Supply, "vault.token_rewards", &t.rewards_vault, owed, "emitted − withdrawn");
    for bucket in Bucket::ALL {
        let i = bucket.index();
        let owed = t.allocations[i].checked_sub(t.released[i]);
        let figure = format!("vault.bucket.{}", bucket.name());
        vault_covers(s, rows, Area::Supply, &figure, &t.vaults[i], owed, "allocation − released");
    }
}

// Helpers shared by the ledger areas (supply, escrow, stake).

/// `value` against the indexer's number at `pointer` in the answer of `path`; recorded as
/// recomputed only when no indexer is compared (`--no-indexer`). A path that failed or lacks the
/// field is `Missing`, with the indexer's error when there was one.
#[allow(clippy::too_many_arguments)]
pub(super) fn vs_indexer(
    s: &Snapshot,
    rows: &mut Rows,
    area: Area,
    figure: &str,
    value: impl Display,
    path: &str,
    pointer: &str,
    by: &str,
) {
    if s.served.url.is_none() {
        rows.recomputed(area, figure, value);
        return;
    }
    match s.served.number(path, pointer) {
        Some(served) => rows.compare(area, figure, value, Some(served), by),
        None => rows.push(Row {
            area,
            figure: figure.to_owned(),
            recomputed: Some(value.to_string()),
            served: None,
            served_by: Some(by.to_owned()),
            verdict: Verdict::Missing,
            note: Some(match s.served.get(path) {
                None => s.served.why_absent(path),
                Some(_) => format!("the indexer's {path} has no value at {pointer}"),
            }),
        }),
    }
}

/// The indexer's answer for `path`, or `None` (with a `Missing` row under `figure` when an
/// indexer is compared but did not answer).
pub(super) fn indexer_answer<'a>(
    s: &'a Snapshot,
    rows: &mut Rows,
    area: Area,
    figure: &str,
    path: &str,
) -> Option<&'a Value> {
    s.served.url.as_ref()?;
    let answer = s.served.get(path);
    if answer.is_none() {
        rows.missing(area, figure, s.served.why_absent(path));
    }
    answer
}

/// A vault's balance against what its ledger says it must hold (`owed`; `None` when the ledger's
/// own subtraction underflows, itself a finding). A vault that is not on chain holds nothing.
/// The row names both values: the vault's balance (recomputed column) and the ledger's figure.
pub(super) fn vault_covers(
    s: &Snapshot,
    rows: &mut Rows,
    area: Area,
    figure: &str,
    vault: &Pubkey,
    owed: Option<u64>,
    what: &str,
) {
    let Some(owed) = owed else {
        rows.push(broken(area, figure, format!("the ledger's {what} is negative")));
        return;
    };
    match s.chain.balances.get(vault) {
        None => rows.push(Row {
            area,
            figure: figure.to_owned(),
            recomputed: None,
            served: Some(owed.to_string()),
            served_by: Some("ledger".into()),
            verdict: if owed == 0 { Verdict::Ok } else { Verdict::Missing },
            note: (owed > 0)
                .then(|| format!("vault {vault} is not on chain; the ledger says it holds {owed} ({what})")),
        }),
        Some(&held) => {
            let why = format!(
                "vault {vault} holds {held}, {} less than the ledger's {owed} ({what})",
                owed.saturating_sub(held)
            );
            rows.invariant(area, figure, held, owed, "ledger", held >= owed, why);
        }
    }
}

/// Σ of `values`, checked (`None` on overflow: a failing row, never a panic).
pub(super) fn sum(values: impl IntoIterator<Item = u64>) -> Option<u128> {
    values.into_iter().try_fold(0u128, |acc, v| acc.checked_add(u128::from(v)))
}

/// A figure that cannot be computed because the state it comes from is inconsistent.
pub(super) fn broken(area: Area, figure: &str, why: impl Into<String>) -> Row {
    Row {
        area,
        figure: figure.to_owned(),
        recomputed: None,
        served: None,
        served_by: None,
        verdict: Verdict::Mismatch,
        note: Some(why.into()),
    }
}

/// An amount the indexer serves as a number or a numeric string.
pub(super) fn as_u128(v: &Value) -> Option<u128> {
    match v {
        Value::Number(n) => n.as_u64().map(u128::from),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A small network whose ledgers balance (io_token, io_staking, io_escrow, io_oracle and their
/// vaults) and an indexer serving exactly the chain's figures on the paths the ledger areas
/// read: the tests of supply, escrow and stake forge one figure of it at a time.
#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test data, not money math
pub(super) mod ledger_net {
    use super::super::{PeriodRange, Served, Snapshot};
    use super::*;
    use crate::{names::Name, verify::snapshot::Chain};
    use anchor_lang::{AnchorDeserialize, Space};
    use io_escrow::{Lease, LeaseDevice, LeaseStatus};
    use io_staking::{Operator, Position, UnstakeTicket};
    use io_token::{schedule::cumulative, ALLOCATION_BPS, BUCKET_COUNT};
    use serde_json::json;
    use std::collections::BTreeMap;

    pub const IO: u64 = 1_000_000_000;
    pub const START: i64 = 1_767_225_600;
    /// The certified period the price feed names.
    pub const PRICE_PERIOD: u64 = 490_900;

    /// An account with every field zero or empty (its borsh decoding of zero bytes).
    pub fn zeroed<T: AnchorDeserialize + Space>() -> T {
        T::deserialize(&mut vec![0u8; T::INIT_SPACE].as_slice()).expect("zero bytes decode")
    }

    fn key(n: u8) -> Pubkey {
        Pubkey::new_from_array([n; 32])
    }

    /// Operator 1 (two delegators, one unstake pending, slashed once) and operator 2 (bond only).
    pub fn op1() -> Pubkey {
        key(101)
    }
    pub fn op2() -> Pubkey {
        key(102)
    }
    /// A USDC lease, open, two devices; an $IO lease, closed.
    pub fn usdc_lease() -> Pubkey {
        key(111)
    }
    pub fn io_lease() -> Pubkey {
        key(112)
    }

    fn token() -> TokenConfig {
        let mut t: TokenConfig = zeroed();
        t.decimals = 9;
        t.max_supply = 800_000_000 * IO;
        t.genesis_done = true;
        t.genesis_minted = 500_000_000 * IO;
        t.allocations = ALLOCATION_BPS.map(|bps| t.genesis_minted / 10_000 * u64::from(bps));
        t.vaults = [key(10), key(11), key(12), key(13), key(14)];
        t.released = [2_000 * IO, 0, 500 * IO, 0, 0];
        t.allocated = [10_000 * IO, 0, 1_000 * IO, 0, 0];
        t.params.first_month_emission = 3_330_000 * IO;
        t.params.decay_bps = 100;
        t.emission.start_ts = START;
        t.emission.next_hour = 10;
        t.emission.month_amount = t.params.first_month_emission;
        t.emission.emitted = cumulative(t.params.first_month_emission, 100, 10).unwrap();
        t.total_minted = t.genesis_minted + t.emission.emitted;
        t.rewards_vault = key(20);
        t.rewards_withdrawn = 20_000 * IO;
        // lease fee, buyback (the one buyback below), slash (operator 1's), other.
        t.burned = [0, 400_000_000, 50, 7 * IO];
        t.total_burned = t.burned.iter().sum();
        t
    }

    fn operators() -> BTreeMap<Pubkey, Operator> {
        let mut o1: Operator = zeroed();
        o1.stake_shares = 1_000;
        o1.stake_tokens = 1_003;
        o1.activating_shares = 100;
        o1.unbonding_shares = 100;
        o1.unbonding_tokens = 100;
        o1.bond = 5_000;
        o1.delegator_count = 2;
        o1.total_slashed = 50;
        o1.commission_bps = 500;
        let mut o2: Operator = zeroed();
        o2.bond = 2_000;
        o2.bond_withdrawing = 500;
        BTreeMap::from([(op1(), o1), (op2(), o2)])
    }

    fn positions() -> BTreeMap<Pubkey, Position> {
        let mut p1 = Position::new(op1(), key(121), 0, 0);
        p1.shares = 600;
        p1.tickets[0] = UnstakeTicket { shares: 100, unlock_ts: START + 99_999, era: 0 };
        let mut p2 = Position::new(op1(), key(122), 0, 0);
        p2.shares = 300;
        p2.activating_shares = 100;
        p2.activation_period = 490_950;
        BTreeMap::from([(key(131), p1), (key(132), p2)])
    }

    fn leases(usdc: Pubkey, io: Pubkey) -> BTreeMap<Pubkey, Lease> {
        let device = |n: u8, rate: u64, seconds: u64, paid: u64| LeaseDevice {
            device: key(n),
            offer: key(n + 1),
            operator_authority: key(150),
            rate_per_hour: rate,
            attested_seconds: seconds,
            paid,
        };
        let mut a = Lease {
            renter: key(140),
            nonce: 1,
            payment_mint: usdc,
            vault: key(141),
            fee_bps: 200,
            start_ts: START,
            end_ts: START + 7_200,
            hours: 2,
            max_hours: 10,
            devices: vec![device(160, 3_600_000, 1_800, 1_800_000), device(162, 7_200_000, 3_600, 7_200_000)],
            deposit: 22_032_000,
            paid: 9_000_000,
            fees: 180_000,
            refunded: 0,
            status: LeaseStatus::Open,
            bump: 0,
            vault_bump: 0,
        };
        let b = Lease {
            payment_mint: io,
            vault: key(142),
            fee_bps: 0,
            hours: 1,
            end_ts: START + 3_600,
            devices: vec![device(164, IO, 3_600, IO)],
            deposit: 2 * IO,
            paid: IO,
            fees: 0,
            refunded: IO,
            status: LeaseStatus::Closed,
            ..a.clone()
        };
        a.nonce = 2;
        BTreeMap::from([(usdc_lease(), a), (io_lease(), b)])
    }

    pub fn chain() -> Chain {
        let token = token();
        let mut staking: io_staking::Config = zeroed();
        (staking.stake_vault, staking.bond_vault, staking.reward_vault) = (key(30), key(31), key(32));
        (staking.total_staked, staking.total_bonded, staking.total_slashed) = (1_103, 7_500, 50);
        (staking.rewards_funded, staking.rewards_paid) = (10_000, 4_000);
        let mut oracle: io_oracle::OracleConfig = zeroed();
        oracle.bond_vault = key(40);
        oracle.total_bonded = 3_000;
        let mut b1: io_oracle::OracleBond = zeroed();
        b1.amount = 2_000;
        let mut b2: io_oracle::OracleBond = zeroed();
        b2.withdrawing = 1_000;
        let mut escrow: io_escrow::EscrowConfig = zeroed();
        (escrow.usdc_mint, escrow.io_mint) = (key(50), key(51));
        (escrow.treasury_usdc, escrow.treasury_io, escrow.buyback_vault) = (key(52), key(53), key(54));
        escrow.leases_opened = 2;
        (escrow.paid_usdc, escrow.fees_usdc, escrow.refunded_usdc) = (9_000_000, 180_000, 0);
        (escrow.paid_io, escrow.fees_io, escrow.refunded_io) = (IO, 0, IO);
        // 0.1 USDC bought 0.4 $IO at 0.25 USDC an $IO.
        (escrow.buyback_usdc_spent, escrow.buyback_io_burned, escrow.buyback_count) =
            (100_000, 400_000_000, 1);
        escrow.params.max_buyback_slippage_bps = 300;
        let mut price: io_escrow::PriceFeed = zeroed();
        (price.usdc_per_io, price.period) = (250_000, PRICE_PERIOD);
        let mut report: io_oracle::Report = zeroed();
        report.status = io_oracle::ReportStatus::Certified;
        (report.body.period, report.body.usdc_per_io) = (PRICE_PERIOD, 250_000);

        let mut balances = BTreeMap::new();
        balances.insert(token.rewards_vault, token.emission.emitted - token.rewards_withdrawn);
        for i in 0..BUCKET_COUNT {
            balances.insert(token.vaults[i], token.allocations[i] - token.released[i]);
        }
        balances.extend([(key(30), 1_103), (key(31), 7_500), (key(32), 6_000), (key(40), 3_000)]);
        balances.extend([(key(52), 80_000), (key(53), 0), (key(54), 0)]);
        balances.extend([(key(141), 22_032_000 - 9_180_000), (key(142), 0)]);
        Chain {
            now: START + 10 * 3_600 + 5,
            slot: 1_000,
            mint_supply: token.total_minted - token.total_burned,
            token,
            staking,
            operators: operators(),
            devices: BTreeMap::new(),
            positions: positions(),
            slashes: BTreeMap::new(),
            leases: leases(escrow.usdc_mint, escrow.io_mint),
            escrow,
            offers: BTreeMap::new(),
            price: Some(price),
            oracle,
            oracle_bonds: BTreeMap::from([(key(41), b1), (key(42), b2)]),
            reports: BTreeMap::from([(key(60), report)]),
            balances,
        }
    }

    /// What an honest indexer serves for `c` on the ledger paths (each answer is the envelope's
    /// `data`; amounts as numbers, a few as strings as the API may write them).
    pub fn served(c: &Chain) -> Served {
        let t = &c.token;
        let v = SupplyView::new(t).unwrap();
        let mut supply = json!({
            "decimals": t.decimals, "max_supply": t.max_supply, "total_minted": t.total_minted.to_string(),
            "total_burned": t.total_burned, "supply": c.mint_supply, "emitted": t.emission.emitted,
            "rewards_withdrawn": t.rewards_withdrawn, "circulating": v.circulating,
        });
        for (reason, amount) in &v.burned_by_reason {
            supply[format!("burned_{reason}")] = json!(amount);
        }
        let burns: Vec<Value> = BurnReason::ALL
            .iter()
            .filter(|r| t.burned[r.index()] > 0)
            .map(|r| json!({ "reason": r.name(), "amount": t.burned[r.index()] }))
            .collect();
        let ops = c.operators.values();
        let leases = c.leases.values();
        let e = &c.escrow;
        let network = json!({
            "supply": supply,
            "operators": {
                "total": c.operators.len(),
                "stake": ops.clone().map(|o| o.stake_tokens).sum::<u64>(),
                "bond": ops.clone().map(|o| o.bond).sum::<u64>(),
                "delegators": ops.clone().map(|o| u64::from(o.delegator_count)).sum::<u64>(),
            },
            "leases": {
                "total": c.leases.len(),
                "paid": leases.clone().map(|l| l.paid).sum::<u64>(),
                "fees": leases.clone().map(|l| l.fees).sum::<u64>(),
            },
            "buybacks": { "count": e.buyback_count, "usdc_spent": e.buyback_usdc_spent, "io_burned": e.buyback_io_burned },
        });
        let mut answers = BTreeMap::from([
            ("/v1/supply".to_owned(), supply),
            ("/v1/network".to_owned(), network),
            ("/v1/burns".to_owned(), Value::Array(burns)),
        ]);
        let mut operators = Vec::new();
        for (a, o) in &c.operators {
            let row = json!({
                "address": a.to_string(), "stake_tokens": o.stake_tokens, "stake_shares": o.stake_shares,
                "unbonding_tokens": o.unbonding_tokens, "bond": o.bond, "bond_withdrawing": o.bond_withdrawing,
                "delegator_count": o.delegator_count, "total_slashed": o.total_slashed,
            });
            answers.insert(format!("/v1/operators/{a}"), row.clone());
            operators.push(row);
        }
        answers.insert("/v1/operators".into(), Value::Array(operators));
        let mut list = Vec::new();
        for (a, l) in &c.leases {
            let mut row = json!({
                "address": a.to_string(), "payment_mint": l.payment_mint.to_string(), "deposit": l.deposit,
                "paid": l.paid, "fees": l.fees.to_string(), "refunded": l.refunded, "status": l.status.name(),
            });
            list.push(row.clone());
            row["devices"] = l
                .devices
                .iter()
                .map(|d| json!({ "device": d.device.to_string(), "attested_seconds": d.attested_seconds, "paid": d.paid }))
                .collect();
            answers.insert(format!("/v1/leases/{a}"), row);
        }
        answers.insert("/v1/leases".into(), Value::Array(list));
        // At most one buyback in these networks, at the feed's price (this one: 0.1 USDC for
        // 0.4 $IO at 0.25 USDC an $IO).
        let buybacks: Vec<Value> = (e.buyback_count == 1)
            .then(|| {
                json!({ "event_name": "BuybackBurned", "payload": {
                    "usdc_spent": e.buyback_usdc_spent, "io_burned": e.buyback_io_burned,
                    "usdc_per_io": c.price.as_ref().map_or(0, |p| p.usdc_per_io),
                    "min_io": 388_000_000, "donation_burned": 0,
                }})
            })
            .into_iter()
            .collect();
        answers.insert("/v1/events?type=BuybackBurned".into(), Value::Array(buybacks));
        Served { url: Some("http://indexer".into()), answers, errors: BTreeMap::new() }
    }

    pub fn snapshot() -> Snapshot {
        let chain = chain();
        let served = served(&chain);
        Snapshot { range: PeriodRange::default(), chain, copies: BTreeMap::new(), served }
    }

    /// The shared fixture (`fixtures::snapshot()`, the network every area's tests use) with the
    /// ledger paths added to its indexer's answers, merged into the answers it has.
    pub fn shared() -> Snapshot {
        let mut s = super::super::fixtures::snapshot();
        let c = &mut s.chain;
        // What the shared fixture leaves out or rounds otherwise than the programs: io_token's
        // allocation vaults hold their allocation less what was released, and a lease's fee is
        // rounded up (`fee_due_ceil`), which moves the config's total, the treasury and the
        // lease vault with it.
        for i in 0..BUCKET_COUNT {
            let t = &c.token;
            c.balances.entry(t.vaults[i]).or_insert(t.allocations[i] - t.released[i]);
        }
        for l in c.leases.values_mut() {
            let fees = io_math::Bps::new(l.fee_bps).unwrap().of_ceil(l.paid).unwrap();
            let more = fees - l.fees;
            l.fees = fees;
            let (treasury, vault) = (c.escrow.treasury(&l.payment_mint).unwrap(), l.vault);
            *c.balances.get_mut(&treasury).unwrap() += more;
            *c.balances.get_mut(&vault).unwrap() -= more;
            if l.payment_mint == c.escrow.usdc_mint {
                c.escrow.fees_usdc += more;
            } else {
                c.escrow.fees_io += more;
            }
        }
        for (path, v) in served(&s.chain).answers {
            merge(s.served.answers.entry(path).or_insert(Value::Null), v);
        }
        s
    }

    fn merge(into: &mut Value, from: Value) {
        match (into, from) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (x, y) in a.iter_mut().zip(b) {
                    merge(x, y);
                }
            }
            (slot, v) => *slot = v,
        }
    }

    /// Runs `check` on `s` and returns its rows.
    pub fn rows_of(check: fn(&Snapshot, &mut Rows), s: &Snapshot) -> Vec<Row> {
        let mut rows = Rows::default();
        check(s, &mut rows);
        rows.into_vec()
    }

    /// The failing rows, as (figure, recomputed, served, verdict).
    pub fn failing(rows: &[Row]) -> Vec<(String, Option<String>, Option<String>, Verdict)> {
        rows.iter()
            .filter(|r| r.verdict.fails())
            .map(|r| (r.figure.clone(), r.recomputed.clone(), r.served.clone(), r.verdict))
            .collect()
    }

    /// Writes `v` at `pointer` in the indexer's answer of `path`.
    pub fn forge(s: &mut Snapshot, path: &str, pointer: &str, v: Value) {
        *s.served.answers.get_mut(path).unwrap().pointer_mut(pointer).unwrap() = v;
    }
}

#[cfg(test)]
mod tests {
    use super::ledger_net::*;
    use super::*;
    use serde_json::json;

    fn run(s: &Snapshot) -> Vec<Row> {
        rows_of(check, s)
    }

    fn row<'a>(rows: &'a [Row], figure: &str, by: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.figure == figure && r.served_by.as_deref() == Some(by))
            .unwrap_or_else(|| panic!("no row {figure} by {by}"))
    }

    #[test]
    fn a_balanced_ledger_passes_and_names_every_figure() {
        let rows = run(&snapshot());
        assert_eq!(failing(&rows), vec![]);
        for figure in [
            "supply.cap",
            "supply.minted",
            "supply.burned",
            "supply.circulating",
            "supply.burned.lease_fee",
            "supply.burned.buyback",
            "supply.burned.slash",
            "supply.burned.other",
            "supply.emitted_vs_schedule",
            "supply.emission_cursor",
            "supply.mint_vs_ledger",
            "vault.token_rewards",
            "vault.bucket.community",
            "vault.bucket.seed",
        ] {
            assert!(rows.iter().any(|r| r.figure == figure && r.verdict == Verdict::Ok), "{figure}");
        }
        // /v1/supply, its repeat in /v1/network, and the burns list each back the burned figures.
        let by: Vec<_> = rows
            .iter()
            .filter(|r| r.figure == "supply.burned.buyback")
            .map(|r| r.served_by.clone())
            .collect();
        assert_eq!(by, [Some("indexer".into()), Some("indexer /v1/burns".into())]);
        assert_eq!(row(&rows, "supply.burned", "indexer /v1/network").verdict, Verdict::Ok);
    }

    #[test]
    fn a_supply_figure_changed_in_the_api_is_caught() {
        let mut s = snapshot();
        let circulating = SupplyView::new(&s.chain.token).unwrap().circulating;
        forge(&mut s, "/v1/supply", "/circulating", json!(circulating + 1));
        let rows = run(&s);
        assert_eq!(
            failing(&rows),
            vec![(
                "supply.circulating".into(),
                Some(circulating.to_string()),
                Some((circulating + 1).to_string()),
                Verdict::Mismatch
            )]
        );
        assert_eq!(
            row(&rows, "supply.circulating", "indexer").note.as_deref(),
            Some("indexer serves a different value")
        );
        // The same figure forged in /v1/network's copy alone.
        let mut s = snapshot();
        forge(&mut s, "/v1/network", "/supply/max_supply", json!("1"));
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![(
                "supply.cap".into(),
                Some((800_000_000 * IO).to_string()),
                Some("1".into()),
                Verdict::Mismatch
            )]
        );
    }

    #[test]
    fn a_burn_invented_or_dropped_in_the_list_is_caught() {
        let mut s = snapshot();
        let list = s.served.answers.get_mut("/v1/burns").unwrap().as_array_mut().unwrap();
        list.push(json!({ "reason": "other", "amount": "5" }));
        assert_eq!(
            failing(&run(&s)),
            vec![(
                "supply.burned.other".into(),
                Some((7 * IO).to_string()),
                Some((7 * IO + 5).to_string()),
                Verdict::Mismatch
            )]
        );
        let mut s = snapshot();
        s.served
            .answers
            .get_mut("/v1/burns")
            .unwrap()
            .as_array_mut()
            .unwrap()
            .retain(|b| b["reason"] != "slash");
        assert_eq!(
            failing(&run(&s)),
            vec![("supply.burned.slash".into(), Some("50".into()), Some("0".into()), Verdict::Mismatch)]
        );
    }

    #[test]
    fn the_mint_against_the_ledger() {
        // More supply than minted − burned: minted outside the ledger.
        let mut s = snapshot();
        s.chain.mint_supply += 1;
        s.served = ledger_net::served(&s.chain);
        let ledger = s.chain.token.total_minted - s.chain.token.total_burned;
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![(
                "supply.mint_vs_ledger".into(),
                Some((ledger + 1).to_string()),
                Some(ledger.to_string()),
                Verdict::Mismatch
            )]
        );
        // Less: a direct SPL burn, legal, said in the note.
        s.chain.mint_supply = ledger - 3;
        s.served = ledger_net::served(&s.chain);
        let rows = run(&s);
        assert_eq!(failing(&rows), vec![]);
        let r = row(&rows, "supply.mint_vs_ledger", "ledger");
        assert!(r.note.as_deref().unwrap().starts_with("3 base units burned with a direct SPL burn"));
    }

    #[test]
    fn emission_beyond_the_schedule_is_caught() {
        let mut s = snapshot();
        let emitted = s.chain.token.emission.emitted;
        s.chain.token.emission.emitted += 1;
        s.chain.token.total_minted += 1;
        s.chain.mint_supply += 1;
        s.chain.balances.insert(s.chain.token.rewards_vault, u64::MAX / 2);
        s.served = ledger_net::served(&s.chain);
        let f = failing(&run(&s));
        // Ten hours are due and ten covered: one base unit past the schedule, both ways.
        assert_eq!(
            f,
            vec![
                (
                    "supply.emitted_vs_schedule".into(),
                    Some((emitted + 1).to_string()),
                    Some(emitted.to_string()),
                    Verdict::Mismatch
                ),
                (
                    "supply.emission_cursor".into(),
                    Some((emitted + 1).to_string()),
                    Some(emitted.to_string()),
                    Verdict::Mismatch
                ),
            ]
        );
        // Covering an hour early: io_token says 11 hours are covered when 10 are due.
        let mut s = snapshot();
        s.chain.now -= 10;
        let f = failing(&run(&s));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, "supply.emitted_vs_schedule");
        assert_eq!(f[0].2.as_deref(), Some(cumulative(3_330_000 * IO, 100, 9).unwrap().to_string().as_str()));
    }

    #[test]
    fn a_drained_token_vault_names_both_values() {
        let mut s = snapshot();
        let vault = s.chain.token.rewards_vault;
        let owed = s.chain.token.emission.emitted - s.chain.token.rewards_withdrawn;
        s.chain.balances.insert(vault, owed - 10);
        let rows = run(&s);
        assert_eq!(
            failing(&rows),
            vec![(
                "vault.token_rewards".into(),
                Some((owed - 10).to_string()),
                Some(owed.to_string()),
                Verdict::Mismatch
            )]
        );
        let note = row(&rows, "vault.token_rewards", "ledger").note.clone().unwrap();
        assert!(note.contains(&vault.to_string()) && note.contains("10 less than the ledger's"), "{note}");
        // A vault account gone altogether.
        s.chain.balances.remove(&s.chain.token.vaults[0]);
        let f = failing(&run(&s));
        assert_eq!(
            f[1],
            (
                "vault.bucket.community".into(),
                None,
                Some((250_000_000 * IO - 2_000 * IO).to_string()),
                Verdict::Missing
            )
        );
    }

    #[test]
    fn without_an_indexer_figures_are_recomputed_and_a_failed_path_is_missing() {
        let mut s = snapshot();
        s.served = Served::default();
        let rows = run(&s);
        assert_eq!(failing(&rows), vec![]);
        assert_eq!(row_verdict(&rows, "supply.circulating"), Verdict::Recomputed);
        let mut s = snapshot();
        s.served.answers.remove("/v1/supply");
        s.served.errors.insert("/v1/supply".into(), "HTTP 500".into());
        let rows = run(&s);
        let r = row(&rows, "supply.minted", "indexer");
        assert_eq!(
            (r.verdict, r.note.as_deref()),
            (Verdict::Missing, Some("the indexer failed on /v1/supply: HTTP 500"))
        );
    }

    /// The network the other areas test with balances its ledgers too, and `verify` as a whole
    /// finds nothing wrong with it once the indexer serves the ledger paths.
    #[test]
    fn the_shared_fixture_balances_its_ledgers() {
        let s = shared();
        let f: Vec<_> = [check, super::super::escrow::check, super::super::stake::check]
            .into_iter()
            .flat_map(|c| failing(&rows_of(c, &s)))
            .collect();
        assert_eq!(f, vec![]);
        let all = super::super::verify(&s);
        assert_eq!(all.iter().filter(|r| r.verdict.fails()).collect::<Vec<_>>(), Vec::<&Row>::new());
    }

    fn row_verdict(rows: &[Row], figure: &str) -> Verdict {
        rows.iter().find(|r| r.figure == figure).unwrap().verdict
    }

    use super::super::Served;
    use io_token::schedule::cumulative;
}
