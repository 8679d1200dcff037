//! The query API: `app(state) -> Router`. JSON everywhere; every response carries the slot it
//! reflects (`slot` in the body and the `x-indexed-slot` header) and the finalized slot; lists
//! are keyset-paginated with an opaque `cursor` and `limit` ≤ 1,000; bad parameters are 400s
//! naming the parameter. `/v1/stream` is a Server-Sent Events stream of new events, resumable
//! from an event id (`cursor` or the `Last-Event-ID` header).
pub mod openapi;
pub mod params;

use crate::decode::{events as event_table, Program};
use crate::metrics::METRICS;
use crate::regions;
use crate::store::read::{
    Availability, BurnFilter, DeviceFilter, EventFilter, LeaseFilter, Near, OperatorFilter, OperatorSort,
    OperatorStatus,
};
use crate::store::{Store, SyncState};
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::Stream;
use params::{address, encode_cursor, signature, ApiError, Params};
use serde_json::{json, Map, Value};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Longest region / GPU model accepted in filters (the programs' limits).
const MAX_REGION_LEN: usize = io_staking::MAX_REGION_LEN;
const MAX_GPU_MODEL_LEN: usize = io_staking::MAX_GPU_MODEL_LEN;

/// Shared state of the API.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// How often an idle SSE stream looks for new events.
    pub stream_poll: Duration,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState { store, stream_poll: Duration::from_millis(250) }
    }
}

/// The API router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/status", get(status))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi_json))
        .route("/docs", get(docs))
        .route("/v1/operators", get(operators))
        .route("/v1/operators/{address}", get(operator))
        .route("/v1/devices", get(devices))
        .route("/v1/wallets/{address}/positions", get(positions))
        .route("/v1/leases", get(leases))
        .route("/v1/leases/{address}", get(lease))
        .route("/v1/burns", get(burns))
        .route("/v1/supply", get(supply))
        .route("/v1/network", get(network))
        .route("/v1/reports/{period}", get(reports))
        .route("/v1/transactions/{signature}", get(transaction))
        .route("/v1/events", get(events))
        .route("/v1/stream", get(stream))
        .fallback(not_found)
        .layer(middleware::from_fn(track))
        .with_state(state)
}

async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    METRICS.record_request(&route, res.status().as_u16());
    res
}

async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        parameter: None,
        message: "no such endpoint; see /openapi.json".into(),
    }
}

/// `{ slot, finalized_slot, data, [next_cursor] }` with the `x-indexed-slot` header.
fn reply(sync: &SyncState, data: Value, next_cursor: Option<Option<String>>) -> Response {
    reply_with(sync, data, next_cursor, [])
}

fn reply_with<const N: usize>(
    sync: &SyncState,
    data: Value,
    next_cursor: Option<Option<String>>,
    extra: [(&str, Value); N],
) -> Response {
    let mut body = Map::new();
    body.insert("slot".into(), json!(sync.indexed_slot));
    body.insert("finalized_slot".into(), json!(sync.finalized_slot));
    body.insert("data".into(), data);
    if let Some(next) = next_cursor {
        body.insert("next_cursor".into(), json!(next));
    }
    for (k, v) in extra {
        body.insert(k.to_owned(), v);
    }
    let mut res = Json(Value::Object(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&sync.indexed_slot.to_string()) {
        res.headers_mut().insert("x-indexed-slot", v);
    }
    res
}

/// Typed rows (`store::rows`) as the JSON array the API serves (their serialization cannot fail:
/// plain structs of numbers, strings and JSON values).
fn rows<T: serde::Serialize>(r: Vec<T>) -> Value {
    serde_json::to_value(r).unwrap_or(Value::Null)
}

async fn health(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let sync = st.store.sync_state().await.map_err(ApiError::unavailable)?;
    Ok(reply(&sync, json!({ "status": "ok" }), None))
}

async fn status(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let (sync, (cursors, last_event_id)) = st.store.status().await?;
    let data = json!({
        "indexed_slot": sync.indexed_slot,
        "indexed_block_time": sync.indexed_block_time,
        "finalized_slot": sync.finalized_slot,
        "chain_slot": sync.chain_slot,
        "lag_slots": (sync.chain_slot - sync.indexed_slot).max(0),
        "unfinalized_slots": (sync.indexed_slot - sync.finalized_slot).max(0),
        "last_event_id": last_event_id,
        "cursors": rows(cursors),
    });
    Ok(reply(&sync, data, None))
}

async fn metrics(State(st): State<AppState>) -> Response {
    let sync = st.store.sync_state().await.ok();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], METRICS.render(sync.as_ref())).into_response()
}

async fn openapi_json() -> Json<Value> {
    Json(openapi::document())
}

async fn docs() -> Html<String> {
    Html(openapi::docs_page())
}

// ---------------------------------------------------------------------------------------------

