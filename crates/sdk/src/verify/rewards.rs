//! Rewards from the certified rewards trees (cumulative $IO per operator since genesis):
//! - per period in range: the amount distributed (Σ cumulative − Σ of the previous certified
//!   report), against the indexer's record of the report;
//! - over the whole history (`--period` absent): Σ rewards ever promised (the newest leaves)
//!   never exceeds what io_token emitted (`rewards.promised_vs_emitted`);
//! - per operator: its cumulative reward (the newest leaf), what it claimed on chain
//!   (`rewards_claimed_cumulative`: never more than its leaf) against the indexer's Σ of its
//!   report claims, its commission against the indexer's, and the split of its latest period's
//!   reward between commission and delegators as io_staking takes it (commission rounded UP, the
//!   delegators get the rest).
//!
//! Work: one pass over each period's rewards leaves, one lookup per operator.
use super::{
    reports::{sum_u128, text_of, unchecked, Published},
    Area, Rows, Snapshot,
};
use crate::{
    report::{Cumulative, PeriodReport},
    Pubkey,
};
use io_staking::Operator;

const AREA: Area = Area::Rewards;

pub fn check(s: &Snapshot, rows: &mut Rows) {
    check_with(s, &Published::of(s), rows);
}

/// [`check`] with the published copies already chosen (`verify` chooses them once for every
/// report-derived area: choosing re-hashes every node copy's leaves).
pub(crate) fn check_with(s: &Snapshot, published: &Published<'_>, rows: &mut Rows) {
    for (p, (address, _)) in s.certified() {
        distributed(s, rows, published, p, address);
    }
    let Some((p, leaves)) = published.latest(s) else { return };
    let Some(leaves) = leaves else {
        unchecked(
            rows,
            AREA,
            "rewards.cumulative".into(),
            format!("not recomputed: report {p}'s leaves are not published (see report.{p}.leaves)"),
        );
        return;
    };
    promised(s, rows, leaves);
    let before = published.before(p);
    let latest = Latest {
        p,
        leaves,
        // Claims may be proven against any certified report: only the newest one bounds them.
        newest: published.newest() == Some(p),
        previous: before.cumulative(),
        why_unknown: before.why_unknown(),
    };
    for (address, operator) in &s.chain.operators {
        per_operator(s, rows, &latest, address, operator);
    }
}

/// The latest certified report in range, what the per-operator figures come from.
struct Latest<'a> {
    p: u64,
    leaves: &'a PeriodReport,
    /// Whether it is the newest certified report on chain.
    newest: bool,
    /// The previous certified report's cumulative leaves, `None` when unknown (and why).
    previous: Option<Cumulative>,
    why_unknown: String,
}

/// The period's distributed rewards, against the indexer's report.
fn distributed(s: &Snapshot, rows: &mut Rows, published: &Published<'_>, p: u64, address: &Pubkey) {
    let Some(leaves) = published.at(p) else { return };
    let figure = format!("rewards.{p}.distributed");
    let b = published.before(p);
    let Some(previous) = b.cumulative() else {
        unchecked(rows, AREA, figure, b.why_unknown());
        return;
    };
    let now = sum_u128(leaves.rewards.iter().map(|l| l.cumulative));
    let then = sum_u128(previous.rewards.values().copied());
    let Some(d) = now.checked_sub(then) else {
        rows.invariant(
            AREA,
            figure,
            now,
            then,
            "the previous report",
            false,
            "Σ cumulative rewards went down",
        );
        return;
    };
    if s.served.url.is_none() {
        rows.recomputed(AREA, figure, d);
        return;
    }
    let served = s.served.report_record(p, address).and_then(|r| text_of(r.get("emission_distributed")));
    rows.compare(AREA, figure, d, served, "indexer");
}

/// Σ rewards ever promised (the newest cumulative leaves) ≤ io_token's emission.
fn promised(s: &Snapshot, rows: &mut Rows, leaves: &PeriodReport) {
    if !s.range.is_all() {
        return;
    }
    let promised = sum_u128(leaves.rewards.iter().map(|l| l.cumulative));
    let emitted = s.chain.token.emission.emitted;
    rows.invariant(
        AREA,
        "rewards.promised_vs_emitted",
        promised,
        emitted,
        "io_token emission.emitted",
        promised <= u128::from(emitted),
        "the rewards trees promise more $IO than io_token ever emitted",
    );
}

/// The served value at `pointer` of the indexer's `/v1/operators/<address>`, `Err` when the
/// answer is absent.
fn served_operator(s: &Snapshot, address: &Pubkey, pointer: &str) -> Result<Option<String>, String> {
    let path = format!("/v1/operators/{address}");
    match s.served.get(&path) {
        Some(v) => Ok(text_of(v.pointer(pointer))),
        None => Err(s.served.why_absent(&path)),
    }
}

fn per_operator(s: &Snapshot, rows: &mut Rows, latest: &Latest<'_>, address: &Pubkey, o: &Operator) {
    let Latest { p, leaves, newest, .. } = *latest;
    let figure = |what: &str| format!("rewards.{address}.{what}");
    let cumulative = leaves.reward_index(address).map_or(0, |i| leaves.rewards[i].cumulative);
    rows.recomputed(AREA, figure("cumulative"), cumulative);

    let claimed = o.rewards_claimed_cumulative;
    if newest {
        rows.invariant(
            AREA,
            figure("claimed_vs_cumulative"),
            claimed,
            cumulative,
            format!("report {p}"),
            claimed <= cumulative,
            "the operator claimed more than its cumulative reward in the newest certified report",
        );
    } else {
        unchecked(
            rows,
            AREA,
            figure("claimed_vs_cumulative"),
            format!("not checked: claims may be proven against reports after {p} (outside --period)"),
        );
    }

    // The split of the operator's reward of period p, as io_staking takes it at the operator's
    // current commission.
    let earned = latest
        .previous
        .as_ref()
        .map(|c| cumulative.checked_sub(c.rewards.get(address).copied().unwrap_or(0)));
    match earned {
        None => unchecked(rows, AREA, figure("commission"), latest.why_unknown.clone()),
        Some(None) => rows.invariant(
            AREA,
            figure("cumulative"),
            cumulative,
            "less than before",
            format!("report {p}"),
            false,
            "the operator's cumulative reward went down",
        ),
        Some(Some(amount)) => match io_math::Bps::new(o.commission_bps).and_then(|b| b.of_ceil(amount)) {
            Ok(commission) => {
                rows.recomputed(AREA, figure(&format!("{p}.commission")), commission);
                rows.recomputed(AREA, figure(&format!("{p}.delegators")), amount - commission);
            }
            Err(_) => rows.invariant(
                AREA,
                figure("commission_bps"),
                o.commission_bps,
                10_000,
                "100%",
                false,
                "the operator's commission is above 100%",
            ),
        },
    }

    if s.served.url.is_none() {
        return;
    }
    for (what, chain, pointer) in [
        ("claimed", claimed.to_string(), "/earnings/rewards_allotted"),
        ("commission_bps", o.commission_bps.to_string(), "/commission_bps"),
    ] {
        match served_operator(s, address, pointer) {
            Ok(served) => rows.compare(AREA, figure(what), chain, served, "indexer"),
            Err(why) => rows.missing(AREA, figure(what), why),
        }
    }
}

#[cfg(test)]
#[path = "rewards_tests.rs"]
mod tests;
