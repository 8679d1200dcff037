//! Clusters on leases (issue 17): the Ray runtime of the worker.
//!
//! - [`ray`]: the pinned Ray install (a venv), checked and installed.
//! - [`ports`]: a node's block of pinned ports.
//! - [`node`]: one Ray node in its own PID namespace, started, watched and stopped.
pub mod node;
pub mod ports;
pub mod ray;
