//! (placeholder) Agreement on each period's report: the leader proposes, the others check and
//! sign, the leader submits; takeover when the leader is silent.
use crate::{node::Node, settings::Settings, store::Store};
use std::sync::Arc;

pub struct State {}

impl State {
    pub async fn new(_settings: &Settings, _store: &Store) -> anyhow::Result<State> {
        Ok(State {})
    }
}

/// Starts the area's background tasks.
pub fn spawn(_node: Arc<Node>) {}
