//! Delegated staking: any wallet stakes $IO to an operator. A position is either 0 or at least
//! `min_stake`; unstaked $IO waits out `unstake_cooldown_secs` in the operator's unbonding pool
//! (still slashable) and is then withdrawn.
use super::{now, pay_in, pay_out, require_vault_covers};
use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, add_i64, sub};

/// Accounts for every staker instruction.
#[event_cpi]
#[derive(Accounts)]
pub struct StakerAction<'info> {
    #[account(mut)]
    pub staker: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = stake_vault,
        has_one = reward_vault, constraint = !config.paused @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(init_if_needed, payer = staker, space = 8 + Position::INIT_SPACE,
        seeds = [POSITION_SEED, operator.key().as_ref(), staker.key().as_ref()], bump)]
    pub position: Box<Account<'info, Position>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    /// The staker's $IO account: source of stakes, destination of withdrawals and rewards.
    #[account(mut, token::mint = io_mint)]
    pub staker_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl StakerAction<'_> {
    /// Fills in a position created by this instruction (`init_if_needed`).
    fn init_position(&mut self, bump: u8) {
        if self.position.operator == Pubkey::default() {
            self.position.operator = self.operator.key();
            self.position.staker = self.staker.key();
            self.position.reward_per_share_paid = self.operator.reward_per_share;
            self.position.bump = bump;
        }
    }

    fn check_all(&self) -> Result<()> {
        self.position.invariant(&self.operator)?;
        self.operator.invariant(&self.config.params)?;
        self.config.invariant()?;
        require_vault_covers(&self.stake_vault.to_account_info(), self.config.total_staked)?;
        require_vault_covers(&self.reward_vault.to_account_info(), self.config.rewards_held()?)
    }
}

/// Stakes `amount` to the operator. The position after must be worth at least `min_stake`: a
/// first stake below it fails, a top-up of any size onto a position at or above it succeeds.
pub fn handle_stake(mut ctx: Context<StakerAction>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let a = &mut ctx.accounts;
    a.init_position(ctx.bumps.position);
    let op = &mut a.operator;
    let pos = &mut a.position;
    pos.settle(op)?;
    let mut pool = op.stake_pool();
    let value_before = pool.value_of_floor(pos.shares).math()?;
    require!(add(value_before, amount).math()? >= a.config.params.min_stake, StakingError::BelowMinimumStake);
    let pool_tokens_before = pool.tokens;
    let minted = pool.deposit(amount).math()?;
    require!(minted > 0, StakingError::ZeroAmount);
    op.set_stake_pool(pool);
    if pos.shares == 0 {
        op.delegator_count = op.delegator_count.checked_add(1).ok_or(StakingError::MathOverflow)?;
    }
    pos.shares = add(pos.shares, minted).math()?;
    a.config.total_staked = add(a.config.total_staked, amount).math()?;
    pay_in(&a.token_program, &a.staker_token, &a.stake_vault, &a.io_mint, &a.staker, amount)?;
    a.check_all()?;
    let a = &ctx.accounts;
    emit_cpi!(Staked {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        shares_minted: minted,
        position_shares_after: a.position.shares,
        pool_shares_after: a.operator.stake_shares,
        pool_tokens_before,
        pool_tokens_after: a.operator.stake_tokens,
        delegator_count_after: a.operator.delegator_count,
    });
    Ok(())
}

