//! Reads of the operators table and the operator (provider) page: `/v1/operators` and
//! `/v1/operators/{address}`.
//!
//! The table is sorted and filtered server-side over every operator (10,000 and more): stake,
//! commission, GPUs and uptime are stored columns with an index each (GPUs, device counts and
//! uptime kept by triggers on `devices`, see the `operator_table` migration), and the estimated
//! APY has an expression index on its ordering expression, so a page walks an index (plans and
//! timings: `benches/operators.rs`). Pages are numbered
//! (`offset` and the filtered `total`: the web app's table shows page numbers) or keyset
//! (`cursor`, every sort but the APY's).
use super::conn::{Conn, Stmt};
use super::plan::Val;
use super::read::{json, page, Page, Where, DEVICE_COLS};
use super::rows::staking::{DeviceRow, OperatorRow, OperatorSummary, SlashRow};
use super::rows::U64;
use serde::Serialize;
use serde_json::{Map, Value};

/// An operator's status, from its devices and bond: `jailed` when the oracle jailed one of its
/// devices, else `active` with at least one active device, else `exiting` when it has asked for
/// its bond back, else `inactive` (registered, nothing active yet or any more).
pub const STATUS: &str =
    "(CASE WHEN o.devices_jailed > 0 THEN 'jailed' WHEN o.devices_active > 0 THEN 'active' \
    WHEN o.bond_withdrawing > 0 THEN 'exiting' ELSE 'inactive' END)";

/// The statuses, as [`STATUS`] spells them.
pub const STATUSES: [&str; 4] = ["active", "jailed", "exiting", "inactive"];

/// How far back `commission_changed_7d` looks, in seconds of chain time.
pub const COMMISSION_CHANGE_WINDOW_SECS: i64 = 7 * 24 * 3_600;

/// The ordering of the estimated APY (`io_sdk::views::staking::estimated_net_apy_bps` without its
/// rounding): the same order except between rows whose figures differ by rounding alone. No
/// estimate sorts below every estimate. The index `operators_apy` is on this very expression (the
/// databases match an ORDER BY to an expression index by its parsed form), so the sort walks it.
const APY_KEY: &str = "(CASE WHEN o.stake_tokens > 0 AND o.reward_last_span > 0 \
    THEN CAST(o.reward_last_amount AS DOUBLE PRECISION) * (10000 - o.commission_bps) \
         / (o.reward_last_span * CAST(o.stake_tokens AS DOUBLE PRECISION)) ELSE -1 END)";

const OPERATOR_COLS: &str = "o.address, o.authority, o.name, o.region, o.metadata_url, o.commission_bps, \
    o.pending_commission_bps, o.commission_effective_ts, o.bond, o.bond_withdrawing, o.bond_unlock_ts, o.required_bond, \
    o.devices_active, o.stake_shares, o.stake_tokens, o.unbonding_tokens, o.reward_per_share, o.commission_claimable, \
    o.delegator_count, o.slash_count, o.total_slashed, o.registered_ts, o.slot, \
    COALESCE(o.devices_registered, 0) AS devices_registered, \
    o.gpus_active, o.gpus_total, o.devices_live, o.devices_jailed, o.uptime_bps, o.gpu_models AS gpu_models_text, \
    o.reward_last_amount, o.reward_last_span, o.commission_requested_ts, o.commission_change_effective_ts";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorSort {
    /// Active delegated stake.
    Stake,
    Commission,
    /// GPUs of active devices.
    Gpus,
    Uptime,
    /// Estimated net APY.
    Apy,
}

