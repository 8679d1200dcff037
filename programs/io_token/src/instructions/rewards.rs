//! The rewards vault: emissions land in it; until the oracle's reward claims arrive, a rewards
//! distributor set by the admin moves rewards out of it (io_staking's config PDA, which draws
//! operator rewards by CPI). The accounts (names and order) and the argument of
//! `withdraw_rewards` are therefore a public interface: never change them.
use super::pay_out;
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::add;

/// Accounts of `withdraw_rewards(amount: u64)`, in this order: `rewards_distributor` (signer),
/// `config` (writable), `io_mint`, `rewards_vault` (writable), `destination` (writable),
/// `token_program`, then `event_authority` and `program`.
#[event_cpi]
#[derive(Accounts)]
pub struct WithdrawRewards<'info> {
    pub rewards_distributor: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = rewards_distributor,
        has_one = io_mint, has_one = rewards_vault, constraint = config.is_live() @ TokenError::Paused)]
    pub config: Box<Account<'info, TokenConfig>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub rewards_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Moves `amount` of emitted rewards to `destination`.
pub fn handle_withdraw_rewards(mut ctx: Context<WithdrawRewards>, amount: u64) -> Result<()> {
    require!(amount > 0, TokenError::ZeroAmount);
    let a = &mut ctx.accounts;
    require!(amount <= a.rewards_vault.amount, TokenError::InsufficientRewards);
    pay_out(&a.token_program, &a.config, &a.rewards_vault, &a.destination, &a.io_mint, amount)?;
    let withdrawn_before = a.config.rewards_withdrawn;
    a.config.rewards_withdrawn = add(withdrawn_before, amount).math()?;
    a.rewards_vault.reload()?;
    a.config.invariant()?;
    let ev = RewardsWithdrawn {
        distributor: a.rewards_distributor.key(),
        destination: a.destination.key(),
        amount,
        withdrawn_before,
        withdrawn_after: a.config.rewards_withdrawn,
        vault_balance_after: a.rewards_vault.amount,
    };
    emit_cpi!(ev);
    Ok(())
}
