use crate::{constants::*, error::MathResultExt, state::Operator};
use anchor_lang::prelude::*;

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
#[account]
#[derive(InitSpace, Debug)]
pub struct Position {
    pub operator: Pubkey,
    pub staker: Pubkey,
    /// Shares of the operator's active pool.
    pub shares: u64,
    /// The operator's `reward_per_share` when this position last settled.
    pub reward_per_share_paid: u128,
    /// Rewards settled and not yet claimed, base units.
    pub rewards_owed: u64,
    /// Pending unstakes; at most [`MAX_UNSTAKE_TICKETS`].
    pub tickets: [UnstakeTicket; MAX_UNSTAKE_TICKETS],
    pub bump: u8,
}

impl Position {
    /// Moves what the position earned since it last settled into `rewards_owed`. Must run before
    /// any change of `shares`.
    pub fn settle(&mut self, operator: &Operator) -> Result<()> {
        let earned = operator.accumulator().earned_floor(self.shares, self.reward_per_share_paid).math()?;
        self.rewards_owed = io_math::add(self.rewards_owed, earned).math()?;
        self.reward_per_share_paid = operator.reward_per_share;
        Ok(())
    }

    pub fn pending_tickets(&self) -> usize {
        self.tickets.iter().filter(|t| t.shares > 0).count()
    }

    pub fn invariant(&self, operator: &Operator) -> Result<()> {
        require!(
            self.shares <= operator.stake_shares
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
