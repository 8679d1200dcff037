#![allow(dead_code, unused_imports)]
pub use ::io_oracle::error::OracleError;
pub use ::io_oracle::{constants::*, state::*};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{oracle as sdk, Instruction};
pub use io_testkit::oracle::*;
pub use io_testkit::tamper::{anchor_code, look_alike, swap_account, unsigned};
pub use io_testkit::{assert_error, Harness, TestSigner, IO};
pub use solana_keypair::Keypair;

pub fn code(e: OracleError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}
