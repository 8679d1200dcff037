//! Events, emitted with `emit_cpi!` after each state change (a self-CPI signed by the event
//! authority PDA: the one event path that survives in every runtime and that an indexer can
//! trust). Each carries the values before and after, so an indexer never re-reads accounts.
use crate::state::{DeviceStatus, HardwareClass, Params};
use anchor_lang::prelude::*;

#[event]
pub struct ConfigInitialized {
    pub admin: Pubkey,
    pub io_mint: Pubkey,
    pub oracle_authority: Pubkey,
    pub rewards_authority: Pubkey,
    pub params: Params,
}

#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
pub struct AdminAccepted {
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct PausedSet {
    pub paused_before: bool,
    pub paused_after: bool,
}

#[event]
pub struct ParamsUpdated {
    pub before: Params,
    pub after: Params,
}

#[event]
pub struct AuthoritiesUpdated {
    pub oracle_authority_before: Pubkey,
    pub oracle_authority_after: Pubkey,
    pub rewards_authority_before: Pubkey,
    pub rewards_authority_after: Pubkey,
}

#[event]
pub struct OperatorRegistered {
    pub operator: Pubkey,
    pub authority: Pubkey,
    pub name: String,
    pub region: String,
    pub metadata_url: String,
    pub commission_bps: u16,
    pub ts: i64,
}

#[event]
pub struct OperatorUpdated {
    pub operator: Pubkey,
    pub name: String,
    pub region: String,
    pub metadata_url: String,
}

#[event]
pub struct CommissionChangeRequested {
    pub operator: Pubkey,
    pub commission_bps: u16,
    pub requested_bps: u16,
    pub effective_ts: i64,
}

#[event]
pub struct BondChanged {
    pub operator: Pubkey,
    /// `add`, `request_withdrawal` or `withdraw`.
    pub action: BondAction,
    pub amount: u64,
    pub bond_before: u64,
    pub bond_after: u64,
    pub withdrawing_before: u64,
    pub withdrawing_after: u64,
    pub unlock_ts: i64,
    pub required_bond: u64,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BondAction {
    Add,
    RequestWithdrawal,
    Withdraw,
}

#[event]
pub struct DeviceRegistered {
    pub device: Pubkey,
    pub operator: Pubkey,
    pub id_hash: [u8; 32],
    pub gpu_model: String,
    pub gpu_count: u16,
    pub vram_gb: u16,
    pub region: String,
    pub green: bool,
    pub class: HardwareClass,
    pub ts: i64,
}

/// A device's worker key was bound (at registration: `before` is the default address) or
/// rotated by its operator.
#[event]
pub struct WorkerBound {
    pub device: Pubkey,
    pub operator: Pubkey,
    pub before: Pubkey,
    pub after: Pubkey,
    pub ts: i64,
}

#[event]
pub struct DeviceStatusChanged {
    pub device: Pubkey,
    pub operator: Pubkey,
    pub before: DeviceStatus,
    pub after: DeviceStatus,
    pub required_bond_before: u64,
    pub required_bond_after: u64,
    pub devices_active_after: u32,
    pub ts: i64,
}

#[event]
pub struct Staked {
    pub operator: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub shares_minted: u64,
    pub position_shares_after: u64,
    pub pool_shares_after: u64,
    pub pool_tokens_before: u64,
    pub pool_tokens_after: u64,
    pub delegator_count_after: u32,
}

#[event]
pub struct Unstaked {
    pub operator: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub shares_burned: u64,
    pub unbonding_shares_minted: u64,
    pub unlock_ts: i64,
    pub position_shares_after: u64,
    pub pool_shares_after: u64,
    pub pool_tokens_before: u64,
    pub pool_tokens_after: u64,
    pub unbonding_tokens_after: u64,
    pub delegator_count_after: u32,
}

#[event]
pub struct Withdrawn {
    pub operator: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub unbonding_shares_burned: u64,
    pub unbonding_tokens_after: u64,
}

#[event]
pub struct RewardsFunded {
    pub operator: Pubkey,
    pub amount: u64,
    pub commission: u64,
    pub to_delegators: u64,
    pub commission_bps: u16,
    pub pool_shares: u64,
    pub reward_per_share_before: u128,
    pub reward_per_share_after: u128,
}

#[event]
pub struct RewardsClaimed {
    pub operator: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub reward_per_share: u128,
}

#[event]
pub struct CommissionClaimed {
    pub operator: Pubkey,
    pub amount: u64,
}

#[event]
pub struct SlashProposed {
    pub slash: Pubkey,
    pub operator: Pubkey,
    pub index: u32,
    pub amount: u64,
    pub evidence_hash: [u8; 32],
    pub executable_ts: i64,
}

#[event]
pub struct SlashCancelled {
    pub slash: Pubkey,
    pub operator: Pubkey,
    pub index: u32,
}

#[event]
pub struct SlashExecuted {
    pub slash: Pubkey,
    pub operator: Pubkey,
    pub index: u32,
    pub amount: u64,
    pub from_bond: u64,
    pub from_stake: u64,
    pub from_unbonding: u64,
    pub bond_after: u64,
    pub bond_withdrawing_after: u64,
    pub stake_tokens_after: u64,
    pub unbonding_tokens_after: u64,
}

#[event]
pub struct OperatorRewardsClaimed {
    pub operator: Pubkey,
    /// Period of the oracle report the claim was proven against.
    pub period: u64,
    /// The operator's cumulative reward in that report.
    pub cumulative: u64,
    /// Paid now: cumulative − previously claimed.
    pub amount: u64,
    pub commission: u64,
    pub to_delegators: u64,
    pub commission_bps: u16,
    pub pool_shares: u64,
    pub reward_per_share_before: u128,
    pub reward_per_share_after: u128,
}

/// Stake still warming up, unstaked: it never earned, so it leaves at once, without a cooldown.
#[event]
pub struct ActivatingUnstaked {
    pub operator: Pubkey,
    pub staker: Pubkey,
    pub amount: u64,
    pub shares_burned: u64,
    pub activating_shares_after: u64,
    pub pool_shares_after: u64,
    pub pool_tokens_before: u64,
    pub pool_tokens_after: u64,
    pub delegator_count_after: u32,
}
