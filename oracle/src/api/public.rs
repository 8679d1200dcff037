//! The public API: the node's status, every report it knows (every leaf with uptime, every
//! slash's evidence, the pool, digest, status and signers) and a Merkle proof per leaf, checked
//! against the roots the chain certified; and each device's latest signed heartbeat (where its
//! worker's gateway is).
use super::{peer::parse_period, ApiError};
use crate::{chain, node::Node, store::reports::StoredReport};
use axum::{
    extract::{Path, State},
    routing::get,
    Json, Router,
};
use io_sdk::{
    names::Name,
    report::{PeriodReport, Tree},
    worker::{paths, Signed},
    Pubkey,
};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/v1/status", get(status))
        .route("/v1/reports/latest", get(latest))
        .route("/v1/reports/{period}", get(report))
        .route("/v1/reports/{period}/proof/{tree}/{key}", get(proof))
        .route(paths::DEVICE_HEARTBEAT, get(device_heartbeat))
}

/// The device's latest accepted heartbeat, as its worker signed it.
async fn device_heartbeat(
    State(node): State<Arc<Node>>,
    Path(device): Path<String>,
) -> Result<Json<Signed>, ApiError> {
    let address: Pubkey = device.parse().map_err(|_| {
        ApiError::bad_request("bad_device", format!("device {device:?} is not a base58 account address"))
    })?;
    node.observe.latest.get(&address).map(Json).ok_or_else(|| {
        ApiError::not_found(
            "no_heartbeat",
            format!("this node has accepted no heartbeat from device {address} since it started: is its worker running and pointed at this node?"),
        )
    })
}

async fn status(State(node): State<Arc<Node>>) -> Result<Json<Value>, ApiError> {
    let cfg = chain::oracle_config(&node.client).await?;
    let outbox: serde_json::Map<String, Value> = node
        .store
        .outbox_counts()
        .await?
        .into_iter()
        .map(|(s, n)| (s.name().to_string(), json!(n)))
        .collect();
    Ok(Json(json!({
        "key": node.pubkey().to_string(),
        "cluster": node.cluster,
        "member": cfg.set.position(&node.pubkey()).is_some(),
        "set_epoch": cfg.set.epoch,
        "members": cfg.set.keys().iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        "threshold": cfg.set.threshold,
        "last_certified_period": (cfg.reports_certified > 0).then_some(cfg.last_period),
        "reports_certified": cfg.reports_certified,
        "chain_time": node.clock.now(),
        "period": node.clock.period(),
        "clock_rate": node.clock.rate(),
        "outbox": outbox,
    })))
}

/// The report of `period` this node serves: the certified one if it holds it, else the first it
/// knows (proposed). A node learns of a certification when it next builds on that period, which
/// it skips when the chain has already moved past it; so before serving a content as proposed,
/// the chain is asked whether it was certified, and the answer is kept.
async fn served(node: &Node, period: u64) -> Result<(StoredReport, PeriodReport), ApiError> {
    let known = node.store.reports_of(period).await?;
    let first = known.first().ok_or_else(|| {
        ApiError::not_found("no_report", format!("this node knows no report of period {period}"))
    })?;
    if first.status != "certified" {
        for stored in &known {
            let report: PeriodReport = serde_json::from_str(&stored.report).map_err(anyhow::Error::from)?;
            if crate::consensus::inputs::certified_on_chain(node, &report).await? {
                node.store.report_put(period, &stored.digest, &stored.report, true).await?;
                let mut stored = stored.clone();
                stored.status = "certified".into();
                return Ok((stored, report));
            }
        }
    }
    let report: PeriodReport = serde_json::from_str(&first.report).map_err(anyhow::Error::from)?;
    Ok((first.clone(), report))
}

async fn render(node: &Node, stored: &StoredReport, report: &PeriodReport) -> Result<Value, ApiError> {
    let signers: Vec<Value> = node
        .store
        .signatures_of(stored.period)
        .await?
        .into_iter()
        .filter(|s| s.digest == stored.digest)
        .map(|s| json!({ "signer": s.signer, "signature": s.signature }))
        .collect();
    Ok(json!({
        "period": stored.period,
        "digest": stored.digest,
        "status": stored.status,
        "address": io_sdk::oracle::report(&node.cluster_id, &report.body).to_string(),
        "signatures": signers,
        "report": report,
    }))
}

async fn report(State(node): State<Arc<Node>>, Path(period): Path<String>) -> Result<Json<Value>, ApiError> {
    let period = parse_period(&period)?;
    let (stored, r) = served(&node, period).await?;
    Ok(Json(render(&node, &stored, &r).await?))
}

async fn latest(State(node): State<Arc<Node>>) -> Result<Json<Value>, ApiError> {
    let p = node.store.latest_certified().await?.ok_or_else(|| {
        ApiError::not_found("no_certified_report", "this node holds no certified report yet")
    })?;
    let (stored, r) = served(&node, p).await?;
    Ok(Json(render(&node, &stored, &r).await?))
}

