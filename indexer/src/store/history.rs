//! History series for the app's charts, read from the append-only history logs
//! (`migrations/*/20261220100000_history.sql`, written by the projection) and the existing log
//! tables (burns, reward claims, events), bucketed by chain time (block time).
//!
//! Every series is dense: one point per bucket from `from` to `to`, both rounded down to the
//! bucket. A level (stake, devices, supply) is its value at the end of the bucket — the current
//! value (from the current-state tables) less the deltas after it, or the last value recorded by
//! then, carried forward through quiet buckets; a flow (rewards, claims, burns in the bucket) is
//! the sum of the bucket's events. Each query reads only the rows from `from` on (grouped: one
//! row per non-empty bucket, one for everything after the range), so a chart of the last week
//! costs the last week's rows, however long the history. Rows without a block time (a node that
//! could not say) are left out of the deltas.
use super::conn::{Conn, Stmt};
use super::plan::Val;
use super::read::{self, events, EventFilter};
use super::rows::{typed_row, U64};
use super::{unix_now, Store, StoreError, SyncState};
use io_sdk::views::estimates::{self, CommissionEvent};
use io_sdk::Name;
use io_staking::state::DeviceStatus;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Columns of the history logs (the first four are the event's id, signature, slot, block time).
pub const STAKE_HISTORY_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "operator",
    "staker",
    "kind",
    "amount",
    "stake_before",
    "stake_after",
    "stake_delta",
    "delegators_after",
];
pub const DEVICE_STATUS_HISTORY_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "device", "operator", "status_before", "status_after"];
pub const SUPPLY_HISTORY_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "supply", "total_minted"];
pub const OPERATOR_REWARD_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "operator",
    "kind",
    "period",
    "amount",
    "commission",
    "to_delegators",
];

/// Bucket width of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    Hour,
    Day,
}

impl Bucket {
    pub fn secs(self) -> i64 {
        match self {
            Bucket::Hour => 3_600,
            Bucket::Day => 86_400,
        }
    }
}

/// The buckets of a series: starts `from`, `from + width`, …, `to` (both multiples of the width).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub bucket: Bucket,
    pub from: i64,
    pub to: i64,
}

impl Range {
    /// The range of buckets holding `from` … `to` (unix seconds, `from <= to`).
    pub fn new(bucket: Bucket, from: i64, to: i64) -> Range {
        let w = bucket.secs();
        Range { bucket, from: from.div_euclid(w) * w, to: to.div_euclid(w) * w }
    }

    pub fn len(&self) -> usize {
        usize::try_from((self.to - self.from) / self.bucket.secs() + 1).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bucket starts.
    pub fn starts(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len() as i64).map(move |i| self.from + i * self.bucket.secs())
    }

    /// First second after the last bucket.
    fn end(&self) -> i64 {
        self.to.saturating_add(self.bucket.secs())
    }

    /// The bucket of a time inside the range, −1 before it.
    fn index(&self, t: i64) -> i64 {
        if t < self.from {
            -1
        } else {
            (t - self.from) / self.bucket.secs()
        }
    }

    /// The bucket index of `h.block_time` for rows at or after `from`: `(t − $1) / $2`, and
    /// `$4` (the bucket count) for rows after the range, with the arguments of [`Range::args`].
    const BUCKET_SQL: &'static str = "CASE WHEN h.block_time >= $3 THEN $4 ELSE (h.block_time - $1) / $2 END";

    /// Arguments `$1` … `$4`: `from`, the bucket width, the range end, the bucket count; a
    /// statement's own conditions follow from `$5` (written `$P1`, `$P2`, … in them).
    fn args(&self, s: Stmt) -> Stmt {
        s.arg(Val::I(self.from))
            .arg(Val::I(self.bucket.secs()))
            .arg(Val::I(self.end()))
            .arg(Val::I(self.len() as i64))
    }
}

/// `cond` with its placeholders `$P1`, `$P2`, … numbered from `$first`.
fn numbered(cond: &str, first: usize) -> String {
    let mut out = cond.to_owned();
    for i in (1..=9).rev() {
        out = out.replace(&format!("$P{i}"), &format!("${}", first + i - 1));
    }
    out
}

