//! Instruction handlers.
pub mod admin;
pub mod bonds;
pub mod equivocation;
pub mod report;

pub use admin::*;
pub use bonds::*;
pub use equivocation::*;
pub use report::*;

// The clock, vault transfers and untyped account reads every program shares.
pub(crate) use io_program_kit::{load, now, pay_in, pay_out, store};
