use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    state::Params,
};
use anchor_lang::prelude::*;
use io_math::{RewardAccumulator, SharePool};

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

    /// Splits `amount` of new rewards: commission (rounded up, a fee) to the operator's claimable
    /// balance, the rest spread over the active shares (rounded down; the dust stays in the
    /// vault). With no active stake everything is commission. Returns
    /// `(commission, attributed to delegators, reward_per_share before)`.
    pub fn accrue_rewards(&mut self, amount: u64, now: i64) -> Result<(u64, u64, u128)> {
        self.apply_due_commission(now);
        let before = self.reward_per_share;
        let (commission, to_delegators) = if self.stake_shares == 0 {
            (amount, 0)
        } else {
            let commission = io_math::Bps::new(self.commission_bps).math()?.of_ceil(amount).math()?;
            let rest = io_math::sub(amount, commission).math()?;
            let mut acc = self.accumulator();
            let attributed = acc.distribute_floor(rest, self.stake_shares).math()?;
            self.reward_per_share = acc.per_share;
            (commission, attributed)
        };
        self.commission_claimable = io_math::add(self.commission_claimable, commission).math()?;
        Ok((commission, to_delegators, before))
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
        // With no shares outstanding nobody can be owed the pool's tokens beyond rounding dust;
        // with shares outstanding the pool may hold zero tokens only after a full slash.
        Ok(())
    }
}
