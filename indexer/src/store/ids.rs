//! Stable event ids: an event's id is derived from where it lies on the chain, so indexing the
//! same chain again from scratch gives every event the same id, and a client's resume cursor
//! (`Last-Event-ID`, or `after` on the events page) still points at the same event after a
//! rebuild.
//!
//! Format (a non-negative `i64`, most significant first):
//!
//! | bits | field |
//! |---:|---|
//! | 33 | slot (up to 8.6·10⁹: centuries of 400 ms slots) |
//! | 18 | transaction bucket within the slot: FNV-1a of the base58 signature, top 18 bits |
//! | 12 | the event's position among its transaction's events (`event_index`, up to 4,095) |
//!
//! `getTransaction` does not say where a transaction lies inside its block, so transactions of
//! one slot are ordered by their signature's hash — a fixed order that every rebuild computes
//! alike. Two transactions of one slot with the same bucket (about one slot in 4,000 at 50 of
//! our transactions per slot) take the next free bucket, in the order the store sees them: the
//! one case where an id depends on ingestion order.
//!
//! Ids order events by slot, so a batch of an older slot (one program's cursor behind another's)
//! can insert ids below ids already stored: a live reader that resumes "after id N" must only
//! serve events at or below the indexed slot (`sync_state.indexed_slot`), which the store raises
//! only once every program is stored up to it.

/// Bits of the event position.
pub const EVENT_BITS: u32 = 12;
/// Bits of the transaction bucket.
pub const TX_BITS: u32 = 18;
/// Bits of the slot.
pub const SLOT_BITS: u32 = 63 - TX_BITS - EVENT_BITS;

/// Why an event cannot have an id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdError {
    #[error("slot {0} is beyond the event id range (2^33)")]
    Slot(u64),
    #[error("event index {0} is beyond the event id range (4,095 events per transaction)")]
    EventIndex(u32),
    #[error("slot {0} has no free transaction bucket left")]
    SlotFull(u64),
}

/// FNV-1a (64-bit) of the signature's text: fixed by its definition, unlike the standard
/// library's hasher, so every build and every rebuild agrees.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The preferred bucket of a transaction within its slot.
pub fn bucket(signature: &str) -> u64 {
    fnv1a(signature) >> (64 - TX_BITS)
}

/// The id prefix (slot and bucket, event bits zero) of a transaction.
pub fn tx_prefix(slot: u64, bucket: u64) -> Result<i64, IdError> {
    if slot >= 1 << SLOT_BITS {
        return Err(IdError::Slot(slot));
    }
    let raw = (slot << (TX_BITS + EVENT_BITS)) | ((bucket & ((1 << TX_BITS) - 1)) << EVENT_BITS);
    i64::try_from(raw).map_err(|_| IdError::Slot(slot))
}

/// The id of the event at `event_index` in the transaction with id prefix `prefix`.
pub fn event_id(prefix: i64, event_index: u32) -> Result<i64, IdError> {
    if event_index >= 1 << EVENT_BITS {
        return Err(IdError::EventIndex(event_index));
    }
    Ok(prefix | i64::from(event_index))
}

/// The ids of the events of `slots` (inclusive): `[low, high)`.
pub fn slot_range(first: u64, last: u64) -> (i64, i64) {
    let at = |s: u64| tx_prefix(s.min((1 << SLOT_BITS) - 1), 0).unwrap_or(i64::MAX);
    let high = if last + 1 >= 1 << SLOT_BITS { i64::MAX } else { at(last + 1) };
    (at(first), high)
}

/// The prefix of an id (its transaction's).
pub fn prefix_of(id: i64) -> i64 {
    id & !((1 << EVENT_BITS) - 1)
}

/// The slot an id encodes.
pub fn slot_of(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0) >> (TX_BITS + EVENT_BITS)
}

/// Assigns transaction prefixes within slots: the preferred bucket, else the next free one.
#[derive(Debug, Default)]
pub struct Allocator {
    taken: std::collections::HashSet<i64>,
}

impl Allocator {
    /// Marks a prefix as used (stored before).
    pub fn take(&mut self, prefix: i64) {
        self.taken.insert(prefix);
    }

    /// The prefix of a new transaction at `slot`.
    pub fn assign(&mut self, slot: u64, signature: &str) -> Result<i64, IdError> {
        let first = bucket(signature);
        for step in 0..(1u64 << TX_BITS) {
            let p = tx_prefix(slot, (first + step) & ((1 << TX_BITS) - 1))?;
            if self.taken.insert(p) {
                return Ok(p);
            }
        }
        Err(IdError::SlotFull(slot))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_by_slot_and_decode() {
        let a = event_id(tx_prefix(7, bucket("sigA")).unwrap(), 3).unwrap();
        let b = event_id(tx_prefix(8, 0).unwrap(), 0).unwrap();
        assert!(a < b);
        assert_eq!(slot_of(a), 7);
        assert_eq!(a & 0xfff, 3);
        assert_eq!(prefix_of(a), tx_prefix(7, bucket("sigA")).unwrap());
        let (lo, hi) = slot_range(7, 7);
        assert!(lo <= a && a < hi && hi == tx_prefix(8, 0).unwrap());
        assert!(event_id(tx_prefix((1 << SLOT_BITS) - 1, (1 << TX_BITS) - 1).unwrap(), 4095).unwrap() > 0);
        assert_eq!(tx_prefix(1 << SLOT_BITS, 0), Err(IdError::Slot(1 << SLOT_BITS)));
        assert_eq!(event_id(0, 4096), Err(IdError::EventIndex(4096)));
    }

    #[test]
    fn a_taken_bucket_moves_to_the_next_one() {
        let mut a = Allocator::default();
        let p = a.assign(5, "x").unwrap();
        a.take(p);
        let q = a.assign(5, "x").unwrap();
        assert_eq!(q, p + (1 << EVENT_BITS));
        // The hash is fixed by definition (FNV-1a test vector).
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
