//! Hourly emissions: a permissionless crank that mints every due hour of the schedule into the
//! rewards vault, catching up at most `MAX_HOURS_PER_EMIT` missed hours per call.
use super::{mint_to_vault, now};
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    schedule::{advance, hours_due, MAX_HOURS_PER_EMIT},
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, sub};

#[event_cpi]
#[derive(Accounts)]
pub struct Emit<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = rewards_vault,
        constraint = config.is_live() @ TokenError::Paused,
        constraint = config.genesis_done @ TokenError::GenesisNotDone)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub rewards_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Covers the hours from the next unemitted one up to the last fully elapsed one (at most
/// `MAX_HOURS_PER_EMIT`), and mints their sum clipped to what the supply cap leaves.
/// `NothingToEmit` if no full hour is due; `SupplyCapExceeded` once the cap has been reached.
pub fn handle_emit(mut ctx: Context<Emit>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let state = a.config.emission;
    let due = hours_due(state.start_ts, ts).math()?;
    require!(due > state.next_hour, TokenError::NothingToEmit);
    let remaining = sub(a.config.max_supply, a.config.total_minted).math()?;
    require!(remaining > 0, TokenError::SupplyCapExceeded);
    let step =
        advance(state.cursor(), a.config.params.decay_bps, due, MAX_HOURS_PER_EMIT, remaining).math()?;
    let mut minted = None;
    if step.minted > 0 {
        let before = a.config.record_mint(step.minted)?;
        mint_to_vault(
            &a.token_program,
            &a.config,
            &a.io_mint,
            &a.rewards_vault.to_account_info(),
            step.minted,
        )?;
        a.io_mint.reload()?;
        minted = Some(Minted {
            reason: MintReason::Emission,
            destination: a.rewards_vault.key(),
            amount: step.minted,
            total_minted_before: before,
            total_minted_after: a.config.total_minted,
            supply_after: a.io_mint.supply,
        });
    }
    let config = &mut a.config;
    config.emission.next_hour = step.cursor.next_hour;
    config.emission.month_amount = step.cursor.month_amount;
    config.emission.emitted = add(state.emitted, step.minted).math()?;
    config.check_supply(a.io_mint.supply)?;
    config.invariant()?;
    let ev = Emitted {
        from_hour: step.from_hour,
        to_hour: step.to_hour,
        scheduled: step.scheduled,
        minted: step.minted,
        month_amount_before: state.month_amount,
        month_amount_after: step.cursor.month_amount,
        emitted_before: state.emitted,
        emitted_after: config.emission.emitted,
        hours_still_due: sub(due, step.to_hour).math()?,
    };
    if let Some(m) = minted {
        emit_cpi!(m);
    }
    emit_cpi!(ev);
    Ok(())
}
