//! io_escrow: addresses and instruction builders.
pub use io_escrow::ID as PROGRAM_ID;
