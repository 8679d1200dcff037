use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum SlashStatus {
    /// Proposed; inside or past its appeal window, not yet executed.
    Pending,
    /// Cancelled by the admin during the appeal window.
    Cancelled,
    /// Executed: the amounts below were burned.
    Executed,
}

/// One proposed slash, PDA `["slash", operator, evidence_hash]`: one slash per piece of evidence,
/// whoever proposes it. Never closed, so a slash can never be proposed or executed twice.
#[account]
#[derive(InitSpace, Debug)]
pub struct Slash {
    pub operator: Pubkey,
    /// Position in the operator's sequence of slashes (its `slash_count` when proposed).
    pub index: u32,
    /// $IO asked for, in base units.
    pub amount: u64,
    /// Hash of the off-chain evidence (failed challenge, equivocation, ...).
    pub evidence_hash: [u8; 32],
    pub proposed_ts: i64,
    /// First moment `execute_slash` is accepted; the admin may cancel before it.
    pub executable_ts: i64,
    pub status: SlashStatus,
    /// Taken from the operator's bond at execution.
    pub from_bond: u64,
    /// Taken from the delegators' active pool at execution.
    pub from_stake: u64,
    /// Taken from the delegators' unbonding pool at execution.
    pub from_unbonding: u64,
    pub bump: u8,
}

impl Slash {
    pub fn invariant(&self) -> Result<()> {
        let taken =
            self.from_bond.checked_add(self.from_stake).and_then(|v| v.checked_add(self.from_unbonding));
        require!(taken.is_some_and(|t| t <= self.amount), crate::error::StakingError::MathOverflow);
        Ok(())
    }
}
