//! Stake positions and operators: value, claimable rewards, warm-up and pending unstakes, exactly
//! as io_staking computes them (`Position::value_floor`, `Position::claimable_floor`,
//! `Operator::ticket_value_floor`).
use super::ViewError;
use anchor_lang::{AnchorDeserialize, Space};
use io_staking::{Operator, Position, UnstakeTicket, MAX_UNSTAKE_TICKETS};
use serde::{Deserialize, Serialize};

/// The operator counters a position's figures depend on (the indexer's `operators` row).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolCounters {
    pub stake_shares: u64,
    pub stake_tokens: u64,
    pub activating_shares: u64,
    pub unbonding_shares: u64,
    pub unbonding_tokens: u64,
    pub unbonding_era: u32,
    pub reward_per_share: u128,
    pub rewards_period: u64,
}

impl From<&Operator> for PoolCounters {
    fn from(o: &Operator) -> Self {
        PoolCounters {
            stake_shares: o.stake_shares,
            stake_tokens: o.stake_tokens,
            activating_shares: o.activating_shares,
            unbonding_shares: o.unbonding_shares,
            unbonding_tokens: o.unbonding_tokens,
            unbonding_era: o.unbonding_era,
            reward_per_share: o.reward_per_share,
            rewards_period: o.rewards_period,
        }
    }
}

impl PoolCounters {
    /// An operator account carrying these counters (everything else zero or empty), so the
    /// program's own methods compute the figures.
    fn operator(&self) -> Result<Operator, ViewError> {
        let mut o: Operator = zeroed()?;
        o.stake_shares = self.stake_shares;
        o.stake_tokens = self.stake_tokens;
        o.activating_shares = self.activating_shares;
        o.unbonding_shares = self.unbonding_shares;
        o.unbonding_tokens = self.unbonding_tokens;
        o.unbonding_era = self.unbonding_era;
        o.reward_per_share = self.reward_per_share;
        o.rewards_period = self.rewards_period;
        Ok(o)
    }
}

/// An account of type `T` with every field zero, empty or the default key: the borsh decoding of
/// zero bytes. Only the counters a view sets are read.
pub(super) fn zeroed<T: AnchorDeserialize + Space>() -> Result<T, ViewError> {
    T::deserialize(&mut vec![0u8; T::INIT_SPACE].as_slice())
        .map_err(|_| ViewError { figure: "account template" })
}

/// A position's own counters (the indexer's `positions` row and its open unstake tickets).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionCounters {
    pub shares: u64,
    pub activating_shares: u64,
    pub activation_period: u64,
    pub fresh_shares: u64,
    pub reward_per_share_paid: u128,
    pub rewards_owed: u64,
    /// Open tickets, at most `MAX_UNSTAKE_TICKETS`.
    pub tickets: Vec<TicketCounters>,
}

/// An open unstake ticket: shares of the operator's unbonding pool, cut in `era` of that pool (a
/// ticket of an earlier era is worth nothing: the pool was slashed to zero since).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketCounters {
    pub shares: u64,
    pub unlock_ts: i64,
    pub era: u32,
}

impl From<&Position> for PositionCounters {
    fn from(p: &Position) -> Self {
        PositionCounters {
            shares: p.shares,
            activating_shares: p.activating_shares,
            activation_period: p.activation_period,
            fresh_shares: p.fresh_shares,
            reward_per_share_paid: p.reward_per_share_paid,
            rewards_owed: p.rewards_owed,
            tickets: p
                .tickets
                .iter()
                .filter(|t| t.shares > 0)
                .map(|t| TicketCounters { shares: t.shares, unlock_ts: t.unlock_ts, era: t.era })
                .collect(),
        }
    }
}

