//! (placeholder) What this node observes of the devices: heartbeats, liveness pings and full
//! challenges, stored durably; summed up per period for the report.
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
