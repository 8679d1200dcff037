//! Reads behind the query API. Filters arrive validated (see `api`); lists use keyset
//! pagination (`limit + 1` rows are read to know whether a next page exists) and never `OFFSET`.
//! Rows come back typed (`store::rows`); the few composite answers (an operator with its devices,
//! a lease with its settlements, the network figures) are assembled as JSON from typed parts.
use super::conn::{Conn, Dialect, Stmt};
use super::plan::Val;
use super::rows::escrow::LeaseRow;
use super::rows::events::{CursorRow, EventRow, TransactionRow};
use super::rows::oracle::ReportRow;
use super::rows::staking::{ClaimedRow, DeviceListRow, PositionCountersRow, TicketRow, WalletPosition};
use super::rows::token::{BurnRow, BurnTotals};
use super::rows::U64;
use super::SyncState;
use serde_json::{Map, Value};

/// A page of rows and the keyset position after its last row, when more rows follow.
#[derive(Debug)]
pub struct Page<T, K> {
    pub rows: Vec<T>,
    pub next: Option<K>,
}

pub(super) fn page<T, K>(mut rows: Vec<T>, limit: u32, key: impl Fn(&T) -> K) -> Page<T, K> {
    let limit = limit as usize;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(key)
    } else {
        None
    };
    Page { rows, next }
}

/// An integer column of a JSON row (the device list's keyset key).
fn get_i(r: &Map<String, Value>, k: &str) -> Option<i64> {
    r.get(k).and_then(Value::as_i64)
}

