#![allow(dead_code, unused_imports)]
pub use ::io_token::error::TokenError;
pub use ::io_token::{constants::*, events::*, schedule, state::*};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{decode_event, token as sdk, token::AirdropTree, Instruction};
pub use io_testkit::tamper::{anchor_code, look_alike, swap_account, unsigned};
pub use io_testkit::{assert_error, assert_reinit_refused, token::*, Harness, TestSigner, IO};
pub use solana_keypair::Keypair;

/// Anchor's numeric code of a program error.
pub fn code(e: TokenError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

/// The error code of a failed send, for table-driven checks.
pub fn err_code<T: std::fmt::Debug>(r: Result<T, solana_program_test::BanksClientError>) -> Option<u32> {
    io_testkit::error_code(&r.expect_err("expected a failure"))
}

/// Base units of one whole month-0 hour on the default schedule.
pub fn default_hour() -> u64 {
    EmissionParams::defaults(9).first_month_emission / schedule::HOURS_PER_MONTH
}