impl OperatorSort {
    pub fn name(self) -> &'static str {
        match self {
            OperatorSort::Stake => "stake",
            OperatorSort::Commission => "commission",
            OperatorSort::Gpus => "gpus",
            OperatorSort::Uptime => "uptime",
            OperatorSort::Apy => "apy",
        }
    }

    /// The order a table shows first: most stake, lowest commission, most GPUs, best uptime,
    /// best APY.
    pub fn default_desc(self) -> bool {
        self != OperatorSort::Commission
    }

    /// The sorted column, and whether its index lists it descending (`operators_stake` is
    /// `(stake_tokens DESC, address)`, the others ascending). The address breaks ties in the
    /// index's direction, so either order walks the index (forwards or backwards).
    fn column(self) -> (&'static str, bool) {
        match self {
            OperatorSort::Stake => ("o.stake_tokens", true),
            OperatorSort::Commission => ("o.commission_bps", false),
            OperatorSort::Gpus => ("o.gpus_active", false),
            OperatorSort::Uptime => ("o.uptime_bps", false),
            OperatorSort::Apy => (APY_KEY, false), // `operators_apy`
        }
    }

    fn key(self, r: &OperatorRow) -> i64 {
        match self {
            OperatorSort::Stake => r.stake_tokens.map_or(0, |u| i64::try_from(u.0).unwrap_or(i64::MAX)),
            OperatorSort::Commission => r.commission_bps.unwrap_or(0),
            OperatorSort::Gpus => r.gpus_active.unwrap_or(0),
            OperatorSort::Uptime => r.uptime_bps.unwrap_or(0),
            OperatorSort::Apy => 0,
        }
    }
}

#[derive(Clone, Debug)]
pub struct OperatorFilter {
    pub region: Option<String>,
    pub gpu_model: Option<String>,
    pub min_vram: Option<i64>,
    pub green: Option<bool>,
    /// One of [`STATUSES`].
    pub status: Option<String>,
    pub min_uptime_bps: Option<i64>,
    pub max_commission_bps: Option<i64>,
    /// Part of the name (any case) or the start of the address.
    pub q: Option<String>,
    pub sort: OperatorSort,
    pub desc: bool,
    /// (sort value, address) of the last row of the previous page (not for `Apy`).
    pub after: Option<(i64, String)>,
    pub offset: u32,
    pub limit: u32,
}

/// A page of the table and how many operators match the filters.
#[derive(Debug)]
pub struct OperatorTable {
    pub page: Page<OperatorSummary, (i64, String)>,
    pub total: i64,
}

/// `%`, `_` and the escape character itself taken literally in a `LIKE` pattern.
fn like_literal(s: &str) -> String {
    s.chars().fold(String::new(), |mut out, ch| {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
        out
    })
}

fn filters(s: &mut Stmt, w: &mut Where, f: &OperatorFilter) {
    if let Some(r) = &f.region {
        w.next(s);
        s.push("o.region = ").bind(Val::T(r.clone()));
    }
    if f.gpu_model.is_some() || f.min_vram.is_some() || f.green.is_some() {
        w.next(s);
        s.push("EXISTS (SELECT 1 FROM devices d WHERE d.operator = o.address");
        if let Some(m) = &f.gpu_model {
            s.push(" AND d.gpu_model = ").bind(Val::T(m.clone()));
        }
        if let Some(v) = f.min_vram {
            s.push(" AND d.vram_gb >= ").bind(Val::I(v));
        }
        if let Some(g) = f.green {
            s.push(" AND d.green = ").bind(Val::B(g));
        }
        s.push(")");
    }
    if let Some(st) = &f.status {
        w.next(s);
        s.push(STATUS).push(" = ").bind(Val::T(st.clone()));
    }
    if let Some(u) = f.min_uptime_bps {
        w.next(s);
        s.push("o.uptime_bps >= ").bind(Val::I(u));
    }
    if let Some(c) = f.max_commission_bps {
        w.next(s);
        s.push("o.commission_bps <= ").bind(Val::I(c));
    }
    if let Some(q) = &f.q {
        let text = like_literal(q);
        w.next(s);
        // The address prefix compared exactly (base58 is case-sensitive; SQLite's LIKE is not).
        s.push("(LOWER(o.name) LIKE ")
            .bind(Val::T(format!("%{}%", text.to_lowercase())))
            .push(" ESCAPE '\\' OR SUBSTR(o.address, 1, CAST(")
            .bind(Val::I(i64::try_from(q.chars().count()).unwrap_or(i64::MAX)))
            .push(" AS INTEGER)) = ")
            .bind(Val::T(q.clone()))
            .push(")");
    }
}

