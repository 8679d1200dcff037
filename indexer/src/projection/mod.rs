//! The projection: what each newly stored event changes in the current-state and log tables, per
//! program, by matching the typed events ([`crate::decode::events::Event`]) — every field read is
//! a field of the program crate's struct, so a renamed or retyped field fails to compile here, and
//! a new event in the table fails to compile until its program's `match` handles it. The result is
//! a [`Plan`] (row patches, appends, specials) that the store writes in the batch's transaction.
//! Account snapshots (already JSON: the account decoder's form) are projected by [`accounts`].
pub mod accounts;
mod escrow;
mod oracle;
mod staking;
mod token;

use crate::decode::events::Event;
use crate::store::plan::{Plan, Val};

/// Where an event lies on the chain, for the log rows it appends.
#[derive(Clone, Copy, Debug)]
pub struct EventCtx<'a> {
    /// The event's stable id (see `store::ids`).
    pub id: i64,
    pub signature: &'a str,
    pub slot: i64,
    pub block_time: Option<i64>,
}

impl EventCtx<'_> {
    /// The first four columns of every log row: event id, signature, slot, block time.
    fn head(&self) -> Vec<Val> {
        vec![
            Val::I(self.id),
            Val::T(self.signature.to_owned()),
            Val::I(self.slot),
            Val::opt_i(self.block_time),
        ]
    }
}

/// Adds what one newly stored event changes to `plan`.
pub fn event(plan: &mut Plan, cx: &EventCtx<'_>, e: &Event) {
    match e {
        Event::Staking(e) => staking::project(plan, cx, e),
        Event::Token(e) => token::project(plan, cx, e),
        Event::Escrow(e) => escrow::project(plan, cx, e),
        Event::Oracle(e) => oracle::project(plan, cx, e),
    }
}

/// The stored spelling of a program enum value: its `io_sdk::Name` (`DeviceStatus::Active` →
/// `"active"`), the same as in the events' JSON form and the API.
/// The key of the one supply row (written by io_token's events and its config account).
fn supply_key() -> Vec<Val> {
    vec![Val::T("io".to_owned())]
}

fn name_of(v: &impl io_sdk::Name) -> Val {
    Val::T(v.name().to_owned())
}

/// A value for a column (by its Rust type, see `Val`'s `From` impls).
fn v<T: Into<Val>>(x: T) -> Val {
    x.into()
}
