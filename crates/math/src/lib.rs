//! Checked, rounding-explicit integer math for IO Compute.
//!
//! Everything here is pure, `no_std`-friendly and free of floats, so the same code runs inside the
//! on-chain programs (SBF) and in off-chain services. Every function that divides says in its name
//! which way it rounds. The rule of the project: round **against the user, for the protocol** —
//! amounts paid out and shares minted round down (`_floor`), fees and shares burned round up
//! (`_ceil`). Intermediates are `u128`, so `a * b / d` never overflows before the division.
#![no_std]
#![deny(clippy::arithmetic_side_effects)]
#![deny(clippy::integer_division)]

pub mod shares;

pub use shares::{eligible_periods, RewardAccumulator, SharePool, WeightedSplit, REWARD_SCALE};

/// Why a computation could not produce a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathError {
    /// The exact result does not fit the target type.
    Overflow,
    /// A subtraction would go below zero.
    Underflow,
    /// A division by zero was asked for.
    DivisionByZero,
    /// A pool that has shares outstanding but no tokens left behind them (slashed to zero):
    /// new deposits would mint unbounded shares, so they are refused.
    EmptyPool,
    /// A basis-points value above 10,000 (100%).
    InvalidBps,
}

pub type MathResult<T> = core::result::Result<T, MathError>;

/// `a + b`, or [`MathError::Overflow`].
#[inline]
pub fn add(a: u64, b: u64) -> MathResult<u64> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a - b`, or [`MathError::Underflow`].
#[inline]
pub fn sub(a: u64, b: u64) -> MathResult<u64> {
    a.checked_sub(b).ok_or(MathError::Underflow)
}

/// `a * b`, or [`MathError::Overflow`].
#[inline]
pub fn mul(a: u64, b: u64) -> MathResult<u64> {
    a.checked_mul(b).ok_or(MathError::Overflow)
}

/// `a + b` for `i64` timestamps, or [`MathError::Overflow`].
#[inline]
pub fn add_i64(a: i64, b: i64) -> MathResult<i64> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a + b` in `u128`, or [`MathError::Overflow`].
#[inline]
pub fn add_u128(a: u128, b: u128) -> MathResult<u128> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a - b` in `u128`, or [`MathError::Underflow`].
#[inline]
pub fn sub_u128(a: u128, b: u128) -> MathResult<u128> {
    a.checked_sub(b).ok_or(MathError::Underflow)
}

/// Narrows a `u128` to `u64`, or [`MathError::Overflow`].
#[inline]
pub fn to_u64(v: u128) -> MathResult<u64> {
    u64::try_from(v).map_err(|_| MathError::Overflow)
}

/// `⌊a × b / d⌋` with a `u128` intermediate.
pub fn mul_div_floor(a: u64, b: u64, d: u64) -> MathResult<u64> {
    to_u64(mul_div_floor_u128(u128::from(a), u128::from(b), u128::from(d))?)
}

/// `⌈a × b / d⌉` with a `u128` intermediate.
pub fn mul_div_ceil(a: u64, b: u64, d: u64) -> MathResult<u64> {
    to_u64(mul_div_ceil_u128(u128::from(a), u128::from(b), u128::from(d))?)
}

/// `⌊a × b / d⌋` on `u128`; the product itself must fit in `u128`.
pub fn mul_div_floor_u128(a: u128, b: u128, d: u128) -> MathResult<u128> {
    let p = a.checked_mul(b).ok_or(MathError::Overflow)?;
    p.checked_div(d).ok_or(MathError::DivisionByZero)
}

/// `⌈a × b / d⌉` on `u128`; the product itself must fit in `u128`.
pub fn mul_div_ceil_u128(a: u128, b: u128, d: u128) -> MathResult<u128> {
    if d == 0 {
        return Err(MathError::DivisionByZero);
    }
    let p = a.checked_mul(b).ok_or(MathError::Overflow)?;
    Ok(p.div_ceil(d))
}

/// 10,000 basis points are 100%.
pub const MAX_BPS: u16 = 10_000;

/// A fraction in basis points (1 bps = 0.01%), always `0..=10_000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Bps(u16);

impl Bps {
    pub const ZERO: Bps = Bps(0);
    pub const FULL: Bps = Bps(MAX_BPS);

    /// A checked constructor: values above 10,000 are [`MathError::InvalidBps`].
    pub const fn new(bps: u16) -> MathResult<Self> {
        if bps > MAX_BPS {
            Err(MathError::InvalidBps)
        } else {
            Ok(Bps(bps))
        }
    }

    pub const fn get(self) -> u16 {
        self.0
    }

    /// The part of `amount` this fraction stands for, rounded down (a payout).
    pub fn of_floor(self, amount: u64) -> MathResult<u64> {
        mul_div_floor(amount, u64::from(self.0), u64::from(MAX_BPS))
    }

    /// The part of `amount` this fraction stands for, rounded up (a fee).
    pub fn of_ceil(self, amount: u64) -> MathResult<u64> {
        mul_div_ceil(amount, u64::from(self.0), u64::from(MAX_BPS))
    }
}

/// Splits `amount` into `(fee, rest)` with the fee rounded up, so `fee + rest == amount` exactly.
pub fn split_fee_ceil(amount: u64, fee: Bps) -> MathResult<(u64, u64)> {
    let f = fee.of_ceil(amount)?;
    Ok((f, sub(amount, f)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_rounds_as_named() {
        assert_eq!(mul_div_floor(10, 3, 4), Ok(7));
        assert_eq!(mul_div_ceil(10, 3, 4), Ok(8));
        assert_eq!(mul_div_ceil(8, 3, 4), Ok(6));
        assert_eq!(mul_div_floor(u64::MAX, u64::MAX, u64::MAX), Ok(u64::MAX));
        assert_eq!(mul_div_floor(u64::MAX, 2, 1), Err(MathError::Overflow));
        assert_eq!(mul_div_floor(1, 1, 0), Err(MathError::DivisionByZero));
        assert_eq!(mul_div_ceil(1, 1, 0), Err(MathError::DivisionByZero));
    }

    #[test]
    fn bps_bounds_and_rounding() {
        assert_eq!(Bps::new(10_001), Err(MathError::InvalidBps));
        let two = Bps::new(200).unwrap();
        assert_eq!(two.of_ceil(1), Ok(1));
        assert_eq!(two.of_floor(1), Ok(0));
        assert_eq!(two.of_ceil(10_000), Ok(200));
        assert_eq!(split_fee_ceil(101, two), Ok((3, 98)));
        assert_eq!(Bps::FULL.of_floor(u64::MAX), Ok(u64::MAX));
    }

    #[test]
    fn checked_ops_report_direction() {
        assert_eq!(add(u64::MAX, 1), Err(MathError::Overflow));
        assert_eq!(sub(0, 1), Err(MathError::Underflow));
        assert_eq!(mul(u64::MAX, 2), Err(MathError::Overflow));
        assert_eq!(to_u64(u128::from(u64::MAX) + 1), Err(MathError::Overflow));
    }
}