async fn proof(
    State(node): State<Arc<Node>>,
    Path((period, tree, key)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let period = parse_period(&period)?;
    let tree: Tree =
        io_sdk::names::parse(&tree).map_err(|e| ApiError::bad_request("bad_tree", e.to_string()))?;
    let (stored, r) = served(&node, period).await?;
    let index =
        r.index_of_key(tree, &key).map_err(|e| ApiError::bad_request("bad_key", e))?.ok_or_else(|| {
            ApiError::not_found("no_leaf", format!("the {tree} tree of period {period} has no leaf {key}"))
        })?;
    let leaf = match tree {
        Tree::Devices => serde_json::to_value(&r.devices[index]),
        Tree::Usage => serde_json::to_value(&r.usage[index]),
        Tree::Rewards => serde_json::to_value(&r.rewards[index]),
        Tree::Slashes => serde_json::to_value(&r.slashes[index]),
    }
    .map_err(anyhow::Error::from)?;
    let proof = r.proof(tree, index).unwrap_or_default();
    Ok(Json(json!({
        "period": period,
        "digest": stored.digest,
        "status": stored.status,
        "report": io_sdk::oracle::report(&node.cluster_id, &r.body).to_string(),
        "tree": tree.name(),
        "key": key,
        "leaf": leaf,
        "leaf_hash": hex::encode(r.leaf_hash(tree, index).unwrap_or_default()),
        "root": hex::encode(r.root(tree)),
        "index": index,
        "proof": proof.iter().map(hex::encode).collect::<Vec<_>>(),
    })))
}

/// (paths, schemas) of this area for the OpenAPI document.
pub fn openapi() -> (serde_json::Value, serde_json::Value) {
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let period = json!({ "name": "period", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0 } });
    (
        json!({
            "/v1/status": { "get": { "summary": "The node: key, set epoch and members, threshold, last certified period, chain clock and its rate, outbox counts by status",
                "responses": { "200": { "description": "Status" } } } },
            "/v1/reports/latest": { "get": { "summary": "The latest certified report this node holds",
                "responses": { "200": { "description": "A report", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ServedReport" } } } }, "404": err("no_certified_report") } } },
            "/v1/reports/{period}": { "get": { "summary": "The report of a period: the certified one, else the proposed one this node knows; every leaf (devices with uptime), every slash's evidence, pool, digest, status, signatures",
                "parameters": [period],
                "responses": { "200": { "description": "A report", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ServedReport" } } } }, "400": err("bad_period"), "404": err("no_report") } } },
            "/v1/reports/{period}/proof/{tree}/{key}": { "get": { "summary": "A leaf, its index and its Merkle proof (hex siblings, what the programs take). key: a device address (devices), lease:device (usage), an operator address (rewards), operator:evidence_hash_hex (slashes)",
                "parameters": [period,
                    { "name": "tree", "in": "path", "required": true, "schema": { "type": "string", "enum": ["devices", "usage", "rewards", "slashes"] } },
                    { "name": "key", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "{leaf, leaf_hash, root, index, proof}" }, "400": err("bad_period, bad_tree, bad_key"), "404": err("no_report, no_leaf") } } },
            paths::DEVICE_HEARTBEAT: { "get": { "summary": "The device's latest heartbeat this node accepted, exactly as its worker signed it (verify the signature against the device's on-chain worker key): its lease, cluster report and gateway endpoint. Kept in memory: none until the device heartbeats after the node starts",
                "parameters": [{ "name": "device", "in": "path", "required": true, "schema": { "type": "string" }, "description": "io_staking device account, base58" }],
                "responses": { "200": { "description": "The signed heartbeat", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SignedHeartbeat" } } } }, "400": err("bad_device"), "404": err("no_heartbeat") } } },
        }),
        json!({
            "SignedHeartbeat": { "type": "object", "required": ["kind", "signer", "payload", "signature"], "description": "io_sdk::worker::Signed of a Heartbeat: payload is the heartbeat's JSON text exactly as signed",
                "properties": { "kind": { "type": "string", "const": "heartbeat" }, "signer": { "type": "string" }, "payload": { "type": "string" }, "signature": { "type": "string" } } },
            "Report": { "type": "object", "description": "io_sdk::report::PeriodReport: body (roots hex), pool, devices, usage, rewards, slashes (with evidence)" },
            "ServedReport": { "type": "object", "required": ["period", "digest", "status", "address", "signatures", "report"],
                "properties": { "period": { "type": "integer" }, "digest": { "type": "string" }, "status": { "type": "string", "enum": ["proposed", "certified"] },
                    "address": { "type": "string" }, "signatures": { "type": "array" }, "report": { "$ref": "#/components/schemas/Report" } } },
        }),
    )
}
