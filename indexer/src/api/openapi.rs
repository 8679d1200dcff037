//! The OpenAPI 3.1 document, written by hand from one table of endpoints (which also renders the
//! `/docs` page), and checked by the API tests against the router and by schemathesis against
//! the server. Parameter schemas state what the server accepts, no more and no less: the base58
//! patterns and the ranges come from `params`/`query`, enumerations from [`super::names`]; the
//! response schemas are in [`super::schemas`].
use serde_json::{json, Map, Value};

/// A query or path parameter.
pub struct Param {
    pub name: &'static str,
    pub location: &'static str,
    pub schema: fn() -> Value,
    pub description: &'static str,
    /// Path parameters, and the query parameters an endpoint cannot answer without.
    pub required: bool,
}

/// One endpoint (all are `GET`).
pub struct Endpoint {
    pub path: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// Response body schema of a 200.
    pub kind: Kind,
}

/// The 200 body schema of a JSON endpoint.
fn response(path: &str) -> Value {
    use super::schemas::{item, list_of, named, page};
    match path {
        "/health" => item(named("Health")),
        "/status" => item(named("Status")),
        "/v1/operators" => page(
            "Operator",
            &[
                (
                    "total",
                    json!({ "type": "integer", "minimum": 0, "description": "operators matching the filters" }),
                ),
                (
                    "offset",
                    json!({ "type": "integer", "minimum": 0, "description": "rows skipped before this page" }),
                ),
            ],
        ),
        "/v1/operators/{address}" => item(named("OperatorDetail")),
        "/v1/quote" => item(named("Quote")),
        "/v1/devices" => page("DeviceRow", &[]),
        "/v1/wallets/{address}/positions" => item(list_of("Position")),
        "/v1/leases" => page("Lease", &[]),
        "/v1/leases/{address}" => item(named("LeaseDetail")),
        "/v1/transactions/{signature}" => item(named("Transaction")),
        "/v1/burns" => page(
            "Burn",
            &[(
                "totals",
                json!({ "type": ["object", "null"], "description": "burned amount per reason, and all together; null before any burn" }),
            )],
        ),
        "/v1/supply" => item(named("Supply")),
        "/v1/network" => item(named("Network")),
        "/v1/reports/{period}" => item(list_of("Report")),
        "/v1/events" => page("Event", &[]),
        // History series (part B1).
        "/v1/network/history" => item(named("NetworkHistory")),
        "/v1/operators/{address}/history" => item(named("OperatorHistory")),
        "/v1/wallets/{address}/rewards" => item(named("WalletRewards")),
        _ => json!({}),
    }
}

#[derive(Clone, Copy)]
pub enum Kind {
    /// `{ slot, finalized_slot, data: [...], next_cursor }`.
    List,
    /// `{ slot, finalized_slot, data }`.
    Item,
    /// [`Kind::Item`], or CSV with `format=csv`.
    ItemOrCsv,
    /// Plain text (Prometheus).
    Text,
    /// HTML.
    Html,
    /// Server-Sent Events.
    Stream,
    /// The OpenAPI document itself.
    Document,
}