impl PositionCounters {
    fn position(&self) -> Result<Position, ViewError> {
        if self.tickets.len() > MAX_UNSTAKE_TICKETS {
            return Err(ViewError { figure: "pending unstakes" });
        }
        let mut p: Position = zeroed()?;
        for (slot, t) in p.tickets.iter_mut().zip(&self.tickets) {
            *slot = UnstakeTicket { shares: t.shares, unlock_ts: t.unlock_ts, era: t.era };
        }
        p.shares = self.shares;
        p.reward_per_share_paid = self.reward_per_share_paid;
        p.rewards_owed = self.rewards_owed;
        p.activating_shares = self.activating_shares;
        p.activation_period = self.activation_period;
        p.fresh_shares = self.fresh_shares;
        Ok(p)
    }
}

/// Stake waiting out its cooldown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PendingUnstake {
    /// What the ticket is worth now ($IO base units, rounded down; 0 if its unbonding pool was
    /// slashed to nothing).
    pub amount: u64,
    pub unlock_ts: i64,
}

/// One position's figures (`Default`: no position — all zero, nothing pending).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PositionView {
    /// All the position's pool shares (earning and warming up) at the pool's rate, rounded down:
    /// what the position is worth now.
    pub value: u64,
    /// The part of `value` still warming up: it earns from reward period `activation_period` on.
    pub activating: u64,
    /// First reward period the warming-up stake earns in; `None` when nothing is warming up.
    pub activation_period: Option<u64>,
    /// What `claim_rewards` would pay now.
    pub claimable: u64,
    /// Open unstake tickets, in slot order.
    pub pending: Vec<PendingUnstake>,
}

impl PositionView {
    /// The figures of `position` with its operator `operator`, as read from chain.
    pub fn new(position: &Position, operator: &Operator) -> Result<PositionView, ViewError> {
        PositionView::from_counters(&PositionCounters::from(position), &PoolCounters::from(operator))
    }

    /// The same figures from stored counters.
    pub fn from_counters(p: &PositionCounters, pool: &PoolCounters) -> Result<PositionView, ViewError> {
        let position = p.position()?;
        let operator = pool.operator()?;
        let value = position.value_floor(&operator).map_err(ViewError::of("position value"))?;
        let activating =
            position.activating_value_floor(&operator).map_err(ViewError::of("activating stake"))?;
        let claimable = position.claimable_floor(&operator).map_err(ViewError::of("claimable rewards"))?;
        let pending = position
            .tickets
            .iter()
            .filter(|t| t.shares > 0)
            .map(|t| {
                let amount = operator.ticket_value_floor(t).map_err(ViewError::of("pending unstake"))?;
                Ok(PendingUnstake { amount, unlock_ts: t.unlock_ts })
            })
            .collect::<Result<Vec<_>, ViewError>>()?;
        Ok(PositionView {
            value,
            activating,
            activation_period: (position.activating_shares > 0).then_some(position.activation_period),
            claimable,
            pending,
        })
    }

    /// When the warming-up stake starts earning: the start of reward period `activation_period`
    /// (io_oracle's hourly period). `None` when nothing is warming up.
    pub fn activation_ts(&self) -> Option<i64> {
        let period = i64::try_from(self.activation_period?).ok()?;
        period.checked_mul(io_oracle::PERIOD_SECS)
    }

    /// What `withdraw` would pay at `now`: the tickets whose cooldown has ended.
    pub fn withdrawable_at(&self, now: i64) -> Result<u64, ViewError> {
        self.pending
            .iter()
            .filter(|t| t.unlock_ts <= now)
            .try_fold(0u64, |acc, t| acc.checked_add(t.amount))
            .ok_or(ViewError { figure: "withdrawable stake" })
    }

    /// The value after staking `amount` more (checked: an absurd amount is an error, not a
    /// panic). Approximate by at most one base unit: the program mints shares rounded down.
    pub fn value_after_stake(&self, amount: u64) -> Result<u64, ViewError> {
        self.value.checked_add(amount).ok_or(ViewError { figure: "position after the stake" })
    }
}

