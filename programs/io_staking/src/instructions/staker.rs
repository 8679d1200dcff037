//! Delegated staking: any wallet stakes $IO to an operator. A position is either 0 or at least
//! `min_stake`. New stake warms up: it earns from the reward period after the one it was staked
//! in (F-10); during the period it was staked in it can be unstaked at once. Any other stake that
//! is unstaked waits out `unstake_cooldown_secs` in the operator's unbonding pool (still slashable) and is
//! then withdrawn.
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
        has_one = reward_vault, constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    /// CHECK: the staker's position PDA (seeds checked here). `stake` creates it when it does not
    /// exist yet, through io-program-kit, so lamports a stranger sent there first cannot block
    /// it; the handlers read and write it as a [`Position`] (owner and discriminator checked).
    #[account(mut, seeds = [POSITION_SEED, operator.key().as_ref(), staker.key().as_ref()], bump)]
    pub position: UncheckedAccount<'info>,
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

impl<'info> StakerAction<'info> {
    /// The position, or `None` when its address holds no position yet (lamports alone do not
    /// make one).
    fn load_position(&self) -> Result<Option<Position>> {
        load_position(&self.position.to_account_info())
    }

    /// The position, created first if needed (paid by the staker).
    fn load_or_create_position(&self, bump: u8) -> Result<Position> {
        if let Some(p) = self.load_position()? {
            return Ok(p);
        }
        let (operator, staker) = (self.operator.key(), self.staker.key());
        let fresh = Position::new(operator, staker, self.operator.reward_per_share, bump);
        io_program_kit::create_program_account(
            &self.staker.to_account_info(),
            &self.position.to_account_info(),
            &self.system_program.to_account_info(),
            &crate::ID,
            8 + Position::INIT_SPACE,
            &[POSITION_SEED, operator.as_ref(), staker.as_ref(), &[bump]],
            &fresh,
        )?;
        Ok(fresh)
    }

    /// Checks every invariant, then writes the position back.
    fn finish(&self, pos: &Position) -> Result<()> {
        pos.invariant(&self.operator)?;
        self.operator.invariant(&self.config.params)?;
        self.config.invariant()?;
        // F-11: the vaults hold at least what the ledgers say (a donation is surplus, never a block).
        require_vault_covers(&self.stake_vault.to_account_info(), self.config.total_staked)?;
        require_vault_covers(&self.reward_vault.to_account_info(), self.config.rewards_held()?)?;
        store_position(&self.position.to_account_info(), pos)
    }
}

/// Reads a position account: `None` when the address is not (yet) an account of this program.
pub(crate) fn load_position(info: &AccountInfo) -> Result<Option<Position>> {
    io_program_kit::load_if_owned(info)
}

/// Writes `pos` (discriminator and data) into its account.
pub(crate) fn store_position(info: &AccountInfo, pos: &Position) -> Result<()> {
    io_program_kit::store(info, pos)
}

/// Stakes `amount` to the operator. The position after must be worth at least `min_stake`: a
/// first stake below it fails, a top-up of any size onto a position at or above it succeeds.
/// The new shares warm up until the next reward period; a top-up while earlier stake is still
/// warming up restarts that stake's warm-up too (one activation period per position).
pub fn handle_stake(mut ctx: Context<StakerAction>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let period = period_of(now()?)?;
    let a = &mut ctx.accounts;
    let mut pos = a.load_or_create_position(ctx.bumps.position)?;
    let op = &mut a.operator;
    pos.settle(op)?;
    let mut pool = op.stake_pool();
    let shares_before = pos.pool_shares()?;
    let value_before = pool.value_of_floor(shares_before).math()?;
    require!(add(value_before, amount).math()? >= a.config.params.min_stake, StakingError::BelowMinimumStake);
    let pool_tokens_before = pool.tokens;
    let minted = pool.deposit(amount).math()?;
    require!(minted > 0, StakingError::ZeroAmount);
    op.set_stake_pool(pool);
    if shares_before == 0 {
        op.delegator_count = op.delegator_count.checked_add(1).ok_or(StakingError::MathOverflow)?;
    }
    op.activating_shares = add(op.activating_shares, minted).math()?;
    let activation_period = period.checked_add(1).ok_or(StakingError::MathOverflow)?;
    pos.fresh_shares = if pos.activation_period == activation_period && pos.activating_shares > 0 {
        add(pos.fresh_shares, minted).math()?
    } else {
        minted
    };
    pos.activating_shares = add(pos.activating_shares, minted).math()?;
    pos.activation_period = activation_period;
    a.config.total_staked = add(a.config.total_staked, amount).math()?;
    pay_in(
        &a.token_program,
        &a.staker_token,
        &a.stake_vault.to_account_info(),
        &a.io_mint,
        &a.staker,
        amount,
    )?;
    a.finish(&pos)?;
    let a = &ctx.accounts;
    emit_cpi!(Staked {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        shares_minted: minted,
        position_shares_after: pos.shares,
        pool_shares_after: a.operator.stake_shares,
        pool_tokens_before,
        pool_tokens_after: a.operator.stake_tokens,
        delegator_count_after: a.operator.delegator_count,
    });
    Ok(())
}

