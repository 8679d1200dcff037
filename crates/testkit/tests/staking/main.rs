//! io_staking through the real runtime: the program registered natively, the real SPL Token
//! program, every rejection asserted by its exact error code.
mod admin;
mod common;
mod device_reports;
mod devices;
mod donations;
mod events;
mod freeze;
mod matrix;
mod operators;
mod prefunding;
mod randomized;
mod rewards;
mod slashing;
mod staking;
mod warmup;
mod workers;