typed_row! {
/// The sums of one bucket (−1: everything before the range).
pub struct BucketSums {
    pub b: i64,
    pub v0: Option<i64>,
    pub v1: Option<i64>,
    pub v2: Option<i64>,
}
}

/// Up to three sums per bucket of the rows of `from` (a table or join, the history table
/// aliased `h`) from the range start on, matching `cond` (SQL over `h`, its arguments `$P1`, … in
/// `extra`); rows after the range are summed as bucket `len`. `exprs` are SQL expressions;
/// missing ones read as 0. The cost is the rows since `from`, not the whole history.
async fn sums<C: Conn>(
    c: &mut C,
    r: &Range,
    from: &str,
    cond: &str,
    extra: Vec<Val>,
    exprs: &[&str],
) -> Result<Vec<BucketSums>, sqlx::Error> {
    let col = |i: usize| exprs.get(i).copied().unwrap_or("0");
    let sql = format!(
        "SELECT {bucket} AS b, CAST(SUM({a}) AS BIGINT) AS v0, CAST(SUM({b2}) AS BIGINT) AS v1, \
         CAST(SUM({c2}) AS BIGINT) AS v2 FROM {from} WHERE h.block_time >= $1{cond} GROUP BY 1",
        bucket = Range::BUCKET_SQL,
        a = col(0),
        b2 = col(1),
        c2 = col(2),
        cond = numbered(cond, 5),
    );
    let mut s = r.args(Stmt::new(sql));
    s.args.extend(extra);
    c.fetch_as(&s).await
}

/// Levels at the end of each bucket, counted back from `now` (the current value, from the
/// current-state tables): the level at the end of a bucket is `now` less every delta after it.
/// So a database that holds the current state but not every past event (indexed before the
/// history logs existed) still draws the recent past right.
fn levels(r: &Range, rows: &[BucketSums], now: [i64; 3]) -> Vec<[i64; 3]> {
    let mut per = vec![[0i64; 3]; r.len()];
    let mut after = [0i64; 3];
    for x in rows {
        let v = [x.v0.unwrap_or(0), x.v1.unwrap_or(0), x.v2.unwrap_or(0)];
        let target = match usize::try_from(x.b) {
            Ok(i) if i < per.len() => &mut per[i],
            _ => &mut after,
        };
        for k in 0..3 {
            target[k] = target[k].saturating_add(v[k]);
        }
    }
    let mut level = [0i64; 3];
    for k in 0..3 {
        level[k] = now[k].saturating_sub(after[k]);
    }
    for p in per.iter_mut().rev() {
        let delta = *p;
        *p = level;
        for k in 0..3 {
            level[k] = level[k].saturating_sub(delta[k]);
        }
    }
    per
}

/// Flows: the sums of each bucket (nothing carried).
fn flows(r: &Range, rows: &[BucketSums]) -> Vec<[i64; 3]> {
    let mut per = vec![[0i64; 3]; r.len()];
    for x in rows {
        if let Some(p) = usize::try_from(x.b).ok().and_then(|i| per.get_mut(i)) {
            *p = [x.v0.unwrap_or(0), x.v1.unwrap_or(0), x.v2.unwrap_or(0)];
        }
    }
    per
}

typed_row! {
/// The last stake-history row of a bucket.
pub struct StakeLast {
    pub block_time: Option<i64>,
    pub stake_after: Option<U64>,
    pub delegators_after: Option<i64>,
}
}

typed_row! {
/// The last supply-history row of a bucket.
pub struct SupplyLast {
    pub block_time: Option<i64>,
    pub supply: Option<U64>,
    pub total_minted: Option<U64>,
}
}

