#![allow(dead_code, unused_imports)]
pub use ::io_staking::error::StakingError;
pub use ::io_staking::{constants::*, events::*, state::*, DeviceSpec};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{decode_event, staking as sdk, Instruction};
pub use io_testkit::{assert_error, assert_reinit_refused, staking::*, Harness, TestSigner, IO};
pub use solana_keypair::Keypair;

/// Anchor's numeric code of a program error.
pub fn code(e: StakingError) -> u32 {
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

/// An operator with `bond` posted and one active flagship device of `gpus` GPUs.
pub async fn bonded_operator(
    f: &mut StakingFixture,
    commission_bps: u16,
    bond: u64,
    gpus: u16,
) -> (TestOperator, Pubkey) {
    let op = f.operator(commission_bps, bond + 1_000 * IO).await;
    f.add_bond(&op, bond).await.unwrap();
    let dev = f.device(&op, StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, gpus, 1)).await.unwrap();
    f.activate(&op, &dev).await.unwrap();
    (op, dev)
}
