//! io-e2e: IO Compute end to end, as its users meet it. A scenario starts a [`System`] — the real
//! local network (in process, its clock 60× the wall), the real `io-oracle` ×4, `io-worker` per
//! demo device, `indexer` and `io` binaries as child processes — and watches it through the
//! oracle nodes' public API, the indexer, the chain and the CLI, with a timeout on every wait.
//! Scenarios that can share a network share one (`tests/live.rs`); the equivocating node gets a
//! network of its own (`tests/equivocation.rs`).
pub mod forge;
pub mod procs;
pub mod system;

pub use system::{cluster_ip, Options, System, CLOCK_SPEED, PERIOD};

/// Why a scenario's task failed: its panic message, or the join error (cancelled). The scenario
/// files run each scenario as a task and report every failure by name.
pub fn failure_message(e: tokio::task::JoinError) -> String {
    match e.try_into_panic() {
        Ok(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}
