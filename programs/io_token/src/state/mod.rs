//! Accounts of io_token, one file each. Every mutable account has an `invariant()` that the
//! handlers changing it call last.
mod airdrop;
mod config;
mod vesting;

pub use airdrop::*;
pub use config::*;
pub use vesting::*;
