//! The peer protocol's bodies (JSON). Keys base58, digests and signatures hex.
use io_sdk::{
    report::{Evidence, PeriodReport, Refusal},
    worker::{Bytes32, Bytes64},
};
use serde::{Deserialize, Serialize};

/// `POST /v1/peer/propose`: a leader's proposal, signed by it over the report's digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Proposal {
    pub report: PeriodReport,
    /// The proposer's oracle key.
    pub proposer: String,
    /// Its ed25519 signature over the digest.
    pub signature: Bytes64,
}

/// A follower's signature over the proposal's digest (200).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignatureReply {
    pub signer: String,
    pub signature: Bytes64,
}

/// A follower's refusal (422): the leaf it refuses and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefusalReply {
    pub error: serde_json::Value,
    pub refusal: Refusal,
}

/// `GET /v1/peer/signed/{period}`: what this node signed for the period (404 when nothing).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedContent {
    pub period: u64,
    pub digest: Bytes32,
    pub report: PeriodReport,
}

/// One piece of wrong-rows evidence this node holds for a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DeviceEvidence {
    /// The io_staking device account.
    pub device: String,
    pub evidence: Evidence,
}

/// `GET /v1/peer/evidence/{period}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceList {
    pub period: u64,
    pub evidence: Vec<DeviceEvidence>,
}
