//! Events, emitted with `emit_cpi!` after each state change (a self-CPI signed by the event
//! authority PDA: the one event path that survives in every runtime and that an indexer can
//! trust). Each carries the values before and after, so an indexer never re-reads accounts.
use crate::state::{Bucket, BurnReason, EmissionParams};
use anchor_lang::prelude::*;

/// Why $IO was minted.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintReason {
    Genesis,
    Emission,
}

#[event]
pub struct TokenInitialized {
    pub admin: Pubkey,
    pub io_mint: Pubkey,
    pub decimals: u8,
    pub max_supply: u64,
    pub params: EmissionParams,
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
pub struct BurnAuthoritySet {
    pub reason: BurnReason,
    pub before: Pubkey,
    pub after: Pubkey,
}

#[event]
pub struct RewardsDistributorSet {
    pub before: Pubkey,
    pub after: Pubkey,
}

/// One mint into `destination` (one per bucket at genesis, one per `emit`).
#[event]
pub struct Minted {
    pub reason: MintReason,
    pub destination: Pubkey,
    pub amount: u64,
    pub total_minted_before: u64,
    pub total_minted_after: u64,
    pub supply_after: u64,
}

#[event]
pub struct GenesisCompleted {
    pub allocations: [u64; 5],
    pub vaults: [Pubkey; 5],
    pub rewards_vault: Pubkey,
    pub emission_start_ts: i64,
}

#[event]
pub struct Emitted {
    /// First hour covered.
    pub from_hour: u64,
    /// One past the last hour covered.
    pub to_hour: u64,
    /// Σ of the covered hours in the schedule.
    pub scheduled: u64,
    /// Minted: less than `scheduled` only when the supply cap clipped it.
    pub minted: u64,
    pub month_amount_before: u64,
    pub month_amount_after: u64,
    pub emitted_before: u64,
    pub emitted_after: u64,
    /// Hours already due and not covered by this call (the per-call bound).
    pub hours_still_due: u64,
}

#[event]
pub struct Burned {
    pub reason: BurnReason,
    pub authority: Pubkey,
    pub from: Pubkey,
    pub amount: u64,
    pub reason_burned_before: u64,
    pub reason_burned_after: u64,
    pub total_burned_after: u64,
    pub total_minted: u64,
    pub supply_after: u64,
}

#[event]
pub struct VestingCreated {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    pub bucket: Bucket,
    pub index: u32,
    pub start_ts: i64,
    pub cliff_ts: i64,
    pub end_ts: i64,
    pub amount: u64,
    pub bucket_allocated_before: u64,
    pub bucket_allocated_after: u64,
}

#[event]
pub struct VestingClaimed {
    pub schedule: Pubkey,
    pub beneficiary: Pubkey,
    pub bucket: Bucket,
    pub amount: u64,
    pub vested: u64,
    pub claimed_before: u64,
    pub claimed_after: u64,
    pub total: u64,
    pub bucket_released_after: u64,
}

#[event]
pub struct AirdropCreated {
    pub campaign: Pubkey,
    pub campaign_id: u64,
    pub merkle_root: [u8; 32],
    pub total: u64,
    pub expiry_ts: i64,
    pub community_allocated_before: u64,
    pub community_allocated_after: u64,
}

#[event]
pub struct AirdropClaimed {
    pub campaign: Pubkey,
    pub campaign_id: u64,
    pub index: u32,
    pub wallet: Pubkey,
    pub amount: u64,
    pub claimed_amount_before: u64,
    pub claimed_amount_after: u64,
    pub claimed_count_after: u32,
}

#[event]
pub struct AirdropClosed {
    pub campaign: Pubkey,
    pub campaign_id: u64,
    pub total: u64,
    pub claimed_amount: u64,
    pub returned: u64,
    pub community_allocated_before: u64,
    pub community_allocated_after: u64,
}

#[event]
pub struct RewardsWithdrawn {
    pub distributor: Pubkey,
    pub destination: Pubkey,
    pub amount: u64,
    pub withdrawn_before: u64,
    pub withdrawn_after: u64,
    pub vault_balance_after: u64,
}
