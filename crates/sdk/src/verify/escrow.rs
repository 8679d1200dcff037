//! Escrow: every lease's deposit, payments, fees and refunds, recomputed from its devices'
//! attested seconds and rates with io_escrow's own money math and compared with the indexer's
//! `/v1/leases/<address>`; the lease vaults holding what the leases still hold; the sums over the
//! leases against io_escrow's config totals per currency (leases are never closed as accounts:
//! a finalized lease stays on chain with status `closed`, so every lease ever opened is summed)
//! and against the indexer's `/v1/leases`; the treasuries against the fees not spent; buybacks
//! against io_token's burn ledger, the indexer's `/v1/network`, and the attested price.
//!
//! Figures (`<a>` a lease address, `<i>` a device's index in it, `<cur>` `usdc` or `io`):
//! - `lease.<a>.{deposit,paid,fees,refunded,status}` against `/v1/leases/<a>`;
//!   `lease.<a>.devices.<i>.paid` against io_escrow's `device_owed_floor` of the device's attested
//!   seconds and against the indexer's device row; `lease.<a>.paid_by_usage` (Σ of those);
//!   `lease.<a>.fee_rate` (fees = ⌈paid × fee_bps / 10⁴⌉); `lease.<a>.vault` (vault ≥ held);
//!   `lease.<a>.held` (only when a closed lease does not balance);
//! - `escrow.{paid,fees,refunded}_<cur>`: Σ over the leases against the config's running total and
//!   against the indexer's list; `escrow.deposit_<cur>` against the list; `escrow.leases_opened`,
//!   `escrow.leases` (counts); `escrow.{paid,fees}_both_mints` against `/v1/network`;
//! - `escrow.treasury_usdc` (≥ USDC fees − buyback spend), `escrow.treasury_io` (≥ $IO fees);
//! - `escrow.buyback_burned` (io_escrow's total = io_token's `buyback` burns),
//!   `escrow.buyback_{usdc_spent,io_burned,count}` against `/v1/network`, `escrow.price_feed`
//!   against the certified report it names, `escrow.buyback_avg_usdc_per_io` (shown),
//!   `escrow.buyback.<n>.price` per recorded buyback against its attested price and
//!   `escrow.buyback_events.{usdc_spent,io_burned,count}` (the recorded buybacks against the
//!   chain's totals).
//!
//! Work: O(leases × devices) plus one pass over the indexer's lease list and buyback events.
use super::supply::{broken, indexer_answer, sum, vault_covers, vs_indexer};
use super::{Area, Row, Rows, Snapshot, Verdict};
use crate::{names::Name, views::LeaseView, Pubkey};
use io_escrow::{math, Lease, LeaseStatus};
use io_math::Bps;
use io_token::BurnReason;
use serde_json::Value;
use std::collections::BTreeMap;

const NETWORK: &str = "/v1/network";
const LEASES: &str = "/v1/leases";
/// Every `BuybackBurned` event the indexer holds (`/v1/events?type=BuybackBurned`, all pages).
const BUYBACK_EVENTS: &str = "/v1/events?type=BuybackBurned";

pub fn check(s: &Snapshot, rows: &mut Rows) {
    for (address, lease) in &s.chain.leases {
        lease_rows(s, rows, address, lease);
    }
    totals(s, rows);
    treasuries(s, rows);
    buybacks(s, rows);
    buyback_events(s, rows);
}

