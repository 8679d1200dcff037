//! The worker API (io-sdk's `worker::paths`): signed heartbeats, challenge commitments and
//! answers, and pongs. Every message is checked before it counts — envelope (kind, strict
//! ed25519, version), cluster, the device's bound worker key, timestamps against replay and
//! skew, the per-device rate — and each refusal is a 4xx `{"error": {"code", "message"}}`
//! that changes nothing.
use super::ApiError;
use crate::{
    node::Node,
    observe::{
        challenges::wall_ms, challenges::Refused, liveness::serves_lease, liveness::HeartbeatRefusal,
        liveness::PongRefusal, Registered,
    },
};
use axum::{
    extract::{rejection::JsonRejection, DefaultBodyLimit, State},
    http::StatusCode,
    routing::post,
    Json, Router,
};
use io_sdk::{
    worker::{
        paths, Answer, CommitmentMsg, Heartbeat, HeartbeatReply, Kind, Pong, Signed, Verdict, WireError,
    },
    Pubkey,
};
use io_staking::DeviceStatus;
use serde_json::json;
use std::{sync::Arc, time::Instant};

/// Largest answer body: the GPU classes open 64 samples of two rows of n = 16,384 int32s as
/// JSON text, about 22 MB; every other message fits axum's default 2 MB.
pub const ANSWER_BODY_LIMIT: usize = 64 << 20;

pub fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route(paths::HEARTBEAT, post(heartbeat))
        .route(paths::COMMITMENT, post(commitment))
        .route(paths::ANSWER, post(answer).layer(DefaultBodyLimit::max(ANSWER_BODY_LIMIT)))
        .route(paths::PONG, post(pong))
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    b.map(|Json(v)| v).map_err(|e| ApiError::bad_request("bad_body", e.body_text()))
}

fn wire(e: WireError) -> ApiError {
    let code = match e {
        WireError::WrongKind { .. } => "wrong_kind",
        WireError::BadSigner(_) => "bad_signer",
        WireError::BadSignature(_) => {
            return ApiError::new(StatusCode::UNAUTHORIZED, "bad_signature", e.to_string())
        }
        WireError::BadPayload(_) => "bad_payload",
        WireError::Version { .. } => "unsupported_version",
    };
    ApiError::bad_request(code, e.to_string())
}

fn check_cluster(node: &Node, cluster: &str) -> Result<(), ApiError> {
    if cluster != node.cluster {
        return Err(ApiError::bad_request(
            "wrong_cluster",
            format!("the message is for cluster {cluster}, this node serves {}", node.cluster),
        ));
    }
    Ok(())
}

fn parse_device(s: &str) -> Result<Pubkey, ApiError> {
    s.parse().map_err(|_| {
        ApiError::bad_request("bad_device", format!("device {s:?} is not a base58 account address"))
    })
}

/// The device, with `signer` as its bound worker key. An unknown device or key may be newly
/// registered or re-bound: the registry is read again (at most once a second) before refusing.
async fn bound_device(node: &Node, device: &Pubkey, signer: &Pubkey) -> Result<Registered, ApiError> {
    let registry = &node.observe.registry;
    let mut found = registry.get(device);
    if found.is_none_or(|r| r.worker_key != *signer) {
        if let Err(e) = registry.refresh_soon(&node.client).await {
            tracing::warn!("cannot read the registered devices: {e:#}");
        }
        found = registry.get(device);
    }
    let Some(r) = found else {
        return Err(ApiError::not_found(
            "unknown_device",
            format!("no device {device} is registered in io_staking"),
        ));
    };
    if r.worker_key != *signer {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_bound",
            format!("device {device} is bound to worker key {}, not {signer}", r.worker_key),
        ));
    }
    Ok(r)
}

