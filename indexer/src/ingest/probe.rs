//! The slot probe: reads the node's confirmed slot every `probe_ms` with a short timeout and no
//! retries, apart from the ingest loop, so that `/status`'s lag is measured against the chain
//! even while ingestion is stuck, and a node that hangs shows in `/health` within seconds.
use super::liveness::Liveness;
use super::rpc::{Retry, Rpc};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Probes until aborted.
pub fn spawn(rpc_url: &str, every: Duration, timeout: Duration, liveness: Arc<Liveness>) -> JoinHandle<()> {
    let once = Retry { attempts: 1, first_backoff: Duration::ZERO, max_backoff: Duration::ZERO };
    let rpc = Rpc::with_timeout(rpc_url, once, timeout);
    tokio::spawn(async move {
        loop {
            // The client's own timeout bounds the request; this one bounds everything else.
            match tokio::time::timeout(timeout, rpc.get_slot("confirmed")).await {
                Ok(Ok(slot)) => liveness.probe_ok(slot),
                Ok(Err(e)) => liveness.probe_failed(e.to_string()),
                Err(_) => liveness.probe_failed(format!("no answer within {} ms", timeout.as_millis())),
            }
            tokio::time::sleep(every).await;
        }
    })
}