/// One lease: its ledger against the indexer, its payments and fee recomputed from its devices,
/// its vault against what it still holds.
fn lease_rows(s: &Snapshot, rows: &mut Rows, address: &Pubkey, l: &Lease) {
    let a = Area::Escrow;
    let name = |what: &str| format!("lease.{address}.{what}");
    let path = format!("{LEASES}/{address}");
    for (what, value) in
        [("deposit", l.deposit), ("paid", l.paid), ("fees", l.fees), ("refunded", l.refunded)]
    {
        vs_indexer(s, rows, a, &name(what), value, &path, &format!("/{what}"), "indexer");
    }
    if s.served.url.is_some() {
        let served = s.served.get(&path).and_then(|v| v.get("status")).and_then(Value::as_str);
        rows.compare(a, name("status"), l.status.name(), served, "indexer");
    } else {
        rows.recomputed(a, name("status"), l.status.name());
    }
    // What each device was paid is what its attested seconds earn at its rate (io_escrow's
    // `device_owed_floor`: rounded down, capped at the hours paid for); the lease's `paid` is
    // their sum and its `fees` the fee rate on that sum, rounded up (`fee_due_ceil` charges
    // the cumulative fee).
    let mut owed_sum = Some(0u128);
    for (i, d) in l.devices.iter().enumerate() {
        let owed = math::device_owed_floor(d.attested_seconds, d.rate_per_hour, l.hours);
        owed_sum = owed_sum.zip(owed.ok()).and_then(|(acc, o)| acc.checked_add(u128::from(o)));
        let figure = name(&format!("devices.{i}.paid"));
        match owed {
            Ok(owed) => {
                let why = format!(
                    "device {} was paid {}, but {} attested seconds at {} an hour earn {owed}",
                    d.device, d.paid, d.attested_seconds, d.rate_per_hour
                );
                rows.invariant(a, &figure, d.paid, owed, "io_escrow::math", d.paid == owed, why);
            }
            Err(e) => {
                rows.push(broken(a, &figure, format!("{e:?} computing what device {} earned", d.device)))
            }
        }
        if s.served.url.is_some() {
            let device = d.device.to_string();
            let served = s
                .served
                .get(&path)
                .and_then(|v| v.get("devices"))
                .and_then(Value::as_array)
                .and_then(|ds| ds.iter().find(|x| x.get("device").and_then(Value::as_str) == Some(&device)))
                .and_then(|x| x.get("paid"))
                .and_then(super::supply::as_u128);
            rows.compare(a, figure, d.paid, served, "indexer");
        }
    }
    match owed_sum {
        Some(owed) => {
            let why = format!("the lease says it paid {}, its devices' attested usage earns {owed}", l.paid);
            rows.invariant(
                a,
                name("paid_by_usage"),
                l.paid,
                owed,
                "io_escrow::math",
                u128::from(l.paid) == owed,
                why,
            );
        }
        None => rows.push(broken(a, &name("paid_by_usage"), "the devices' payouts overflow")),
    }
    match Bps::new(l.fee_bps).and_then(|b| b.of_ceil(l.paid)) {
        Ok(fee) => {
            let why = format!(
                "{} bps of {} paid is {fee} (rounded up); the lease charged {}",
                l.fee_bps, l.paid, l.fees
            );
            rows.invariant(a, name("fee_rate"), l.fees, fee, "io_escrow::math", l.fees == fee, why);
        }
        Err(e) => rows.push(broken(a, &name("fee_rate"), format!("{e:?} applying {} bps", l.fee_bps))),
    }
    // deposit == paid + fees + refunded + held: `held` is what is left, and a ledger whose
    // outflows exceed the deposit cannot be (LeaseView refuses it).
    match LeaseView::new(l) {
        Ok(v) => {
            if l.status == LeaseStatus::Closed && v.held != 0 {
                let why =
                    format!("a closed lease must balance, yet {} of its deposit is unaccounted for", v.held);
                rows.invariant(a, name("held"), v.held, 0, "ledger", false, why);
            }
            vault_covers(
                s,
                rows,
                a,
                &name("vault"),
                &l.vault,
                Some(v.held),
                "deposit − paid − fees − refunded",
            );
        }
        Err(e) => {
            rows.push(broken(a, &name("held"), format!("{e}: paid + fees + refunded exceed the deposit")))
        }
    }
}

