//! The peer API between the oracle nodes of the set: a leader's proposal (`POST /v1/peer/propose`,
//! answered with this node's signature or the leaf it refuses), the wrong-rows evidence this node
//! holds for a period, and what it signed for a period (a takeover leader adopts it).
use super::ApiError;
use crate::{
    consensus::{
        follower::{self, NoSignature},
        inputs,
        wire::{DeviceEvidence, EvidenceList, Proposal, SignatureReply, SignedContent},
    },
    node::Node,
};
use axum::{
    extract::{rejection::JsonRejection, Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use io_sdk::worker::{Bytes32, Bytes64};
use serde_json::json;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Node>> {
    Router::new()
        .route("/v1/peer/propose", post(propose))
        .route("/v1/peer/evidence/{period}", get(evidence))
        .route("/v1/peer/signed/{period}", get(signed))
}

/// A period in a path: a non-negative integer.
pub fn parse_period(s: &str) -> Result<u64, ApiError> {
    let p = s.parse::<u64>().map_err(|_| {
        ApiError::bad_request("bad_period", format!("period {s:?} is not a non-negative integer"))
    })?;
    // A period whose start is not a representable chain time names no period at all.
    io_sdk::report::period_bounds(p).map_err(|_| {
        ApiError::bad_request("bad_period", format!("period {p} is past the last period of chain time"))
    })?;
    Ok(p)
}

async fn propose(State(node): State<Arc<Node>>, body: Result<Json<Proposal>, JsonRejection>) -> Response {
    let Json(proposal) = match body {
        Ok(b) => b,
        Err(e) => return ApiError::bad_request("bad_proposal", e.body_text()).into_response(),
    };
    match follower::answer(&node, &proposal).await {
        Ok(sig) => Json(SignatureReply { signer: node.pubkey().to_string(), signature: Bytes64(sig) })
            .into_response(),
        Err(NoSignature::Bad(code, m)) => ApiError::bad_request(code, m).into_response(),
        Err(NoSignature::NotMember(m)) => {
            ApiError::new(StatusCode::FORBIDDEN, "not_member", m).into_response()
        }
        Err(NoSignature::Conflict(code, m)) => ApiError::new(StatusCode::CONFLICT, code, m).into_response(),
        Err(NoSignature::AlreadySigned { digest, body }) => (
            StatusCode::CONFLICT,
            Json(json!({
                "error": { "code": "already_signed", "message": format!(
                    "this node already signed another content for period {}: {digest}", body.period) },
                "signed": { "digest": digest, "body": crate::consensus::codec::body_hex(&body) },
            })),
        )
            .into_response(),
        Err(NoSignature::Refused(refusal)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": { "code": "refused", "message": refusal.to_string() },
                "refusal": refusal,
            })),
        )
            .into_response(),
        Err(NoSignature::Internal(e)) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", format!("{e:#}")).into_response()
        }
    }
}

async fn evidence(
    State(node): State<Arc<Node>>,
    Path(period): Path<String>,
) -> Result<Json<EvidenceList>, ApiError> {
    let period = parse_period(&period)?;
    let obs = crate::observe::period_observations(&node, period).await?;
    let evidence = inputs::own_evidence(&obs)
        .into_iter()
        .map(|(d, evidence)| DeviceEvidence { device: d.to_string(), evidence })
        .collect();
    Ok(Json(EvidenceList { period, evidence }))
}

async fn signed(
    State(node): State<Arc<Node>>,
    Path(period): Path<String>,
) -> Result<Json<SignedContent>, ApiError> {
    let period = parse_period(&period)?;
    let none = || ApiError::not_found("not_signed", format!("this node signed nothing for period {period}"));
    let row = node.store.signed_for(period).await?.ok_or_else(none)?;
    let stored =
        node.store.reports_of(period).await?.into_iter().find(|r| r.digest == row.digest).ok_or_else(none)?;
    let digest = crate::consensus::codec::bytes_from_hex::<32>("digest", &row.digest)?;
    Ok(Json(SignedContent {
        period,
        digest: Bytes32(digest),
        report: serde_json::from_str(&stored.report).map_err(anyhow::Error::from)?,
    }))
}

/// (paths, schemas) of this area for the OpenAPI document.
pub fn openapi() -> (serde_json::Value, serde_json::Value) {
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let period = json!({ "name": "period", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0 } });
    (
        json!({
            "/v1/peer/propose": { "post": {
                "summary": "A leader's proposal: the full report, the proposer's key and its ed25519 signature over the digest",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Proposal" } } } },
                "responses": {
                    "200": { "description": "This node's signature over the digest", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PeerSignature" } } } },
                    "400": err("bad_proposal, bad_key, bad_signature"),
                    "403": err("not_member: the proposer is not in the oracle set"),
                    "409": err("already_certified, period_not_over, already_signed (with the content signed)"),
                    "422": { "description": "refused: the leaf this node does not agree with (`refusal`: tree, key, why)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Refusal" } } } },
                    "503": err("unavailable: the chain or the database could not be read")
                } } },
            "/v1/peer/evidence/{period}": { "get": {
                "summary": "The wrong-rows evidence this node holds for the period",
                "parameters": [period],
                "responses": { "200": { "description": "Evidence by device" }, "400": err("bad_period") } } },
            "/v1/peer/signed/{period}": { "get": {
                "summary": "What this node signed for the period (a takeover leader adopts it)",
                "parameters": [period],
                "responses": { "200": { "description": "The report and its digest" }, "400": err("bad_period"), "404": err("not_signed") } } },
        }),
        json!({
            "Proposal": { "type": "object", "required": ["report", "proposer", "signature"],
                "properties": { "report": { "$ref": "#/components/schemas/Report" }, "proposer": { "type": "string" }, "signature": { "type": "string", "description": "hex, 64 bytes" } } },
            "PeerSignature": { "type": "object", "required": ["signer", "signature"],
                "properties": { "signer": { "type": "string" }, "signature": { "type": "string" } } },
            "Refusal": { "type": "object", "required": ["error", "refusal"],
                "properties": { "error": { "$ref": "#/components/schemas/Error/properties/error" },
                    "refusal": { "type": "object", "properties": { "tree": { "type": "string" }, "key": { "type": "string" }, "why": { "type": "string" } } } } },
        }),
    )
}