/// Starts the cooldown for `amount` $IO of the position. What remains must be 0 or at least
/// `min_stake`; unstaking the whole value (`amount` equal to it) closes the position's stake.
/// A position holds at most [`MAX_UNSTAKE_TICKETS`] pending unstakes.
pub fn handle_unstake(mut ctx: Context<StakerAction>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let ts = now()?;
    let a = &mut ctx.accounts;
    a.init_position(ctx.bumps.position);
    let params = a.config.params;
    let op = &mut a.operator;
    let pos = &mut a.position;
    pos.settle(op)?;
    let mut pool = op.stake_pool();
    let value = pool.value_of_floor(pos.shares).math()?;
    require!(amount <= value, StakingError::InsufficientStake);
    let remaining = sub(value, amount).math()?;
    require!(remaining == 0 || remaining >= params.min_stake, StakingError::UnstakeLeavesBelowMinimum);
    let slot = pos.tickets.iter().position(|t| t.shares == 0).ok_or(StakingError::TooManyPendingUnstakes)?;
    // A full exit burns every share (the floor dust stays in the pool); a partial one burns
    // the shares the amount is worth, rounded up, so the pool never loses to rounding.
    let burned =
        if remaining == 0 { pos.shares } else { pool.shares_to_burn_ceil(amount).math()?.min(pos.shares) };
    let pool_tokens_before = pool.tokens;
    pool.remove(burned, amount).math()?;
    op.set_stake_pool(pool);
    let mut unbonding = op.unbonding_pool();
    let ticket_shares = unbonding.deposit(amount).math()?;
    op.set_unbonding_pool(unbonding);
    pos.shares = sub(pos.shares, burned).math()?;
    if pos.shares == 0 {
        op.delegator_count = op.delegator_count.checked_sub(1).ok_or(StakingError::MathOverflow)?;
    }
    let unlock_ts = add_i64(ts, params.unstake_cooldown_secs).math()?;
    pos.tickets[slot] = UnstakeTicket { shares: ticket_shares, unlock_ts, era: op.unbonding_era };
    a.check_all()?;
    let a = &ctx.accounts;
    emit_cpi!(Unstaked {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        shares_burned: burned,
        unbonding_shares_minted: ticket_shares,
        unlock_ts,
        position_shares_after: a.position.shares,
        pool_shares_after: a.operator.stake_shares,
        pool_tokens_before,
        pool_tokens_after: a.operator.stake_tokens,
        unbonding_tokens_after: a.operator.unbonding_tokens,
        delegator_count_after: a.operator.delegator_count,
    });
    Ok(())
}

/// Withdraws every pending unstake whose cooldown has passed, at the unbonding pool's current
/// value (lower than unstaked if a slash hit it meanwhile). Fails with `CooldownNotElapsed` when
/// unstakes are pending but none has matured, `NothingToWithdraw` when none is pending.
pub fn handle_withdraw(mut ctx: Context<StakerAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    a.init_position(ctx.bumps.position);
    let pos = &mut a.position;
    require!(pos.pending_tickets() > 0, StakingError::NothingToWithdraw);
    // F-8 / S-2: unstaked $IO answers for a pending slash until it is cancelled or executed.
    a.operator.require_no_pending_slash()?;
    let op = &mut a.operator;
    let mut unbonding = op.unbonding_pool();
    let (mut amount, mut burned, mut matured) = (0u64, 0u64, 0usize);
    for t in pos.tickets.iter_mut().filter(|t| t.shares > 0 && t.unlock_ts <= ts) {
        // A ticket of an earlier era is worth nothing and its shares are no longer in the pool.
        if t.era == op.unbonding_era {
            amount = add(amount, unbonding.redeem(t.shares).math()?).math()?;
            burned = add(burned, t.shares).math()?;
        }
        matured = matured.saturating_add(1);
        *t = UnstakeTicket::default();
    }
    require!(matured > 0, StakingError::CooldownNotElapsed);
    op.set_unbonding_pool(unbonding);
    a.config.total_staked = sub(a.config.total_staked, amount).math()?;
    if amount > 0 {
        pay_out(&a.token_program, &a.config, &a.stake_vault, &a.staker_token, &a.io_mint, amount)?;
    }
    a.check_all()?;
    let a = &ctx.accounts;
    emit_cpi!(Withdrawn {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        unbonding_shares_burned: burned,
        unbonding_tokens_after: a.operator.unbonding_tokens,
    });
    Ok(())
}

/// Pays the position's settled and newly earned rewards.
pub fn handle_claim_rewards(mut ctx: Context<StakerAction>) -> Result<()> {
    let a = &mut ctx.accounts;
    a.init_position(ctx.bumps.position);
    a.position.settle(&a.operator)?;
    let amount = a.position.rewards_owed;
    require!(amount > 0, StakingError::NothingToClaim);
    a.position.rewards_owed = 0;
    a.config.rewards_paid = add(a.config.rewards_paid, amount).math()?;
    pay_out(&a.token_program, &a.config, &a.reward_vault, &a.staker_token, &a.io_mint, amount)?;
    a.check_all()?;
    let a = &ctx.accounts;
    emit_cpi!(RewardsClaimed {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        reward_per_share: a.operator.reward_per_share,
    });
    Ok(())
}