/// The newest row before the range and the last row of each bucket of `table` rows matching
/// `cond` (`$P1`, … from `extra`), with `cols`, oldest first. Newest by event id (ids order events
/// by slot). Reads the rows since the range start (and walks back from the newest to the first
/// row before it).
async fn lasts<C: Conn, T: super::conn::TypedRow>(
    c: &mut C,
    r: &Range,
    table: &str,
    cols: &str,
    cond: &str,
    extra: Vec<Val>,
) -> Result<Vec<T>, sqlx::Error> {
    let mut before = Stmt::new(format!(
        "SELECT {cols} FROM {table} h WHERE h.block_time < $1{} ORDER BY h.event_id DESC LIMIT 1",
        numbered(cond, 2)
    ))
    .arg(Val::I(r.from));
    before.args.extend(extra.iter().cloned());
    let mut out: Vec<T> = c.fetch_as(&before).await?;
    let mut within = Stmt::new(format!(
        "SELECT {cols} FROM {table} WHERE event_id IN (SELECT MAX(h.event_id) FROM {table} h \
         WHERE h.block_time >= $1 AND h.block_time < $3{} GROUP BY (h.block_time - $1) / $2) ORDER BY event_id",
        numbered(cond, 4)
    ))
    .arg(Val::I(r.from))
    .arg(Val::I(r.bucket.secs()))
    .arg(Val::I(r.end()));
    within.args.extend(extra);
    out.extend(c.fetch_as::<T>(&within).await?);
    Ok(out)
}

/// Values carried forward: for each bucket, the value of the newest row at or before its end
/// (`initial` before any row). `rows` in event order, each with its block time.
fn carried<T: Copy>(r: &Range, rows: &[(i64, Option<T>)], initial: T) -> Vec<T> {
    let mut out = Vec::with_capacity(r.len());
    let mut cur = initial;
    let mut it = rows.iter().peekable();
    for i in 0..r.len() as i64 {
        while let Some((t, v)) = it.peek() {
            if r.index(*t) > i {
                break;
            }
            if let Some(v) = v {
                cur = *v;
            }
            it.next();
        }
        out.push(cur);
    }
    out
}

fn u64_of(v: Option<U64>) -> Option<u64> {
    v.map(|u| u.0)
}

/// The device-status delta expressions: +1 / −1 when a device becomes / stops being active, and
/// the same times its GPU count (names as the projection stores them).
fn active_delta_sql(times: &str) -> String {
    let active = DeviceStatus::Active.name();
    format!(
        "(CASE WHEN h.status_after = '{active}' AND h.status_before <> '{active}' THEN 1 \
         WHEN h.status_before = '{active}' AND h.status_after <> '{active}' THEN -1 ELSE 0 END){times}"
    )
}

// ---------------------------------------------------------------------------------------------
// Network

/// One point of the network history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkPoint {
    /// Bucket start (unix seconds, chain time).
    pub t: i64,
    /// Delegated stake at the end of the bucket ($IO base units).
    pub staked: i64,
    /// Operators registered by the end of the bucket.
    pub operators: i64,
    /// Attested (active) devices and their GPUs at the end of the bucket.
    pub devices_active: i64,
    pub gpus_active: i64,
    /// $IO burned by the end of the bucket, and within it.
    pub burned: i64,
    pub burned_in_bucket: i64,
    /// $IO supply and total minted at the end of the bucket (`null` before the first mint).
    pub supply: Option<u64>,
    pub minted: Option<u64>,
}

typed_row! {
/// The network's levels now, from the current-state tables (where the series count back from).
pub struct NetworkNow {
    pub staked: i64,
    pub operators: i64,
    pub devices_active: i64,
    pub gpus_active: i64,
    pub burned: i64,
}
}