/// Per currency, the sums over every lease against io_escrow's config counters (the chain's own
/// running totals) and against the indexer's lease list; the lease count likewise.
fn totals(s: &Snapshot, rows: &mut Rows) {
    let a = Area::Escrow;
    let e = &s.chain.escrow;
    let mut chain: BTreeMap<&str, Vec<&Lease>> = BTreeMap::new();
    for (address, l) in &s.chain.leases {
        match currency(e, &l.payment_mint) {
            Some(c) => chain.entry(c).or_default().push(l),
            None => rows.push(broken(
                a,
                &format!("lease.{address}.payment_mint"),
                format!("the lease pays in {}, neither of io_escrow's two mints", l.payment_mint),
            )),
        }
    }
    let counters = [
        ("usdc", "paid", e.paid_usdc),
        ("usdc", "fees", e.fees_usdc),
        ("usdc", "refunded", e.refunded_usdc),
        ("io", "paid", e.paid_io),
        ("io", "fees", e.fees_io),
        ("io", "refunded", e.refunded_io),
    ];
    for (cur, what, counter) in counters {
        let figure = format!("escrow.{what}_{cur}");
        let leases = chain.get(cur).map(Vec::as_slice).unwrap_or_default();
        let Some(total) = sum(leases.iter().map(|l| field(l, what))) else {
            rows.push(broken(a, &figure, "the leases' sum overflows"));
            continue;
        };
        let why = format!("Σ over the {cur} leases is {total}; io_escrow's running total says {counter}");
        rows.invariant(a, &figure, total, counter, "ledger", total == u128::from(counter), why);
    }
    let opened = s.chain.leases.len();
    let why = format!("{opened} lease accounts on chain; io_escrow counts {} opened", e.leases_opened);
    rows.invariant(
        a,
        "escrow.leases_opened",
        opened,
        e.leases_opened,
        "ledger",
        opened as u64 == e.leases_opened,
        why,
    );

    // The indexer's list: the same sums from its rows, by payment mint, and its count.
    let Some(list) = indexer_answer(s, rows, a, "escrow.leases", LEASES) else { return };
    let Some(items) = list.as_array() else {
        rows.push(broken(a, "escrow.leases", format!("the indexer's {LEASES} is not a list")));
        return;
    };
    rows.compare(a, "escrow.leases", opened, Some(items.len()), "indexer /v1/leases");
    for cur in ["usdc", "io"] {
        let mint = if cur == "usdc" { e.usdc_mint } else { e.io_mint }.to_string();
        let served_rows: Vec<&Value> =
            items.iter().filter(|r| r.get("payment_mint").and_then(Value::as_str) == Some(&mint)).collect();
        for what in ["deposit", "paid", "fees", "refunded"] {
            let figure = format!("escrow.{what}_{cur}");
            let leases = chain.get(cur).map(Vec::as_slice).unwrap_or_default();
            let recomputed = sum(leases.iter().map(|l| field(l, what)));
            let served = served_rows
                .iter()
                .try_fold(0u128, |acc, r| acc.checked_add(r.get(what).and_then(super::supply::as_u128)?));
            match recomputed {
                Some(total) => rows.compare(a, figure, total, served, "indexer /v1/leases"),
                None => rows.push(broken(a, &figure, "the leases' sum overflows")),
            }
        }
    }
    // `/v1/network` sums paid and fees over both mints as one figure: compared as served.
    for what in ["paid", "fees"] {
        match sum(s.chain.leases.values().map(|l| field(l, what))) {
            Some(total) => {
                let figure = format!("escrow.{what}_both_mints");
                vs_indexer(
                    s,
                    rows,
                    a,
                    &figure,
                    total,
                    NETWORK,
                    &format!("/leases/{what}"),
                    "indexer /v1/network",
                );
            }
            None => rows.push(broken(a, &format!("escrow.{what}_both_mints"), "the leases' sum overflows")),
        }
    }
    vs_indexer(s, rows, a, "escrow.leases", opened, NETWORK, "/leases/total", "indexer /v1/network");
}

/// The treasuries hold at least the fees collected and not spent: USDC fees less the USDC the
/// buybacks took out of it (the treasury's only outflow), $IO fees in full.
fn treasuries(s: &Snapshot, rows: &mut Rows) {
    let e = &s.chain.escrow;
    let usdc_owed = e.fees_usdc.saturating_sub(e.buyback_usdc_spent);
    // Buybacks spending more than the fees (a donation to the treasury was spent) owe nothing.
    vault_covers(
        s,
        rows,
        Area::Escrow,
        "escrow.treasury_usdc",
        &e.treasury_usdc,
        Some(usdc_owed),
        "USDC fees − buyback spend",
    );
    vault_covers(s, rows, Area::Escrow, "escrow.treasury_io", &e.treasury_io, Some(e.fees_io), "$IO fees");
}

