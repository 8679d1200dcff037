//! io_staking through the real runtime: the program registered natively, the real SPL Token
//! program, every rejection asserted by its exact error code.
mod admin;
mod common;
mod devices;
mod events;
mod operators;
mod randomized;
mod rewards;
mod slashing;
mod staking;
mod warmup;