pub async fn network_history<C: Conn>(c: &mut C, r: &Range) -> Result<Vec<NetworkPoint>, sqlx::Error> {
    let now: NetworkNow = c
        .fetch_as(
            &Stmt::new(
                "SELECT (SELECT CAST(COALESCE(SUM(stake_tokens), 0) AS BIGINT) FROM operators) AS staked, \
                 (SELECT COUNT(*) FROM operators) AS operators, \
                 (SELECT COUNT(*) FROM devices WHERE status = $1) AS devices_active, \
                 (SELECT CAST(COALESCE(SUM(gpu_count), 0) AS BIGINT) FROM devices WHERE status = $1) AS gpus_active, \
                 (SELECT CAST(COALESCE(MAX(total_burned), 0) AS BIGINT) FROM supply WHERE id = 'io') AS burned",
            )
            .arg(Val::T(DeviceStatus::Active.name().to_owned())),
        )
        .await?
        .into_iter()
        .next()
        .unwrap_or(NetworkNow { staked: 0, operators: 0, devices_active: 0, gpus_active: 0, burned: 0 });
    let stake = sums(c, r, "stake_history h", "", vec![], &["h.stake_delta"]).await?;
    let ops =
        sums(c, r, "events h", " AND h.event_name = $P1", vec![Val::T("OperatorRegistered".into())], &["1"])
            .await?;
    let devices = sums(
        c,
        r,
        "device_status_history h LEFT JOIN devices d ON d.address = h.device",
        "",
        vec![],
        &[&active_delta_sql(""), &active_delta_sql(" * COALESCE(d.gpu_count, 0)")],
    )
    .await?;
    let burns = sums(c, r, "burns h", "", vec![], &["h.amount"]).await?;
    let supply: Vec<SupplyLast> =
        lasts(c, r, "supply_history", "block_time, supply, total_minted", "", vec![]).await?;
    let stake = levels(r, &stake, [now.staked, 0, 0]);
    let ops = levels(r, &ops, [now.operators, 0, 0]);
    let devices = levels(r, &devices, [now.devices_active, now.gpus_active, 0]);
    let (burned, burned_in) = (levels(r, &burns, [now.burned, 0, 0]), flows(r, &burns));
    let timed = |f: fn(&SupplyLast) -> Option<U64>| -> Vec<(i64, Option<Option<u64>>)> {
        supply.iter().filter_map(|s| Some((s.block_time?, Some(u64_of(f(s)))))).collect()
    };
    let supply_at = carried(r, &timed(|s| s.supply), None);
    let minted_at = carried(r, &timed(|s| s.total_minted), None);
    Ok(r.starts()
        .enumerate()
        .map(|(i, t)| NetworkPoint {
            t,
            staked: stake[i][0],
            operators: ops[i][0],
            devices_active: devices[i][0],
            gpus_active: devices[i][1],
            burned: burned[i][0],
            burned_in_bucket: burned_in[i][0],
            supply: supply_at[i],
            minted: minted_at[i],
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Operator

/// One point of an operator's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OperatorPoint {
    pub t: i64,
    /// Delegated stake and delegators at the end of the bucket.
    pub stake: u64,
    pub delegators: i64,
    /// Commission in force at the end of the bucket (`null` before registration).
    pub commission_bps: Option<u16>,
    /// Rewards allotted to the pool within the bucket, and their split.
    pub rewards: i64,
    pub rewards_commission: i64,
    pub rewards_to_delegators: i64,
    /// Attested (active) devices and their GPUs at the end of the bucket.
    pub devices_active: i64,
    pub gpus_active: i64,
    /// Devices registered and not retired at the end of the bucket, and the active share of them
    /// (bps, rounded down; `null` without such a device): the operators table's `uptime_bps` over
    /// time.
    pub devices_live: i64,
    pub uptime_bps: Option<i64>,
    /// Slashes executed within the bucket and what they took from the stake.
    pub slashes: i64,
    pub slashed_stake: i64,
}

/// The operator's history, or `None` for an unknown operator.
pub async fn operator_history<C: Conn>(
    c: &mut C,
    r: &Range,
    operator: &str,
) -> Result<Option<Vec<OperatorPoint>>, sqlx::Error> {
    // The operator's attested devices and GPUs now (where its device series counts back from).
    let known: Vec<OperatorNow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT o.address, \
                 (SELECT COUNT(*) FROM devices d WHERE d.operator = o.address AND d.status = $2) AS devices_active, \
                 (SELECT CAST(COALESCE(SUM(d.gpu_count), 0) AS BIGINT) FROM devices d \
                  WHERE d.operator = o.address AND d.status = $2) AS gpus_active, \
                 (SELECT COUNT(*) FROM devices d WHERE d.operator = o.address AND d.status <> $3) AS devices_live \
                 FROM operators o WHERE o.address = $1",
            )
            .arg(Val::T(operator.to_owned()))
            .arg(Val::T(DeviceStatus::Active.name().to_owned()))
            .arg(Val::T(DeviceStatus::Retired.name().to_owned())),
        )
        .await?;
    let Some(now) = known.into_iter().next() else { return Ok(None) };
    let op = || vec![Val::T(operator.to_owned())];
    let stake: Vec<StakeLast> = lasts(
        c,
        r,
        "stake_history",
        "block_time, stake_after, delegators_after",
        " AND h.operator = $P1",
        op(),
    )
    .await?;
    let rewards = sums(
        c,
        r,
        "operator_rewards h",
        " AND h.operator = $P1",
        op(),
        &["h.amount", "h.commission", "h.to_delegators"],
    )
    .await?;
    let devices = sums(
        c,
        r,
        "device_status_history h LEFT JOIN devices d ON d.address = h.device",
        " AND h.operator = $P1",
        op(),
        &[&active_delta_sql(""), &active_delta_sql(" * COALESCE(d.gpu_count, 0)")],
    )
    .await?;
    // Live devices: +1 at registration (the device's own registered_ts), −1 at retirement.
    let registered = sums(
        c,
        r,
        "(SELECT registered_ts AS block_time, operator FROM devices) h",
        " AND h.operator = $P1",
        op(),
        &["1"],
    )
    .await?;
    let retired = DeviceStatus::Retired.name();
    let retirements = sums(
        c,
        r,
        "device_status_history h",
        " AND h.operator = $P1",
        op(),
        &[&format!(
            "CASE WHEN h.status_after = '{retired}' AND h.status_before <> '{retired}' THEN -1 ELSE 0 END"
        )],
    )
    .await?;
    let slashes =
        sums(c, r, "stake_history h", " AND h.operator = $P1 AND h.kind = 'slash'", op(), &["1", "h.amount"])
            .await?;
    let commission = commission_events(c, operator).await?;
    let ends: Vec<i64> = r.starts().map(|t| t + r.bucket.secs() - 1).collect();
    let commission_at = estimates::commission_in_force(&commission, &ends);
    let timed_stake: Vec<(i64, Option<u64>)> = stake
        .iter()
        .filter_map(|s| Some((s.block_time?, Some(u64_of(s.stake_after).unwrap_or(0)))))
        .collect();
    let timed_delegators: Vec<(i64, Option<i64>)> =
        stake.iter().filter_map(|s| Some((s.block_time?, s.delegators_after))).collect();
    let stake_at = carried(r, &timed_stake, 0);
    let delegators_at = carried(r, &timed_delegators, 0);
    let devices = levels(r, &devices, [now.devices_active, now.gpus_active, 0]);
    let mut live_changes = registered;
    live_changes.extend(retirements);
    let live = levels(r, &live_changes, [now.devices_live, 0, 0]);
    let (rewards, slashes) = (flows(r, &rewards), flows(r, &slashes));
    Ok(Some(
        r.starts()
            .enumerate()
            .map(|(i, t)| OperatorPoint {
                t,
                stake: stake_at[i],
                delegators: delegators_at[i],
                commission_bps: commission_at[i],
                rewards: rewards[i][0],
                rewards_commission: rewards[i][1],
                rewards_to_delegators: rewards[i][2],
                devices_active: devices[i][0],
                gpus_active: devices[i][1],
                devices_live: live[i][0],
                uptime_bps: (live[i][0] > 0).then(|| devices[i][0].saturating_mul(10_000) / live[i][0]),
                slashes: slashes[i][0],
                slashed_stake: slashes[i][1],
            })
            .collect(),
    ))
}

typed_row! {
/// An operator's attested devices and GPUs now.
pub struct OperatorNow {
    pub address: String,
    pub devices_active: i64,
    pub gpus_active: i64,
    pub devices_live: i64,
}
}

/// The operator's commission events (registration, change requests) in chain order, timed by
/// their block time (a registration by its own `ts`).
async fn commission_events<C: Conn>(c: &mut C, operator: &str) -> Result<Vec<CommissionEvent>, sqlx::Error> {
    let mut out: Vec<(i64, i64, CommissionEvent)> = Vec::new();
    for name in ["OperatorRegistered", "CommissionChangeRequested"] {
        let f = EventFilter {
            name: Some(name.to_owned()),
            account: Some(operator.to_owned()),
            limit: 1_000,
            // The newest thousand (re-sorted below): the rate in force now must never be cut off.
            desc: true,
            ..EventFilter::default()
        };
        for e in events(c, &f).await?.rows {
            let p = &e.payload.0;
            let int = |k: &str| p.get(k).and_then(Value::as_i64);
            let bps = |k: &str| p.get(k).and_then(Value::as_u64).and_then(|v| u16::try_from(v).ok());
            let ev = match name {
                "OperatorRegistered" => int("ts")
                    .zip(bps("commission_bps"))
                    .map(|(ts, commission_bps)| CommissionEvent::Registered { ts, commission_bps }),
                _ => match (e.block_time, bps("commission_bps"), bps("requested_bps"), int("effective_ts")) {
                    (Some(ts), Some(commission_bps), Some(requested_bps), Some(effective_ts)) => {
                        Some(CommissionEvent::ChangeRequested {
                            ts,
                            commission_bps,
                            requested_bps,
                            effective_ts,
                        })
                    }
                    _ => None,
                },
            };
            if let Some(ev) = ev {
                out.push((e.slot, e.id, ev));
            }
        }
    }
    out.sort_by_key(|(slot, id, _)| (*slot, *id));
    Ok(out.into_iter().map(|(_, _, e)| e).collect())
}

// ---------------------------------------------------------------------------------------------
// Wallet rewards

typed_row! {
/// One rewards claim of a staker (`RewardsClaimed`).
pub struct ClaimRow {
    pub event_id: i64,
    pub signature: String,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub operator: Option<String>,
    pub amount: Option<U64>,
}
}

/// One point of a rewards series.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RewardsPoint {
    pub t: i64,
    /// Claimed within the bucket, and claimed in all by its end ($IO base units).
    pub claimed: u64,
    pub cumulative_claimed: u64,
}