/// Unstakes `amount` $IO of the position. What remains must be 0 or at least `min_stake`;
/// unstaking the whole value (`amount` equal to it) closes the position's stake. Stake made in
/// the current period goes first and is paid out at once: it never earned (its activation
/// period has not begun), so it owes no cooldown. The rest starts the cooldown as a ticket; a
/// position holds at most [`MAX_UNSTAKE_TICKETS`].
pub fn handle_unstake(mut ctx: Context<StakerAction>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let ts = now()?;
    let a = &mut ctx.accounts;
    let mut pos = a.load_position()?.ok_or(StakingError::InsufficientStake)?;
    let params = a.config.params;
    let op = &mut a.operator;
    pos.settle(op)?;
    let mut pool = op.stake_pool();
    let value = pool.value_of_floor(pos.pool_shares()?).math()?;
    require!(amount <= value, StakingError::InsufficientStake);
    let remaining = sub(value, amount).math()?;
    require!(remaining == 0 || remaining >= params.min_stake, StakingError::UnstakeLeavesBelowMinimum);
    let pool_tokens_before = pool.tokens;

    // Stake staked in this very period first: it never earned and never will, so it leaves at
    // once. All of it when its whole value goes (the floor dust stays in the pool); otherwise
    // the shares the amount is worth, rounded up, so the pool never loses to rounding.
    let fresh = pos.fresh_at(period_of(ts)?);
    let fresh_value = pool.value_of_floor(fresh).math()?;
    let from_fresh = amount.min(fresh_value);
    let fresh_burned = if from_fresh == 0 && remaining != 0 {
        0
    } else if from_fresh == fresh_value {
        fresh
    } else {
        pool.shares_to_burn_ceil(from_fresh).math()?.min(fresh)
    };
    pool.remove(fresh_burned, from_fresh).math()?;
    pos.activating_shares = sub(pos.activating_shares, fresh_burned).math()?;
    pos.fresh_shares = sub(pos.fresh_shares.min(fresh), fresh_burned).math()?;
    op.activating_shares = sub(op.activating_shares, fresh_burned).math()?;

    // The rest into the cooldown: warm stake staked before this period (whether or not a
    // reward has reached it yet) first, then earning stake.
    let from_rest = sub(amount, from_fresh).math()?;
    let begun = sub(pos.activating_shares, pos.fresh_shares).math()?;
    let rest_shares = add(pos.shares, begun).math()?;
    let burned = if remaining == 0 {
        rest_shares
    } else if from_rest == 0 {
        0
    } else {
        pool.shares_to_burn_ceil(from_rest).math()?.min(rest_shares)
    };
    pool.remove(burned, from_rest).math()?;
    op.set_stake_pool(pool);
    let begun_burned = burned.min(begun);
    pos.activating_shares = sub(pos.activating_shares, begun_burned).math()?;
    op.activating_shares = sub(op.activating_shares, begun_burned).math()?;
    pos.shares = sub(pos.shares, sub(burned, begun_burned).math()?).math()?;
    let mut ticket = None;
    if from_rest > 0 {
        let slot =
            pos.tickets.iter().position(|t| t.shares == 0).ok_or(StakingError::TooManyPendingUnstakes)?;
        let mut unbonding = op.unbonding_pool();
        let ticket_shares = unbonding.deposit(from_rest).math()?;
        op.set_unbonding_pool(unbonding);
        let unlock_ts = add_i64(ts, params.unstake_cooldown_secs).math()?;
        pos.tickets[slot] = UnstakeTicket { shares: ticket_shares, unlock_ts, era: op.unbonding_era };
        ticket = Some((ticket_shares, unlock_ts));
    }
    if pos.pool_shares()? == 0 {
        op.delegator_count = op.delegator_count.checked_sub(1).ok_or(StakingError::MathOverflow)?;
    }
    if from_fresh > 0 {
        // Stake made this hour sits in the slashable pool: it may not leave while a slash is
        // pending any more than a ticket may (F-8 / S-2).
        a.operator.require_no_pending_slash()?;
        a.config.total_staked = sub(a.config.total_staked, from_fresh).math()?;
        pay_out(&a.token_program, &a.config, &a.stake_vault, &a.staker_token, &a.io_mint, from_fresh)?;
    }
    a.finish(&pos)?;
    let a = &ctx.accounts;
    if from_fresh > 0 || fresh_burned > 0 {
        emit_cpi!(ActivatingUnstaked {
            operator: a.operator.key(),
            staker: a.staker.key(),
            amount: from_fresh,
            shares_burned: fresh_burned,
            activating_shares_after: pos.activating_shares,
            pool_shares_after: a.operator.stake_shares,
            pool_tokens_before,
            pool_tokens_after: a.operator.stake_tokens,
            delegator_count_after: a.operator.delegator_count,
        });
    }
    if let Some((ticket_shares, unlock_ts)) = ticket {
        emit_cpi!(Unstaked {
            operator: a.operator.key(),
            staker: a.staker.key(),
            amount: from_rest,
            shares_burned: burned,
            unbonding_shares_minted: ticket_shares,
            unlock_ts,
            position_shares_after: pos.shares,
            pool_shares_after: a.operator.stake_shares,
            pool_tokens_before,
            pool_tokens_after: a.operator.stake_tokens,
            unbonding_tokens_after: a.operator.unbonding_tokens,
            delegator_count_after: a.operator.delegator_count,
        });
    }
    Ok(())
}

