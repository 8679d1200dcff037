//! Operators, slashes and stake positions. Columns the schema allows to be NULL are `Option`s
//! (served as `null`, never as a made-up 0).
use super::{typed_row, U64};

typed_row! {
/// One operator (`/v1/operators`), with its registered devices and active GPUs.
pub struct OperatorRow {
    pub address: String,
    pub authority: Option<String>,
    pub name: Option<String>,
    pub region: Option<String>,
    pub metadata_url: Option<String>,
    pub commission_bps: Option<i64>,
    pub pending_commission_bps: Option<i64>,
    pub commission_effective_ts: Option<i64>,
    pub bond: Option<U64>,
    pub bond_withdrawing: Option<U64>,
    pub bond_unlock_ts: Option<i64>,
    pub required_bond: Option<U64>,
    pub devices_active: Option<i64>,
    pub stake_shares: Option<U64>,
    pub stake_tokens: Option<U64>,
    pub unbonding_tokens: Option<U64>,
    /// u128 accumulator, decimal text.
    pub reward_per_share: Option<String>,
    pub commission_claimable: Option<U64>,
    pub delegator_count: Option<i64>,
    pub slash_count: Option<i64>,
    pub total_slashed: Option<U64>,
    pub registered_ts: Option<i64>,
    pub slot: i64,
    pub devices_registered: i64,
    pub gpus_active: i64,
}
}

typed_row! {
/// One slash of an operator.
pub struct SlashRow {
    pub address: String,
    pub idx: Option<i64>,
    pub amount: Option<U64>,
    pub evidence_hash: Option<String>,
    pub executable_ts: Option<i64>,
    pub status: Option<String>,
    pub from_bond: Option<U64>,
    pub from_stake: Option<U64>,
    pub from_unbonding: Option<U64>,
    pub slot: i64,
}
}

typed_row! {
/// A position with the operator counters its figures depend on (read, not served as is).
pub struct PositionCountersRow {
    pub operator: String,
    pub staker: String,
    pub address: Option<String>,
    pub shares: Option<U64>,
    pub rewards_owed: Option<U64>,
    pub reward_per_share_paid: Option<String>,
    pub slot: i64,
    pub activating_shares: Option<U64>,
    pub activation_period: Option<U64>,
    pub operator_name: Option<String>,
    pub commission_bps: Option<i64>,
    pub pool_shares: Option<U64>,
    pub pool_tokens: Option<U64>,
    pub pool_activating_shares: Option<U64>,
    pub pool_reward_per_share: Option<String>,
    pub pool_rewards_period: Option<U64>,
}
}

typed_row! {
/// An open unstake ticket of a wallet.
pub struct TicketRow {
    #[serde(skip)]
    pub operator: String,
    pub amount: Option<U64>,
    pub unbonding_shares: Option<U64>,
    pub unlock_ts: Option<i64>,
    pub signature: String,
    pub slot: i64,
}
}

typed_row! {
/// Delegator rewards claimed from one operator.
pub struct ClaimedRow {
    pub operator: String,
    pub claimed: Option<U64>,
}
}

/// One position of a wallet as `/v1/wallets/{address}/positions` serves it: the stored counters
/// and the figures `io_sdk::views::staking::PositionView` derives from them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WalletPosition {
    pub operator: String,
    pub staker: String,
    pub address: Option<String>,
    pub shares: Option<U64>,
    pub rewards_owed: Option<U64>,
    pub reward_per_share_paid: Option<String>,
    pub slot: i64,
    pub activating_shares: Option<U64>,
    pub activation_period: Option<u64>,
    pub operator_name: Option<String>,
    pub commission_bps: Option<i64>,
    pub pool_shares: Option<U64>,
    pub pool_tokens: Option<U64>,
    /// All the position's shares at the pool's rate (rounded down).
    pub value: u64,
    /// The part of `value` still warming up.
    pub activating_value: u64,
    /// What `claim_rewards` would pay now; `null` when the figure overflows.
    pub claimable_rewards: Option<u64>,
    pub pending_unstakes: Vec<TicketRow>,
    pub rewards_claimed: u64,
}