/// A page of the operators table, at chain time `now`.
pub async fn operators<C: Conn>(
    c: &mut C,
    f: &OperatorFilter,
    now: i64,
) -> Result<OperatorTable, sqlx::Error> {
    let mut count = Stmt::new("SELECT COUNT(*) AS n FROM operators o");
    filters(&mut count, &mut Where(false), f);
    let total = c.fetch(&count).await?.first().and_then(|r| r.get("n")).and_then(Value::as_i64).unwrap_or(0);
    let sort = f.sort;
    let rows: Page<OperatorRow, (i64, String)> =
        page(c.fetch_as(&page_statement(f)).await?, f.limit, |r: &OperatorRow| {
            (sort.key(r), r.address.clone())
        });
    let summaries = rows.rows.into_iter().map(|r| summary(r, now)).collect();
    Ok(OperatorTable { page: Page { rows: summaries, next: rows.next }, total })
}

/// The statement of one page (`limit + 1` rows; public for the benchmark's query plans).
pub fn page_statement(f: &OperatorFilter) -> Stmt {
    let mut s = Stmt::new(format!("SELECT {OPERATOR_COLS}, {STATUS} AS status FROM operators o"));
    let mut w = Where(false);
    filters(&mut s, &mut w, f);
    let (col, index_desc) = f.sort.column();
    // The address runs with the column in the index's direction, against it otherwise.
    let addr_asc = f.desc == index_desc;
    let (dir, addr_dir) = (if f.desc { "DESC" } else { "ASC" }, if addr_asc { "ASC" } else { "DESC" });
    if let Some((v, a)) = &f.after {
        let (cmp, acmp) = (if f.desc { "<" } else { ">" }, if addr_asc { ">" } else { "<" });
        w.next(&mut s);
        s.push(&format!("({col} {cmp} "))
            .bind(Val::I(*v))
            .push(&format!(" OR ({col} = "))
            .bind(Val::I(*v))
            .push(&format!(" AND o.address {acmp} "))
            .bind(Val::T(a.clone()))
            .push("))");
    }
    s.push(&format!(" ORDER BY {col} {dir}, o.address {addr_dir} LIMIT "))
        .bind(Val::I(i64::from(f.limit) + 1))
        .push(" OFFSET ")
        .bind(Val::I(i64::from(f.offset)));
    s
}

/// The row with its derived figures at chain time `now`.
fn summary(row: OperatorRow, now: i64) -> OperatorSummary {
    let mut gpu_models: Vec<String> = row
        .gpu_models_text
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    gpu_models.sort();
    gpu_models.dedup();
    let est_net_apy_bps = io_sdk::views::staking::estimated_net_apy_bps(
        row.reward_last_amount.map_or(0, |u| u.0),
        row.reward_last_span.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        row.commission_bps.and_then(|b| u16::try_from(b).ok()).unwrap_or(u16::MAX),
        row.stake_tokens.map_or(0, |u| u.0),
    );
    // A change requested, or taking effect, within the window before `now`.
    let within = |t: Option<i64>| {
        t.is_some_and(|t| t <= now && t >= now.saturating_sub(COMMISSION_CHANGE_WINDOW_SECS))
    };
    let commission_changed_7d =
        within(row.commission_requested_ts) || within(row.commission_change_effective_ts);
    OperatorSummary { row, gpu_models, est_net_apy_bps, commission_changed_7d }
}

/// An operator's earnings: rewards its pool was paid against certified reports, commission and
/// delegator rewards claimed (Σ of `reward_claims` by kind).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Earnings {
    pub rewards_allotted: u64,
    pub commission_claimed: u64,
    pub delegator_rewards_claimed: u64,
}

super::rows::typed_row! {
/// Σ of one kind of reward claim.
pub struct ClaimSumRow {
    pub kind: String,
    pub total: Option<U64>,
}
}

