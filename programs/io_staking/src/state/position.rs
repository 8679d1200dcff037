use crate::{constants::*, error::MathResultExt, state::Operator};
use anchor_lang::prelude::*;

/// The reward period of `ts`: io_oracle's report period (hours since the Unix epoch).
pub use io_oracle::period_at as period_of;

/// Stake waiting out its cooldown: shares of the operator's unbonding pool (so a slash still
/// reaches it) and the moment it may be withdrawn. `shares == 0` marks a free slot.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace)]
pub struct UnstakeTicket {
    pub shares: u64,
    pub unlock_ts: i64,
    /// The operator's `unbonding_era` when the ticket was cut; in a later era it is worth zero.
    pub era: u32,
}

/// One wallet's stake with one operator, PDA `["position", operator, staker]`.
///
/// Stake warms up (F-10): shares staked during period `d` earn from period `d + 1` on, so a
/// reward for a period is never shared with stake that arrived after it, however late the
/// reward is claimed. Until then they sit in `activating_shares`: in the operator's pool (worth
/// their value, slashable) but outside the reward weight.
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub operator: Pubkey,
    pub staker: Pubkey,
    /// Shares of the operator's pool that earn rewards.
    pub shares: u64,
    /// The operator's `reward_per_share` when this position last settled.
    pub reward_per_share_paid: u128,
    /// Rewards settled and not yet claimed, base units.
    pub rewards_owed: u64,
    /// Pending unstakes; at most [`MAX_UNSTAKE_TICKETS`].
    pub tickets: [UnstakeTicket; MAX_UNSTAKE_TICKETS],
    /// Shares of the operator's pool still warming up: they earn nothing before
    /// `activation_period`.
    pub activating_shares: u64,
    /// First reward period (io_oracle's hour index) in which `activating_shares` earn: the
    /// period after the last stake. Meaningless when `activating_shares == 0`.
    pub activation_period: u64,
    /// The part of `activating_shares` staked in the last staking period
    /// (`activation_period − 1`): while that period lasts it never earned and may leave at once.
    /// A top-up never turns older stake into such stake.
    pub fresh_shares: u64,
    pub bump: u8,
}

impl Position {
    /// A new, empty position.
    pub fn new(operator: Pubkey, staker: Pubkey, reward_per_share: u128, bump: u8) -> Position {
        Position {
            operator,
            staker,
            shares: 0,
            reward_per_share_paid: reward_per_share,
            rewards_owed: 0,
            tickets: [UnstakeTicket::default(); MAX_UNSTAKE_TICKETS],
            activating_shares: 0,
            activation_period: 0,
            fresh_shares: 0,
            bump,
        }
    }

    /// Moves what the position earned since it last settled into `rewards_owed`, then turns warm
    /// stake into earning stake once the operator's rewards have covered the period before it
    /// activates (from then on every reward covers only periods it was active in). Must run
    /// before any change of `shares`. Returns the shares that became earning.
    pub fn settle(&mut self, operator: &mut Operator) -> Result<u64> {
        let earned = operator.accumulator().earned_floor(self.shares, self.reward_per_share_paid).math()?;
        self.rewards_owed = io_math::add(self.rewards_owed, earned).math()?;
        self.reward_per_share_paid = operator.reward_per_share;
        if self.activating_shares == 0 || self.activation_period > operator.rewards_period {
            return Ok(0);
        }
        let activated = self.activating_shares;
        operator.activating_shares = io_math::sub(operator.activating_shares, activated).math()?;
        self.shares = io_math::add(self.shares, activated).math()?;
        self.activating_shares = 0;
        self.fresh_shares = 0;
        Ok(activated)
    }

    /// What `claim_rewards` would pay now, computed exactly as [`Self::settle`] does (warm
    /// stake becoming earning adds nothing by itself).
    pub fn claimable_floor(&self, operator: &Operator) -> Result<u64> {
        let earned = operator.accumulator().earned_floor(self.shares, self.reward_per_share_paid).math()?;
        io_math::add(self.rewards_owed, earned).math()
    }

    /// All the position's pool shares, earning and warming up.
    pub fn pool_shares(&self) -> Result<u64> {
        io_math::add(self.shares, self.activating_shares).math()
    }

    /// The position's value at the pool's rate, rounded down.
    pub fn value_floor(&self, operator: &Operator) -> Result<u64> {
        operator.stake_pool().value_of_floor(self.pool_shares()?).math()
    }

    /// Shares that may leave at once at `now_period`: staked in that very period.
    pub fn fresh_at(&self, now_period: u64) -> u64 {
        if self.activation_period > now_period {
            self.fresh_shares.min(self.activating_shares)
        } else {
            0
        }
    }

    /// Value of the shares still warming up, rounded down (part of [`Self::value_floor`]).
    pub fn activating_value_floor(&self, operator: &Operator) -> Result<u64> {
        operator.stake_pool().value_of_floor(self.activating_shares).math()
    }

    pub fn pending_tickets(&self) -> usize {
        self.tickets.iter().filter(|t| t.shares > 0).count()
    }

    pub fn invariant(&self, operator: &Operator) -> Result<()> {
        let earning = operator.earning_shares()?;
        require!(
            self.shares <= earning
                && self.activating_shares <= operator.activating_shares
                && self.fresh_shares <= self.activating_shares
                && self.reward_per_share_paid <= operator.reward_per_share
                && self
                    .tickets
                    .iter()
                    .all(|t| t.era != operator.unbonding_era || t.shares <= operator.unbonding_shares),
            crate::error::StakingError::MathOverflow
        );
        Ok(())
    }
}
