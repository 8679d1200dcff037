//! Oracle reports.
use super::{typed_row, U64};

typed_row! {
/// One report of a period (`/v1/reports/{period}`).
pub struct ReportRow {
    pub address: String,
    pub period: Option<U64>,
    pub digest: Option<String>,
    pub set_epoch: Option<U64>,
    pub rewards_root: Option<String>,
    pub usage_root: Option<String>,
    pub devices_root: Option<String>,
    pub slashes_root: Option<String>,
    pub usdc_per_io: Option<U64>,
    pub emission_distributed: Option<U64>,
    pub device_seconds: Option<U64>,
    pub devices_attested: Option<i64>,
    pub expiry_slot: Option<U64>,
    pub status: Option<String>,
    pub signers: Option<i64>,
    pub posted_by: Option<String>,
    pub certified_slot: Option<U64>,
    pub slot: i64,
}
}