/// Buybacks: every $IO they bought was burned through io_token under the `buyback` reason (the
/// config's own total against io_token's); their totals against the indexer's; the price feed
/// against the certified report it says it came from; and the average price paid.
fn buybacks(s: &Snapshot, rows: &mut Rows) {
    let a = Area::Escrow;
    let e = &s.chain.escrow;
    let burned = s.chain.token.burned[BurnReason::Buyback.index()];
    let why = format!(
        "io_escrow burned {} in buybacks; io_token counts {burned} burned for buybacks",
        e.buyback_io_burned
    );
    rows.invariant(
        a,
        "escrow.buyback_burned",
        e.buyback_io_burned,
        burned,
        "io_token ledger",
        e.buyback_io_burned == burned,
        why,
    );
    for (figure, field, value) in [
        ("escrow.buyback_usdc_spent", "usdc_spent", e.buyback_usdc_spent),
        ("escrow.buyback_io_burned", "io_burned", e.buyback_io_burned),
        ("escrow.buyback_count", "count", e.buyback_count),
    ] {
        vs_indexer(s, rows, a, figure, value, NETWORK, &format!("/buybacks/{field}"), "indexer /v1/network");
    }
    // The feed's price: a price taken from a report (`price_from_report`) names its period, and
    // must be that certified report's attested price.
    if let Some(feed) = &s.chain.price {
        if feed.period == 0 {
            rows.recomputed(a, "escrow.price_feed", feed.usdc_per_io);
        } else {
            let report = s
                .chain
                .reports
                .values()
                .find(|r| r.status == io_oracle::ReportStatus::Certified && r.body.period == feed.period);
            match report {
                Some(r) => rows.compare(
                    a,
                    "escrow.price_feed",
                    feed.usdc_per_io,
                    Some(r.body.usdc_per_io),
                    format!("report {}", feed.period),
                ),
                None => rows.missing(
                    a,
                    "escrow.price_feed",
                    format!(
                        "the price feed says it came from period {}, which has no certified report on chain",
                        feed.period
                    ),
                ),
            }
        }
    }
    // Each buyback was bounded by the feed's price at its time (`min_io_for`, enforced by the
    // program); the chain keeps only totals, so the average is shown, not judged.
    if e.buyback_io_burned > 0 {
        let one = 10u128.checked_pow(u32::from(s.chain.token.decimals));
        let avg = one
            .and_then(|one| u128::from(e.buyback_usdc_spent).checked_mul(one))
            .and_then(|v| v.checked_div(u128::from(e.buyback_io_burned)));
        match avg {
            Some(avg) => rows.push(Row {
                area: a,
                figure: "escrow.buyback_avg_usdc_per_io".into(),
                recomputed: Some(avg.to_string()),
                served: None,
                served_by: None,
                verdict: Verdict::Recomputed,
                note: Some(format!(
                    "average over {} buybacks; io_escrow bounded each by the feed's price at its time (min_io_for){}",
                    e.buyback_count,
                    s.chain.price.as_ref().map(|p| format!(", which is {} now", p.usdc_per_io)).unwrap_or_default()
                )),
            }),
            None => rows.push(broken(a, "escrow.buyback_avg_usdc_per_io", "the average price overflows")),
        }
    }
}

