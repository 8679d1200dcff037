//! Events, transactions and cursors.
use super::{typed_row, JsonText};

typed_row! {
/// One stored event (`/v1/events`, the live stream, a transaction's events). `id` is the stable
/// chain-position id (`store::ids`).
pub struct EventRow {
    pub id: i64,
    pub signature: String,
    pub ix_path: String,
    pub event_index: i64,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub program: String,
    pub event_name: String,
    pub payload: JsonText,
    pub finalized: bool,
}
}

typed_row! {
/// One transaction (without its events).
pub struct TransactionRow {
    pub signature: String,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub success: bool,
    /// The node's error as JSON text; `None` for a successful transaction.
    #[serde(skip)]
    pub err: Option<String>,
    pub event_count: i64,
    pub instructions: JsonText,
    pub finalized: bool,
}
}

typed_row! {
/// One program's ingest cursor.
pub struct CursorRow {
    pub program: String,
    pub last_signature: String,
    pub last_slot: i64,
}
}
