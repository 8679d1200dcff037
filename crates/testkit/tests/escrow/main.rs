//! io_escrow through the real runtime (with io_staking for devices and the real SPL Token
//! program): every instruction's happy path and rejections by exact error code, the lease
//! accounting invariants, and a randomized run.
mod admin;
mod bounds;
mod buyback;
mod common;
mod griefing;
mod leases;
mod matrix;
mod offers;
mod randomized;
mod settlement;