fn address() -> Value {
    json!({ "type": "string", "description": "base58 account address (text of that form that is not a 32-byte key matches nothing)",
            "pattern": super::params::base58_pattern(super::params::ADDRESS_LEN) })
}
fn tx_signature() -> Value {
    json!({ "type": "string", "description": "base58 transaction signature (64 bytes)",
            "pattern": super::params::base58_pattern(super::params::SIGNATURE_LEN) })
}
fn region() -> Value {
    json!({ "type": "string", "minLength": 1, "maxLength": io_staking::MAX_REGION_LEN,
            "description": "length in characters", "examples": ["us-east", "eu-west"] })
}
fn gpu_model() -> Value {
    json!({ "type": "string", "minLength": 1, "maxLength": io_staking::MAX_GPU_MODEL_LEN, "description": "length in characters" })
}
fn vram() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": 65535 })
}
fn boolean() -> Value {
    json!({ "type": "boolean" })
}
fn slot() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": i64::MAX })
}
fn cursor() -> Value {
    json!({ "type": "string", "description": "opaque: next_cursor of the previous page (same endpoint and ordering); empty: none" })
}
fn limit() -> Value {
    json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 })
}
fn op_status() -> Value {
    json!({ "type": "string", "enum": crate::store::operators::STATUSES })
}
fn op_sort() -> Value {
    json!({ "type": "string", "enum": ["stake", "commission", "gpus", "uptime", "apy"], "default": "stake" })
}
fn op_search() -> Value {
    json!({ "type": "string", "minLength": 1, "maxLength": super::operators::MAX_Q_LEN, "description": "length in characters" })
}
fn bps() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": super::operators::MAX_BPS })
}
fn offset() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": super::operators::MAX_OFFSET, "default": 0 })
}
fn order_no_default() -> Value {
    json!({ "type": "string", "enum": ["asc", "desc"] })
}
fn quote_devices() -> Value {
    json!({ "type": "string", "pattern": super::quote::device_list_pattern() })
}
fn lease_hours() -> Value {
    json!({ "type": "integer", "minimum": 1, "maximum": io_escrow::MAX_LEASE_HOURS })
}
fn currency() -> Value {
    json!({ "type": "string", "enum": ["usdc", "io"] })
}
fn dev_class() -> Value {
    json!({ "type": "string", "enum": super::names::device_classes() })
}
fn dev_status() -> Value {
    json!({ "type": "string", "enum": super::names::device_statuses() })
}
fn availability() -> Value {
    json!({ "type": "string", "enum": ["available", "leased", "unlisted"] })
}
fn lease_status() -> Value {
    json!({ "type": "string", "enum": super::names::lease_statuses() })
}
fn burn_reason() -> Value {
    json!({ "type": "string", "enum": super::names::burn_reasons() })
}
fn event_type() -> Value {
    json!({ "type": "string", "enum": super::names::event_types() })
}
fn program() -> Value {
    json!({ "type": "string", "enum": super::names::programs() })
}
fn order() -> Value {
    json!({ "type": "string", "enum": ["asc", "desc"], "default": "asc" })
}
fn bucket() -> Value {
    json!({ "type": "string", "enum": ["hour", "day"], "default": "hour", "description": "bucket width, in chain time" })
}
fn unix_time() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": super::history::MAX_TIME, "description": "unix seconds (chain time)" })
}
fn format() -> Value {
    json!({ "type": "string", "enum": ["json", "csv"], "default": "json" })
}
fn event_id() -> Value {
    json!({ "type": "integer", "minimum": 0, "maximum": i64::MAX, "description": "id of the last event received (the SSE id field)" })
}

const fn q(name: &'static str, schema: fn() -> Value, description: &'static str) -> Param {
    Param { name, location: "query", schema, description, required: false }
}
/// A query parameter the endpoint requires.
const fn qr(name: &'static str, schema: fn() -> Value, description: &'static str) -> Param {
    Param { name, location: "query", schema, description, required: true }
}
const fn p(name: &'static str, schema: fn() -> Value, description: &'static str) -> Param {
    Param { name, location: "path", schema, description, required: true }
}

const HISTORY_PARAMS: &[Param] = &[
    q("bucket", bucket, "hour (default: the last 7 days) or day (default: the last 90 days)"),
    q("from", unix_time, "first bucket: the one holding this time"),
    q("to", unix_time, "last bucket: the one holding this time (default: the indexed slot's block time)"),
];

