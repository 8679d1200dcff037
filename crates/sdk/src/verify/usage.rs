//! Device-seconds per period and in total, and per lease, from the certified reports:
//! - per period: the body's device-seconds (Σ live seconds of every device; bounded by the
//!   devices' uptimes in the reports check) and the leased seconds the usage tree adds (each
//!   (lease, device) leaf's growth over the previous certified report's). Each growth must be
//!   possible: not negative, within the lease's service window inside the period, and within the
//!   live seconds the device's uptime leaf allows;
//! - in total: Σ over the certified periods in range;
//! - per lease: the seconds io_escrow settled per device never exceed what the newest published
//!   usage leaf proves, and the indexer serves the chain's settled seconds.
//!
//! Work: one pass over each period's usage leaves; per lease device one lookup in the newest
//! report holding its leaf.
use super::{
    reports::{live_bounds, text_of, unchecked, Published},
    Area, Rows, Snapshot,
};
use crate::{
    report::{period_bounds, PeriodReport},
    Pubkey,
};
use io_escrow::Lease;
use serde_json::Value;

const AREA: Area = Area::Usage;

pub fn check(s: &Snapshot, rows: &mut Rows) {
    check_with(s, &Published::of(s), rows);
}

/// [`check`] with the published copies already chosen (`verify` chooses them once for every
/// report-derived area: choosing re-hashes every node copy's leaves).
pub(crate) fn check_with(s: &Snapshot, published: &Published<'_>, rows: &mut Rows) {
    let mut total = 0u128;
    let mut leased = Some(0u128);
    for (p, (_, onchain)) in s.certified() {
        total += u128::from(onchain.body.device_seconds);
        rows.recomputed(AREA, format!("usage.{p}.device_seconds"), onchain.body.device_seconds);
        match period(s, rows, published, p) {
            Some(l) => leased = leased.map(|t| t + l),
            None => leased = None,
        }
    }
    rows.recomputed(AREA, "usage.total_seconds", total);
    match leased {
        Some(l) => rows.recomputed(AREA, "usage.leased_seconds", l),
        None => unchecked(
            rows,
            AREA,
            "usage.leased_seconds".into(),
            "not summed: some period's leased seconds could not be recomputed (see its row)".into(),
        ),
    }
    for (address, lease) in &s.chain.leases {
        per_lease(s, rows, published, address, lease);
    }
    settled_total(s, rows);
}

/// The live seconds device leaf of `device` allows in `r` (0 without a leaf: not observed).
fn live_max(r: &PeriodReport, device: &Pubkey) -> u64 {
    r.device_index(device).map_or(0, |i| live_bounds(r.devices[i].uptime_bps).1)
}

/// Seconds of `lease`'s service window inside `[from, to)`.
fn window(lease: &Lease, from: i64, to: i64) -> u64 {
    let (a, b) = (lease.start_ts.max(from), lease.end_ts.min(to));
    u64::try_from(b.saturating_sub(a)).unwrap_or(0)
}

/// The period's leased seconds (Σ growth of its usage leaves), with the check that every growth
/// is possible; `None` when not recomputed.
fn period(s: &Snapshot, rows: &mut Rows, published: &Published<'_>, p: u64) -> Option<u128> {
    let leaves = published.at(p)?;
    let figure = format!("usage.{p}.leased_seconds");
    let before = published.before(p);
    let Some(previous) = before.cumulative() else {
        unchecked(rows, AREA, figure, before.why_unknown());
        return None;
    };
    let Ok((from, to)) = period_bounds(p) else {
        unchecked(rows, AREA, figure, format!("period {p} is past chain time"));
        return None;
    };
    let mut leased = 0u128;
    let mut impossible = Vec::new();
    for l in &leaves.usage {
        let prior = previous.usage.get(&(l.lease, l.device)).copied().unwrap_or(0);
        // Formatted only for a finding: two base58 encodings per leaf otherwise.
        let key = || format!("{}:{}", l.lease, l.device);
        let Some(grown) = l.seconds.checked_sub(prior) else {
            impossible.push(format!("{} went down from {prior} to {}", key(), l.seconds));
            continue;
        };
        leased += u128::from(grown);
        let lease = s.chain.leases.get(&l.lease);
        let in_lease = lease.is_some_and(|x| x.devices.iter().any(|d| d.device == l.device));
        let limit = lease.map_or(0, |x| window(x, from, to)).min(live_max(leaves, &l.device));
        if !in_lease {
            impossible.push(format!("{}: no such device in a lease on chain", key()));
        } else if grown > limit {
            impossible.push(format!(
                "{} grew {grown} s, more than the {limit} s its lease window and uptime allow",
                key()
            ));
        }
    }
    // Leaves of the previous report that vanished: only a finalized lease's may.
    for ((lease, device), prior) in &previous.usage {
        let finalized = s.chain.leases.get(lease).is_some_and(|l| l.status == io_escrow::LeaseStatus::Closed);
        if leaves.usage_index(lease, device).is_none() && !finalized {
            impossible
                .push(format!("{lease}:{device} ({prior} s) vanished while its lease is not finalized"));
        }
    }
    rows.invariant(
        AREA,
        format!("usage.{p}.leaves"),
        format!("{} leaves", leaves.usage.len()),
        format!("{} impossible", impossible.len()),
        format!("report {p}"),
        impossible.is_empty(),
        format!(
            "usage leaves no service could produce: {}",
            impossible.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
        ),
    );
    rows.recomputed(AREA, figure, leased);
    Some(leased)
}

