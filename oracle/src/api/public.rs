//! (placeholder: the public API, filled in by its owner)
use crate::node::Node;
use axum::Router;
use std::sync::Arc;

pub fn routes() -> Router<Arc<Node>> {
    Router::new()
}

/// (paths, schemas) of this area for the OpenAPI document.
pub fn openapi() -> (serde_json::Value, serde_json::Value) {
    (serde_json::json!({}), serde_json::json!({}))
}
