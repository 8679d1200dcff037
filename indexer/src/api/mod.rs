//! The query API: `app(state) -> Router`. JSON everywhere; every response carries the slot it
//! reflects (`slot` in the body and the `x-indexed-slot` header) and the finalized slot; lists
//! are keyset-paginated with an opaque `cursor` and `limit` ≤ 1,000; bad parameters are 400s
//! naming the parameter. `/v1/stream` is a Server-Sent Events stream of new events, resumable
//! from an event id (`cursor` or the `Last-Event-ID` header).
pub mod history;
pub mod limit;
pub mod names;
pub mod openapi;
pub mod operators;
pub mod params;
pub mod proofs;
pub mod query;
pub mod quote;
pub mod schemas;
pub mod stream;

use crate::feed::Feed;
use crate::ingest::liveness::Liveness;
use crate::metrics::METRICS;
use crate::regions;
use crate::store::read::{Availability, BurnFilter, DeviceFilter, EventFilter, LeaseFilter, Near};
use crate::store::{Store, SyncState};
use axum::extract::{MatchedPath, Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use limit::Limits;
use params::{address, encode_cursor, signature, ApiError, Params};
use query::{AvailabilityParam, OrderParam, TypedQuery};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Longest region / GPU model accepted in filters (the programs' limits).
const MAX_REGION_LEN: usize = io_staking::MAX_REGION_LEN;
const MAX_GPU_MODEL_LEN: usize = io_staking::MAX_GPU_MODEL_LEN;

/// Shared state of the API.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The read pool (ingestion writes through a store of its own).
    pub store: Store,
    /// New events, broadcast by the writer to the stream clients.
    pub feed: Arc<Feed>,
    /// The ingest side's health (`None`: serving only, nothing ingests here).
    pub liveness: Option<Arc<Liveness>>,
    pub limits: Limits,
    /// Oracle nodes' base URLs: where `/v1/network`'s proofs link a certified report's leaves.
    pub oracle_urls: Arc<[String]>,
}

impl AppState {
    pub fn new(store: Store, feed: Arc<Feed>) -> AppState {
        AppState { store, feed, liveness: None, limits: Limits::default(), oracle_urls: Arc::new([]) }
    }

    pub fn with_liveness(mut self, liveness: Arc<Liveness>) -> AppState {
        self.liveness = Some(liveness);
        self
    }

    pub fn with_limits(mut self, limits: Limits) -> AppState {
        self.limits = limits;
        self
    }

    pub fn with_oracle_urls(mut self, urls: Vec<String>) -> AppState {
        self.oracle_urls = urls.into();
        self
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
        // Operators table, operator and provider page, lease quote (issue 14, part B2).
        .route("/v1/operators", get(operators::operators))
        .route("/v1/operators/{address}", get(operators::operator))
        .route("/v1/quote", get(quote::quote))
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
        // History series and chain time for the app's charts (issue 14, part B1).
        .route("/v1/network/history", get(history::network))
        .route("/v1/operators/{address}/history", get(history::operator))
        .route("/v1/wallets/{address}/rewards", get(history::wallet_rewards))
        .route("/v1/stream", get(stream::stream))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.limits.clone(), limit::limit))
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

/// Healthy: the database answers and, when this process ingests, the node answers the slot
/// probe, ingestion made progress recently and the node is on the database's chain. Unhealthy
/// is a 503 whose `data.reasons` say why.
async fn health(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let sync = st.store.sync_state().await.map_err(ApiError::unavailable)?;
    let live = st.liveness.as_ref().map(|l| l.report());
    let reasons = live.as_ref().map(|r| r.reasons.clone()).unwrap_or_default();
    let healthy = reasons.is_empty();
    let chain = chain_slot(&st, &sync);
    // Chain time and lag here too, so the app shows countdowns and an "indexer delayed" badge
    // from one request.
    let data = json!({
        "status": if healthy { "ok" } else { "unhealthy" },
        "reasons": reasons,
        "indexed_slot": sync.indexed_slot,
        "chain_slot": chain,
        "lag_slots": (chain - sync.indexed_slot).max(0),
        "chain_time": sync.indexed_block_time,
    });
    let mut res = reply(&sync, data, None);
    if !healthy {
        *res.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    }
    Ok(res)
}

/// The node's slot: the probe's reading when this process ingests, else what the table holds.
fn chain_slot(st: &AppState, sync: &SyncState) -> i64 {
    st.liveness
        .as_ref()
        .and_then(|l| l.node_slot())
        .map_or(sync.chain_slot, |s| i64::try_from(s).unwrap_or(i64::MAX))
}

async fn status(State(st): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let (sync, (cursors, last_event_id)) = st.store.status().await?;
    let chain = chain_slot(&st, &sync);
    let data = json!({
        "indexed_slot": sync.indexed_slot,
        "indexed_block_time": sync.indexed_block_time,
        // The same figure under the name /health gives it: the app's chain time.
        "chain_time": sync.indexed_block_time,
        "finalized_slot": sync.finalized_slot,
        "chain_slot": chain,
        "lag_slots": (chain - sync.indexed_slot).max(0),
        "unfinalized_slots": (sync.indexed_slot - sync.finalized_slot).max(0),
        "last_event_id": last_event_id,
        "cursors": rows(cursors),
        "ingest": st.liveness.as_ref().map(|l| l.report()),
    });
    Ok(reply(&sync, data, None))
}

async fn metrics(State(st): State<AppState>) -> Response {
    let sync = st.store.sync_state().await.ok();
    let live = st.liveness.as_ref().map(|l| l.report());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], METRICS.render(sync.as_ref(), live.as_ref()))
        .into_response()
}

