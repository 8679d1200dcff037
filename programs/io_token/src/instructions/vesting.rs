//! Vesting of the insider buckets (early contributors, series A, seed): the admin grants
//! schedules out of a bucket, never more than it holds unallocated; each beneficiary claims what
//! has vested (cliff, then linear release).
use super::{now, pay_out};
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, sub};

#[event_cpi]
#[derive(Accounts)]
#[instruction(beneficiary: Pubkey, bucket: Bucket)]
pub struct CreateVesting<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, TokenConfig>>,
    /// CHECK: the schedule, created here through `io_program_kit`: its address follows the
    /// public schedule count, so anyone could send it lamports first.
    #[account(mut, seeds = [VESTING_SEED, beneficiary.as_ref(), &bucket.seed(),
        &config.schedule_count[bucket.index()].to_le_bytes()], bump)]
    pub schedule: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Grants `amount` to `beneficiary` out of `bucket`, vesting linearly from `start_ts` to
/// `end_ts` with nothing claimable before `cliff_ts`.
pub fn handle_create_vesting(
    mut ctx: Context<CreateVesting>,
    beneficiary: Pubkey,
    bucket: Bucket,
    start_ts: i64,
    cliff_ts: i64,
    end_ts: i64,
    amount: u64,
) -> Result<()> {
    let a = &mut ctx.accounts;
    require!(a.config.genesis_done, TokenError::GenesisNotDone);
    require!(bucket.vests(), TokenError::NotVestingBucket);
    require!(amount > 0, TokenError::ZeroAmount);
    require!(valid_schedule_times(start_ts, cliff_ts, end_ts), TokenError::InvalidSchedule);
    require!(amount <= a.config.unallocated(bucket)?, TokenError::BucketExhausted);
    let b = bucket.index();
    let config = &mut a.config;
    let index = config.schedule_count[b];
    let allocated_before = config.allocated[b];
    config.allocated[b] = add(allocated_before, amount).math()?;
    config.schedule_count[b] = index.checked_add(1).ok_or(TokenError::MathOverflow)?;
    let schedule = VestingSchedule {
        beneficiary,
        bucket,
        index,
        start_ts,
        cliff_ts,
        end_ts,
        total: amount,
        claimed: 0,
        bump: ctx.bumps.schedule,
    };
    schedule.invariant()?;
    a.config.invariant()?;
    let (bucket_seed, index_seed, bump) = (bucket.seed(), index.to_le_bytes(), [ctx.bumps.schedule]);
    io_program_kit::create_program_account(
        &a.admin,
        &a.schedule,
        &a.system_program,
        &crate::ID,
        8 + VestingSchedule::INIT_SPACE,
        &[VESTING_SEED, beneficiary.as_ref(), &bucket_seed, &index_seed, &bump],
        &schedule,
    )?;
    let ev = VestingCreated {
        schedule: a.schedule.key(),
        beneficiary,
        bucket,
        index,
        start_ts,
        cliff_ts,
        end_ts,
        amount,
        bucket_allocated_before: allocated_before,
        bucket_allocated_after: a.config.allocated[b],
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimVested<'info> {
    pub beneficiary: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        constraint = config.is_live() @ TokenError::Paused)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut, has_one = beneficiary, seeds = [VESTING_SEED, schedule.beneficiary.as_ref(),
        &schedule.bucket.seed(), &schedule.index.to_le_bytes()], bump = schedule.bump)]
    pub schedule: Box<Account<'info, VestingSchedule>>,
    pub io_mint: Box<Account<'info, Mint>>,
    /// The vault of the schedule's bucket.
    #[account(mut, address = config.vaults[schedule.bucket.index()])]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Pays the beneficiary what has vested and was not yet claimed, rounded down.
pub fn handle_claim_vested(mut ctx: Context<ClaimVested>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let vested = a.schedule.vested_at(ts).math()?;
    let claimed_before = a.schedule.claimed;
    let amount = vested.saturating_sub(claimed_before);
    require!(amount > 0, TokenError::NothingVested);
    pay_out(&a.token_program, &a.config, &a.vault, &a.destination, &a.io_mint, amount)?;
    a.schedule.claimed = add(claimed_before, amount).math()?;
    let b = a.schedule.bucket.index();
    a.config.released[b] = add(a.config.released[b], amount).math()?;
    // Anyone may send tokens into a vault, so it holds at least what the ledger says.
    a.vault.reload()?;
    require!(
        a.vault.amount >= sub(a.config.allocations[b], a.config.released[b]).math()?,
        TokenError::MathOverflow
    );
    a.schedule.invariant()?;
    a.config.invariant()?;
    let ev = VestingClaimed {
        schedule: a.schedule.key(),
        beneficiary: a.beneficiary.key(),
        bucket: a.schedule.bucket,
        amount,
        vested,
        claimed_before,
        claimed_after: a.schedule.claimed,
        total: a.schedule.total,
        bucket_released_after: a.config.released[b],
    };
    emit_cpi!(ev);
    Ok(())
}
