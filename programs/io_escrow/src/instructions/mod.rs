//! Instruction handlers, grouped by the actor that signs them.
pub mod admin;
pub mod buyback;
pub mod lease;
pub mod offer;
pub mod settle;

pub use admin::*;
pub use buyback::*;
pub use lease::*;
pub use offer::*;
pub use settle::*;

use crate::state::EscrowConfig;
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

/// Moves `amount` from a user's token account, signed by the user, into `to` (a vault, possibly
/// created earlier in the same instruction and so not yet a typed account).
pub(crate) fn pay_in<'info>(
    token_program: &Program<'info, Token>,
    from: &Account<'info, TokenAccount>,
    to: AccountInfo<'info>,
    mint: &Account<'info, Mint>,
    authority: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    token::transfer_checked(
        CpiContext::new(
            token_program.key(),
            TransferChecked {
                from: from.to_account_info(),
                mint: mint.to_account_info(),
                to,
                authority: authority.to_account_info(),
            },
        ),
        amount,
        mint.decimals,
    )
}

/// Moves `amount` out of a vault owned by the config PDA.
pub(crate) fn pay_out<'info>(
    token_program: &Program<'info, Token>,
    config: &Account<'info, EscrowConfig>,
    from: &Account<'info, TokenAccount>,
    to: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
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

/// The balance of an SPL token account given untyped (a vault created in this instruction).
pub(crate) fn token_amount(info: &AccountInfo) -> Result<u64> {
    let data = info.try_borrow_data()?;
    Ok(TokenAccount::try_deserialize(&mut &data[..])?.amount)
}

/// Reads an account of this program given untyped (created in this instruction, or a PDA that
/// may or may not exist yet): owner and discriminator are checked as `Account` would.
pub(crate) fn load<T: AccountDeserialize + Owner>(info: &AccountInfo) -> Result<T> {
    require_keys_eq!(*info.owner, T::owner(), ErrorCode::AccountOwnedByWrongProgram);
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..])
}

/// Writes back an account read with [`load`].
pub(crate) fn store<T: AccountSerialize>(info: &AccountInfo, value: &T) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

pub(crate) fn now() -> Result<i64> {
    Ok(Clock::get()?.unix_timestamp)
}
