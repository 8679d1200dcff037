//! What this node observed of the devices in a period: the observe area's summary.
use crate::node::Node;
use io_sdk::{report::DeviceObservation, Pubkey};
use std::collections::BTreeMap;

/// This node's observations of `period`, by io_staking device account.
pub async fn observations(node: &Node, period: u64) -> anyhow::Result<BTreeMap<Pubkey, DeviceObservation>> {
    crate::observe::period_observations(node, period).await
}
