//! Oracle bonds: posted by each oracle key, withdrawn after a cooldown once the key is in
//! neither the current set nor the previous one in its grace period.
use super::now;
use crate::{constants::*, error::OracleError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

#[event_cpi]
#[derive(Accounts)]
pub struct BondAction<'info> {
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = bond_vault,
        constraint = !config.paused @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(init_if_needed, payer = oracle, space = 8 + OracleBond::INIT_SPACE,
        seeds = [BOND_SEED, oracle.key().as_ref()], bump)]
    pub bond: Box<Account<'info, OracleBond>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub oracle_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_post_bond(mut ctx: Context<BondAction>, amount: u64) -> Result<()> {
    require!(amount > 0, OracleError::ZeroAmount);
    let a = &mut ctx.accounts;
    require!(!a.bond.slashed, OracleError::BondSlashed);
    a.bond.oracle = a.oracle.key();
    a.bond.bump = ctx.bumps.bond;
    token::transfer_checked(
        CpiContext::new(
            a.token_program.key(),
            TransferChecked {
                from: a.oracle_token.to_account_info(),
                mint: a.io_mint.to_account_info(),
                to: a.bond_vault.to_account_info(),
                authority: a.oracle.to_account_info(),
            },
        ),
        amount,
        a.io_mint.decimals,
    )?;
    a.bond.amount = a.bond.amount.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    a.config.total_bonded = a.config.total_bonded.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    let (oracle, after, withdrawing) = (a.oracle.key(), a.bond.amount, a.bond.withdrawing);
    emit_cpi!(OracleBondChanged {
        oracle,
        amount,
        bond_after: after,
        withdrawing_after: withdrawing,
        unlock_ts: 0
    });
    Ok(())
}

/// Starts the cooldown for the whole bond. Refused while the key may still sign for a set.
pub fn handle_request_bond_withdrawal(mut ctx: Context<BondAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let key = a.oracle.key();
    let config = &a.config;
    let in_grace = config.prev_set.position(&key).is_some() && ts < config.prev_valid_until;
    require!(config.set.position(&key).is_none() && !in_grace, OracleError::StillInSet);
    require!(!a.bond.slashed, OracleError::BondSlashed);
    require!(a.bond.amount > 0, OracleError::NothingToWithdraw);
    a.bond.withdrawing = a.bond.withdrawing.checked_add(a.bond.amount).ok_or(OracleError::MathOverflow)?;
    a.bond.amount = 0;
    a.bond.unlock_ts = ts.checked_add(config.params.bond_cooldown_secs).ok_or(OracleError::MathOverflow)?;
    let (withdrawing, unlock_ts) = (a.bond.withdrawing, a.bond.unlock_ts);
    emit_cpi!(OracleBondChanged {
        oracle: key,
        amount: withdrawing,
        bond_after: 0,
        withdrawing_after: withdrawing,
        unlock_ts
    });
    Ok(())
}

pub fn handle_withdraw_bond(mut ctx: Context<BondAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    require!(!a.bond.slashed, OracleError::BondSlashed);
    let amount = a.bond.withdrawing;
    require!(amount > 0, OracleError::NothingToWithdraw);
    require!(ts >= a.bond.unlock_ts, OracleError::CooldownNotElapsed);
    let seeds = a.config.signer_seeds();
    token::transfer_checked(
        CpiContext::new_with_signer(
            a.token_program.key(),
            TransferChecked {
                from: a.bond_vault.to_account_info(),
                mint: a.io_mint.to_account_info(),
                to: a.oracle_token.to_account_info(),
                authority: a.config.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        a.io_mint.decimals,
    )?;
    a.bond.withdrawing = 0;
    a.config.total_bonded = a.config.total_bonded.checked_sub(amount).ok_or(OracleError::MathOverflow)?;
    let (oracle, after) = (a.oracle.key(), a.bond.amount);
    emit_cpi!(OracleBondChanged { oracle, amount, bond_after: after, withdrawing_after: 0, unlock_ts: 0 });
    Ok(())
}
