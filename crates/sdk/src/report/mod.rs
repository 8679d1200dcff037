//! An oracle period's report, off chain: the published rules, what a node observed, the chain
//! state a report depends on, the four trees' leaves, and (in the submodules) the deterministic
//! builder, the proofs and the check a node runs before it signs another node's proposal. The
//! oracle nodes build and check reports with this module, and `io verify` recomputes them with it,
//! so a report means one thing everywhere. The leaf hashes are io_oracle's (`io_oracle::leaves`).
//!
//! Time is chain time (the Clock sysvar's unix seconds): a period is `[p·3600, (p+1)·3600)`.
//!
//! - [`rules`]: the published constants ([`RULES`]) and formulas.
//! - [`build()`]: [`Inputs`] → [`PeriodReport`]; [`leaves`]: the leaves and their keys;
//!   [`period`]: the report, its digest, roots, proofs and lookups; [`proofs`]: one leaf with its
//!   proof, as published.
//! - [`check()`]: what a signer verifies before signing another node's proposal ([`Refusal`]).
//! - [`Evidence::hash`] and [`Evidence::verify`] (evidence.rs): wrong rows anyone can re-verify.
mod build;
mod check;
mod evidence;
#[cfg(test)]
mod fixtures;
pub mod json;
pub mod leaves;
pub mod period;
pub mod proofs;
pub mod rules;
#[cfg(test)]
mod tests;

pub use build::{build, distribute_floor, live_within, period_bounds, served_within, ReportError};
pub use check::{check, Refusal};
pub use evidence::{Failure, EVIDENCE_DOMAIN};
pub use leaves::{DeviceLeaf, RewardLeaf, SlashLeaf, Tree, UsageLeaf};
pub use period::PeriodReport;
pub use proofs::{Leaf, LeafProof};
pub use rules::{Rules, RULES};

use crate::{
    worker::{CommitmentMsg, Signed},
    Pubkey,
};
use io_staking::{DeviceStatus, HardwareClass};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One node's view of one device over one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceObservation {
    /// Intervals `[start, end)` of chain seconds during which the device was live and answering,
    /// clipped to the period, sorted and disjoint.
    pub live: Vec<(i64, i64)>,
    /// Intervals `[start, end)` of chain seconds during which the device was live but its
    /// worker's heartbeats said the lease's Ray cluster was not serving on it (starting, failed,
    /// or another lease's): not lease seconds, though still uptime. Clipped to the period, sorted
    /// and disjoint; empty for a worker without clusters (and in an observation that predates
    /// them, hence the default).
    #[serde(default)]
    pub unserved: Vec<(i64, i64)>,
    /// This node's challenge(s) of the period, summed up.
    pub challenge: ChallengeOutcome,
}

/// The outcome of a node's full proof-of-work challenges of a device in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
// One outcome per device and period: boxing the evidence would save little and change the
// shape every observer builds.
#[allow(clippy::large_enum_variant)]
pub enum ChallengeOutcome {
    /// No challenge was issued (the device never reached this node).
    None,
    /// Issued, not judged yet (the answer may still come).
    Pending,
    /// At least one challenge passed and none failed.
    Passed,
    /// A challenge failed: missed deadline, refused commitment, wrong rows. `evidence` only for
    /// wrong rows, the failure anyone can re-verify (and the only one that is slashed).
    Failed { reason: String, evidence: Option<Evidence> },
}

/// Self-contained proof that a device answered a challenge with wrong rows: the challenge signed
/// by the oracle that issued it, the commitment signed by the device key, the disclosed reveal
/// and the answer signed by the device key. Anyone re-runs io-proof's verifier on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub challenge: Signed,
    pub commitment: CommitmentMsg,
    pub reveal: crate::worker::Bytes32,
    pub answer: Signed,
}

/// A device as the chain records it when the report is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainDevice {
    /// The io_staking device account.
    pub address: Pubkey,
    /// The io_staking operator account (the rewards and slashes trees' key).
    pub operator: Pubkey,
    pub class: HardwareClass,
    pub gpu_count: u16,
    /// The worker (device) key the chain binds the device to: the key its evidence must be
    /// signed by.
    pub worker_key: Pubkey,
    pub green: bool,
    pub status: DeviceStatus,
    /// $IO bonded for the device (the slash rule's base).
    pub bonded: u64,
}

/// A lease as the chain records it: its service window and devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLease {
    pub address: Pubkey,
    pub start_ts: i64,
    /// End of service: the paid end, or the close time of a lease closed early.
    pub end_ts: i64,
    pub devices: Vec<Pubkey>,
}

/// The cumulative leaves of the last certified report (empty before the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cumulative {
    /// Operator account → cumulative reward.
    pub rewards: BTreeMap<Pubkey, u64>,
    /// (lease, device) → cumulative attested seconds.
    pub usage: BTreeMap<(Pubkey, Pubkey), u64>,
}

/// Everything a node builds a period's report from: the chain state read just before building,
/// this node's observations, and the last certified report's cumulative leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inputs {
    pub period: u64,
    /// The oracle set's epoch the report is signed under.
    pub set_epoch: u64,
    /// Last slot at which the report may be certified.
    pub expiry_slot: u64,
    /// IO/USDC price: USDC base units per whole $IO (0 when the node has no price source).
    pub usdc_per_io: u64,
    /// The cluster's genesis hash (base58): the cluster every challenge in the evidence names.
    pub cluster: String,
    /// io_staking devices (retired ones are skipped).
    pub devices: Vec<ChainDevice>,
    /// io_escrow leases not finalized.
    pub leases: Vec<ChainLease>,
    /// What this node observed, by io_staking device account.
    pub observations: BTreeMap<Pubkey, DeviceObservation>,
    /// The last certified report's cumulative leaves (empty before the first).
    pub previous: Cumulative,
    /// $IO emitted into the rewards vault and not yet allotted by a certified report: io_token's
    /// `emission.emitted − Σ previous cumulative rewards`.
    pub pool: u64,
}
