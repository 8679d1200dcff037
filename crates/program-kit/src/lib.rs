//! Helpers shared by the four IO Compute programs.
//!
//! Only what every program needs and must do the same way lives here; it depends on Anchor alone so
//! that it builds for SBF like the programs themselves.
#![deny(clippy::arithmetic_side_effects)]

pub mod create;

pub use create::{create_pda, create_program_account, create_token_vault, ensure_uninitialized};
