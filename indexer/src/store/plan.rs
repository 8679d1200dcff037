//! The write plan: what the projection (`crate::projection`) makes of a batch's events and
//! account snapshots, independent of the SQL dialect — a [`Plan`] of
//!
//! - **appends** (one row per event, keyed by the event's id: burns, settlements, fees, buybacks,
//!   emissions, reward claims, unstake tickets),
//! - **patches** of current-state rows (operators, devices, positions, slashes, offers, leases,
//!   lease devices, reports, oracle set, oracles, supply), merged per row inside the batch with
//!   every column tagged by the slot of the event or snapshot that set it; a column is written
//!   only when its slot is at least the row's `slot`, so an older slot never overwrites a newer
//!   row, and the row's `slot` becomes the highest it has seen,
//! - **specials**: the few statements that touch rows chosen by a condition (the tickets a
//!   withdrawal paid, the offers of a lease that was extended or ended).
//!
//! Projection runs only for events inserted by this batch (an event already stored was projected
//! when it was), which is what makes a replayed batch a no-op.
use io_sdk::Pubkey;
use std::collections::{BTreeMap, HashMap};

/// A bindable SQL value. Nulls are typed so PostgreSQL can infer parameter types; arrays exist
/// for PostgreSQL's `UNNEST` bulk statements only.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    I(i64),
    /// An unsigned 64-bit value of a program (amounts, prices, shares): stored faithfully on both
    /// databases, see `store::u64` for the representation.
    U(u64),
    T(String),
    B(bool),
    NullI,
    NullU,
    NullT,
    NullB,
    ArrI(Vec<Option<i64>>),
    ArrU(Vec<Option<u64>>),
    ArrT(Vec<Option<String>>),
    ArrB(Vec<Option<bool>>),
}

impl Val {
    pub fn opt_i(v: Option<i64>) -> Val {
        v.map_or(Val::NullI, Val::I)
    }

    pub fn opt_u(v: Option<u64>) -> Val {
        v.map_or(Val::NullU, Val::U)
    }
}

/// Program values become SQL values by their Rust type: `u64` keeps its full range ([`Val::U`]),
/// signed and narrower integers are 64-bit integers, keys are base58 text, `u128` accumulators are
/// decimal text.
impl From<u64> for Val {
    fn from(v: u64) -> Val {
        Val::U(v)
    }
}

macro_rules! val_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Val {
                Val::I(i64::from(v))
            }
        }
    )*};
}
val_int!(i64, u32, u16, u8);

impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::B(v)
    }
}

impl From<u128> for Val {
    fn from(v: u128) -> Val {
        Val::T(v.to_string())
    }
}

impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::T(v.to_owned())
    }
}

impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::T(v.clone())
    }
}

impl From<&Pubkey> for Val {
    fn from(v: &Pubkey) -> Val {
        Val::T(v.to_string())
    }
}

/// Hashes and roots: lowercase hex, as in the events' JSON form.
impl From<&[u8; 32]> for Val {
    fn from(v: &[u8; 32]) -> Val {
        Val::T(crate::decode::json::hex(v))
    }
}

/// A slot for the `slot` columns (the chain's slots are far below `i64::MAX`; saturates).
pub fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Key columns of each patched table.
pub fn key_columns(table: &str) -> &'static [&'static str] {
    match table {
        "positions" => &["operator", "staker"],
        "lease_devices" => &["lease", "device"],
        "offers" => &["device"],
        "oracle_set" => &["epoch"],
        "supply" => &["id"],
        _ => &["address"],
    }
}

/// Row patch of one table.
#[derive(Clone, Debug)]
pub struct Patch {
    pub key: Vec<Val>,
    /// Insert the row when it is missing (otherwise a patch of a missing row does nothing).
    pub upsert: bool,
    /// Highest slot among the columns.
    pub slot: i64,
    /// Column → (value, slot it was set at); later writes in the batch replace earlier ones.
    pub cols: BTreeMap<&'static str, (Val, i64)>,
}

/// Rows to append to a log table (columns in `cols` order).
#[derive(Clone, Debug, Default)]
pub struct Append {
    pub cols: &'static [&'static str],
    pub rows: Vec<Vec<Val>>,
}

/// A statement applied on its own, in event order, after appends.
#[derive(Clone, Debug, PartialEq)]
pub enum Special {
    /// Mark the unwithdrawn tickets of (operator, staker) that had matured by `block_time`.
    TicketsWithdrawn { operator: String, staker: String, slot: i64, block_time: i64 },
    /// The offers held by `lease` are now held until `until`.
    OffersLeasedUntil { lease: String, until: i64, slot: i64 },
}

/// What one batch changes in the entity tables.
#[derive(Debug, Default)]
pub struct Plan {
    pub appends: BTreeMap<&'static str, Append>,
    /// table → key → patch (BTreeMap for a deterministic statement order).
    pub patches: BTreeMap<&'static str, HashMap<Vec<KeyPart>, Patch>>,
    pub specials: Vec<Special>,
}

/// Hashable form of a key value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyPart {
    I(i64),
    U(u64),
    T(String),
}

fn key_part(v: &Val) -> KeyPart {
    match v {
        Val::I(i) => KeyPart::I(*i),
        Val::U(u) => KeyPart::U(*u),
        Val::T(s) => KeyPart::T(s.clone()),
        Val::B(b) => KeyPart::I(i64::from(*b)),
        _ => KeyPart::T(String::new()),
    }
}

impl Plan {
    /// Patches `table` at `key` with `cols` set at `slot`.
    pub fn patch(
        &mut self,
        table: &'static str,
        key: Vec<Val>,
        upsert: bool,
        slot: i64,
        cols: Vec<(&'static str, Val)>,
    ) {
        let hk: Vec<KeyPart> = key.iter().map(key_part).collect();
        let entry = self.patches.entry(table).or_default().entry(hk).or_insert_with(|| Patch {
            key,
            upsert: false,
            slot: i64::MIN,
            cols: BTreeMap::new(),
        });
        entry.upsert |= upsert;
        entry.slot = entry.slot.max(slot);
        for (c, v) in cols {
            match entry.cols.get(c) {
                // An older event of the batch never replaces a newer value.
                Some((_, at)) if *at > slot => {}
                _ => {
                    entry.cols.insert(c, (v, slot));
                }
            }
        }
    }

    /// Appends a row to a log table.
    pub fn append(&mut self, table: &'static str, cols: &'static [&'static str], row: Vec<Val>) {
        let a = self.appends.entry(table).or_insert_with(|| Append { cols, rows: Vec::new() });
        a.rows.push(row);
    }
}

/// Columns of the log tables (the first four are the event's id, signature, slot, block time).
pub const TICKET_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "operator",
    "staker",
    "amount",
    "unbonding_shares",
    "unlock_ts",
];
pub const CLAIM_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "kind", "operator", "staker", "amount", "period"];
pub const EMISSION_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "from_hour",
    "to_hour",
    "scheduled",
    "minted",
    "emitted_after",
];
pub const BURN_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "reason", "authority", "source", "amount"];
pub const SETTLEMENT_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "lease",
    "device",
    "device_index",
    "attested_before",
    "attested_after",
    "paid",
    "fee",
];
pub const FEE_COLS: &[&str] = &["event_id", "signature", "slot", "block_time", "lease", "amount"];
pub const BUYBACK_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "usdc_spent", "io_burned", "usdc_per_io", "min_io"];
