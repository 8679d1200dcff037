//! Share accounting for delegation pools and the reward-per-share accumulator.
//!
//! A pool holds `tokens` behind `shares`. Deposits mint shares at the current price (rounded down),
//! withdrawals burn shares (rounded up), redemptions pay tokens (rounded down), so the pool can
//! never owe more than it holds. A slash lowers `tokens` without touching `shares`: every holder
//! loses the same fraction in O(1).
//!
//! Rewards are not compounded into a pool; they accrue through [`RewardAccumulator`], a `u128`
//! running total of reward per share scaled by [`REWARD_SCALE`] (expo = -12). A holder records the
//! accumulator value when it last settled; what it earned since is
//! `⌊shares × (acc_now − acc_then) / REWARD_SCALE⌋`.
use crate::{
    add, add_u128, mul_div_ceil, mul_div_floor, mul_div_floor_u128, sub, sub_u128, to_u64, MathError,
    MathResult,
};

/// Scale of the reward-per-share accumulator: 10^12 (expo = -12).
pub const REWARD_SCALE: u128 = 1_000_000_000_000;

/// Tokens held behind shares. Plain data so that programs can store it inside an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SharePool {
    pub shares: u64,
    pub tokens: u64,
}

impl SharePool {
    pub const fn new(shares: u64, tokens: u64) -> Self {
        SharePool { shares, tokens }
    }

    /// Shares a deposit of `amount` mints, rounded down. An empty pool mints 1:1.
    pub fn shares_for_deposit_floor(&self, amount: u64) -> MathResult<u64> {
        if self.shares == 0 {
            return Ok(amount);
        }
        if self.tokens == 0 {
            return Err(MathError::EmptyPool);
        }
        mul_div_floor(amount, self.shares, self.tokens)
    }

    /// Tokens `shares` are worth now, rounded down.
    pub fn value_of_floor(&self, shares: u64) -> MathResult<u64> {
        if self.shares == 0 {
            return Ok(0);
        }
        mul_div_floor(shares, self.tokens, self.shares)
    }

    /// Shares that must be burned to take `amount` tokens out, rounded up.
    pub fn shares_to_burn_ceil(&self, amount: u64) -> MathResult<u64> {
        if self.tokens == 0 {
            return Err(MathError::EmptyPool);
        }
        mul_div_ceil(amount, self.shares, self.tokens)
    }

    /// Adds `amount` tokens and returns the shares minted for them.
    pub fn deposit(&mut self, amount: u64) -> MathResult<u64> {
        let minted = self.shares_for_deposit_floor(amount)?;
        self.shares = add(self.shares, minted)?;
        self.tokens = add(self.tokens, amount)?;
        Ok(minted)
    }

    /// Burns `shares` and removes `amount` tokens; the caller has priced them (see
    /// [`Self::shares_to_burn_ceil`] and [`Self::value_of_floor`]).
    pub fn remove(&mut self, shares: u64, amount: u64) -> MathResult<()> {
        self.shares = sub(self.shares, shares)?;
        self.tokens = sub(self.tokens, amount)?;
        Ok(())
    }

    /// Burns `shares` and pays out what they are worth, rounded down.
    pub fn redeem(&mut self, shares: u64) -> MathResult<u64> {
        let amount = self.value_of_floor(shares)?;
        self.remove(shares, amount)?;
        Ok(amount)
    }

    /// Takes `amount` tokens from every holder pro rata (shares unchanged).
    pub fn slash(&mut self, amount: u64) -> MathResult<()> {
        self.tokens = sub(self.tokens, amount)?;
        Ok(())
    }
}

/// The reward-per-share accumulator of one pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RewardAccumulator {
    /// Σ reward × REWARD_SCALE / shares over all distributions.
    pub per_share: u128,
}

impl RewardAccumulator {
    /// Distributes `amount` over `total_shares`. Returns the part actually attributed to holders
    /// (≤ `amount`, rounded down); the rest is dust that stays in the vault.
    pub fn distribute_floor(&mut self, amount: u64, total_shares: u64) -> MathResult<u64> {
        if total_shares == 0 {
            return Err(MathError::DivisionByZero);
        }
        let delta = mul_div_floor_u128(u128::from(amount), REWARD_SCALE, u128::from(total_shares))?;
        self.per_share = add_u128(self.per_share, delta)?;
        to_u64(mul_div_floor_u128(delta, u128::from(total_shares), REWARD_SCALE)?)
    }

