//! `io verify`: every public figure of the network recomputed from chain state and the leaves
//! the oracle nodes publish, then compared with what the certified reports claim and with what
//! the indexer serves. This module is pure: it compares a [`Snapshot`] that the caller gathered
//! (the CLI reads it over JSON-RPC and HTTP), so the same checks run on a live network and on a
//! hand-built snapshot in the unit tests, and a forged figure is caught by the same code either
//! way.
//!
//! One file per area, each adding [`Row`]s — figure, recomputed value, served value, verdict:
//! - [`reports`]: each certified report's digest, signers and roots against its published leaves,
//!   and the totals its body claims;
//! - [`proofs`]: the proof links the indexer serves beside its headline figures name the latest
//!   certified report;
//! - [`devices`]: attested devices and GPUs by class and their green share, per period and now;
//! - [`usage`]: device-seconds per period, in total and per lease;
//! - [`rewards`]: rewards per operator and period, their sum against io_token's emission,
//!   commission and the delegators' share;
//! - [`supply`]: cap, minted, burned by reason, circulating, the emission schedule;
//! - [`escrow`]: deposits, payments, fees, refunds and the treasury per lease and in total,
//!   buybacks against the attested price and their burns;
//! - [`stake`]: stake per operator and pool, and vaults holding at least what the ledgers say.
pub mod devices;
pub mod escrow;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod proofs;
pub mod reports;
pub mod rewards;
pub mod row;
pub mod snapshot;
pub mod stake;
pub mod supply;
pub mod usage;

pub use row::{Area, Row, Rows, Verdict};
pub use snapshot::{NodeCopy, PeriodRange, Published, Served, Snapshot};

/// Every check of every area, in the order the table prints them.
pub fn verify(s: &Snapshot) -> Vec<Row> {
    let mut rows = Rows::default();
    // Which node copy of each period is checked is chosen once for the four report-derived
    // areas: choosing recomputes every copy's roots, the costliest step of a run.
    let published = reports::Published::of(s);
    reports::check_with(s, &published, &mut rows);
    proofs::check(s, &mut rows);
    devices::check_with(s, &published, &mut rows);
    usage::check_with(s, &published, &mut rows);
    rewards::check_with(s, &published, &mut rows);
    supply::check(s, &mut rows);
    escrow::check(s, &mut rows);
    stake::check(s, &mut rows);
    rows.into_vec()
}
