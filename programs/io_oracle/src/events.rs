//! Events (`emit_cpi!`), with before/after values. `certify_report` emits none (transaction size);
//! its record is the report account.
use crate::state::{OracleParams, ReportBody};
use anchor_lang::prelude::*;

#[event]
pub struct AdminProposed {
    pub pending_admin: Pubkey,
}

#[event]
pub struct AdminAccepted {
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct PausedSet {
    pub paused_before: bool,
    pub paused_after: bool,
}

#[event]
pub struct ParamsUpdated {
    pub before: OracleParams,
    pub after: OracleParams,
}

#[event]
pub struct RotationProposed {
    pub epoch: u64,
    pub members: Vec<Pubkey>,
    pub threshold: u8,
    pub executable_ts: i64,
}

#[event]
pub struct RotationCancelled {
    pub epoch: u64,
    pub members: Vec<Pubkey>,
    pub executable_ts: i64,
}

#[event]
pub struct SetRotated {
    pub epoch: u64,
    pub members: Vec<Pubkey>,
    pub threshold: u8,
    pub by_quorum: bool,
}

#[event]
pub struct OracleBondChanged {
    pub oracle: Pubkey,
    pub amount: u64,
    pub bond_after: u64,
    pub withdrawing_after: u64,
    pub unlock_ts: i64,
}

#[event]
pub struct ReportPosted {
    pub report: Pubkey,
    pub digest: [u8; 32],
    pub body: ReportBody,
}

#[event]
pub struct OracleSlashed {
    pub oracle: Pubkey,
    pub period: u64,
    pub digest_a: [u8; 32],
    pub digest_b: [u8; 32],
    pub amount: u64,
    pub removed: bool,
    pub epoch_after: u64,
}
