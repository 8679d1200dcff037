//! Token transfers into and out of a program's vaults, the same way in every program.
//!
//! **Zero amounts:** a transfer of 0 moves nothing and makes no token-program call, in every
//! program (escrow skipped zeros and staking did not; the token program accepts a zero transfer,
//! so skipping it changes no outcome, only saves the call). Callers that must refuse a zero amount
//! say so with their own error before they get here.
use crate::ProgramConfig;
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

/// Moves `amount` of `mint` from a user's token account `from`, signed by the user `authority`,
/// into `to` (a vault; possibly created earlier in the same instruction, so given untyped).
pub fn pay_in<'info>(
    token_program: &Program<'info, Token>,
    from: &Account<'info, TokenAccount>,
    to: &AccountInfo<'info>,
    mint: &Account<'info, Mint>,
    authority: &Signer<'info>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let accounts = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: to.clone(),
        authority: authority.to_account_info(),
    };
    token::transfer_checked(CpiContext::new(token_program.key(), accounts), amount, mint.decimals)
}

/// Moves `amount` of `mint` out of the vault `from` into `to`, signed by the program's config
/// PDA, which owns every vault of the program.
pub fn pay_out<'info, C>(
    token_program: &Program<'info, Token>,
    config: &Account<'info, C>,
    from: &Account<'info, TokenAccount>,
    to: &Account<'info, TokenAccount>,
    mint: &Account<'info, Mint>,
    amount: u64,
) -> Result<()>
where
    C: ProgramConfig + AccountSerialize + AccountDeserialize + Owner + Clone,
{
    if amount == 0 {
        return Ok(());
    }
    let seeds = config.signer_seeds();
    let accounts = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: to.to_account_info(),
        authority: config.to_account_info(),
    };
    let signer = [&seeds[..]];
    let ctx = CpiContext::new_with_signer(token_program.key(), accounts, &signer);
    token::transfer_checked(ctx, amount, mint.decimals)
}

/// The balance of an SPL token account read from its current data: given untyped (created in this
/// instruction), or after this instruction's transfers and burns, which an already deserialized
/// `Account` would not show.
pub fn token_amount(info: &AccountInfo) -> Result<u64> {
    let data = info.try_borrow_data()?;
    Ok(TokenAccount::try_deserialize(&mut &data[..])?.amount)
}
