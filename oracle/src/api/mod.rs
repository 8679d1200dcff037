//! The node's HTTP API (axum): the worker API ([`worker`]), the peer API between oracle nodes
//! ([`peer`]) and the public one ([`public`]: reports, leaves and proofs), with one OpenAPI
//! document at `/openapi.json` and errors as `{"error": {"code", "message"}}` with a 4xx/5xx status.
pub mod error;
pub mod openapi;
pub mod peer;
pub mod public;
pub mod worker;

use crate::node::Node;
use axum::{routing::get, Json, Router};
use std::sync::Arc;

pub use error::ApiError;

pub fn router(node: Arc<Node>) -> Router {
    Router::new()
        .route("/health", get(|| async { Json(serde_json::json!({ "ok": true })) }))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .merge(worker::routes())
        .merge(peer::routes())
        .merge(public::routes())
        .fallback(|uri: axum::http::Uri| async move {
            ApiError::not_found("no_route", format!("no endpoint at {uri}: see /openapi.json"))
        })
        .with_state(node)
}

/// Serves the API on the configured address until the process ends.
pub async fn serve(node: Arc<Node>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(node.settings.node.listen)
        .await
        .map_err(|e| anyhow::anyhow!("listen on {}: {e}", node.settings.node.listen))?;
    tracing::info!("API on http://{}", listener.local_addr()?);
    axum::serve(listener, router(node)).await?;
    Ok(())
}
