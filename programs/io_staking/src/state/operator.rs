use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    state::Params,
};
use anchor_lang::prelude::*;
use io_math::{RewardAccumulator, SharePool};

/// What one reward did: see [`Operator::accrue_rewards`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accrual {
    pub commission: u64,
    /// Attributed to delegators: through the accumulator plus `credits`.
    pub to_delegators: u64,
    /// `reward_per_share` before.
    pub before: u128,
    /// Paid directly to each listed warming-up position, in order.
    pub credits: Vec<u64>,
    /// Shares that earned through the accumulator.
    pub earning_shares: u64,
}

/// A provider and node operator, PDA `["operator", authority]`: one per wallet.
///
/// Holds the operator's bond, the delegators' two share pools (active stake and unbonding stake,
/// both slashable) and the reward-per-share accumulator of the active pool.
#[account]
#[derive(InitSpace, Debug)]
pub struct Operator {
    /// The wallet that registered and controls this operator.
    pub authority: Pubkey,
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    #[max_len(MAX_REGION_LEN)]
    pub region: String,
    #[max_len(MAX_URL_LEN)]
    pub metadata_url: String,
    /// Share of funded rewards kept by the operator, in bps.
    pub commission_bps: u16,
    /// Requested commission, applied at `commission_effective_ts`.
    pub pending_commission_bps: u16,
    /// When the pending commission applies; 0 when none is pending.
    pub commission_effective_ts: i64,
    /// Reward epoch of the last commission request (`now / commission_epoch_secs`), plus one;
    /// 0 means never requested.
    pub last_commission_epoch: u64,
    /// Bond backing the operator's devices, base units.
    pub bond: u64,
    /// Bond requested for withdrawal: still slashable until withdrawn.
    pub bond_withdrawing: u64,
    /// When `bond_withdrawing` may be withdrawn.
    pub bond_unlock_ts: i64,
    /// Σ over active devices of class bond × units (units = GPU count, 1 for CPU devices).
    pub required_bond: u64,
    pub devices_registered: u32,
    pub devices_active: u32,
    /// Shares and tokens of the delegators' active stake.
    pub stake_shares: u64,
    pub stake_tokens: u64,
    /// Shares and tokens of stake waiting out its cooldown.
    pub unbonding_shares: u64,
    pub unbonding_tokens: u64,
    /// Reward per active share, scaled by `io_math::REWARD_SCALE`.
    pub reward_per_share: u128,
    /// Commission earned and not yet claimed.
    pub commission_claimable: u64,
    /// Cumulative reward of this operator in the last oracle report claimed (the rewards tree
    /// holds cumulative amounts, so a claim pays the difference).
    pub rewards_claimed_cumulative: u64,
    /// Positions with non-zero active shares.
    pub delegator_count: u32,
    /// Slashes ever proposed against this operator (the next slash's index).
    pub slash_count: u32,
    /// Slashes proposed and neither cancelled nor executed. While any is pending the operator's
    /// bond and its delegators' unstake tickets cannot leave (they must still answer for it).
    pub pending_slashes: u32,
    /// Generation of the unbonding pool. A slash that empties the pool while tickets are
    /// outstanding leaves those tickets worth nothing; the pool then restarts empty in a new era
    /// (so new unstakes are not refused, F-7), and a ticket counts only in the era it was cut in.
    pub unbonding_era: u32,
    /// Σ $IO burned by executed slashes.
    pub total_slashed: u64,
    pub registered_ts: i64,
    /// Last reward period (io_oracle's hour index) whose rewards reached the delegators: the next
    /// reward, funded or claimed for period P, covers the periods after it up to P.
    pub rewards_period: u64,
    /// Shares of `stake_shares` still warming up: staked during or after the period their
    /// position activates at, they earn nothing until it (see `Position::activation_period`).
    pub activating_shares: u64,
    pub bump: u8,
}

