//! Accounts of io_staking, one file each. Every mutable account has an `invariant()` that the
//! handlers changing it call last.
mod config;
mod device;
mod operator;
mod position;
mod slash;

pub use config::*;
pub use device::*;
pub use operator::*;
pub use position::*;
pub use slash::*;