/// A typed value as the JSON the API serves.
pub(super) fn json<T: serde::Serialize>(v: &T) -> Result<Value, sqlx::Error> {
    serde_json::to_value(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// ` WHERE ` before the first condition, ` AND ` after.
pub(super) struct Where(pub(super) bool);

impl Where {
    pub(super) fn next(&mut self, s: &mut Stmt) {
        s.push(if self.0 { " AND " } else { " WHERE " });
        self.0 = true;
    }
}

// ---------------------------------------------------------------------------------------------
// Devices

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    /// Active device with an active offer, not leased now.
    Available,
    /// Held by a lease until after now.
    Leased,
    /// Anything else (no offer, withdrawn offer, device not active).
    Unlisted,
}

impl Availability {
    pub fn as_str(self) -> &'static str {
        match self {
            Availability::Available => "available",
            Availability::Leased => "leased",
            Availability::Unlisted => "unlisted",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DeviceFilter {
    pub operator: Option<String>,
    pub region: Option<String>,
    pub gpu_model: Option<String>,
    pub min_vram: Option<i64>,
    pub green: Option<bool>,
    pub class: Option<String>,
    pub status: Option<String>,
    pub availability: Option<Availability>,
    /// Rank by proximity (see [`Near`]).
    pub near: Option<Near>,
    /// (distance, address) of the last row of the previous page (distance 0 without `near`).
    pub after: Option<(i64, String)>,
    pub limit: u32,
}

/// How `/v1/devices?near=…` ranks devices.
#[derive(Clone, Debug, PartialEq)]
pub enum Near {
    /// Known regions in distance order with their distance in km (from a point, or from a known
    /// region), then every other region.
    Ranked(Vec<(String, i64)>),
    /// A region with no known location: 0 the region itself, 1 its area (`us-*`), 2 elsewhere.
    Area(String),
}

/// One rank of a proximity query: which regions it holds and how far they are.
enum Tier {
    Region(String, Option<i64>),
    AreaBut(String, String),
    NotArea(String),
    NoneOf(Vec<String>),
}

impl Near {
    fn tiers(&self) -> Vec<Tier> {
        match self {
            Near::Ranked(list) => {
                let mut t: Vec<Tier> =
                    list.iter().map(|(r, km)| Tier::Region(r.clone(), Some(*km))).collect();
                t.push(Tier::NoneOf(list.iter().map(|(r, _)| r.clone()).collect()));
                t
            }
            Near::Area(region) => {
                let area = region.split_once('-').map_or(region.as_str(), |(a, _)| a);
                let prefix = format!("{area}-");
                vec![
                    Tier::Region(region.clone(), None),
                    Tier::AreaBut(prefix.clone(), region.clone()),
                    Tier::NotArea(prefix),
                ]
            }
        }
    }
}

pub(super) const DEVICE_COLS: &str = "d.address, d.operator, d.id_hash, d.worker_key, d.gpu_model, d.gpu_count, d.vram_gb, d.region, d.green, \
    d.class, d.status, d.registered_ts, d.status_ts, d.slot, f.address AS offer, f.price_usdc_per_hour, f.price_io_per_hour, \
    f.min_hours, f.max_hours, f.active AS offer_active, f.lease, f.leased_until";

/// The availability expression at time `$now` (bound by the caller).
fn availability_sql(s: &mut Stmt, now: i64) {
    s.push("(CASE WHEN f.leased_until > ").bind(Val::I(now)).push(
        " THEN 'leased' WHEN d.status = 'active' AND f.active = TRUE THEN 'available' ELSE 'unlisted' END)",
    );
}

/// The filters of a device query (everything but `near` and the cursor), appended to `s`.
fn device_filters(s: &mut Stmt, w: &mut Where, f: &DeviceFilter, now: i64) {
    let text_filters = [
        ("d.operator", &f.operator),
        ("d.region", &f.region),
        ("d.gpu_model", &f.gpu_model),
        ("d.class", &f.class),
        ("d.status", &f.status),
    ];
    for (col, v) in text_filters {
        if let Some(v) = v {
            w.next(s);
            s.push(col).push(" = ").bind(Val::T(v.clone()));
        }
    }
    if let Some(v) = f.min_vram {
        w.next(s);
        s.push("d.vram_gb >= ").bind(Val::I(v));
    }
    if let Some(g) = f.green {
        w.next(s);
        s.push("d.green = ").bind(Val::B(g));
    }
    if let Some(a) = f.availability {
        w.next(s);
        availability_sql(s, now);
        s.push(" = ").bind(Val::T(a.as_str().to_owned()));
    }
}

/// Devices; `now` is the chain time the availability is evaluated at. With `near`, three
/// address-ordered parts — the region itself, the rest of its area (`us-*`), everything else —
/// each reading at most a page through the indexes, concatenated in distance order.
pub async fn devices<C: Conn>(
    c: &mut C,
    f: &DeviceFilter,
    now: i64,
) -> Result<Page<DeviceListRow, (i64, String)>, sqlx::Error> {
    let limit = Val::I(i64::from(f.limit) + 1);
    let mut s = Stmt::default();
    let head = |s: &mut Stmt, distance: i64, extra: &str| {
        s.push(&format!("SELECT {DEVICE_COLS}, "));
        availability_sql(s, now);
        s.push(&format!(
            " AS availability, CAST({distance} AS BIGINT) AS distance{extra} FROM devices d LEFT JOIN offers f ON f.device = d.address"
        ));
    };
    match &f.near {
        None => {
            head(&mut s, 0, "");
            let mut w = Where(false);
            device_filters(&mut s, &mut w, f, now);
            if let Some((_, addr)) = &f.after {
                w.next(&mut s);
                s.push("d.address > ").bind(Val::T(addr.clone()));
            }
            s.push(" ORDER BY d.address LIMIT ").bind(limit);
        }
        Some(near) => {
            // One statement per tier, nearest first, until the page is full: a page is normally
            // filled by the first tier or two, and a union of every tier would read (and plan)
            // a page of each.
            let ranked = matches!(near, Near::Ranked(_));
            let want = f.limit as usize + 1;
            let mut rows: Vec<DeviceListRow> = Vec::new();
            for (distance, tier) in (0i64..).zip(near.tiers()) {
                if rows.len() >= want {
                    break;
                }
                // Parts before the cursor's distance are done; in its part, resume after its address.
                let after = match &f.after {
                    Some((d, _)) if *d > distance => continue,
                    Some((d, a)) if *d == distance => Some(a.clone()),
                    _ => None,
                };
                let mut s = Stmt::default();
                // A literal computed here (never user text), typed for PostgreSQL's UNION.
                let extra = match &tier {
                    Tier::Region(_, Some(km)) if ranked => format!(", CAST({km} AS BIGINT) AS distance_km"),
                    _ if ranked => ", CAST(NULL AS BIGINT) AS distance_km".to_owned(),
                    _ => String::new(),
                };
                head(&mut s, distance, &extra);
                let mut w = Where(false);
                device_filters(&mut s, &mut w, f, now);
                w.next(&mut s);
                match tier {
                    Tier::Region(region, _) => {
                        s.push("d.region = ").bind(Val::T(region));
                    }
                    Tier::AreaBut(prefix, region) => {
                        // The length is computed here, not user text: a literal keeps PostgreSQL
                        // on substr(text, int, int).
                        s.push(&format!("substr(d.region, 1, {}) = ", prefix.len()))
                            .bind(Val::T(prefix))
                            .push(" AND d.region <> ")
                            .bind(Val::T(region));
                    }
                    Tier::NotArea(prefix) => {
                        s.push(&format!("substr(d.region, 1, {}) <> ", prefix.len())).bind(Val::T(prefix));
                    }
                    Tier::NoneOf(regions) => {
                        s.push("d.region NOT IN ").bind_list(regions.into_iter().map(Val::T));
                    }
                }
                if let Some(a) = after {
                    s.push(" AND d.address > ").bind(Val::T(a));
                }
                s.push(" ORDER BY d.address LIMIT ").bind(Val::I((want - rows.len()) as i64));
                rows.extend(c.fetch_as::<DeviceListRow>(&s).await?);
            }
            return Ok(page(rows, f.limit, device_key));
        }
    }
    Ok(page(c.fetch_as(&s).await?, f.limit, device_key))
}

/// The keyset key of a device row: (distance, address).
fn device_key(r: &DeviceListRow) -> (i64, String) {
    (r.distance, r.device.address.clone())
}

// ---------------------------------------------------------------------------------------------
// Positions

/// The positions of a wallet, with their value at the operator's current pool rate, pending
/// unstake tickets and rewards claimed. The figures are `io_sdk::views::staking::PositionView`'s
/// (the program's own value and claimable computations), from the stored counters.
pub async fn wallet_positions<C: Conn>(c: &mut C, staker: &str) -> Result<Vec<WalletPosition>, sqlx::Error> {
    let rows: Vec<PositionCountersRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT p.operator, p.staker, p.address, p.shares, p.rewards_owed, p.reward_per_share_paid, p.slot, \
                 p.activating_shares, p.activation_period, \
                 o.name AS operator_name, o.commission_bps, o.stake_shares AS pool_shares, o.stake_tokens AS pool_tokens, \
                 o.activating_shares AS pool_activating_shares, o.reward_per_share AS pool_reward_per_share, \
                 o.rewards_period AS pool_rewards_period \
                 FROM positions p LEFT JOIN operators o ON o.address = p.operator WHERE p.staker = $1 ORDER BY p.operator",
            )
            .arg(Val::T(staker.to_owned())),
        )
        .await?;
    let tickets: Vec<TicketRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT operator, amount, unbonding_shares, unlock_ts, signature, slot FROM unstake_tickets \
                 WHERE staker = $1 AND withdrawn_slot IS NULL ORDER BY unlock_ts, event_id",
            )
            .arg(Val::T(staker.to_owned())),
        )
        .await?;
    let claimed: Vec<ClaimedRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT operator, CAST(SUM(amount) AS BIGINT) AS claimed FROM reward_claims \
                 WHERE staker = $1 AND kind = 'delegator' GROUP BY operator",
            )
            .arg(Val::T(staker.to_owned())),
        )
        .await?;
    let n = |v: Option<U64>| v.map_or(0, |u| u.0);
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let position = io_sdk::views::staking::PositionCounters {
            shares: n(r.shares),
            activating_shares: n(r.activating_shares),
            activation_period: n(r.activation_period),
            reward_per_share_paid: u128_of(r.reward_per_share_paid.as_deref()),
            rewards_owed: n(r.rewards_owed),
            ..Default::default()
        };
        let pool = io_sdk::views::staking::PoolCounters {
            stake_shares: n(r.pool_shares),
            stake_tokens: n(r.pool_tokens),
            activating_shares: n(r.pool_activating_shares),
            reward_per_share: u128_of(r.pool_reward_per_share.as_deref()),
            rewards_period: n(r.pool_rewards_period),
            ..Default::default()
        };
        let view = io_sdk::views::staking::PositionView::from_counters(&position, &pool).ok();
        let op = r.operator.clone();
        out.push(WalletPosition {
            value: view.as_ref().map_or(0, |v| v.value),
            activating_value: view.as_ref().map_or(0, |v| v.activating),
            activation_period: view.as_ref().and_then(|v| v.activation_period),
            claimable_rewards: view.as_ref().map(|v| v.claimable),
            pending_unstakes: tickets.iter().filter(|t| t.operator == op).cloned().collect(),
            rewards_claimed: claimed.iter().find(|x| x.operator == op).map_or(0, |x| n(x.claimed)),
            operator: r.operator,
            staker: r.staker,
            address: r.address,
            shares: r.shares,
            rewards_owed: r.rewards_owed,
            reward_per_share_paid: r.reward_per_share_paid,
            slot: r.slot,
            activating_shares: r.activating_shares,
            operator_name: r.operator_name,
            commission_bps: r.commission_bps,
            pool_shares: r.pool_shares,
            pool_tokens: r.pool_tokens,
        });
    }
    Ok(out)
}

