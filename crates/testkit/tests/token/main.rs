//! io_token through the real runtime: the program registered natively, its own PDA mint through
//! the real SPL Token program, every rejection asserted by its exact error code.
mod admin;
mod airdrop;
mod burn;
mod common;
mod emission;
mod genesis;
mod randomized;
mod vesting;
