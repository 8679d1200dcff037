//! Instruction handlers.
pub mod admin;
pub mod bonds;
pub mod equivocation;
pub mod report;

pub use admin::*;
pub use bonds::*;
pub use equivocation::*;
pub use report::*;

use anchor_lang::prelude::*;

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
