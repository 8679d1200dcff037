//! io_token through the real runtime: the program registered natively, its own PDA mint through
//! the real SPL Token program, every rejection asserted by its exact error code.
mod admin;
mod airdrop;
mod attacks;
mod burn;
mod common;
mod donations;
mod emission;
mod genesis;
mod prefunding;
mod randomized;
mod vesting;
