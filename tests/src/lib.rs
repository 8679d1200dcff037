//! io-e2e: IO Compute end to end, as its users meet it. A scenario starts a [`System`] — the real
//! local network (in process, its clock 60× the wall), the real `io-oracle` ×4, `io-worker` per
//! demo device, `indexer` and `io` binaries as child processes — and watches it through the
//! oracle nodes' public API, the indexer, the chain and the CLI, with a timeout on every wait.
//! Scenarios that can share a network share one (`tests/live.rs`); the equivocating node gets a
//! network of its own (`tests/equivocation.rs`).
pub mod forge;
pub mod procs;
pub mod system;

pub use system::{Options, System, CLOCK_SPEED, PERIOD};
