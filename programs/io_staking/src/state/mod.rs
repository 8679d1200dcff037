//! Accounts of io_staking, one file each. Every mutable account has an `invariant()` that the
//! handlers changing it call last.

// In scope wherever `state::*` is: the config's pause check, admin steps and signer seeds.
pub use io_program_kit::ProgramConfig;
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