    /// What `shares` earned since the accumulator stood at `paid_per_share`, rounded down.
    pub fn earned_floor(&self, shares: u64, paid_per_share: u128) -> MathResult<u64> {
        let delta = sub_u128(self.per_share, paid_per_share)?;
        to_u64(mul_div_floor_u128(u128::from(shares), delta, REWARD_SCALE)?)
    }
}

/// Reward periods of `(from, to]` that stake activating at period `activation` was active for:
/// `to − max(from, activation − 1)`, or 0 when it activates after `to`. Periods are whole (one
/// report period each), so stake that joined during a period earns from the next one on.
pub fn eligible_periods(activation: u64, from: u64, to: u64) -> u64 {
    if activation > to {
        return 0;
    }
    to.saturating_sub(from.max(activation.saturating_sub(1)))
}

/// One reward amount split in proportion to weights in share-periods (shares × periods held),
/// rounded down at every step so the parts never add up to more than the amount.
///
/// `rate` is the reward per share-period scaled by [`REWARD_SCALE`]. Every product below is at
/// most `amount × REWARD_SCALE` (a weight never exceeds the total), so `u128` never overflows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightedSplit {
    pub rate: u128,
    pub total_weight: u128,
}

impl WeightedSplit {
    /// Splits `amount` over `total_weight` share-periods (`total_weight > 0`).
    pub fn new_floor(amount: u64, total_weight: u128) -> MathResult<Self> {
        let rate = mul_div_floor_u128(u128::from(amount), REWARD_SCALE, total_weight)?;
        Ok(WeightedSplit { rate, total_weight })
    }

    /// The part of a holder of `weight` share-periods (at most the total), rounded down.
    pub fn part_floor(&self, weight: u128) -> MathResult<u64> {
        if weight > self.total_weight {
            return Err(MathError::Overflow);
        }
        to_u64(mul_div_floor_u128(self.rate, weight, REWARD_SCALE)?)
    }

    /// Adds to `acc` what one share held for `periods` periods earns, for `shares` shares whose
    /// `shares × periods` is part of the total; returns the amount thereby attributed (rounded
    /// down), which is at most `part_floor(shares × periods)`.
    pub fn accrue_floor(&self, acc: &mut RewardAccumulator, shares: u64, periods: u64) -> MathResult<u64> {
        let weight = u128::from(shares).checked_mul(u128::from(periods)).ok_or(MathError::Overflow)?;
        if weight > self.total_weight {
            return Err(MathError::Overflow);
        }
        let per_share = self.rate.checked_mul(u128::from(periods)).ok_or(MathError::Overflow)?;
        acc.per_share = add_u128(acc.per_share, per_share)?;
        to_u64(mul_div_floor_u128(per_share, u128::from(shares), REWARD_SCALE)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_pool_mints_one_to_one() {
        let mut p = SharePool::default();
        assert_eq!(p.deposit(100), Ok(100));
        assert_eq!(p.value_of_floor(100), Ok(100));
    }

    #[test]
    fn slashed_to_zero_refuses_deposits() {
        let mut p = SharePool::new(100, 100);
        p.slash(100).unwrap();
        assert_eq!(p.deposit(1), Err(MathError::EmptyPool));
        assert_eq!(p.value_of_floor(100), Ok(0));
    }

    #[test]
    fn slash_is_pro_rata() {
        let mut p = SharePool::default();
        p.deposit(300).unwrap();
        p.deposit(100).unwrap();
        p.slash(200).unwrap();
        assert_eq!(p.value_of_floor(300), Ok(150));
        assert_eq!(p.value_of_floor(100), Ok(50));
    }

    #[test]
    fn accumulator_attributes_at_most_amount() {
        let mut acc = RewardAccumulator::default();
        let attributed = acc.distribute_floor(10, 3).unwrap();
        assert!(attributed <= 10);
        assert_eq!(acc.earned_floor(3, 0), Ok(9));
        assert_eq!(acc.distribute_floor(1, 0), Err(MathError::DivisionByZero));
    }
}