/// An operator's figures clients show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OperatorView {
    /// Bond the operator may request to withdraw: what its active devices do not require.
    pub bond_free: u64,
    /// Delegated stake, active and unbonding (both slashable).
    pub stake: u64,
    pub unbonding: u64,
}

impl OperatorView {
    pub fn new(o: &Operator) -> OperatorView {
        OperatorView {
            bond_free: bond_free(o.bond, o.required_bond),
            stake: o.stake_tokens,
            unbonding: o.unbonding_tokens,
        }
    }
}

/// Bond an operator may request to withdraw: `request_bond_withdrawal` refuses to go below the
/// bond its active devices require.
pub fn bond_free(bond: u64, required_bond: u64) -> u64 {
    bond.saturating_sub(required_bond)
}

/// Reward periods in a year: io_oracle's periods are an hour long.
pub const PERIODS_PER_YEAR: u64 = 365 * 24 * 3_600 / io_oracle::PERIOD_SECS.unsigned_abs();

/// Estimated net APY of staking with an operator, in bps, from its last reward: the reward of
/// `amount` that paid for `periods` reward periods, less the commission `accrue_rewards` takes
/// from it at `commission_bps` (rounded up, as the program rounds it), per period, times
/// [`PERIODS_PER_YEAR`], over the `stake` it is shared by:
///
/// `⌊(amount − ⌈amount × commission_bps / 10⁴⌉) × PERIODS_PER_YEAR × 10⁴ / (periods × stake)⌋`
///
/// A simple (not compounded) annual rate: rewards are claimed, not restaked. The commission is
/// the operator's current one, so a commission change shows at once. `None` when there is no
/// estimate: no stake, no reward yet (`periods` 0), or a commission above 100%.
pub fn estimated_net_apy_bps(amount: u64, periods: u64, commission_bps: u16, stake: u64) -> Option<u64> {
    if periods == 0 || stake == 0 {
        return None;
    }
    let commission = io_math::Bps::new(commission_bps).ok()?.of_ceil(amount).ok()?;
    let net = u128::from(amount.checked_sub(commission)?);
    let apy = net * u128::from(PERIODS_PER_YEAR) * 10_000 / (u128::from(periods) * u128::from(stake));
    Some(u64::try_from(apy).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool() -> PoolCounters {
        PoolCounters {
            stake_shares: 3_000,
            stake_tokens: 10_000,
            activating_shares: 500,
            unbonding_shares: 700,
            unbonding_tokens: 350,
            unbonding_era: 2,
            // 1.5 base units of reward per share, at io_math's scale.
            reward_per_share: 3 * io_math::REWARD_SCALE / 2,
            rewards_period: 10,
        }
    }

    fn position() -> PositionCounters {
        PositionCounters {
            shares: 1_000,
            activating_shares: 500,
            activation_period: 12,
            fresh_shares: 0,
            reward_per_share_paid: io_math::REWARD_SCALE,
            rewards_owed: 7,
            tickets: vec![
                TicketCounters { shares: 100, unlock_ts: 1_000, era: 2 },
                TicketCounters { shares: 200, unlock_ts: 5_000, era: 2 },
                TicketCounters { shares: 300, unlock_ts: 2_000, era: 1 },
            ],
        }
    }

    #[test]
    fn figures_match_the_program() {
        let v = PositionView::from_counters(&position(), &pool()).unwrap();
        // ⌊1,500 × 10,000 / 3,000⌋ with the warming-up shares included.
        assert_eq!(v.value, 5_000);
        assert_eq!(v.activating, 1_666);
        assert_eq!(v.activation_period, Some(12));
        assert_eq!(v.activation_ts(), Some(12 * 3_600));
        assert_eq!(io_oracle::period_at(v.activation_ts().unwrap()).unwrap(), 12);
        // owed 7 + ⌊1,000 × 0.5⌋; warming-up shares earn nothing through the accumulator.
        assert_eq!(v.claimable, 507);
        // ⌊100 × 350 / 700⌋, ⌊200 × 350 / 700⌋, and an earlier era's ticket is worth nothing.
        assert_eq!(
            v.pending,
            vec![
                PendingUnstake { amount: 50, unlock_ts: 1_000 },
                PendingUnstake { amount: 100, unlock_ts: 5_000 },
                PendingUnstake { amount: 0, unlock_ts: 2_000 },
            ]
        );
        assert_eq!(v.withdrawable_at(2_000), Ok(50));
        assert_eq!(v.withdrawable_at(5_000), Ok(150));
    }

    /// The claim path itself: `settle` (what `claim_rewards` runs before paying `rewards_owed`)
    /// pays exactly the view's claimable figure.
    #[test]
    fn claimable_is_what_settle_pays() {
        let (p, pool) = (position(), pool());
        let v = PositionView::from_counters(&p, &pool).unwrap();
        let mut position = p.position().unwrap();
        let mut operator = pool.operator().unwrap();
        position.settle(&mut operator).unwrap();
        assert_eq!(position.rewards_owed, v.claimable);
    }

    #[test]
    fn from_accounts_equals_from_counters() {
        let (p, pool) = (position(), pool());
        let (position, operator) = (p.position().unwrap(), pool.operator().unwrap());
        assert_eq!(PositionCounters::from(&position), p);
        assert_eq!(PoolCounters::from(&operator), pool);
        assert_eq!(PositionView::new(&position, &operator), PositionView::from_counters(&p, &pool));
    }

    #[test]
    fn nothing_warming_and_empty_pool() {
        let p = PositionCounters { activating_shares: 0, tickets: vec![], ..position() };
        let empty = PoolCounters { stake_shares: 0, stake_tokens: 0, activating_shares: 0, ..pool() };
        let v = PositionView::from_counters(&p, &empty).unwrap();
        assert_eq!((v.value, v.activating, v.activation_period, v.activation_ts()), (0, 0, None, None));
        assert_eq!(PositionView::default().pending, vec![]);
        let too_many = PositionCounters {
            tickets: vec![TicketCounters::default(); MAX_UNSTAKE_TICKETS + 1],
            ..position()
        };
        assert!(PositionView::from_counters(&too_many, &pool()).is_err());
        assert!(v.value_after_stake(u64::MAX).is_ok());
        let big = PositionView { value: 1, ..v };
        assert!(big.value_after_stake(u64::MAX).is_err());
    }

    #[test]
    fn estimated_net_apy() {
        assert_eq!(PERIODS_PER_YEAR, 8_760);
        // 1,000 base units an hour to 8,760,000 staked, no commission: 100%.
        assert_eq!(estimated_net_apy_bps(1_000, 1, 0, 8_760_000), Some(10_000));
        // The same over a reward that paid for 4 periods: a quarter of it.
        assert_eq!(estimated_net_apy_bps(1_000, 4, 0, 8_760_000), Some(2_500));
        // 10% commission, rounded up as accrue_rewards takes it: ⌈100.1⌉ = 101 of 1,001.
        assert_eq!(estimated_net_apy_bps(1_001, 1, 1_000, 8_760_000), Some(9_000));
        assert_eq!(io_math::Bps::new(1_000).unwrap().of_ceil(1_001), Ok(101));
        // All commission: nothing for delegators.
        assert_eq!(estimated_net_apy_bps(1_000, 1, 10_000, 1), Some(0));
        // No estimate without stake, without a reward, or with an impossible commission.
        assert_eq!(estimated_net_apy_bps(1_000, 1, 0, 0), None);
        assert_eq!(estimated_net_apy_bps(1_000, 0, 0, 1), None);
        assert_eq!(estimated_net_apy_bps(1_000, 1, 10_001, 1), None);
        // Extremes do not overflow.
        assert_eq!(estimated_net_apy_bps(u64::MAX, 1, 0, 1), Some(u64::MAX));
    }
}
