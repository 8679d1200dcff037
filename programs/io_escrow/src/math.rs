//! Lease money math, pure and property-tested. Payouts round down, fees round up.
//!
//! - A device's payout for `s` attested seconds is `⌊s × rate_per_hour / 3600⌋`, never more than
//!   `rate_per_hour × hours` (its share of the deposit).
//! - The fee is charged on what is actually paid to providers, cumulatively:
//!   `fees = ⌈paid × fee_bps / 10_000⌉`. The deposit reserves `⌈base × fee_bps / 10_000⌉` on top of
//!   `base = Σ rate × hours`, so the fee can never outrun the deposit, and because
//!   `⌈a⌉ + ⌈b⌉ ≥ ⌈a + b⌉` a top-up's separately reserved fee keeps that true.
//! - At the end `paid + fees + refund == deposit` exactly: the refund is whatever is left.
use crate::constants::SECONDS_PER_HOUR;
use io_math::{add, mul, mul_div_floor, sub, Bps, MathResult};

/// `Σ rate × hours` and the fee reserved on it: `(base, fee_reserve)`.
pub fn deposit_for(rates: &[u64], hours: u32, fee: Bps) -> MathResult<(u64, u64)> {
    let per_hour = rates.iter().try_fold(0u64, |acc, r| add(acc, *r))?;
    let base = mul(per_hour, u64::from(hours))?;
    Ok((base, fee.of_ceil(base)?))
}

/// The whole deposit of an opening or top-up at `fee_bps`: base plus fee reserve. What a client
/// quotes and passes as the renter's `max_deposit`.
pub fn deposit_total(rates: &[u64], hours: u32, fee_bps: u16) -> MathResult<u64> {
    let (base, reserve) = deposit_for(rates, hours, Bps::new(fee_bps)?)?;
    add(base, reserve)
}

/// What a device has earned in total for `seconds` of attested service, rounded down and capped
/// at what its `hours` paid for.
pub fn device_owed_floor(seconds: u64, rate_per_hour: u64, hours: u32) -> MathResult<u64> {
    let owed = mul_div_floor(seconds, rate_per_hour, SECONDS_PER_HOUR)?;
    Ok(owed.min(mul(rate_per_hour, u64::from(hours))?))
}

/// The fee due when cumulative payouts grow from `paid` by `pay`, given `fees` already charged.
pub fn fee_due_ceil(paid: u64, pay: u64, fees: u64, fee: Bps) -> MathResult<u64> {
    sub(fee.of_ceil(add(paid, pay)?)?, fees)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_second_granularity_rounds_down() {
        // 3.6 USDC an hour is 1,000 base units a second.
        assert_eq!(device_owed_floor(1, 3_600_000, 1), Ok(1_000));
        assert_eq!(device_owed_floor(1, 3_599, 1), Ok(0));
        assert_eq!(device_owed_floor(7_200, 3_600_000, 1), Ok(3_600_000), "capped at the hours paid");
    }

    #[test]
    fn deposit_reserves_the_fee_rounded_up() {
        let two = Bps::new(200).unwrap();
        assert_eq!(deposit_for(&[1_000_000, 2_000_000], 3, two), Ok((9_000_000, 180_000)));
        assert_eq!(deposit_for(&[1], 1, two), Ok((1, 1)));
        assert_eq!(deposit_for(&[5], 1, Bps::ZERO), Ok((5, 0)));
    }
}
