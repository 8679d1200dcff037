#![allow(dead_code, unused_imports)]
pub use ::io_escrow::error::EscrowError;
pub use ::io_escrow::{constants::*, events::*, math, state::*};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{decode_event, escrow as sdk, Instruction};
pub use io_testkit::tamper::{anchor_code, look_alike, swap_account, unsigned};
pub use io_testkit::{assert_error, escrow::*, Harness, TestSigner, IO, USDC};
pub use solana_keypair::Keypair;

pub fn code(e: EscrowError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

/// 3.6 USDC per device-hour: 1,000 base units per second.
pub const RATE_USDC: u64 = 3_600_000;
/// 7.2 $IO per device-hour: 2,000,000 base units per second.
pub const RATE_IO: u64 = 7_200_000_000;
