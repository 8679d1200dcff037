//! Typed views of the programs' accounts with every derived figure computed once, through the
//! program crates' own functions, so the CLI (which reads accounts) and the indexer (which keeps
//! the same counters in its rows) show the same numbers the programs settle with.
//!
//! Each view can be built from the account itself or from the plain counters it needs (what the
//! indexer has), and both paths run the same code.
pub mod escrow;
pub mod estimates;
pub mod staking;
pub mod token;

pub use escrow::{DepositQuote, LeaseView};
pub use staking::{
    OperatorView, PendingUnstake, PoolCounters, PositionCounters, PositionView, TicketCounters,
};
pub use token::{EmissionCounters, NextEmission, SupplyCounters, SupplyView};

/// A figure that could not be computed: the counters are inconsistent (a sum past `u64::MAX`, a
/// subtraction below zero) — never the case for state a program wrote.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot compute the {figure}: the counters are inconsistent")]
pub struct ViewError {
    pub figure: &'static str,
}

impl ViewError {
    pub(crate) fn of(figure: &'static str) -> impl Fn(anchor_lang::error::Error) -> ViewError {
        move |_| ViewError { figure }
    }
}
