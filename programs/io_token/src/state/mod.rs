//! Accounts of io_token, one file each. Every mutable account has an `invariant()` that the
//! handlers changing it call last.

// In scope wherever `state::*` is: the config's pause check, admin steps and signer seeds.
pub use io_program_kit::ProgramConfig;
mod airdrop;
mod config;
mod vesting;

pub use airdrop::*;
pub use config::*;
pub use vesting::*;
