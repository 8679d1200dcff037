//! Leases.
use super::{typed_row, U64};

typed_row! {
/// One lease (`/v1/leases`).
pub struct LeaseRow {
    pub address: String,
    pub renter: Option<String>,
    pub payment_mint: Option<String>,
    pub fee_bps: Option<i64>,
    pub hours: Option<i64>,
    pub start_ts: Option<i64>,
    pub end_ts: Option<i64>,
    pub deposit: Option<U64>,
    pub paid: Option<U64>,
    pub fees: Option<U64>,
    pub refunded: Option<U64>,
    pub device_count: Option<i64>,
    pub status: Option<String>,
    pub slot: i64,
}
}