async fn operators(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &["region", "gpu_model", "min_vram", "green", "status", "sort", "cursor", "limit"],
    )?;
    let sort = match p.one_of("sort", &["stake", "commission"])?.as_deref() {
        Some("commission") => OperatorSort::Commission,
        _ => OperatorSort::Stake,
    };
    let kind = match sort {
        OperatorSort::Stake => "operators:stake",
        OperatorSort::Commission => "operators:commission",
    };
    let f = OperatorFilter {
        region: p.text("region", MAX_REGION_LEN)?,
        gpu_model: p.text("gpu_model", MAX_GPU_MODEL_LEN)?,
        min_vram: p.int("min_vram", 0, i64::from(u16::MAX))?,
        green: p.boolean("green")?,
        status: p.one_of("status", &["active", "inactive"])?.map(|s| {
            if s == "active" {
                OperatorStatus::Active
            } else {
                OperatorStatus::Inactive
            }
        }),
        sort,
        after: p.cursor(kind)?,
        limit: p.limit()?,
    };
    let (sync, page) = st.store.operators(&f).await?;
    let next = page.next.map(|k| encode_cursor(kind, k));
    Ok(reply(&sync, rows(page.rows), Some(next)))
}

async fn operator(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let addr = address("address", &addr)?;
    let (sync, op) = st.store.operator(&addr).await?;
    let op = op.ok_or_else(|| ApiError::not_found("address", "no operator at this address"))?;
    Ok(reply(&sync, op, None))
}

const DEVICE_CLASSES: &[&str] = &["cpu", "consumer_gpu", "workstation_gpu", "datacenter_gpu", "flagship_gpu"];
const DEVICE_STATUSES: &[&str] = &["pending", "active", "jailed", "retired"];

async fn devices(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "operator",
            "region",
            "gpu_model",
            "min_vram",
            "green",
            "class",
            "status",
            "availability",
            "near",
            "cursor",
            "limit",
        ],
    )?;
    let near_text = p.text("near", MAX_REGION_LEN)?;
    let near = near_text.as_deref().map(parse_near).transpose()?;
    let kind = match &near_text {
        Some(n) => format!("devices:near:{n}"),
        None => "devices".to_owned(),
    };
    let f = DeviceFilter {
        operator: p.address("operator")?,
        region: p.text("region", MAX_REGION_LEN)?,
        gpu_model: p.text("gpu_model", MAX_GPU_MODEL_LEN)?,
        min_vram: p.int("min_vram", 0, i64::from(u16::MAX))?,
        green: p.boolean("green")?,
        class: p.one_of("class", DEVICE_CLASSES)?,
        status: p.one_of("status", DEVICE_STATUSES)?,
        availability: p.one_of("availability", &["available", "leased", "unlisted"])?.map(|a| {
            match a.as_str() {
                "available" => Availability::Available,
                "leased" => Availability::Leased,
                _ => Availability::Unlisted,
            }
        }),
        near,
        after: p.cursor(&kind)?,
        limit: p.limit()?,
    };
    let (sync, page) = st.store.devices(&f).await?;
    let next = page.next.map(|k| encode_cursor(&kind, k));
    Ok(reply(&sync, rows(page.rows), Some(next)))
}

/// `near`: `lat,lon`, a known region (ranked by distance from it), or another region name
/// (ranked by its area prefix).
fn parse_near(text: &str) -> Result<Near, ApiError> {
    if text.contains(',') {
        let point = regions::parse_point(text).ok_or_else(|| {
            ApiError::bad("near", "must be a region (us-east) or lat,lon in degrees (40.7,-74.0)")
        })?;
        return Ok(Near::Ranked(regions::ranked_from(point)));
    }
    Ok(match regions::coords(text) {
        Some(point) => Near::Ranked(regions::ranked_from(point)),
        None => Near::Area(text.to_owned()),
    })
}

async fn positions(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let addr = address("address", &addr)?;
    let (sync, list) = st.store.wallet_positions(&addr).await?;
    Ok(reply(&sync, rows(list), None))
}

async fn leases(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["renter", "operator", "status", "cursor", "limit"])?;
    let f = LeaseFilter {
        renter: p.address("renter")?,
        operator: p.address("operator")?,
        status: p.one_of("status", &["open", "ended", "closed"])?,
        after: p.cursor("leases")?,
        limit: p.limit()?,
    };
    let (sync, page) = st.store.leases(&f).await?;
    let next = page.next.map(|k| encode_cursor("leases", k));
    Ok(reply(&sync, rows(page.rows), Some(next)))
}

async fn lease(
    State(st): State<AppState>,
    Path(addr): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let addr = address("address", &addr)?;
    let (sync, l) = st.store.lease(&addr).await?;
    let l = l.ok_or_else(|| ApiError::not_found("address", "no lease at this address"))?;
    Ok(reply(&sync, l, None))
}

async fn transaction(
    State(st): State<AppState>,
    Path(sig): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let sig = signature("signature", &sig)?;
    let (sync, t) = st.store.transaction(&sig).await?;
    let t = t.ok_or_else(|| {
        ApiError::not_found("signature", "no transaction of our programs with this signature")
    })?;
    Ok(reply(&sync, t, None))
}