/// A u128 stored as decimal text.
fn u128_of(v: Option<&str>) -> u128 {
    v.and_then(|t| t.parse().ok()).unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Leases

#[derive(Clone, Debug, Default)]
pub struct LeaseFilter {
    pub renter: Option<String>,
    /// Operator account (PDA): leases holding one of its devices.
    pub operator: Option<String>,
    pub status: Option<String>,
    /// (start_ts, address) of the last row of the previous page; newest first.
    pub after: Option<(i64, String)>,
    pub limit: u32,
}

const LEASE_COLS: &str =
    "l.address, l.renter, l.payment_mint, l.fee_bps, l.hours, l.start_ts, l.end_ts, l.deposit, \
    l.paid, l.fees, l.refunded, l.device_count, l.status, l.slot";

pub async fn leases<C: Conn>(
    c: &mut C,
    f: &LeaseFilter,
) -> Result<Page<LeaseRow, (i64, String)>, sqlx::Error> {
    let mut s = Stmt::new(format!("SELECT {LEASE_COLS} FROM leases l"));
    let mut w = Where(false);
    if let Some(r) = &f.renter {
        w.next(&mut s);
        s.push("l.renter = ").bind(Val::T(r.clone()));
    }
    if let Some(st) = &f.status {
        w.next(&mut s);
        s.push("l.status = ").bind(Val::T(st.clone()));
    }
    if let Some(op) = &f.operator {
        w.next(&mut s);
        s.push(
            "EXISTS (SELECT 1 FROM lease_devices ld JOIN devices d ON d.address = ld.device \
             WHERE ld.lease = l.address AND d.operator = ",
        )
        .bind(Val::T(op.clone()))
        .push(")");
    }
    if let Some((ts, a)) = &f.after {
        w.next(&mut s);
        s.push("(l.start_ts < ")
            .bind(Val::I(*ts))
            .push(" OR (l.start_ts = ")
            .bind(Val::I(*ts))
            .push(" AND l.address < ")
            .bind(Val::T(a.clone()))
            .push("))");
    }
    s.push(" ORDER BY l.start_ts DESC, l.address DESC LIMIT ").bind(Val::I(i64::from(f.limit) + 1));
    Ok(page(c.fetch_as(&s).await?, f.limit, |r: &LeaseRow| (r.start_ts.unwrap_or(0), r.address.clone())))
}

/// One lease with its devices (and what each was paid) and its latest settlements.
pub async fn lease<C: Conn>(c: &mut C, address: &str) -> Result<Option<Value>, sqlx::Error> {
    let s = Stmt::new(format!("SELECT {LEASE_COLS} FROM leases l WHERE l.address = $1"))
        .arg(Val::T(address.to_owned()));
    let Some(l) = c.fetch_as::<LeaseRow>(&s).await?.into_iter().next() else { return Ok(None) };
    let Value::Object(mut l) = json(&l)? else { return Ok(None) };
    let devices = c
        .fetch(
            &Stmt::new(
                "SELECT ld.device, ld.device_index, ld.rate_per_hour, ld.attested_seconds, d.operator, \
                 (SELECT CAST(COALESCE(SUM(st.paid), 0) AS BIGINT) FROM settlements st \
                  WHERE st.lease = ld.lease AND st.device = ld.device) AS paid \
                 FROM lease_devices ld LEFT JOIN devices d ON d.address = ld.device WHERE ld.lease = $1 ORDER BY ld.device_index",
            )
            .arg(Val::T(address.to_owned())),
        )
        .await?;
    let settlements = c
        .fetch(
            &Stmt::new(
                "SELECT event_id, signature, slot, block_time, device, device_index, attested_before, attested_after, paid, fee \
                 FROM settlements WHERE lease = $1 ORDER BY event_id DESC LIMIT 100",
            )
            .arg(Val::T(address.to_owned())),
        )
        .await?;
    l.insert("devices".into(), Value::Array(devices.into_iter().map(Value::Object).collect()));
    l.insert("settlements".into(), Value::Array(settlements.into_iter().map(Value::Object).collect()));
    Ok(Some(Value::Object(l)))
}

// ---------------------------------------------------------------------------------------------
// Burns, supply, network, reports

#[derive(Clone, Debug, Default)]
pub struct BurnFilter {
    pub reason: Option<String>,
    /// Event id of the last row of the previous page; newest first.
    pub after: Option<i64>,
    pub limit: u32,
}

pub async fn burns<C: Conn>(
    c: &mut C,
    f: &BurnFilter,
) -> Result<(Page<BurnRow, i64>, Option<BurnTotals>), sqlx::Error> {
    let mut s = Stmt::new(
        "SELECT event_id, signature, slot, block_time, reason, authority, source, amount FROM burns b",
    );
    let mut w = Where(false);
    if let Some(r) = &f.reason {
        w.next(&mut s);
        s.push("b.reason = ").bind(Val::T(r.clone()));
    }
    if let Some(id) = f.after {
        w.next(&mut s);
        s.push("b.event_id < ").bind(Val::I(id));
    }
    s.push(" ORDER BY b.event_id DESC LIMIT ").bind(Val::I(i64::from(f.limit) + 1));
    let p = page(c.fetch_as(&s).await?, f.limit, |r: &BurnRow| r.event_id);
    // Totals per reason as io_token's ledger records them (its `reason_burned_after` values).
    let totals = c
        .fetch_as(&Stmt::new(
            "SELECT burned_lease_fee AS lease_fee, burned_buyback AS buyback, burned_slash AS slash, \
             burned_other AS other, total_burned AS total FROM supply WHERE id = 'io'",
        ))
        .await?;
    Ok((p, totals.into_iter().next()))
}

pub async fn supply<C: Conn>(c: &mut C) -> Result<Value, sqlx::Error> {
    let rows = c
        .fetch(&Stmt::new(
            "SELECT decimals, max_supply, total_minted, total_burned, supply, burned_lease_fee, burned_buyback, burned_slash, \
             burned_other, emitted, rewards_withdrawn, slot FROM supply WHERE id = 'io'",
        ))
        .await?;
    let Some(mut out) = rows.into_iter().next() else { return Ok(Value::Null) };
    // Circulating supply and the schedule need io_token's config account (from account sync).
    let config = c
        .fetch(&Stmt::new(
            "SELECT state FROM accounts WHERE account_type = 'TokenConfig' AND program = 'io_token'",
        ))
        .await?;
    let state = config
        .first()
        .and_then(|r| r.get("state"))
        .and_then(|v| match v {
            Value::String(t) => serde_json::from_str::<Value>(t).ok(),
            other => Some(other.clone()),
        })
        .unwrap_or(Value::Null);
    let counters = serde_json::from_value::<io_sdk::views::token::SupplyCounters>(state).ok();
    let circ = counters.as_ref().and_then(|c| io_sdk::views::token::circulating(c).ok());
    out.insert("circulating".into(), circ.map_or(Value::Null, Value::from));
    let schedule = counters.as_ref().and_then(emission_schedule);
    out.insert("emission_schedule".into(), schedule.unwrap_or(Value::Null));
    Ok(Value::Object(out))
}

/// Where emissions stand and the next twelve months of the schedule: the sdk's figures
/// (`io_sdk::views::token`: what `emit` will mint next, io_token's own schedule).
fn emission_schedule(c: &io_sdk::views::token::SupplyCounters) -> Option<Value> {
    use io_token::schedule::HOURS_PER_MONTH;
    let next = io_sdk::views::token::next_emission(c).ok()?;
    let months = io_sdk::views::token::months_ahead(c, 12).ok()?;
    Some(serde_json::json!({
        "first_month_emission": c.params.first_month_emission,
        "decay_bps": c.params.decay_bps,
        "start_ts": c.emission.start_ts,
        "emitted": c.emission.emitted,
        "next_hour": next.hour,
        "next_hour_ts": next.starts_ts,
        "next_hour_amount": next.amount,
        "month": c.emission.next_hour / HOURS_PER_MONTH,
        "month_amount": c.emission.month_amount,
        "months": months,
    }))
}

/// One scalar row of an aggregate query.
async fn one<C: Conn>(c: &mut C, sql: &str) -> Result<Value, sqlx::Error> {
    Ok(c.fetch(&Stmt::new(sql)).await?.into_iter().next().map_or(Value::Null, Value::Object))
}

/// Network-wide figures, each recomputable from the stored events and accounts.
pub async fn network<C: Conn>(c: &mut C) -> Result<Value, sqlx::Error> {
    let operators = one(
        c,
        "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN devices_active > 0 THEN 1 ELSE 0 END), 0) AS active, \
         CAST(COALESCE(SUM(stake_tokens), 0) AS BIGINT) AS stake, CAST(COALESCE(SUM(bond), 0) AS BIGINT) AS bond, \
         CAST(COALESCE(SUM(delegator_count), 0) AS BIGINT) AS delegators FROM operators",
    )
    .await?;
    let devices = one(
        c,
        "SELECT COUNT(*) AS total, \
         CAST(COALESCE(SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END), 0) AS BIGINT) AS active, \
         CAST(COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, \
         CAST(COALESCE(SUM(CASE WHEN status = 'jailed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS jailed, \
         CAST(COALESCE(SUM(CASE WHEN status = 'active' THEN gpu_count ELSE 0 END), 0) AS BIGINT) AS gpus_active, \
         CAST(COALESCE(SUM(CASE WHEN status = 'active' AND green = TRUE THEN 1 ELSE 0 END), 0) AS BIGINT) AS green_active \
         FROM devices",
    )
    .await?;
    let by_class = c
        .fetch(&Stmt::new(
            "SELECT class, COUNT(*) AS devices, CAST(COALESCE(SUM(gpu_count), 0) AS BIGINT) AS gpus FROM devices \
             WHERE status = 'active' GROUP BY class ORDER BY class",
        ))
        .await?;
    let leases = one(
        c,
        "SELECT COUNT(*) AS total, CAST(COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0) AS BIGINT) AS open, \
         CAST(COALESCE(SUM(paid), 0) AS BIGINT) AS paid, CAST(COALESCE(SUM(fees), 0) AS BIGINT) AS fees FROM leases",
    )
    .await?;
    let settled = one(
        c,
        "SELECT COUNT(*) AS settlements, CAST(COALESCE(SUM(attested_after - attested_before), 0) AS BIGINT) AS attested_seconds \
         FROM settlements",
    )
    .await?;
    let buybacks = one(
        c,
        "SELECT COUNT(*) AS count, CAST(COALESCE(SUM(usdc_spent), 0) AS BIGINT) AS usdc_spent, \
         CAST(COALESCE(SUM(io_burned), 0) AS BIGINT) AS io_burned FROM buybacks",
    )
    .await?;
    let oracle = c
        .fetch(&Stmt::new(
            "SELECT epoch, members, threshold, slot FROM oracle_set ORDER BY epoch DESC LIMIT 1",
        ))
        .await?
        .into_iter()
        .next()
        .map_or(Value::Null, Value::Object);
    let report = one(
        c,
        "SELECT MAX(period) AS last_certified_period, COUNT(*) AS certified FROM reports WHERE status = 'certified'",
    )
    .await?;
    let supply = supply(c).await?;
    Ok(serde_json::json!({
        "operators": operators,
        "devices": devices,
        "devices_by_class": by_class,
        "leases": leases,
        "settlements": settled,
        "buybacks": buybacks,
        "oracle_set": oracle,
        "reports": report,
        "supply": supply,
    }))
}

pub async fn reports<C: Conn>(c: &mut C, period: i64) -> Result<Vec<ReportRow>, sqlx::Error> {
    c.fetch_as(
        &Stmt::new(
            "SELECT address, period, digest, set_epoch, rewards_root, usage_root, devices_root, slashes_root, usdc_per_io, \
             emission_distributed, device_seconds, devices_attested, expiry_slot, status, signers, posted_by, certified_slot, slot \
             FROM reports WHERE period = $1 ORDER BY status, address",
        )
        .arg(Val::I(period)),
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Transactions

/// One transaction: status, error, our programs' instructions, and its events.
pub async fn transaction<C: Conn>(c: &mut C, signature: &str) -> Result<Option<Value>, sqlx::Error> {
    let s = Stmt::new(
        "SELECT id, signature, slot, block_time, success, err, event_count, instructions, finalized \
         FROM transactions WHERE signature = $1",
    )
    .arg(Val::T(signature.to_owned()));
    let Some(t) = c.fetch_as::<TxWithId>(&s).await?.into_iter().next() else { return Ok(None) };
    let events: Vec<EventRow> = c
        .fetch_as(
            &Stmt::new(format!(
                "SELECT {EVENT_COLS} FROM events e WHERE e.tx_id = $1 ORDER BY e.event_index"
            ))
            .arg(Val::I(t.id)),
        )
        .await?;
    let Value::Object(mut out) = json(&t.tx)? else { return Ok(None) };
    // The error as the node reported it (JSON), not its text.
    let err =
        t.tx.err.as_deref().map(|e| serde_json::from_str(e).unwrap_or_else(|_| Value::String(e.to_owned())));
    out.insert("err".into(), err.unwrap_or(Value::Null));
    out.insert("events".into(), json(&events)?);
    Ok(Some(Value::Object(out)))
}

/// A transaction row and its id (the id stays inside the store).
struct TxWithId {
    id: i64,
    tx: TransactionRow,
}

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for TxWithId
where
    &'static str: sqlx::ColumnIndex<R>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    TransactionRow: sqlx::FromRow<'r, R>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(TxWithId { id: row.try_get("id")?, tx: TransactionRow::from_row(row)? })
    }
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    pub name: Option<String>,
    pub program: Option<String>,
    pub account: Option<String>,
    pub from_slot: Option<i64>,
    pub to_slot: Option<i64>,
    pub desc: bool,
    /// (slot, id) of the last row of the previous page.
    pub after: Option<(i64, i64)>,
    pub limit: u32,
}

const EVENT_COLS: &str =
    "e.id, e.signature, e.ix_path, e.event_index, e.slot, e.block_time, e.program, e.event_name, e.payload, e.finalized";

pub async fn events<C: Conn>(c: &mut C, f: &EventFilter) -> Result<Page<EventRow, (i64, i64)>, sqlx::Error> {
    let dir = if f.desc { "DESC" } else { "ASC" };
    let Some(acc) = &f.account else {
        let mut s = Stmt::new(format!("SELECT {EVENT_COLS} FROM events e"));
        event_filters(&mut s, f, Where(false), ("e.slot", "e.id"));
        s.push(&format!(" ORDER BY e.slot {dir}, e.id {dir} LIMIT ")).bind(Val::I(i64::from(f.limit) + 1));
        return Ok(page(c.fetch_as(&s).await?, f.limit, |r: &EventRow| (r.slot, r.id)));
    };
    // On SQLite the account's rows lie in two tables (see its migration): one page from each
    // over its (account_id, slot, event_id) key, then the first `limit + 1` of both. PostgreSQL
    // has the one (account, slot, event_id) table.
    let (tables, by_account): (&[&str], &str) = match c.dialect() {
        Dialect::Sqlite => (
            &["account_events", "account_events_recent"],
            "a.account_id = (SELECT id FROM account_ids WHERE address = $)",
        ),
        Dialect::Postgres => (&["event_accounts"], "a.account = $"),
    };
    let (before, after) = by_account.split_once('$').unwrap_or((by_account, ""));
    let mut s = Stmt::new("SELECT * FROM (");
    for (i, table) in tables.iter().enumerate() {
        if i > 0 {
            s.push(" UNION ALL SELECT * FROM (");
        }
        s.push(&format!(
            "SELECT {EVENT_COLS} FROM {table} a JOIN events e ON e.id = a.event_id WHERE {before}"
        ))
        .bind(Val::T(acc.clone()))
        .push(after);
        event_filters(&mut s, f, Where(true), ("a.slot", "a.event_id"));
        s.push(&format!(" ORDER BY a.slot {dir}, a.event_id {dir} LIMIT "))
            .bind(Val::I(i64::from(f.limit) + 1))
            .push(&format!(") AS r{i}"));
    }
    s.push(&format!(" ORDER BY slot {dir}, id {dir} LIMIT ")).bind(Val::I(i64::from(f.limit) + 1));
    Ok(page(c.fetch_as(&s).await?, f.limit, |r: &EventRow| (r.slot, r.id)))
}

/// The name, program, slot range and page-cursor conditions of an events query; `(slot, id)`
/// are the columns the page is ordered by.
fn event_filters(s: &mut Stmt, f: &EventFilter, mut w: Where, (slot_col, id_col): (&str, &str)) {
    if let Some(n) = &f.name {
        w.next(s);
        s.push("e.event_name = ").bind(Val::T(n.clone()));
    }
    if let Some(p) = &f.program {
        w.next(s);
        s.push("e.program = ").bind(Val::T(p.clone()));
    }
    if let Some(v) = f.from_slot {
        w.next(s);
        s.push(slot_col).push(" >= ").bind(Val::I(v));
    }
    if let Some(v) = f.to_slot {
        w.next(s);
        s.push(slot_col).push(" <= ").bind(Val::I(v));
    }
    let cmp = if f.desc { "<" } else { ">" };
    if let Some((slot, id)) = f.after {
        w.next(s);
        s.push(&format!("({slot_col}, {id_col}) {cmp} ("))
            .bind(Val::I(slot))
            .push(", ")
            .bind(Val::I(id))
            .push(")");
    }
}

/// Events with an id above `after`, in id order (the live stream), at or below the indexed slot.
/// Ids order events by slot (`store::ids`), and a program behind the others can still add events
/// below ids already served; below the indexed slot every program is stored, so nothing can
/// appear there any more and "after the last id seen" never skips an event.
pub async fn events_since<C: Conn>(
    c: &mut C,
    after: i64,
    name: Option<&str>,
    program: Option<&str>,
    limit: u32,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let mut s = Stmt::new(format!(
        "SELECT {EVENT_COLS} FROM events e WHERE e.slot <= (SELECT indexed_slot FROM sync_state WHERE id = 1) AND e.id > "
    ));
    s.bind(Val::I(after));
    if let Some(n) = name {
        s.push(" AND e.event_name = ").bind(Val::T(n.to_owned()));
    }
    if let Some(p) = program {
        s.push(" AND e.program = ").bind(Val::T(p.to_owned()));
    }
    s.push(" ORDER BY e.id LIMIT ").bind(Val::I(i64::from(limit)));
    c.fetch_as(&s).await
}

/// Cursors and the newest event id at or below the indexed slot (where a live stream without a
/// cursor starts; see [`events_since`]).
pub async fn status<C: Conn>(c: &mut C) -> Result<(Vec<CursorRow>, i64), sqlx::Error> {
    let cursors = c
        .fetch_as(&Stmt::new("SELECT program, last_signature, last_slot FROM cursors ORDER BY program"))
        .await?;
    let last = c
        .fetch(&Stmt::new(
            "SELECT COALESCE(MAX(id), 0) AS last_event_id FROM events \
             WHERE slot <= (SELECT indexed_slot FROM sync_state WHERE id = 1)",
        ))
        .await?;
    Ok((cursors, last.first().and_then(|r| get_i(r, "last_event_id")).unwrap_or(0)))
}

/// How far ingestion and finalization have come (the sync state every read reports).
pub async fn read_sync<C: Conn>(c: &mut C) -> Result<SyncState, sqlx::Error> {
    let rows = c
        .fetch(&Stmt::new(
            "SELECT indexed_slot, indexed_block_time, finalized_slot, chain_slot FROM sync_state WHERE id = 1",
        ))
        .await?;
    let r = rows.first();
    let get = |k: &str| r.and_then(|r| get_i(r, k));
    Ok(SyncState {
        indexed_slot: get("indexed_slot").unwrap_or(0),
        indexed_block_time: get("indexed_block_time"),
        finalized_slot: get("finalized_slot").unwrap_or(0),
        chain_slot: get("chain_slot").unwrap_or(0),
    })
}