/// Every endpoint of the API.
pub static ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        path: "/health",
        summary: "Health: the database answers and, when this process ingests, the node answers the slot probe \
                  within its timeout, ingestion made progress within stale_after_secs and the node serves the \
                  database's chain. Unhealthy: 503 with the reasons.",
        params: &[],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/status",
        summary: "Indexed and finalized slots, the node's slot read apart from ingestion and the lag to it, cursors per \
                  program, newest event id, and the ingest side's health (age of the last progress, last error).",
        params: &[],
        kind: Kind::Item,
    },
    Endpoint { path: "/metrics", summary: "Prometheus metrics.", params: &[], kind: Kind::Text },
    Endpoint { path: "/openapi.json", summary: "This document.", params: &[], kind: Kind::Document },
    Endpoint { path: "/docs", summary: "Human-readable list of the endpoints.", params: &[], kind: Kind::Html },
    // Operators table, operator and provider page, lease quote (issue 14, part B2).
    Endpoint {
        path: "/v1/operators",
        summary: "The operators table: stake, self-bond, commission and whether it changed within 7 days of chain time, \
                  GPUs and their models, uptime, estimated net APY after commission, status, slashes. Sorted, filtered and \
                  paged on the server: page numbers with offset and total, or keyset with cursor (every sort but apy).",
        params: &[
            q("region", region, "operator region"),
            q("gpu_model", gpu_model, "has a device of this GPU model"),
            q("min_vram", vram, "has a device with at least this much VRAM (GB)"),
            q("green", boolean, "has a green-energy device (or not)"),
            q("status", op_status, "jailed: a device is jailed; active: a device is active; exiting: bond withdrawal requested; inactive: none of these"),
            q("min_uptime", bps, "uptime_bps at least this"),
            q("max_commission", bps, "commission_bps at most this"),
            q("q", op_search, "part of the name (any case), or the start of the address"),
            q("sort", op_sort, "stake, commission, gpus (active GPUs), uptime, apy (estimated net APY)"),
            q("order", order_no_default, "default: desc, but asc for commission"),
            q("offset", offset, "rows to skip (page numbers); not with cursor"),
            q("cursor", cursor, "not with offset, nor with sort=apy"),
            q("limit", limit, ""),
        ],
        kind: Kind::List,
    },
    Endpoint {
        path: "/v1/operators/{address}",
        summary: "One operator and its provider page: stake, bond required vs posted, delegator count, commission and its \
                  history (registration and every requested change), devices (and offers) with status, slashes, earnings.",
        params: &[p("address", address, "operator account (PDA)")],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/quote",
        summary: "What a lease over these devices costs, as io_escrow's open_lease charges it: each device's price per hour \
                  and escrow, the protocol fee reserved (USDC 2% rounded up, $IO none) and the total to deposit (the \
                  transaction's max_deposit). 404: a device that does not exist; 400: one open_lease would refuse \
                  (not active, no active offer, leased, not priced in the currency, hours outside its offer, deposit \
                  below the minimum).",
        params: &[
            qr("devices", quote_devices, "1 to 8 device accounts, comma-separated"),
            qr("hours", lease_hours, "lease length in hours"),
            qr("currency", currency, "the payment: usdc or io"),
        ],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/devices",
        summary: "Devices with their offer and availability at the indexed chain time.",
        params: &[
            q("operator", address, "operator account (PDA)"),
            q("region", region, "device region"),
            q("gpu_model", gpu_model, "GPU model"),
            q("min_vram", vram, "at least this much VRAM (GB)"),
            q("green", boolean, "green-energy flag"),
            q("class", dev_class, "hardware class"),
            q("status", dev_status, "device status"),
            q("availability", availability, "available: active, offered and not leased now"),
            q(
                "near",
                region,
                "rank by proximity: `lat,lon` in degrees, or a region; known regions (us-east, eu-central, ap-northeast, …) \
                 are ranked by great-circle distance (rows carry `distance`, the rank, and `distance_km`), devices in \
                 unknown regions last; an unknown region ranks its own devices, then its area (us-*), then the rest",
            ),
            q("cursor", cursor, ""),
            q("limit", limit, ""),
        ],
        kind: Kind::List,
    },
    Endpoint {
        path: "/v1/wallets/{address}/positions",
        summary: "A wallet's stake positions: shares, value at the pool's rate, stake still activating (activating_value, earning from reward period activation_period), pending unstakes with unlock times, rewards claimed, and claimable rewards computed as the program settles them.",
        params: &[p("address", address, "staker wallet")],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/leases",
        summary: "Leases, newest first.",
        params: &[
            q("renter", address, "renter wallet"),
            q("operator", address, "operator account (PDA) of one of the leased devices"),
            q("status", lease_status, "lease status"),
            q("cursor", cursor, ""),
            q("limit", limit, ""),
        ],
        kind: Kind::List,
    },
    Endpoint {
        path: "/v1/leases/{address}",
        summary: "One lease with its devices, what each was paid, and its latest settlements.",
        params: &[p("address", address, "lease account")],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/transactions/{signature}",
        summary: "One transaction of our programs: slot, success or the node's error, the instructions it called (outer and inner, failed transactions too), its events.",
        params: &[p("signature", tx_signature, "transaction signature")],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/burns",
        summary: "Burns, newest first, with totals per reason.",
        params: &[q("reason", burn_reason, "burn reason"), q("cursor", cursor, ""), q("limit", limit, "")],
        kind: Kind::List,
    },
    Endpoint {
        path: "/v1/supply",
        summary: "The $IO ledger: cap, minted, burned (per reason), supply, circulating (supply less io_token's genesis and rewards vaults), emitted, and the emission schedule (next hour, this month, the next twelve months).",
        params: &[],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/network",
        summary: "Network figures: operators, devices and GPUs, stake, leases, settlements, buybacks, oracle set, supply; \
                  the overview's headline figures with, in `overview.proofs`, the proof of each: a figure from a certified \
                  report names its period, the report account and every oracle node's page of its leaves; a figure read \
                  from program accounts names them and the slot. `io verify` recomputes both kinds.",
        params: &[],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/reports/{period}",
        summary: "Oracle reports posted for a period (the certified one has status certified).",
        params: &[p("period", slot, "report period (hour index)")],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/events",
        summary: "Decoded events by slot.",
        params: &[
            q("type", event_type, "event name"),
            q("program", program, "emitting program"),
            q("account", address, "events mentioning this account"),
            q("from_slot", slot, "lowest slot"),
            q("to_slot", slot, "highest slot"),
            q("order", order, "slot order"),
            q("cursor", cursor, ""),
            q("limit", limit, ""),
        ],
        kind: Kind::List,
    },
    // History series for the app's charts (part B1).
    Endpoint {
        path: "/v1/network/history",
        summary: "Network history per bucket of chain time: delegated stake, operators registered, attested (active) \
                  devices and GPUs (levels at the bucket's end), $IO burned (cumulative and in the bucket), supply and \
                  total minted. Dense: one point per bucket from `from` to `to`.",
        params: HISTORY_PARAMS,
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/operators/{address}/history",
        summary: "An operator's history per bucket: stake and delegators, commission in force (io_staking's \
                  apply_due_commission replayed), rewards allotted to its pool in the bucket (and the commission / \
                  delegator split), attested devices and GPUs, slashes executed and the stake they took.",
        params: &[
            p("address", address, "operator account (PDA)"),
            q("bucket", bucket, "hour (default: the last 7 days) or day (default: the last 90 days)"),
            q("from", unix_time, "first bucket: the one holding this time"),
            q("to", unix_time, "last bucket: the one holding this time (default: the indexed slot's block time)"),
        ],
        kind: Kind::Item,
    },
    Endpoint {
        path: "/v1/wallets/{address}/rewards",
        summary: "A staker's rewards history: claims per bucket and cumulative (all positions, and per position with \
                  the claimable figure at the indexed slot), and every claim in the range. format=csv: the claims as \
                  text/csv with a header row (time_unix, time_utc, slot, signature, operator, amount_base_units, \
                  amount_io).",
        params: &[
            p("address", address, "staker wallet"),
            q("bucket", bucket, "hour (default: the last 7 days) or day (default: the last 90 days)"),
            q("from", unix_time, "first bucket: the one holding this time"),
            q("to", unix_time, "last bucket: the one holding this time (default: the indexed slot's block time)"),
            q("format", format, "json, or csv for a download"),
        ],
        kind: Kind::ItemOrCsv,
    },
    Endpoint {
        path: "/v1/stream",
        summary: "Server-Sent Events: each new event at or below the indexed slot (id = event id, event = its name, \
                  data = the event JSON), broadcast by the writer after each commit. Resume with cursor or the \
                  Last-Event-ID header (ids are stable across a rebuild); without either, from now.",
        params: &[
            q("cursor", event_id, "resume after this event id"),
            q("type", event_type, "only this event name"),
            q("program", program, "only this program"),
        ],
        kind: Kind::Stream,
    },
];

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for e in ENDPOINTS {
        let params: Vec<Value> = e
            .params
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": p.location,
                    "required": p.required,
                    "description": p.description,
                    "schema": (p.schema)(),
                })
            })
            .collect();
        let ok = match e.kind {
            Kind::List => {
                json!({ "description": "A page", "content": { "application/json": { "schema": response(e.path) } } })
            }
            Kind::Item => {
                json!({ "description": "OK", "content": { "application/json": { "schema": response(e.path) } } })
            }
            Kind::ItemOrCsv => json!({ "description": "OK (text/csv with format=csv)", "content": {
                "application/json": { "schema": response(e.path) },
                "text/csv": { "schema": { "type": "string" } } } }),
            Kind::Text => json!({ "description": "Prometheus text format", "content": { "text/plain": {} } }),
            Kind::Html => json!({ "description": "HTML", "content": { "text/html": {} } }),
            Kind::Stream => {
                json!({ "description": "text/event-stream", "content": { "text/event-stream": {} } })
            }
            Kind::Document => json!({ "description": "OpenAPI 3.1", "content": { "application/json": {} } }),
        };
        let mut responses = json!({
            "200": ok,
            "400": error_response("A bad parameter, named"),
            "404": error_response("No such resource (the parameter that named it)"),
            "503": error_response("Busy: retry after the Retry-After header's seconds"),
        });
        if e.path == "/health" {
            responses["503"] = json!({ "description": "Unhealthy (data.reasons say why), or the database is unavailable",
                "content": { "application/json": { "schema": { "oneOf": [response(e.path), { "$ref": "#/components/schemas/Error" }] } } } });
        }
        paths.insert(
            e.path.to_owned(),
            json!({ "get": { "summary": e.summary, "parameters": params, "responses": responses }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "IO Compute indexer",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Events and account states of io_token, io_staking, io_escrow and io_oracle. Every response \
                            carries the slot it reflects (body `slot`, header `x-indexed-slot`). Lists use keyset \
                            pagination: pass `next_cursor` back as `cursor`; `limit` is at most 1,000. Integers are \
                            base units; u128 values are decimal strings.",
        },
        "paths": paths,
        "components": { "schemas": super::schemas::components() },
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The `/docs` page.
pub fn docs_page() -> String {
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>IO Compute indexer API</title>\
         <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         code{background:#f3f3f3;padding:0 .2rem}td,th{text-align:left;vertical-align:top;padding:.2rem .6rem}\
         h2{margin-top:2rem;font-size:1.1rem}</style></head><body><h1>IO Compute indexer API</h1>\
         <p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>. Every JSON response carries \
         <code>slot</code> (the indexed slot it reflects) and <code>finalized_slot</code>; lists return \
         <code>next_cursor</code>, to pass back as <code>cursor</code>; <code>limit</code> ≤ 1,000. A bad parameter \
         is a 400 <code>{\"error\":{\"parameter\":…,\"message\":…}}</code>.</p>",
    );
    for e in ENDPOINTS {
        html.push_str(&format!("<h2><code>GET {}</code></h2><p>{}</p>", escape(e.path), escape(e.summary)));
        if !e.params.is_empty() {
            html.push_str("<table><tr><th>parameter</th><th>in</th><th>schema</th><th></th></tr>");
            for p in e.params {
                html.push_str(&format!(
                    "<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    p.name,
                    p.location,
                    escape(&(p.schema)().to_string()),
                    escape(p.description)
                ));
            }
            html.push_str("</table>");
        }
    }
    html.push_str("</body></html>");
    html
}
