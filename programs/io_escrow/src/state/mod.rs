//! Accounts of io_escrow, one file each, each with an `invariant()` checked by the handlers that
//! change it.
mod config;
mod lease;
mod offer;
mod price;

pub use config::*;
pub use lease::*;
pub use offer::*;
pub use price::*;
