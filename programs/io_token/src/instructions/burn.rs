//! The burn ledger: every burn of $IO by the network is an SPL `burn` through this instruction,
//! counted per reason. Other programs call it by CPI with their PDA signing as `authority`, so
//! the accounts (names and order) and the arguments of `burn` are a public interface: never
//! change them.
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount};
use io_math::add;

/// Accounts of `burn(amount: u64, reason: BurnReason)`, in this order: `authority` (signer),
/// `config` (writable), `io_mint` (writable), `from` (writable), `token_program`, then the
/// `event_authority` and `program` that `#[event_cpi]` appends.
#[event_cpi]
#[derive(Accounts)]
pub struct Burn<'info> {
    /// Owner of `from`; for a reserved reason also that reason's burn authority.
    pub authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        constraint = config.is_live() @ TokenError::Paused)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut, token::mint = io_mint, token::authority = authority)]
    pub from: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Burns `amount` from `from` and counts it under `reason`. `LeaseFee`, `Buyback` and `Slash` are
/// reserved to their burn authority (`UnauthorizedBurnReason` for anyone else); `Other` is open
/// to any holder.
pub fn handle_burn(mut ctx: Context<Burn>, amount: u64, reason: BurnReason) -> Result<()> {
    require!(amount > 0, TokenError::ZeroAmount);
    let a = &mut ctx.accounts;
    if let Some(i) = reason.reserved_index() {
        require_keys_eq!(a.authority.key(), a.config.burn_authorities[i], TokenError::UnauthorizedBurnReason);
    }
    token::burn(
        CpiContext::new(
            a.token_program.key(),
            token::Burn {
                mint: a.io_mint.to_account_info(),
                from: a.from.to_account_info(),
                authority: a.authority.to_account_info(),
            },
        ),
        amount,
    )?;
    let config = &mut a.config;
    let r = reason.index();
    let reason_burned_before = config.burned[r];
    config.burned[r] = add(reason_burned_before, amount).math()?;
    config.total_burned = add(config.total_burned, amount).math()?;
    a.io_mint.reload()?;
    a.config.check_supply(a.io_mint.supply)?;
    a.config.invariant()?;
    let ev = Burned {
        reason,
        authority: a.authority.key(),
        from: a.from.key(),
        amount,
        reason_burned_before,
        reason_burned_after: a.config.burned[r],
        total_burned_after: a.config.total_burned,
        total_minted: a.config.total_minted,
        supply_after: a.io_mint.supply,
    };
    emit_cpi!(ev);
    Ok(())
}
