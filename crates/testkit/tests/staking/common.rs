#![allow(dead_code, unused_imports)]
pub use ::io_staking::error::StakingError;
pub use ::io_staking::{constants::*, events::*, state::*, DeviceSpec};
pub use anchor_lang::error::ErrorCode as AnchorError;
pub use anchor_lang::prelude::Pubkey;
pub use io_sdk::{decode_event, staking as sdk, Instruction};
pub use io_testkit::tamper::{anchor_code, look_alike, swap_account, unsigned};
pub use io_testkit::{assert_error, assert_reinit_refused, staking::*, Harness, TestSigner, IO};
pub use solana_keypair::Keypair;

/// Anchor's numeric code of a program error.
/// A fresh worker key (a device's own signing key).
pub fn worker() -> Pubkey {
    Keypair::new().pubkey()
}

pub fn code(e: StakingError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
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
