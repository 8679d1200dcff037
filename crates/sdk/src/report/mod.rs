//! An oracle period's report, off chain: the published rules, what a node observed, the chain
//! state a report depends on, the four trees' leaves, and (in the submodules) the deterministic
//! builder, the proofs and the check a node runs before it signs another node's proposal. The
//! oracle nodes build and check reports with this module, and `io verify` recomputes them with it,
//! so a report means one thing everywhere. The leaf hashes are io_oracle's (`io_oracle::leaves`).
//!
//! Time is chain time (the Clock sysvar's unix seconds): a period is `[p·3600, (p+1)·3600)`.
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
    /// This node's challenge(s) of the period, summed up.
    pub challenge: ChallengeOutcome,
}

/// The outcome of a node's full proof-of-work challenges of a device in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
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
