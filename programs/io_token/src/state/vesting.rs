use crate::{error::TokenError, state::Bucket};
use anchor_lang::prelude::*;
use io_math::{mul_div_floor, MathError, MathResult};

/// What a schedule of `total` has vested at `now`: nothing before `cliff_ts`, then linear from
/// `start_ts` to `end_ts` rounded down, everything from `end_ts` on. The spans are taken in `i128`:
/// any two `i64` times are at most `u64::MAX` seconds apart, so even the widest schedule
/// (`i64::MIN` to `i64::MAX`) computes instead of overflowing.
pub fn vested_amount(total: u64, start_ts: i64, cliff_ts: i64, end_ts: i64, now: i64) -> MathResult<u64> {
    if now < cliff_ts {
        return Ok(0);
    }
    if now >= end_ts {
        return Ok(total);
    }
    let span = |from: i64, to: i64| -> MathResult<u64> {
        let d = i128::from(to).checked_sub(i128::from(from)).ok_or(MathError::Overflow)?;
        u64::try_from(d).map_err(|_| MathError::Underflow)
    };
    mul_div_floor(total, span(start_ts, now)?, span(start_ts, end_ts)?)
}

/// Whether schedule times are acceptable: `start ≤ cliff ≤ end` and `start < end`.
pub fn valid_schedule_times(start_ts: i64, cliff_ts: i64, end_ts: i64) -> bool {
    start_ts <= cliff_ts && cliff_ts <= end_ts && start_ts < end_ts
}

/// One insider's vesting grant out of a vesting bucket, PDA
/// `["vesting", beneficiary, [bucket index], index (u32 LE)]` where `index` is the bucket's
/// schedule count when it was created. Never closed.
#[account]
#[derive(InitSpace, Debug)]
pub struct VestingSchedule {
    /// The only wallet that may claim.
    pub beneficiary: Pubkey,
    pub bucket: Bucket,
    pub index: u32,
    pub start_ts: i64,
    /// Nothing vests before it; at it, the linear amount since `start_ts` vests at once.
    pub cliff_ts: i64,
    pub end_ts: i64,
    /// Granted, base units.
    pub total: u64,
    /// Paid out so far.
    pub claimed: u64,
    pub bump: u8,
}

impl VestingSchedule {
    pub fn vested_at(&self, now: i64) -> MathResult<u64> {
        vested_amount(self.total, self.start_ts, self.cliff_ts, self.end_ts, now)
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.claimed <= self.total
                && self.total > 0
                && self.bucket.vests()
                && valid_schedule_times(self.start_ts, self.cliff_ts, self.end_ts),
            TokenError::MathOverflow
        );
        Ok(())
    }
}