async fn heartbeat(
    State(node): State<Arc<Node>>,
    b: Result<Json<Signed>, JsonRejection>,
) -> Result<Json<HeartbeatReply>, ApiError> {
    let signed = body(b)?;
    let (signer, hb): (Pubkey, Heartbeat) = signed.open(Kind::Heartbeat).map_err(wire)?;
    if hb.worker != signer.to_string() {
        return Err(ApiError::bad_request(
            "signer_mismatch",
            format!("the heartbeat names worker {} but is signed by {signer}", hb.worker),
        ));
    }
    check_cluster(&node, &hb.cluster)?;
    let device = parse_device(&hb.device)?;
    let reg = bound_device(&node, &device, &signer).await?;
    if reg.status == DeviceStatus::Retired {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "retired", format!("device {device} is retired")));
    }
    let w = &node.settings.workers;
    if hb.simulated && !w.allow_simulated {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "simulated_refused",
            "this node accepts no simulated devices (workers.allow_simulated is for local networks)",
        ));
    }
    if !node.clock.ready() {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "clock_not_ready",
            "this node has not read the cluster's clock yet",
        ));
    }
    let now_ms = wall_ms();
    if hb.timestamp_ms.saturating_add(w.max_clock_skew_ms) < now_ms {
        return Err(ApiError::bad_request(
            "stale_timestamp",
            format!(
                "timestamp {} is {} ms behind this node's clock (at most {} ms)",
                hb.timestamp_ms,
                now_ms - hb.timestamp_ms,
                w.max_clock_skew_ms
            ),
        ));
    }
    if hb.timestamp_ms > now_ms.saturating_add(w.max_clock_skew_ms) {
        return Err(ApiError::bad_request(
            "future_timestamp",
            format!(
                "timestamp {} is {} ms ahead of this node's clock (at most {} ms)",
                hb.timestamp_ms,
                hb.timestamp_ms - now_ms,
                w.max_clock_skew_ms
            ),
        ));
    }
    let chain_now = node.clock.now();
    let serving = serves_lease(
        hb.serving_lease.as_deref(),
        hb.lease_cluster.as_ref(),
        hb.endpoint.is_some(),
        w.allow_bare_leases,
    );
    let pings = node
        .observe
        .liveness
        .heartbeat(&device, hb.timestamp_ms, Instant::now(), now_ms, chain_now, serving)
        .map_err(|r| match r {
            HeartbeatRefusal::Replayed { last_ms } => ApiError::new(
                StatusCode::CONFLICT,
                "replayed",
                format!("timestamp {} is not newer than the last accepted one ({last_ms})", hb.timestamp_ms),
            ),
            HeartbeatRefusal::RateLimited { retry_after } => ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!(
                    "more than {} heartbeats a minute from device {device}; the next fits in {} ms",
                    w.heartbeats_per_minute,
                    retry_after.as_millis()
                ),
            ),
        })?;
    node.observe.latest.put(device, hb.timestamp_ms, &signed);
    node.observe.challenges.maybe_issue(&node, &reg, hb.simulated, chain_now).await;
    let (challenges, reveals) = node.observe.challenges.reply_for(&device, wall_ms()).await;
    Ok(Json(HeartbeatReply { challenges, reveals, pings }))
}

fn refused(r: Refused, id: &io_sdk::worker::Bytes32) -> ApiError {
    match r {
        Refused::Unknown => {
            ApiError::not_found("unknown_challenge", format!("this node issued no challenge {id}"))
        }
        Refused::Closed { status } => ApiError::new(
            StatusCode::CONFLICT,
            "challenge_closed",
            format!("challenge {id} is already {status}"),
        ),
        Refused::BadSignature => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            format!("the commitment is not signed by the device key challenged by {id}"),
        ),
        Refused::NotBound => ApiError::new(
            StatusCode::FORBIDDEN,
            "not_bound",
            format!("the answer is not signed by the device key challenged by {id}"),
        ),
        Refused::NotCommitted => ApiError::new(
            StatusCode::CONFLICT,
            "not_committed",
            format!("challenge {id} has no accepted commitment: commit before answering"),
        ),
        Refused::BadPayload(e) => ApiError::bad_request("bad_payload", e),
    }
}

async fn commitment(
    State(node): State<Arc<Node>>,
    b: Result<Json<CommitmentMsg>, JsonRejection>,
) -> Result<Json<Verdict>, ApiError> {
    let msg = body(b)?;
    match node.observe.challenges.commit(&node, &msg, wall_ms()).await? {
        Ok(v) => Ok(Json(v)),
        Err(r) => Err(refused(r, &msg.challenge_id)),
    }
}

async fn answer(
    State(node): State<Arc<Node>>,
    b: Result<Json<Signed>, JsonRejection>,
) -> Result<Json<Verdict>, ApiError> {
    let signed = body(b)?;
    let (signer, a): (Pubkey, Answer) = signed.open(Kind::Answer).map_err(wire)?;
    check_cluster(&node, &a.cluster)?;
    match node.observe.challenges.answer(&node, &signed, &signer, &a, wall_ms()).await? {
        Ok(v) => Ok(Json(v)),
        Err(r) => Err(refused(r, &a.challenge_id)),
    }
}

async fn pong(
    State(node): State<Arc<Node>>,
    b: Result<Json<Signed>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let signed = body(b)?;
    let (signer, p): (Pubkey, Pong) = signed.open(Kind::Pong).map_err(wire)?;
    check_cluster(&node, &p.cluster)?;
    let device = parse_device(&p.device)?;
    bound_device(&node, &device, &signer).await?;
    match node.observe.liveness.pong(&device, &p.nonce, Instant::now(), node.clock.now()) {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(PongRefusal::Unknown) => Err(ApiError::not_found(
            "unknown_ping",
            format!("no ping {} is in flight for device {device}", p.nonce),
        )),
        Err(PongRefusal::Late) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "ping_expired",
            format!(
                "the pong came after the {} ms answer window: the ping counts as missed",
                node.settings.workers.ping_answer_ms
            ),
        )),
    }
}

