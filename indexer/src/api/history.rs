//! History series for the app's charts: `/v1/network/history`, `/v1/operators/{address}/history`
//! and `/v1/wallets/{address}/rewards` (JSON, or CSV with `format=csv`). Each takes `bucket`
//! (`hour` or `day`, chain time) and `from`/`to` (unix seconds of chain time): `to` defaults to the
//! indexed slot's block time, `from` to 7 days (hourly) or 90 days (daily) before `to`; at most
//! [`MAX_POINTS`] buckets are served (see [`range`]); a value that is not such a time, an unknown
//! bucket or format, or an unknown parameter is a 400 naming it. The body is `{slot, finalized_slot, data: {bucket, from, to, points: [{t, …}], …}}` with `t` the
//! bucket start; the series and their rules are in `store::history`.
use super::params::{address, ApiError};
use super::query::{QueryParams, TypedQuery};
use super::{reply, AppState};
use crate::store::history::{chain_time, Bucket, ClaimRow, Range, WalletRewards};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

/// Most buckets one series may span (83 days hourly, 5½ years daily).
pub const MAX_POINTS: i64 = 2_000;
/// Default span before `to`.
const DEFAULT_HOURS: i64 = 7 * 24;
const DEFAULT_DAYS: i64 = 90;

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BucketParam {
    #[default]
    Hour,
    Day,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FormatParam {
    #[default]
    Json,
    Csv,
}

/// `bucket`, `from`, `to` of the network and operator series.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    #[serde(default)]
    pub bucket: BucketParam,
    pub from: Option<u64>,
    pub to: Option<u64>,
}

impl QueryParams for HistoryQuery {
    const NAMES: &'static [&'static str] = &["bucket", "from", "to"];
}

/// The same plus `format` for the rewards history.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardsQuery {
    #[serde(default)]
    pub bucket: BucketParam,
    pub from: Option<u64>,
    pub to: Option<u64>,
    #[serde(default)]
    pub format: FormatParam,
}

impl QueryParams for RewardsQuery {
    const NAMES: &'static [&'static str] = &["bucket", "from", "to", "format"];
}

/// The largest `from`/`to` accepted: the last second of the year 9999 (and exact in a JSON
/// number, which a browser reads as a double).
pub const MAX_TIME: i64 = 253_402_300_799;

/// The bucket range of a request, `to` defaulting to the chain time `now` and `from` to the
/// default span before `to`. Every combination the document admits is answered (schemathesis
/// checks that schema-valid requests are accepted, and the document cannot relate the two
/// parameters): `from` after `to` is an empty series, and a range wider than [`MAX_POINTS`]
/// buckets keeps its last [`MAX_POINTS`] (`data.from` says where the series starts).
pub fn range(bucket: BucketParam, from: Option<u64>, to: Option<u64>, now: i64) -> Result<Range, ApiError> {
    let bucket = match bucket {
        BucketParam::Hour => Bucket::Hour,
        BucketParam::Day => Bucket::Day,
    };
    let time = |name: &str, v: Option<u64>| {
        v.map(|n| {
            i64::try_from(n)
                .ok()
                .filter(|t| *t <= MAX_TIME)
                .ok_or_else(|| ApiError::bad(name, format!("must be unix seconds from 0 to {MAX_TIME}")))
        })
        .transpose()
    };
    let w = bucket.secs();
    let to = time("to", to)?.unwrap_or(now.max(0));
    let span = match bucket {
        Bucket::Hour => DEFAULT_HOURS,
        Bucket::Day => DEFAULT_DAYS,
    };
    // The default: `span` whole buckets, the last one holding `to`.
    let from = time("from", from)?.unwrap_or_else(|| (to.div_euclid(w) * w - (span - 1) * w).max(0));
    let widest = to.div_euclid(w) * w - (MAX_POINTS - 1) * w;
    Ok(Range::new(bucket, from.max(widest), to))
}

/// `{bucket, from, to, points}` and any `extra` fields.
fn series<T: serde::Serialize>(r: &Range, points: T, extra: Value) -> Value {
    let mut v = json!({ "bucket": r.bucket, "from": r.from, "to": r.to, "points": points });
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        o.extend(e);
    }
    v
}

async fn now(st: &AppState) -> Result<i64, ApiError> {
    Ok(chain_time(&st.store.sync_state().await?))
}

/// `GET /v1/network/history`.
pub async fn network(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    let r = range(q.bucket, q.from, q.to, now(&st).await?)?;
    let (sync, points) = st.store.network_history(&r).await?;
    Ok(reply(&sync, series(&r, points, json!({})), None))
}

