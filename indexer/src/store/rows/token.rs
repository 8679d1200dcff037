//! Burns and the supply ledger.
use super::{typed_row, U64};

typed_row! {
/// One burn (`/v1/burns`).
pub struct BurnRow {
    pub event_id: i64,
    pub signature: String,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub reason: Option<String>,
    pub authority: Option<String>,
    pub source: Option<String>,
    pub amount: Option<U64>,
}
}

typed_row! {
/// Burn totals per reason as io_token's ledger records them.
pub struct BurnTotals {
    pub lease_fee: Option<U64>,
    pub buyback: Option<U64>,
    pub slash: Option<U64>,
    pub other: Option<U64>,
    pub total: Option<U64>,
}
}