/// (paths, schemas) of this area for the OpenAPI document.
pub fn openapi() -> (serde_json::Value, serde_json::Value) {
    let err = |codes: &str| json!({ "description": codes, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let req = |schema: &str| json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    let ok = |schema: &str| json!({ "description": "OK", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } });
    let paths = json!({
        paths::HEARTBEAT: { "post": {
            "summary": "A device's signed heartbeat (Kind heartbeat, signed by its bound worker key); the reply carries this node's open challenge, the reveal once committed, and liveness pings",
            "tags": ["worker"],
            "requestBody": req("SignedHeartbeat"),
            "responses": {
                "200": ok("HeartbeatReply"),
                "400": err("bad_body, wrong_kind, bad_signer, bad_payload, unsupported_version, signer_mismatch, wrong_cluster, bad_device, stale_timestamp, future_timestamp"),
                "401": err("bad_signature"),
                "403": err("not_bound, retired, simulated_refused"),
                "404": err("unknown_device"),
                "409": err("replayed: the timestamp is not newer than the last accepted one"),
                "429": err("rate_limited: more than workers.heartbeats_per_minute"),
                "503": err("clock_not_ready")
            } } },
        paths::COMMITMENT: { "post": {
            "summary": "io-proof's commitment to a challenge (the chain's Merkle root, signed by the device key)",
            "tags": ["worker"],
            "requestBody": req("CommitmentMsg"),
            "responses": {
                "200": ok("Verdict"),
                "400": err("bad_body, bad_payload"),
                "401": err("bad_signature: not signed by the challenged device key"),
                "404": err("unknown_challenge"),
                "409": err("challenge_closed")
            } } },
        paths::ANSWER: { "post": {
            "summary": "The opened rows for a committed challenge (Kind answer, signed by the device's bound worker key)",
            "tags": ["worker"],
            "requestBody": req("SignedAnswer"),
            "responses": {
                "200": ok("Verdict"),
                "400": err("bad_body, wrong_kind, bad_signer, bad_payload, unsupported_version, wrong_cluster"),
                "401": err("bad_signature"),
                "403": err("not_bound"),
                "404": err("unknown_challenge"),
                "409": err("not_committed")
            } } },
        paths::PONG: { "post": {
            "summary": "The answer to a liveness ping (Kind pong, signed by the device's bound worker key), within workers.ping_answer_ms of the reply that carried it",
            "tags": ["worker"],
            "requestBody": req("SignedPong"),
            "responses": {
                "204": { "description": "Counted in time" },
                "400": err("bad_body, wrong_kind, bad_signer, bad_payload, unsupported_version, wrong_cluster, bad_device"),
                "401": err("bad_signature"),
                "403": err("not_bound"),
                "404": err("unknown_ping, unknown_device"),
                "409": err("ping_expired")
            } } },
    });
    let hex = |n: usize| json!({ "type": "string", "pattern": format!("^[0-9a-f]{{{n}}}$") });
    let signed = |body: &str| {
        json!({
        "type": "object", "required": ["kind", "signer", "payload", "signature"],
        "description": format!("An envelope: `payload` is the JSON text of a {body}, signed with ed25519 over \"io-worker/v1/\" ‖ kind ‖ 0x00 ‖ payload"),
        "properties": {
            "kind": { "type": "string", "enum": ["heartbeat", "challenge", "answer", "pong"] },
            "signer": { "type": "string", "description": "base58 ed25519 public key" },
            "payload": { "type": "string" },
            "signature": hex(128)
        } })
    };
    let schemas = json!({
        "SignedHeartbeat": signed("Heartbeat {version, cluster, device, worker, hardware, telemetry, serving_lease, software, simulated, timestamp_ms}"),
        "SignedAnswer": signed("Answer {version, cluster, challenge_id, openings}"),
        "SignedPong": signed("Pong {version, cluster, device, nonce}"),
        "SignedChallenge": signed("ChallengeRequest {version, cluster, oracle, device_account, device, class, simulated, n, k, samples, deadline_ms, beacon, nonce, reveal_commitment, issued_at_ms}"),
        "HeartbeatReply": { "type": "object", "properties": {
            "challenges": { "type": "array", "items": { "$ref": "#/components/schemas/SignedChallenge" } },
            "reveals": { "type": "array", "items": { "type": "object", "required": ["challenge_id", "reveal"],
                "properties": { "challenge_id": hex(64), "reveal": hex(64) } } },
            "pings": { "type": "array", "items": { "type": "object", "required": ["nonce", "issued_at_ms"],
                "properties": { "nonce": hex(64), "issued_at_ms": { "type": "integer" } } } } } },
        "CommitmentMsg": { "type": "object", "required": ["challenge_id", "device", "nonce", "root", "signature", "done_at_ms"],
            "properties": { "challenge_id": hex(64), "device": { "type": "string" }, "nonce": hex(64), "root": hex(64),
                "signature": hex(128), "done_at_ms": { "type": "integer" } } },
        "Verdict": { "type": "object", "required": ["challenge_id", "accepted"],
            "properties": { "challenge_id": hex(64), "accepted": { "type": "boolean" }, "reason": { "type": "string" } } },
    });
    (paths, schemas)
}