/// Each buyback the indexer recorded (its `BuybackBurned` events) against the attested price it
/// was bounded by: the $IO bought (burned less any donation burned with it) is at least what
/// the USDC buys at the event's feed price less io_escrow's slippage (`min_io_for`, with the
/// slippage in force now: the parameter has no history on chain). The events' sums must be the
/// chain's buyback totals, so the list the prices are judged on is the chain's.
fn buyback_events(s: &Snapshot, rows: &mut Rows) {
    let a = Area::Escrow;
    let e = &s.chain.escrow;
    if s.served.url.is_none() {
        return;
    }
    let Some(list) = s.served.get(BUYBACK_EVENTS) else {
        match s.served.errors.get(BUYBACK_EVENTS) {
            Some(err) => rows.missing(
                a,
                "escrow.buyback_events",
                format!("the indexer failed on {BUYBACK_EVENTS}: {err}"),
            ),
            None => rows.push(Row {
                area: a,
                figure: "escrow.buyback_events".into(),
                recomputed: None,
                served: None,
                served_by: None,
                verdict: Verdict::Recomputed,
                note: Some(
                    "the buyback events were not gathered: each buyback's price is not checked".into(),
                ),
            }),
        }
        return;
    };
    let Some(items) = list.as_array() else {
        rows.push(broken(
            a,
            "escrow.buyback_events",
            format!("the indexer's {BUYBACK_EVENTS} is not a list"),
        ));
        return;
    };
    let decimals = s.chain.token.decimals;
    let slippage = e.params.max_buyback_slippage_bps;
    let (mut spent, mut burned) = (Some(0u128), Some(0u128));
    for (i, item) in items.iter().enumerate() {
        let at = |k: &str| item.get("payload").and_then(|p| p.get(k)).and_then(super::supply::as_u128);
        let figure = format!("escrow.buyback.{i}.price");
        let (Some(usdc), Some(io), Some(price), Some(donation)) =
            (at("usdc_spent"), at("io_burned"), at("usdc_per_io"), at("donation_burned"))
        else {
            rows.push(broken(
                a,
                &figure,
                "the event lacks usdc_spent, io_burned, usdc_per_io or donation_burned",
            ));
            spent = None;
            continue;
        };
        spent = spent.and_then(|t| t.checked_add(usdc));
        burned = burned.and_then(|t| t.checked_add(io));
        let bought = io.checked_sub(donation);
        let least = u64::try_from(usdc)
            .ok()
            .zip(u64::try_from(price).ok())
            .and_then(|(usdc, price)| io_escrow::min_io_for(usdc, price, decimals, slippage).ok());
        let (Some(bought), Some(least)) = (bought, least) else {
            rows.push(broken(
                a,
                &figure,
                "the event's amounts are inconsistent (donation above the burn, or no price)",
            ));
            continue;
        };
        // The price paid, USDC base units per whole $IO, rounded down (for the table).
        let paid = 10u128
            .checked_pow(u32::from(decimals))
            .and_then(|one| one.checked_mul(usdc))
            .and_then(|v| v.checked_div(bought));
        let holds = bought >= u128::from(least);
        rows.push(Row {
            area: a,
            figure,
            recomputed: Some(paid.map_or_else(|| "—".into(), |p| p.to_string())),
            served: Some(price.to_string()),
            served_by: Some("attested price".into()),
            verdict: if holds { Verdict::Ok } else { Verdict::Mismatch },
            note: (!holds).then(|| {
                format!("{bought} $IO bought for {usdc} USDC; at {price} less {slippage} bps it had to buy at least {least}")
            }),
        });
    }
    for (figure, total, chain) in [
        ("escrow.buyback_events.usdc_spent", spent, e.buyback_usdc_spent),
        ("escrow.buyback_events.io_burned", burned, e.buyback_io_burned),
        ("escrow.buyback_events.count", Some(items.len() as u128), e.buyback_count),
    ] {
        match total {
            Some(t) => rows.compare(a, figure, chain, Some(t), "indexer /v1/events"),
            None => rows.push(broken(a, figure, "the events' sum cannot be computed")),
        }
    }
}

/// `usdc` or `io` by the lease's payment mint.
fn currency(e: &io_escrow::EscrowConfig, mint: &Pubkey) -> Option<&'static str> {
    if *mint == e.usdc_mint {
        Some("usdc")
    } else if *mint == e.io_mint {
        Some("io")
    } else {
        None
    }
}

fn field(l: &Lease, what: &str) -> u64 {
    match what {
        "deposit" => l.deposit,
        "paid" => l.paid,
        "fees" => l.fees,
        _ => l.refunded,
    }
}

#[cfg(test)]
mod tests {
    use super::super::supply::ledger_net::{self, *};
    use super::*;
    use serde_json::json;

    fn run(s: &Snapshot) -> Vec<Row> {
        rows_of(check, s)
    }

    #[test]
    fn balanced_leases_pass_and_name_every_figure() {
        let s = snapshot();
        let rows = run(&s);
        assert_eq!(failing(&rows), vec![]);
        let l = usdc_lease();
        for figure in [
            format!("lease.{l}.deposit"),
            format!("lease.{l}.paid"),
            format!("lease.{l}.fees"),
            format!("lease.{l}.refunded"),
            format!("lease.{l}.devices.1.paid"),
            format!("lease.{l}.paid_by_usage"),
            format!("lease.{l}.fee_rate"),
            format!("lease.{l}.vault"),
            format!("lease.{}.vault", io_lease()),
            "escrow.paid_usdc".into(),
            "escrow.fees_usdc".into(),
            "escrow.refunded_io".into(),
            "escrow.deposit_usdc".into(),
            "escrow.leases_opened".into(),
            "escrow.treasury_usdc".into(),
            "escrow.treasury_io".into(),
            "escrow.buyback_burned".into(),
            "escrow.buyback_io_burned".into(),
            "escrow.price_feed".into(),
        ] {
            assert!(rows.iter().any(|r| r.figure == figure && r.verdict == Verdict::Ok), "{figure}");
        }
        let avg = rows.iter().find(|r| r.figure == "escrow.buyback_avg_usdc_per_io").unwrap();
        assert_eq!((avg.recomputed.as_deref(), avg.verdict), (Some("250000"), Verdict::Recomputed));
    }