async fn openapi_json() -> Json<Value> {
    Json(openapi::document())
}

async fn docs() -> Html<String> {
    Html(openapi::docs_page())
}

// ---------------------------------------------------------------------------------------------

/// One of `values`, or a 400 naming `name`.
fn one_of(name: &str, v: Option<String>, values: &[&str]) -> Result<Option<String>, ApiError> {
    match v {
        Some(x) if !values.contains(&x.as_str()) => {
            Err(ApiError::bad(name, format!("unknown value {x:?}; expected one of: {}", values.join(", "))))
        }
        v => Ok(v),
    }
}

async fn devices(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<query::DevicesQuery>,
) -> Result<Response, ApiError> {
    let near_text = query::text("near", q.near, MAX_REGION_LEN)?;
    let near = near_text.as_deref().map(parse_near).transpose()?;
    let kind = match &near_text {
        Some(n) => format!("devices:near:{n}"),
        None => "devices".to_owned(),
    };
    let f = DeviceFilter {
        operator: q.operator.as_deref().map(|a| address("operator", a)).transpose()?,
        region: query::text("region", q.region, MAX_REGION_LEN)?,
        gpu_model: query::text("gpu_model", q.gpu_model, MAX_GPU_MODEL_LEN)?,
        min_vram: q.min_vram.map(i64::from),
        green: q.green,
        class: one_of("class", q.class, &names::device_classes())?,
        status: one_of("status", q.status, &names::device_statuses())?,
        availability: q.availability.map(|a| match a {
            AvailabilityParam::Available => Availability::Available,
            AvailabilityParam::Leased => Availability::Leased,
            AvailabilityParam::Unlisted => Availability::Unlisted,
        }),
        near,
        after: q.cursor.as_deref().map(|c| params::decode_cursor(&kind, c)).transpose()?,
        limit: query::limit(q.limit)?,
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

async fn leases(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<query::LeasesQuery>,
) -> Result<Response, ApiError> {
    let f = LeaseFilter {
        renter: q.renter.as_deref().map(|a| address("renter", a)).transpose()?,
        operator: q.operator.as_deref().map(|a| address("operator", a)).transpose()?,
        status: one_of("status", q.status, &names::lease_statuses())?,
        after: q.cursor.as_deref().map(|c| params::decode_cursor("leases", c)).transpose()?,
        limit: query::limit(q.limit)?,
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
    let mut t = t.ok_or_else(|| {
        ApiError::not_found("signature", "no transaction of our programs with this signature")
    })?;
    let error = program_error(&t);
    if let Some(o) = t.as_object_mut() {
        o.insert("error".into(), error);
    }
    Ok(reply(&sync, t, None))
}

/// A failed transaction's program error in words, from the sdk's error table:
/// `{program, code, name, message}` for `{"InstructionError": [i, {"Custom": code}]}` raised by
/// outer instruction `i` of one of our programs; `null` otherwise (success, another kind of
/// error, or an instruction that is not ours). `err` keeps the node's error as it was.
fn program_error(t: &Value) -> Value {
    let parsed;
    let err = match &t["err"] {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
            &parsed
        }
        v => v,
    };
    let failing = &err["InstructionError"];
    let (Some(index), Some(code)) =
        (failing[0].as_u64(), failing[1]["Custom"].as_u64().and_then(|c| u32::try_from(c).ok()))
    else {
        return Value::Null;
    };
    let path = index.to_string();
    let program = t["instructions"]
        .as_array()
        .and_then(|ixs| ixs.iter().find(|i| i["path"].as_str() == Some(path.as_str())))
        .and_then(|i| i["program"].as_str())
        .and_then(io_sdk::Program::from_name);
    match program {
        Some(p) => json!(io_sdk::errors::describe(&p.id(), code)),
        None => Value::Null,
    }
}

async fn burns(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<query::BurnsQuery>,
) -> Result<Response, ApiError> {
    let f = BurnFilter {
        reason: one_of("reason", q.reason, &names::burn_reasons())?,
        after: q.cursor.as_deref().map(|c| params::decode_cursor("burns", c)).transpose()?,
        limit: query::limit(q.limit)?,
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
    let (sync, mut n) = st.store.network_with_overview().await?;
    proofs::attach(&st, &sync, &mut n).await?;
    Ok(reply(&sync, n, None))
}

async fn reports(
    State(st): State<AppState>,
    Path(period): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), &[])?;
    let period = match period.parse::<u64>().ok().and_then(|p| i64::try_from(p).ok()) {
        Some(p) => p,
        None => {
            return Err(ApiError::bad(
                "period",
                format!("must be an integer from 0 to {} (hours since the emission start)", i64::MAX),
            ))
        }
    };
    let (sync, list) = st.store.reports(period).await?;
    if list.is_empty() {
        return Err(ApiError::not_found("period", "no report posted for this period"));
    }
    Ok(reply(&sync, rows(list), None))
}

async fn events(
    State(st): State<AppState>,
    TypedQuery(q): TypedQuery<query::EventsQuery>,
) -> Result<Response, ApiError> {
    let desc = q.order == OrderParam::Desc;
    let kind = if desc { "events:desc" } else { "events:asc" };
    let f = EventFilter {
        name: one_of("type", q.name, &names::event_types())?,
        program: one_of("program", q.program, &names::programs())?,
        account: q.account.as_deref().map(|a| address("account", a)).transpose()?,
        from_slot: query::up_to_i64("from_slot", q.from_slot)?,
        to_slot: query::up_to_i64("to_slot", q.to_slot)?,
        desc,
        after: q.cursor.as_deref().map(|c| params::decode_cursor(kind, c)).transpose()?,
        limit: query::limit(q.limit)?,
    };
    // from_slot above to_slot is a valid request for an empty range (each is within its
    // documented bounds, and the document cannot relate the two): an empty page.
    let (sync, page) = st.store.events(&f).await?;
    let next = page.next.map(|k| encode_cursor(kind, k));
    Ok(reply(&sync, rows(page.rows), Some(next)))
}