impl Operator {
    pub fn stake_pool(&self) -> SharePool {
        SharePool::new(self.stake_shares, self.stake_tokens)
    }

    pub fn set_stake_pool(&mut self, p: SharePool) {
        self.stake_shares = p.shares;
        self.stake_tokens = p.tokens;
    }

    pub fn unbonding_pool(&self) -> SharePool {
        SharePool::new(self.unbonding_shares, self.unbonding_tokens)
    }

    pub fn set_unbonding_pool(&mut self, p: SharePool) {
        self.unbonding_shares = p.shares;
        self.unbonding_tokens = p.tokens;
    }

    pub fn accumulator(&self) -> RewardAccumulator {
        RewardAccumulator { per_share: self.reward_per_share }
    }

    /// Applies a requested commission once its delay has passed. Called by every handler that
    /// pays or reads the commission, so the rate in force is never stale.
    pub fn apply_due_commission(&mut self, now: i64) {
        if self.commission_effective_ts != 0 && now >= self.commission_effective_ts {
            self.commission_bps = self.pending_commission_bps;
            self.commission_effective_ts = 0;
        }
    }

    /// Shares that earn rewards now: the pool less the stake still warming up.
    pub fn earning_shares(&self) -> Result<u64> {
        io_math::sub(self.stake_shares, self.activating_shares).math()
    }

    /// The periods a reward for `period` pays for: `(from, period]`, `from` being the last period
    /// already rewarded. A reward for a period at or before it (a second source for the same
    /// hour, or a late one) pays for `period` alone. Returns `(from, span)`, `span ≥ 1`.
    pub fn reward_window(&self, period: u64) -> (u64, u64) {
        let from = self.rewards_period.min(period.saturating_sub(1));
        (from, period.saturating_sub(from).max(1))
    }

    /// Splits `amount` of new rewards for report period `period` (time-weighted, F-10).
    ///
    /// Commission (rounded up, a fee) goes to the operator's claimable balance. The rest is
    /// split by share-periods over the window `(from, period]`: every earning share held the whole
    /// window (weight `span`), and each listed warming-up position `(shares, activation_period)`
    /// for the periods of the window it was active in — none if it activates after `period`, so
    /// stake that joined after a period never shares that period's reward, however late the
    /// reward arrives. Earning shares are paid through the accumulator, the listed positions
    /// directly (returned in order). Every part is rounded down; the dust stays in the vault.
    /// With no weight at all everything is commission. The window then ends at `period`.
    pub fn accrue_rewards(
        &mut self,
        amount: u64,
        now: i64,
        period: u64,
        warming: &[(u64, u64)],
    ) -> Result<Accrual> {
        self.apply_due_commission(now);
        let before = self.reward_per_share;
        let (from, span) = self.reward_window(period);
        let earning = self.earning_shares()?;
        let mut total =
            u128::from(earning).checked_mul(u128::from(span)).ok_or(StakingError::MathOverflow)?;
        let mut weights = Vec::with_capacity(warming.len());
        for (shares, activation) in warming {
            let periods = io_math::eligible_periods(*activation, from, period);
            let w = u128::from(*shares).checked_mul(u128::from(periods)).ok_or(StakingError::MathOverflow)?;
            total = total.checked_add(w).ok_or(StakingError::MathOverflow)?;
            weights.push(w);
        }
        let mut credits = vec![0u64; warming.len()];
        let (commission, to_delegators) = if total == 0 {
            (amount, 0)
        } else {
            let commission = io_math::Bps::new(self.commission_bps).math()?.of_ceil(amount).math()?;
            let rest = io_math::sub(amount, commission).math()?;
            let split = io_math::WeightedSplit::new_floor(rest, total).math()?;
            let mut acc = self.accumulator();
            let mut attributed =
                if earning == 0 { 0 } else { split.accrue_floor(&mut acc, earning, span).math()? };
            self.reward_per_share = acc.per_share;
            for (credit, w) in credits.iter_mut().zip(&weights) {
                *credit = split.part_floor(*w).math()?;
                attributed = io_math::add(attributed, *credit).math()?;
            }
            (commission, attributed)
        };
        self.commission_claimable = io_math::add(self.commission_claimable, commission).math()?;
        self.rewards_period = self.rewards_period.max(period);
        Ok(Accrual { commission, to_delegators, before, credits, earning_shares: earning })
    }