    #[test]
    fn a_lease_figure_forged_in_the_api_is_caught() {
        let mut s = snapshot();
        let l = usdc_lease();
        forge(&mut s, &format!("/v1/leases/{l}"), "/paid", json!(9_000_001));
        assert_eq!(
            failing(&run(&s)),
            vec![(
                format!("lease.{l}.paid"),
                Some("9000000".into()),
                Some("9000001".into()),
                Verdict::Mismatch
            )]
        );
        // The list's copy of it: the per-currency sum from the list no longer adds up.
        let mut s = snapshot();
        let i = s
            .served
            .get("/v1/leases")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["address"] == l.to_string());
        forge(&mut s, "/v1/leases", &format!("/{}/refunded", i.unwrap()), json!(5));
        assert_eq!(
            failing(&run(&s)),
            vec![("escrow.refunded_usdc".into(), Some("0".into()), Some("5".into()), Verdict::Mismatch)]
        );
        // A device's payout in the detail.
        let mut s = snapshot();
        forge(&mut s, &format!("/v1/leases/{l}"), "/devices/0/paid", json!(1));
        assert_eq!(
            failing(&run(&s)),
            vec![(
                format!("lease.{l}.devices.0.paid"),
                Some("1800000".into()),
                Some("1".into()),
                Verdict::Mismatch
            )]
        );
    }

    #[test]
    fn a_payment_beyond_the_attested_usage_is_caught() {
        // The chain says a device was paid for more than its attested seconds earn (as if the
        // attested seconds had been lowered after payment, or the payout raised).
        let mut s = snapshot();
        let l = usdc_lease();
        s.chain.leases.get_mut(&l).unwrap().devices[0].attested_seconds = 1_700;
        s.served = ledger_net::served(&s.chain);
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![
                (
                    format!("lease.{l}.devices.0.paid"),
                    Some("1800000".into()),
                    Some("1700000".into()),
                    Verdict::Mismatch
                ),
                (
                    format!("lease.{l}.paid_by_usage"),
                    Some("9000000".into()),
                    Some("8900000".into()),
                    Verdict::Mismatch
                ),
            ]
        );
    }

    #[test]
    fn fees_at_another_rate_and_totals_off_the_config_are_caught() {
        let mut s = snapshot();
        let l = usdc_lease();
        s.chain.leases.get_mut(&l).unwrap().fees = 180_001;
        s.chain.balances.insert(s.chain.leases[&l].vault, 0);
        s.served = ledger_net::served(&s.chain);
        let f = failing(&run(&s));
        assert_eq!(
            f[0],
            (format!("lease.{l}.fee_rate"), Some("180001".into()), Some("180000".into()), Verdict::Mismatch)
        );
        assert_eq!(
            f[1],
            (format!("lease.{l}.vault"), Some("0".into()), Some("12851999".into()), Verdict::Mismatch)
        );
        assert_eq!(
            f[2],
            ("escrow.fees_usdc".into(), Some("180001".into()), Some("180000".into()), Verdict::Mismatch)
        );
        assert_eq!(f.len(), 3);
    }

    #[test]
    fn a_drained_lease_vault_or_treasury_names_both_values() {
        let mut s = snapshot();
        let l = usdc_lease();
        let vault = s.chain.leases[&l].vault;
        s.chain.balances.insert(vault, 12_000_000);
        let rows = run(&s);
        assert_eq!(
            failing(&rows),
            vec![(
                format!("lease.{l}.vault"),
                Some("12000000".into()),
                Some("12852000".into()),
                Verdict::Mismatch
            )]
        );
        let note = rows.iter().find(|r| r.verdict.fails()).unwrap().note.clone().unwrap();
        assert!(note.contains("852000 less than the ledger's 12852000"), "{note}");
        let mut s = snapshot();
        s.chain.balances.insert(s.chain.escrow.treasury_usdc, 79_999);
        assert_eq!(
            failing(&run(&s)),
            vec![(
                "escrow.treasury_usdc".into(),
                Some("79999".into()),
                Some("80000".into()),
                Verdict::Mismatch
            )]
        );
    }

    #[test]
    fn buybacks_against_the_burn_ledger_the_api_and_the_attested_price() {
        let mut s = snapshot();
        s.chain.escrow.buyback_io_burned += 1;
        s.served = ledger_net::served(&s.chain);
        assert_eq!(
            failing(&run(&s)),
            vec![(
                "escrow.buyback_burned".into(),
                Some("400000001".into()),
                Some("400000000".into()),
                Verdict::Mismatch
            )]
        );
        let mut s = snapshot();
        forge(&mut s, "/v1/network", "/buybacks/usdc_spent", json!(1));
        assert_eq!(
            failing(&run(&s)),
            vec![(
                "escrow.buyback_usdc_spent".into(),
                Some("100000".into()),
                Some("1".into()),
                Verdict::Mismatch
            )]
        );
        // A feed price that is not its report's.
        let mut s = snapshot();
        s.chain.price.as_mut().unwrap().usdc_per_io = 260_000;
        let rows = run(&s);
        assert_eq!(
            failing(&rows),
            vec![(
                "escrow.price_feed".into(),
                Some("260000".into()),
                Some("250000".into()),
                Verdict::Mismatch
            )]
        );
        let r = rows.iter().find(|r| r.figure == "escrow.price_feed").unwrap();
        assert_eq!(r.served_by, Some(format!("report {PRICE_PERIOD}")));
        // A feed naming a period with no certified report.
        s.chain.reports.clear();
        let f = failing(&run(&s));
        assert_eq!(f, vec![("escrow.price_feed".into(), None, None, Verdict::Missing)]);
    }

    #[test]
    fn a_lease_the_indexer_invents_is_caught() {
        let mut s = snapshot();
        let list = s.served.answers.get_mut("/v1/leases").unwrap().as_array_mut().unwrap();
        let mut extra = list[0].clone();
        extra["address"] = json!(Pubkey::new_unique().to_string());
        list.push(extra);
        let f = failing(&run(&s));
        assert_eq!(f[0], ("escrow.leases".into(), Some("2".into()), Some("3".into()), Verdict::Mismatch));
    }
}

