//! io_token: addresses and instruction builders.
pub use io_token::ID as PROGRAM_ID;