/// A position's rewards history.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionRewards {
    pub operator: String,
    pub operator_name: Option<String>,
    /// Claimed in all (every claim, also before the range).
    pub claimed_total: u64,
    /// What `claim_rewards` would pay at the indexed slot (`io_sdk` `PositionView`); `null`
    /// when the counters are not known.
    pub claimable_now: Option<u64>,
    pub points: Vec<RewardsPoint>,
}

/// A wallet's rewards: every position (open now, or with claims), all claims in the range, and
/// the series (total and per position).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WalletRewards {
    /// $IO decimals (io_token's, once its initialization is indexed), for display.
    pub decimals: Option<u8>,
    pub points: Vec<RewardsPoint>,
    pub positions: Vec<PositionRewards>,
    pub claims: Vec<ClaimRow>,
}

/// Most claims listed in one response (the series and totals count every claim).
pub const MAX_CLAIMS: i64 = 10_000;

pub async fn wallet_rewards<C: Conn>(
    c: &mut C,
    r: &Range,
    staker: &str,
) -> Result<WalletRewards, sqlx::Error> {
    let per_op = c
        .fetch(
            &r.args(Stmt::new(format!(
                "SELECT h.operator, {bucket} AS b, CAST(SUM(h.amount) AS BIGINT) AS v FROM reward_claims h \
                 WHERE h.block_time >= $1 AND h.staker = $5 AND h.kind = 'delegator' GROUP BY 1, 2",
                bucket = Range::BUCKET_SQL,
            )))
            .arg(Val::T(staker.to_owned())),
        )
        .await?;
    let claims: Vec<ClaimRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT event_id, signature, slot, block_time, operator, amount FROM reward_claims \
                 WHERE staker = $1 AND kind = 'delegator' AND block_time >= $2 AND block_time < $3 \
                 ORDER BY event_id LIMIT $4",
            )
            .arg(Val::T(staker.to_owned()))
            .arg(Val::I(r.from))
            .arg(Val::I(r.end()))
            .arg(Val::I(MAX_CLAIMS)),
        )
        .await?;
    let totals = c
        .fetch(
            &Stmt::new(
                "SELECT operator, CAST(SUM(amount) AS BIGINT) AS v FROM reward_claims \
                 WHERE staker = $1 AND kind = 'delegator' GROUP BY operator",
            )
            .arg(Val::T(staker.to_owned())),
        )
        .await?;
    let positions = read::wallet_positions(c, staker).await?;
    let decimals = c
        .fetch(&Stmt::new("SELECT decimals FROM supply WHERE id = 'io' AND slot > 0"))
        .await?
        .first()
        .and_then(|r| r.get("decimals").and_then(Value::as_u64))
        .and_then(|d| u8::try_from(d).ok());
    // operator → (bucket → claimed); bucket `len`: after the range.
    let mut by_op: BTreeMap<String, BTreeMap<i64, u64>> = BTreeMap::new();
    for row in &per_op {
        let (Some(op), Some(b)) =
            (row.get("operator").and_then(Value::as_str), row.get("b").and_then(Value::as_i64))
        else {
            continue;
        };
        let v = row.get("v").and_then(Value::as_u64).unwrap_or(0);
        *by_op.entry(op.to_owned()).or_default().entry(b).or_default() += v;
    }
    let total_of = |op: &str| {
        totals
            .iter()
            .find(|t| t.get("operator").and_then(Value::as_str) == Some(op))
            .and_then(|t| t.get("v").and_then(Value::as_u64))
            .unwrap_or(0)
    };
    // The cumulative figure counts back from the total: claimed before the range is the total
    // less what was claimed from its start on.
    let series = |buckets: &BTreeMap<i64, u64>, total: u64| -> Vec<RewardsPoint> {
        let since: u64 = buckets.values().sum();
        let mut cum = total.saturating_sub(since);
        r.starts()
            .enumerate()
            .map(|(i, t)| {
                let claimed = buckets.get(&(i as i64)).copied().unwrap_or(0);
                cum = cum.saturating_add(claimed);
                RewardsPoint { t, claimed, cumulative_claimed: cum }
            })
            .collect()
    };
    let mut ops: Vec<String> = positions.iter().map(|p| p.operator.clone()).collect();
    for op in totals.iter().filter_map(|t| t.get("operator").and_then(Value::as_str)) {
        if !ops.iter().any(|o| o == op) {
            ops.push(op.to_owned());
        }
    }
    let empty = BTreeMap::new();
    let mut all: BTreeMap<i64, u64> = BTreeMap::new();
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let buckets = by_op.get(&op).unwrap_or(&empty);
        for (b, v) in buckets {
            *all.entry(*b).or_default() += v;
        }
        let pos = positions.iter().find(|p| p.operator == op);
        out.push(PositionRewards {
            claimed_total: total_of(&op),
            claimable_now: pos.and_then(|p| p.claimable_rewards),
            operator_name: pos.and_then(|p| p.operator_name.clone()),
            points: series(buckets, total_of(&op)),
            operator: op,
        });
    }
    let total: u64 = out.iter().map(|p| p.claimed_total).sum();
    Ok(WalletRewards { decimals, points: series(&all, total), positions: out, claims })
}

