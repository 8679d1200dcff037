//! Accounts of io_escrow, one file each, each with an `invariant()` checked by the handlers that
//! change it.

// In scope wherever `state::*` is: the config's pause check, admin steps and signer seeds.
pub use io_program_kit::ProgramConfig;
mod config;
mod lease;
mod offer;
mod price;

pub use config::*;
pub use lease::*;
pub use offer::*;
pub use price::*;
