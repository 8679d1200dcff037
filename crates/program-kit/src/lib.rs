//! Helpers shared by the four IO Compute programs.
//!
//! Only what every program needs and must do the same way lives here; it depends on Anchor alone so
//! that it builds for SBF like the programs themselves (no std-only dependency, no floats). A
//! helper that can fail with a program-specific error takes that error from the caller, or leaves
//! the check to the program's own Anchor constraint, so every program keeps its error codes.
#![deny(clippy::arithmetic_side_effects)]

pub mod account;
pub mod config;
pub mod create;
pub mod vault;

pub use account::{load, load_if_owned, store};
pub use config::ProgramConfig;
pub use create::{create_pda, create_program_account, create_token_vault, ensure_uninitialized};
pub use vault::{pay_in, pay_out, token_amount};

use anchor_lang::prelude::{Clock, Result, SolanaSysvar};

/// The cluster's unix time, from the Clock sysvar.
pub fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
