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
    /// GPUs of the active devices.
    pub gpus_active: Option<i64>,
    /// GPUs of the devices not retired.
    pub gpus_total: Option<i64>,
    /// Devices not retired, and of those the jailed ones.
    pub devices_live: Option<i64>,
    pub devices_jailed: Option<i64>,
    /// Active share of the live devices, bps (see `store::operators`).
    pub uptime_bps: Option<i64>,
    /// Distinct GPU models, comma-separated (served as the list `gpu_models`).
    #[serde(skip)]
    pub gpu_models_text: Option<String>,
    /// The last reward claimed against a certified report and the periods it paid for.
    pub reward_last_amount: Option<U64>,
    pub reward_last_span: Option<i64>,
    /// The newest commission change: requested at (block time), in effect from.
    pub commission_requested_ts: Option<i64>,
    pub commission_change_effective_ts: Option<i64>,
    /// `active`, `jailed`, `exiting` or `inactive` (see `store::operators::STATUS`).
    pub status: String,
}
}

/// One operator as `/v1/operators` serves it: the stored row and the figures derived from it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OperatorSummary {
    #[serde(flatten)]
    pub row: OperatorRow,
    /// Distinct GPU models of its live devices, sorted.
    pub gpu_models: Vec<String>,
    /// `io_sdk::views::staking::estimated_net_apy_bps` of its last reward, current commission and
    /// stake; `null` when there is no estimate (no stake or no reward yet).
    pub est_net_apy_bps: Option<u64>,
    /// A commission change was requested, or took effect, within the last 7 days of chain time.
    pub commission_changed_7d: bool,
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

typed_row! {
/// One device with its offer (an operator's device list).
pub struct DeviceRow {
    pub address: String,
    pub operator: Option<String>,
    pub id_hash: Option<String>,
    pub worker_key: Option<String>,
    pub gpu_model: Option<String>,
    pub gpu_count: Option<i64>,
    pub vram_gb: Option<i64>,
    pub region: Option<String>,
    pub green: Option<bool>,
    pub class: Option<String>,
    pub status: Option<String>,
    pub registered_ts: Option<i64>,
    pub status_ts: Option<i64>,
    pub slot: i64,
    pub offer: Option<String>,
    pub price_usdc_per_hour: Option<U64>,
    pub price_io_per_hour: Option<U64>,
    pub min_hours: Option<i64>,
    pub max_hours: Option<i64>,
    pub offer_active: Option<bool>,
    pub lease: Option<String>,
    pub leased_until: Option<i64>,
}
}

/// One device of `/v1/devices`: the device, its availability now and its rank by proximity
/// (`distance_km` only when ranked from a point or a known region).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DeviceListRow {
    #[serde(flatten)]
    pub device: DeviceRow,
    pub availability: String,
    pub distance: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<Option<i64>>,
}

impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for DeviceListRow
where
    &'static str: sqlx::ColumnIndex<R>,
    DeviceRow: sqlx::FromRow<'r, R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        let ranked = row.try_column("distance_km").is_ok();
        Ok(DeviceListRow {
            device: DeviceRow::from_row(row)?,
            availability: row.try_get("availability")?,
            distance: row.try_get("distance")?,
            distance_km: if ranked { Some(row.try_get("distance_km")?) } else { None },
        })
    }
}