/// `GET /v1/operators/{address}/history`.
pub async fn operator(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    TypedQuery(q): TypedQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    let addr = address("address", &addr)?;
    let r = range(q.bucket, q.from, q.to, now(&st).await?)?;
    let (sync, points) = st.store.operator_history(&r, &addr).await?;
    let points = points.ok_or_else(|| ApiError::not_found("address", "no operator at this address"))?;
    Ok(reply(&sync, series(&r, points, json!({ "operator": addr })), None))
}

/// `GET /v1/wallets/{address}/rewards`.
pub async fn wallet_rewards(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    TypedQuery(q): TypedQuery<RewardsQuery>,
) -> Result<Response, ApiError> {
    let addr = address("address", &addr)?;
    let r = range(q.bucket, q.from, q.to, now(&st).await?)?;
    let (sync, w) = st.store.wallet_rewards(&r, &addr).await?;
    if q.format == FormatParam::Csv {
        let mut res = csv(&w).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
        let name = format!("attachment; filename=\"io-rewards-{addr}.csv\"");
        if let Ok(v) = HeaderValue::from_str(&name) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        if let Ok(v) = HeaderValue::from_str(&sync.indexed_slot.to_string()) {
            res.headers_mut().insert("x-indexed-slot", v);
        }
        return Ok(res);
    }
    let WalletRewards { decimals, points, positions, claims } = w;
    Ok(reply(
        &sync,
        series(
            &r,
            points,
            json!({ "wallet": addr, "decimals": decimals, "positions": positions, "claims": claims }),
        ),
        None,
    ))
}

/// The CSV header: one row per claim in the range, oldest first.
pub const CSV_HEADER: &str = "time_unix,time_utc,slot,signature,operator,amount_base_units,amount_io";

/// The claims of the range as CSV (RFC 4180; every field is base58, digits or an ISO time, so
/// none needs quoting). `amount_io` is empty while the token's decimals are unknown.
fn csv(w: &WalletRewards) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for c in &w.claims {
        let ClaimRow { block_time, slot, signature, operator, amount, .. } = c;
        let amount = amount.map_or(0, |a| a.0);
        let io = w.decimals.map(|d| io_sdk::amount::format(amount, d)).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{slot},{signature},{},{amount},{io}\r\n",
            block_time.map(|t| t.to_string()).unwrap_or_default(),
            block_time.map(utc).unwrap_or_default(),
            operator.as_deref().unwrap_or_default(),
        ));
    }
    out
}

/// Unix seconds as an ISO 8601 UTC time (`2026-11-29T12:00:00Z`), by the civil-from-days
/// conversion of the proleptic Gregorian calendar.
pub fn utc(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3_600, secs % 3_600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_950_000), "2026-11-29T11:00:00Z");
        assert_eq!(utc(4_102_444_799), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn ranges_default_round_and_clamp() {
        let now = 1_000_000_000;
        let r = range(BucketParam::Hour, None, None, now).unwrap();
        assert_eq!((r.len(), r.to), (168, now / 3_600 * 3_600));
        let r = range(BucketParam::Day, None, None, now).unwrap();
        assert_eq!(r.len(), 90);
        let r = range(BucketParam::Hour, Some(3_601), Some(7_199), now).unwrap();
        assert_eq!((r.from, r.to, r.len()), (3_600, 3_600, 1));
        // `from` after `to`: an empty series.
        assert_eq!(range(BucketParam::Hour, Some(7_200), Some(3_599), now).unwrap().len(), 0);
        // Too wide: the last MAX_POINTS buckets.
        let r = range(BucketParam::Hour, Some(0), Some(3_600 * 5_000), now).unwrap();
        assert_eq!((r.len() as i64, r.to, r.from), (MAX_POINTS, 3_600 * 5_000, 3_600 * 3_001));
        let r = range(BucketParam::Day, Some(0), Some(super::MAX_TIME as u64), now).unwrap();
        assert_eq!(r.len() as i64, MAX_POINTS);
        assert_eq!(
            range(BucketParam::Day, None, Some(u64::MAX), now).unwrap_err().parameter.as_deref(),
            Some("to")
        );
        assert_eq!(
            range(BucketParam::Day, Some(super::MAX_TIME as u64 + 1), None, now)
                .unwrap_err()
                .parameter
                .as_deref(),
            Some("from")
        );
        // Early chain time: the default range starts at 0, not before.
        assert_eq!(range(BucketParam::Day, None, None, 5).unwrap().from, 0);
    }
}