    /// Refuses a payout of bond or unstaked stake while a slash is pending against this operator.
    pub fn require_no_pending_slash(&self) -> Result<()> {
        require!(self.pending_slashes == 0, StakingError::SlashPending);
        Ok(())
    }

    /// Takes `take` (at most the delegated total) from the active and unbonding pools in
    /// proportion to what each holds, each share rounded DOWN. Rounding down means neither pool
    /// can be emptied by rounding: a pool loses all its tokens only when the slash takes all the
    /// delegated stake. The (at most one base unit) remainder is not taken. Returns
    /// `(from_stake, from_unbonding)`.
    pub fn slash_delegators_floor(&mut self, take: u64) -> Result<(u64, u64)> {
        let delegated = io_math::add(self.stake_tokens, self.unbonding_tokens).math()?;
        if delegated == 0 {
            return Ok((0, 0));
        }
        let take = take.min(delegated);
        let from_stake = io_math::mul_div_floor(take, self.stake_tokens, delegated).math()?;
        let from_unbonding = io_math::mul_div_floor(take, self.unbonding_tokens, delegated).math()?;
        let mut pool = self.stake_pool();
        pool.slash(from_stake).math()?;
        self.set_stake_pool(pool);
        let mut unbonding = self.unbonding_pool();
        unbonding.slash(from_unbonding).math()?;
        if unbonding.tokens == 0 && unbonding.shares > 0 {
            // Every outstanding ticket is now worth zero. Restart the pool empty in a new era
            // rather than leave it unable to price a deposit (`PoolDepleted` for every unstake).
            unbonding = io_math::SharePool::default();
            self.unbonding_era = self.unbonding_era.checked_add(1).ok_or(StakingError::MathOverflow)?;
        }
        self.set_unbonding_pool(unbonding);
        Ok((from_stake, from_unbonding))
    }

    /// What an unstake ticket is worth now, rounded down: zero if it was cut in an earlier era
    /// of the unbonding pool (that pool was slashed to nothing).
    pub fn ticket_value_floor(&self, ticket: &crate::state::UnstakeTicket) -> Result<u64> {
        if ticket.era != self.unbonding_era {
            return Ok(0);
        }
        self.unbonding_pool().value_of_floor(ticket.shares).math()
    }

    /// Bond required for `units` more active units of a class with `per_unit` bond.
    pub fn bond_for(per_unit: u64, units: u64) -> Result<u64> {
        io_math::mul(per_unit, units).math()
    }

    pub fn invariant(&self, params: &Params) -> Result<()> {
        require!(!self.name.is_empty() && self.name.len() <= MAX_NAME_LEN, StakingError::InvalidName);
        require!(!self.region.is_empty() && self.region.len() <= MAX_REGION_LEN, StakingError::InvalidRegion);
        require!(self.metadata_url.len() <= MAX_URL_LEN, StakingError::UrlTooLong);
        require!(
            self.commission_bps <= io_math::MAX_BPS
                && self.pending_commission_bps <= params.commission_cap_bps.max(self.commission_bps),
            StakingError::CommissionAboveCap
        );
        require!(self.devices_active <= self.devices_registered, StakingError::InvalidDeviceStatus);
        require!(self.activating_shares <= self.stake_shares, StakingError::MathOverflow);
        // With no shares outstanding nobody can be owed the pool's tokens beyond rounding dust;
        // with shares outstanding the pool may hold zero tokens only after a full slash.
        Ok(())
    }
}