// ---------------------------------------------------------------------------------------------
// Overview

/// The window of the overview's burn figure: 30 days of chain time.
pub const BURN_WINDOW_SECS: i64 = 30 * 86_400;

/// The overview's figures at chain time `now`: stake, operators, attested devices and GPUs by
/// class, the 30-day burn, active leases and the median estimated net APY over the operators
/// with stake (each io_sdk's `estimated_net_apy_bps` of its latest report reward, as the
/// operators table shows it).
pub async fn overview<C: Conn>(c: &mut C, now: i64) -> Result<Value, sqlx::Error> {
    let since = now.saturating_sub(BURN_WINDOW_SECS);
    let one = |rows: super::conn::Rows| rows.into_iter().next().map_or(Value::Null, Value::Object);
    let ops = one(
        c.fetch(&Stmt::new(
            "SELECT COUNT(*) AS operators, COALESCE(SUM(CASE WHEN devices_active > 0 THEN 1 ELSE 0 END), 0) AS operators_active, \
             CAST(COALESCE(SUM(stake_tokens), 0) AS BIGINT) AS staked FROM operators",
        ))
        .await?,
    );
    let active = DeviceStatus::Active.name();
    let by_class = c
        .fetch(
            &Stmt::new(
                "SELECT class, COUNT(*) AS devices, CAST(COALESCE(SUM(gpu_count), 0) AS BIGINT) AS gpus FROM devices \
                 WHERE status = $1 GROUP BY class ORDER BY class",
            )
            .arg(Val::T(active.to_owned())),
        )
        .await?;
    let burn = one(
        c.fetch(
            &Stmt::new(
                "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS burned_30d FROM burns WHERE block_time > $1 AND block_time <= $2",
            )
            .arg(Val::I(since))
            .arg(Val::I(now)),
        )
        .await?,
    );
    let open = io_escrow::state::LeaseStatus::Open.name();
    let leases = one(c
        .fetch(
            &Stmt::new("SELECT COUNT(*) AS active_leases FROM leases WHERE status = $1")
                .arg(Val::T(open.into())),
        )
        .await?);
    let report =
        "FROM operator_rewards r WHERE r.operator = o.address AND r.kind = 'report' ORDER BY r.period DESC";
    let pools: Vec<PoolReward> = c
        .fetch_as(&Stmt::new(format!(
            "SELECT o.address, o.stake_tokens, o.commission_bps, \
             (SELECT r.amount {report} LIMIT 1) AS last_amount, \
             (SELECT r.period {report} LIMIT 1) AS last_period, \
             (SELECT r.period {report} LIMIT 1 OFFSET 1) AS previous_period \
             FROM operators o WHERE o.stake_tokens > 0"
        )))
        .await?;
    let mut apys: Vec<u64> = pools
        .iter()
        .filter_map(|p| {
            let last = u64_of(p.last_period)?;
            // The periods the last reward paid for: since the previous one. A first reward pays
            // for every period since the operator began to earn: no estimate from it.
            let span = last.saturating_sub(u64_of(p.previous_period)?).max(1);
            io_sdk::views::staking::estimated_net_apy_bps(
                u64_of(p.last_amount).unwrap_or(0),
                span,
                p.commission_bps.and_then(|b| u16::try_from(b).ok()).unwrap_or(u16::MAX),
                u64_of(p.stake_tokens).unwrap_or(0),
            )
        })
        .collect();
    let operators_with_apy = apys.len();
    let median = estimates::median(&mut apys);
    let devices: i64 = by_class.iter().filter_map(|r| r.get("devices").and_then(Value::as_i64)).sum();
    let gpus: i64 = by_class.iter().filter_map(|r| r.get("gpus").and_then(Value::as_i64)).sum();
    Ok(json!({
        "chain_time": now,
        "staked": ops.get("staked").cloned().unwrap_or(Value::Null),
        "operators": ops.get("operators").cloned().unwrap_or(Value::Null),
        "operators_active": ops.get("operators_active").cloned().unwrap_or(Value::Null),
        "devices_attested": devices,
        "gpus_attested": gpus,
        "by_class": by_class,
        "burned_30d": burn.get("burned_30d").cloned().unwrap_or(Value::Null),
        "burn_window_secs": BURN_WINDOW_SECS,
        "active_leases": leases.get("active_leases").cloned().unwrap_or(Value::Null),
        "median_net_apy_bps": median,
        "operators_with_apy": operators_with_apy,
    }))
}