/// The newest published usage leaf of (lease, device), with its period; and whether every newer
/// certified report's leaves were available (so that the leaf found is the newest, or the absence
/// of any leaf is itself proof).
fn newest_leaf(published: &Published<'_>, lease: &Pubkey, device: &Pubkey) -> (Option<(u64, u64)>, bool) {
    let mut complete = true;
    for (p, leaves) in published.newest_first() {
        let Some(r) = leaves else {
            complete = false;
            continue;
        };
        if let Some(i) = r.usage_index(lease, device) {
            return (Some((p, r.usage[i].seconds)), complete);
        }
    }
    (None, complete)
}

/// A lease's settled seconds against its usage leaves and the indexer.
fn per_lease(s: &Snapshot, rows: &mut Rows, published: &Published<'_>, address: &Pubkey, lease: &Lease) {
    let figure = format!("lease.{address}.attested_seconds");
    let mut settled = 0u128;
    let mut proven = 0u128;
    let mut beyond = Vec::new();
    let mut unproven = Vec::new();
    let mut newest = None;
    for d in &lease.devices {
        settled += u128::from(d.attested_seconds);
        let (leaf, complete) = newest_leaf(published, address, &d.device);
        let have = leaf.map_or(0, |(_, secs)| secs);
        proven += u128::from(have);
        newest = newest.max(leaf.map(|(p, _)| p));
        // Only the newest leaf bounds the settled seconds: a leaf found behind a certified report
        // whose leaves were not gathered (`--period ..B` leaves out every report after B) or not
        // published proves too little, so settling more than it is not proven wrong.
        if d.attested_seconds > have {
            if complete {
                beyond.push(format!("{}: settled {} s, leaf proves {have} s", d.device, d.attested_seconds));
            } else {
                unproven.push(match leaf {
                    Some((p, secs)) => format!(
                        "{} (settled {} s; report {p}'s leaf proves {secs} s, but a newer certified report's leaves \
                         were not gathered (outside --period) or are not published)",
                        d.device, d.attested_seconds
                    ),
                    None => format!("{} (no gathered report holds its usage leaf, outside --period?)", d.device),
                });
            }
        }
    }
    // A device proven to settle too much fails the lease whatever the others' leaves.
    if !unproven.is_empty() && beyond.is_empty() {
        unchecked(
            rows,
            AREA,
            figure.clone(),
            format!("not proven: the settled seconds of {}", unproven.join("; ")),
        );
    } else {
        rows.invariant(
            AREA,
            figure.clone(),
            settled,
            proven,
            newest.map_or_else(|| "usage leaves".to_owned(), |p| format!("report {p}")),
            beyond.is_empty(),
            format!("the lease settled more seconds than the usage leaves prove: {}", beyond.join("; ")),
        );
    }
    if s.served.url.is_none() {
        return;
    }
    let path = format!("/v1/leases/{address}");
    let served = s.served.get(&path).map(|v| {
        v.get("devices").and_then(Value::as_array).map(|ds| {
            ds.iter().try_fold(0u128, |acc, d| {
                Some(acc + text_of(d.get("attested_seconds"))?.parse::<u128>().ok()?)
            })
        })
    });
    match served {
        None => {
            rows.missing(AREA, figure, s.served.why_absent(&path));
        }
        Some(v) => rows.compare(AREA, figure, settled, v.flatten(), "indexer"),
    }
}

/// Σ seconds settled over every lease (leases are never closed) against the indexer's Σ over
/// its settlements.
fn settled_total(s: &Snapshot, rows: &mut Rows) {
    let settled: u128 =
        s.chain.leases.values().flat_map(|l| &l.devices).map(|d| u128::from(d.attested_seconds)).sum();
    if s.served.url.is_some() {
        let served = s.served.number("/v1/network", "/settlements/attested_seconds");
        rows.compare(AREA, "usage.settled_seconds", settled, served, "indexer");
    } else {
        rows.recomputed(AREA, "usage.settled_seconds", settled);
    }
}

#[cfg(test)]
#[path = "usage_tests.rs"]
mod tests;
