//! Instruction handlers, grouped by what they do.
pub mod admin;
pub mod airdrop;
pub mod burn;
pub mod emission;
pub mod genesis;
pub mod rewards;
pub mod vesting;

pub use admin::*;
pub use airdrop::*;
pub use burn::*;
pub use emission::*;
pub use genesis::*;
pub use rewards::*;
pub use vesting::*;

use crate::state::{ProgramConfig, TokenConfig};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, MintTo, Token};
// The vault transfer every program shares (zero amounts move nothing).
pub(crate) use io_program_kit::{now, pay_out};

/// Mints `amount` into `to`, signed by the config PDA (the mint authority). The caller has
/// already recorded the mint with [`TokenConfig::record_mint`], which enforces the supply cap.
pub(crate) fn mint_to_vault<'info>(
    token_program: &Program<'info, Token>,
    config: &Account<'info, TokenConfig>,
    mint: &Account<'info, Mint>,
    to: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let seeds = config.signer_seeds();
    token::mint_to(
        CpiContext::new_with_signer(
            token_program.key(),
            MintTo { mint: mint.to_account_info(), to: to.clone(), authority: config.to_account_info() },
            &[&seeds],
        ),
        amount,
    )
}
