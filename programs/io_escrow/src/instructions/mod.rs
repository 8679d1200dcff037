//! Instruction handlers, grouped by the actor that signs them.
pub mod admin;
pub mod buyback;
pub mod lease;
pub mod offer;
pub mod settle;

pub use admin::*;
pub use buyback::*;
pub use lease::*;
pub use offer::*;
pub use settle::*;

// The vault transfers and untyped account reads every program shares (zero amounts move nothing).
pub(crate) use io_program_kit::{load_if_owned, now, pay_in, pay_out, store, token_amount};
