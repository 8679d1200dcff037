//! io-worker: the agent a provider runs on each device (issue 12).
//!
//! It holds the device key (the worker key the device's on-chain record names), finds its device
//! on chain, checks that the machine is what the record says ([`hardware`]), samples
//! [`telemetry`], and talks to every configured oracle node with io-sdk's worker protocol
//! (`io_sdk::worker`): signed heartbeats, challenges answered with io-proof ([`prove`]), pending
//! answers kept across restarts ([`state`]). `io-worker status` ([`status`]) shows the device,
//! its results, its earnings and the live telemetry.
//!
//! - [`cli`]: the command line; `main.rs` only calls [`cli::main`].
//! - [`chain`]: what the worker reads on chain (device, oracle set, leases) and the cluster rule.
//! - [`run`]: the heartbeat / challenge loop with backoff.
//! - [`cluster`]: each lease's Ray cluster on its devices and the gateway only its renter passes.
pub mod chain;
pub mod cli;
pub mod cluster;
pub mod hardware;
pub mod prove;
pub mod run;
pub mod state;
pub mod status;
pub mod telemetry;

/// `io-worker <version>`: what heartbeats name as the software.
pub fn software() -> String {
    format!("io-worker {}", env!("CARGO_PKG_VERSION"))
}

/// Milliseconds since the Unix epoch on this machine's clock.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