#[cfg(test)]
mod buyback_event_tests {
    use super::super::supply::ledger_net::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn each_buyback_against_its_attested_price() {
        let s = snapshot();
        let rows = rows_of(check, &s);
        assert_eq!(failing(&rows), vec![]);
        let r = rows.iter().find(|r| r.figure == "escrow.buyback.0.price").unwrap();
        assert_eq!(
            (r.recomputed.as_deref(), r.served.as_deref(), r.verdict),
            (Some("250000"), Some("250000"), Verdict::Ok)
        );
        // Bought below the price less the slippage (3%: at least 388,000,000 for 0.1 USDC).
        let mut s = snapshot();
        forge(&mut s, BUYBACK_EVENTS, "/0/payload/io_burned", json!(387_999_999));
        assert_eq!(
            failing(&rows_of(check, &s)),
            vec![
                (
                    "escrow.buyback.0.price".into(),
                    Some("257731".into()),
                    Some("250000".into()),
                    Verdict::Mismatch
                ),
                (
                    "escrow.buyback_events.io_burned".into(),
                    Some("400000000".into()),
                    Some("387999999".into()),
                    Verdict::Mismatch
                ),
            ]
        );
        // A buyback dropped from the list.
        let mut s = snapshot();
        s.served.answers.insert(BUYBACK_EVENTS.into(), json!([]));
        let f = failing(&rows_of(check, &s));
        assert_eq!(f.len(), 3);
        assert_eq!(
            f[2],
            ("escrow.buyback_events.count".into(), Some("1".into()), Some("0".into()), Verdict::Mismatch)
        );
    }

    #[test]
    fn buyback_events_not_gathered_or_failed() {
        let mut s = snapshot();
        s.served.answers.remove(BUYBACK_EVENTS);
        let rows = rows_of(check, &s);
        assert_eq!(failing(&rows), vec![]);
        let r = rows.iter().find(|r| r.figure == "escrow.buyback_events").unwrap();
        assert_eq!(r.verdict, Verdict::Recomputed);
        s.served.errors.insert(BUYBACK_EVENTS.into(), "HTTP 503".into());
        assert_eq!(
            failing(&rows_of(check, &s)),
            vec![("escrow.buyback_events".into(), None, None, Verdict::Missing)]
        );
    }
}