typed_row! {
/// An operator's stake, commission and latest report rewards (the APY estimate's inputs).
pub struct PoolReward {
    pub address: String,
    pub stake_tokens: Option<U64>,
    pub commission_bps: Option<i64>,
    pub last_amount: Option<U64>,
    pub last_period: Option<U64>,
    pub previous_period: Option<U64>,
}
}

// ---------------------------------------------------------------------------------------------

/// The chain time reads are evaluated at: the indexed slot's block time, or the clock before any.
pub fn chain_time(sync: &SyncState) -> i64 {
    sync.indexed_block_time.unwrap_or_else(unix_now)
}

impl Store {
    pub async fn network_history(&self, r: &Range) -> Result<(SyncState, Vec<NetworkPoint>), StoreError> {
        Ok(read_tx!(self, |c, _s| network_history(c, r)))
    }

    pub async fn operator_history(
        &self,
        r: &Range,
        operator: &str,
    ) -> Result<(SyncState, Option<Vec<OperatorPoint>>), StoreError> {
        Ok(read_tx!(self, |c, _s| operator_history(c, r, operator)))
    }

    pub async fn wallet_rewards(
        &self,
        r: &Range,
        staker: &str,
    ) -> Result<(SyncState, WalletRewards), StoreError> {
        Ok(read_tx!(self, |c, _s| wallet_rewards(c, r, staker)))
    }

    /// The network figures (`read::network`) with the overview's (`overview`, at the indexed
    /// slot's chain time) under `overview`, from one read.
    pub async fn network_with_overview(&self) -> Result<(SyncState, Value), StoreError> {
        Ok(read_tx!(self, |c, sync| async move {
            let mut n = read::network(c).await?;
            let o = overview(c, chain_time(&sync)).await?;
            if let Some(m) = n.as_object_mut() {
                m.insert("overview".into(), o);
            }
            Ok::<Value, sqlx::Error>(n)
        }))
    }
}
