//! Instruction handlers, grouped by the actor that signs them.
pub mod admin;
pub mod device;
pub mod operator;
pub mod rewards;
pub mod slash;
pub mod staker;

pub use admin::*;
pub use device::*;
pub use operator::*;
pub use rewards::*;
pub use slash::*;
pub use staker::*;

use crate::state::Config;
use anchor_lang::{prelude::*, AccountDeserialize};
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

/// Moves `amount` from a user's token account into a vault, signed by the user.
pub(crate) fn pay_in<'info>(
    token_program: &Program<'info, Token>,
    from: &Account<'info, TokenAccount>,
    to: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    authority: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    token::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: authority.to_account_info(),
            },
        ),
        amount,
        mint.decimals,
    )
}

/// Moves `amount` out of a vault, signed by the config PDA that owns every vault.
pub(crate) fn pay_out<'info>(
    token_program: &Program<'info, Token>,
    config: &Account<'info, Config>,
    from: &Account<'info, TokenAccount>,
    to: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    amount: u64,
) -> Result<()> {
    let seeds = config.signer_seeds();
    token::transfer_checked(
        CpiContext::new_with_signer(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to: to.to_account_info(),
                authority: config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        mint.decimals,
    )
}

/// F-11: a vault must hold at least what its ledger owes. Reads the balance from the account's
/// current data (after this instruction's transfers and burns, which a deserialized `Account`
/// would not show). More is fine: a third party's donation stays in the vault as surplus that no
/// ledger counts and no instruction pays out, so it can never block or skew anything.
pub(crate) fn require_vault_covers(vault: &AccountInfo, ledger: u64) -> Result<()> {
    let data = vault.try_borrow_data()?;
    let held = TokenAccount::try_deserialize_unchecked(&mut &data[..])?.amount;
    require!(held >= ledger, crate::error::StakingError::VaultBelowLedger);
    Ok(())
}

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