/// One operator with what its provider page shows: devices (with offers), slashes, commission
/// history, bond required against posted, earnings.
pub async fn operator<C: Conn>(c: &mut C, address: &str, now: i64) -> Result<Option<Value>, sqlx::Error> {
    let s = Stmt::new(format!(
        "SELECT {OPERATOR_COLS}, {STATUS} AS status FROM operators o WHERE o.address = $1"
    ))
    .arg(Val::T(address.to_owned()));
    let Some(row) = c.fetch_as::<OperatorRow>(&s).await?.into_iter().next() else { return Ok(None) };
    let (bond, required) = (row.bond.map_or(0, |u| u.0), row.required_bond.map_or(0, |u| u.0));
    let Value::Object(mut op) = json(&summary(row, now))? else { return Ok(None) };
    let devices: Vec<DeviceRow> = c
        .fetch_as(
            &Stmt::new(format!("SELECT {DEVICE_COLS} FROM devices d LEFT JOIN offers f ON f.device = d.address WHERE d.operator = $1 ORDER BY d.address"))
                .arg(Val::T(address.to_owned())),
        )
        .await?;
    let slashes: Vec<SlashRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT address, idx, amount, evidence_hash, executable_ts, status, from_bond, from_stake, from_unbonding, slot \
                 FROM slashes WHERE operator = $1 ORDER BY idx",
            )
            .arg(Val::T(address.to_owned())),
        )
        .await?;
    let sums: Vec<ClaimSumRow> = c
        .fetch_as(
            &Stmt::new(
                "SELECT kind, CAST(SUM(amount) AS BIGINT) AS total FROM reward_claims WHERE operator = $1 GROUP BY kind",
            )
            .arg(Val::T(address.to_owned())),
        )
        .await?;
    let sum = |k: &str| sums.iter().find(|r| r.kind == k).and_then(|r| r.total).map_or(0, |u| u.0);
    let earnings = Earnings {
        rewards_allotted: sum("operator_report"),
        commission_claimed: sum("commission"),
        delegator_rewards_claimed: sum("delegator"),
    };
    op.insert("devices".into(), json(&devices)?);
    op.insert("slashes".into(), json(&slashes)?);
    op.insert("commission_history".into(), Value::Array(commission_history(c, address).await?));
    op.insert(
        "bond_status".into(),
        serde_json::json!({
            "posted": bond,
            "required": required,
            "free": io_sdk::views::staking::bond_free(bond, required),
            "covered": bond >= required,
        }),
    );
    op.insert("earnings".into(), json(&earnings)?);
    Ok(Some(Value::Object(op)))
}

/// The rate at registration, then every requested change (newest 1,000 of each), oldest first.
async fn commission_history<C: Conn>(c: &mut C, address: &str) -> Result<Vec<Value>, sqlx::Error> {
    let mut history = Vec::new();
    for name in ["OperatorRegistered", "CommissionChangeRequested"] {
        let f = super::read::EventFilter {
            name: Some(name.to_owned()),
            account: Some(address.to_owned()),
            desc: true,
            limit: 1000,
            ..super::read::EventFilter::default()
        };
        for e in super::read::events(c, &f).await?.rows {
            let payload = &e.payload.0;
            let bps = |k: &str| payload.get(k).cloned().unwrap_or(Value::Null);
            let mut h = Map::new();
            h.insert("slot".into(), e.slot.into());
            h.insert("block_time".into(), e.block_time.into());
            h.insert("signature".into(), e.signature.into());
            h.insert("event".into(), name.into());
            h.insert("commission_bps".into(), bps("commission_bps"));
            let registered = name == "OperatorRegistered";
            h.insert(
                "requested_bps".into(),
                if registered { bps("commission_bps") } else { bps("requested_bps") },
            );
            h.insert("effective_ts".into(), if registered { bps("ts") } else { bps("effective_ts") });
            history.push(Value::Object(h));
        }
    }
    history.sort_by_key(|h| h["slot"].as_i64().unwrap_or(0));
    Ok(history)
}
