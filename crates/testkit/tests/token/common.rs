#![allow(dead_code, unused_imports)]
pub use ::io_token::error::TokenError;
pub use ::io_token::{constants::*, events::*, schedule, state::*};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{decode_event, token as sdk, token::AirdropTree, Instruction};
pub use io_testkit::{assert_error, assert_reinit_refused, token::*, Harness, TestSigner, IO};
pub use solana_keypair::Keypair;

/// Anchor's numeric code of a program error.
pub fn code(e: TokenError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

/// Anchor's numeric code of a framework error (constraints, account checks).
pub fn anchor_code(e: AnchorError) -> u32 {
    e.into()
}

/// `ix` with `who` no longer marked as a signer, so the transaction goes out without its signature.
pub fn unsigned(mut ix: Instruction, who: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *who) {
        m.is_signer = false;
    }
    ix
}

/// `ix` with every occurrence of account `from` replaced by `to`.
pub fn swap_account(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        m.pubkey = *to;
    }
    ix
}

/// Copies the account at `original` to a fresh address owned by `owner`: the same bytes, the
/// wrong owner. Returns the look-alike's address.
pub async fn look_alike(h: &mut Harness, original: &Pubkey, owner: &Pubkey) -> Pubkey {
    let mut acct = h.raw_account(original).await.expect("original exists");
    acct.owner = *owner;
    let fake = Pubkey::new_unique();
    h.set_account(&fake, &acct);
    fake
}

/// The error code of a failed send, for table-driven checks.
pub fn err_code<T: std::fmt::Debug>(r: Result<T, solana_program_test::BanksClientError>) -> Option<u32> {
    io_testkit::error_code(&r.expect_err("expected a failure"))
}

/// Base units of one whole month-0 hour on the default schedule.
pub fn default_hour() -> u64 {
    EmissionParams::defaults(9).first_month_emission / schedule::HOURS_PER_MONTH
}