async fn burns(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["reason", "cursor", "limit"])?;
    let f = BurnFilter {
        reason: p.one_of("reason", &["lease_fee", "buyback", "slash", "other"])?,
        after: p.cursor("burns")?,
        limit: p.limit()?,
    };
    let (sync, (page, totals)) = st.store.burns(&f).await?;
    let next = page.next.map(|k| encode_cursor("burns", k));
    Ok(reply_with(
        &sync,
        rows(page.rows),
        Some(next),
        [("totals", serde_json::to_value(totals).unwrap_or(Value::Null))],
    ))
}

async fn supply(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let (sync, s) = st.store.supply().await?;
    Ok(reply(&sync, s, None))
}

async fn network(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let (sync, n) = st.store.network().await?;
    Ok(reply(&sync, n, None))
}

async fn reports(
    State(st): State<AppState>,
    Path(period): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let period = match period.parse::<i64>() {
        Ok(p) if p >= 0 => p,
        _ => {
            return Err(ApiError::bad(
                "period",
                "must be a non-negative integer (hours since the emission start)",
            ))
        }
    };
    let (sync, list) = st.store.reports(period).await?;
    if list.is_empty() {
        return Err(ApiError::not_found("period", "no report posted for this period"));
    }
    Ok(reply(&sync, rows(list), None))
}

async fn events(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &["type", "program", "account", "from_slot", "to_slot", "order", "cursor", "limit"],
    )?;
    let names: Vec<&str> = event_table::names().collect();
    let programs: Vec<&str> = Program::ALL.iter().map(|p| p.name()).collect();
    let desc = p.one_of("order", &["asc", "desc"])?.as_deref() == Some("desc");
    let kind = if desc { "events:desc" } else { "events:asc" };
    let f = EventFilter {
        name: p.one_of("type", &names)?,
        program: p.one_of("program", &programs)?,
        account: p.address("account")?,
        from_slot: p.int("from_slot", 0, i64::MAX)?,
        to_slot: p.int("to_slot", 0, i64::MAX)?,
        desc,
        after: p.cursor(kind)?,
        limit: p.limit()?,
    };
    if let (Some(a), Some(b)) = (f.from_slot, f.to_slot) {
        if a > b {
            return Err(ApiError::bad("to_slot", "must not be below from_slot"));
        }
    }
    let (sync, page) = st.store.events(&f).await?;
    let next = page.next.map(|k| encode_cursor(kind, k));
    Ok(reply(&sync, rows(page.rows), Some(next)))
}

// ---------------------------------------------------------------------------------------------
// Live stream

struct StreamState {
    store: Store,
    after: i64,
    name: Option<String>,
    program: Option<String>,
    buf: VecDeque<crate::store::rows::events::EventRow>,
    poll: Duration,
    _client: ClientGuard,
}

/// Counts connected stream clients.
struct ClientGuard;

impl ClientGuard {
    fn new() -> ClientGuard {
        METRICS.stream_clients.fetch_add(1, Ordering::Relaxed);
        ClientGuard
    }
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        METRICS.stream_clients.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn stream(
    State(st): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let p = Params::parse(q.as_deref(), &["cursor", "type", "program"])?;
    let names: Vec<&str> = event_table::names().collect();
    let programs: Vec<&str> = Program::ALL.iter().map(|p| p.name()).collect();
    let name = p.one_of("type", &names)?;
    let program = p.one_of("program", &programs)?;
    let from_header = match headers.get("last-event-id") {
        None => None,
        Some(v) => match v.to_str().ok().and_then(|s| s.parse::<i64>().ok()).filter(|n| *n >= 0) {
            Some(n) => Some(n),
            None => {
                return Err(ApiError::bad("Last-Event-ID", "must be an event id (a non-negative integer)"))
            }
        },
    };
    let after = match p.int("cursor", 0, i64::MAX)?.or(from_header) {
        Some(a) => a,
        // No cursor: only events from now on.
        None => st.store.status().await?.1 .1,
    };
    let state = StreamState {
        store: st.store.clone(),
        after,
        name,
        program,
        buf: VecDeque::new(),
        poll: st.stream_poll,
        _client: ClientGuard::new(),
    };
    let s = futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(row) = s.buf.pop_front() {
                let data = serde_json::to_string(&row).unwrap_or_default();
                let ev = Event::default().id(row.id.to_string()).event(row.event_name).data(data);
                return Some((Ok(ev), s));
            }
            match s.store.events_since(s.after, s.name.as_deref(), s.program.as_deref(), 500).await {
                Ok((_, rows)) if !rows.is_empty() => {
                    s.after = rows.last().map_or(s.after, |r| r.id);
                    s.buf.extend(rows);
                }
                Ok(_) => tokio::time::sleep(s.poll).await,
                Err(e) => {
                    tracing::warn!(error = %e, "stream poll failed");
                    tokio::time::sleep(s.poll).await;
                }
            }
        }
    });
    Ok(Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