/// Withdraws every pending unstake whose cooldown has passed, at the unbonding pool's current
/// value (lower than unstaked if a slash hit it meanwhile). Fails with `CooldownNotElapsed` when
/// unstakes are pending but none has matured, `NothingToWithdraw` when none is pending.
pub fn handle_withdraw(mut ctx: Context<StakerAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let mut pos = a.load_position()?.ok_or(StakingError::NothingToWithdraw)?;
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
    a.finish(&pos)?;
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

/// Pays the position's settled and newly earned rewards. It also turns warm stake into earning
/// stake (see [`Position::settle`]), so a staker whose warm stake no reward crank listed starts
/// earning by claiming, even with nothing to claim yet (then it pays 0).
pub fn handle_claim_rewards(mut ctx: Context<StakerAction>) -> Result<()> {
    let a = &mut ctx.accounts;
    let mut pos = a.load_position()?.ok_or(StakingError::NothingToClaim)?;
    let activated = pos.settle(&mut a.operator)?;
    let amount = pos.rewards_owed;
    require!(amount > 0 || activated > 0, StakingError::NothingToClaim);
    pos.rewards_owed = 0;
    a.config.rewards_paid = add(a.config.rewards_paid, amount).math()?;
    if amount > 0 {
        pay_out(&a.token_program, &a.config, &a.reward_vault, &a.staker_token, &a.io_mint, amount)?;
    }
    a.finish(&pos)?;
    let a = &ctx.accounts;
    emit_cpi!(RewardsClaimed {
        operator: a.operator.key(),
        staker: a.staker.key(),
        amount,
        reward_per_share: a.operator.reward_per_share,
    });
    Ok(())
}
