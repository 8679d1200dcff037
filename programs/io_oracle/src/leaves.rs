//! The leaves of the four report trees. Programs verifying a claim and the oracle building the
//! trees both use these functions, so a leaf means one thing everywhere. Each tree has its own
//! domain tag: a leaf of one tree never verifies in another.
use anchor_lang::prelude::Pubkey;
use io_merkle::{leaf_hash, Hash};

pub const REWARDS_DOMAIN: &[u8] = b"io-rewards-v1";
pub const USAGE_DOMAIN: &[u8] = b"io-usage-v1";
pub const DEVICES_DOMAIN: &[u8] = b"io-devices-v1";
pub const SLASHES_DOMAIN: &[u8] = b"io-slashes-v1";

/// (operator, cumulative reward in $IO base units since genesis).
pub fn rewards_leaf(operator: &Pubkey, cumulative: u64) -> Hash {
    leaf_hash(REWARDS_DOMAIN, &[operator.as_ref(), &cumulative.to_le_bytes()])
}

/// (lease, device, cumulative attested service seconds of that device in that lease).
pub fn usage_leaf(lease: &Pubkey, device: &Pubkey, seconds: u64) -> Hash {
    leaf_hash(USAGE_DOMAIN, &[lease.as_ref(), device.as_ref(), &seconds.to_le_bytes()])
}

/// (device, hardware class index, green flag, active) as attested by the challenges.
pub fn device_leaf(device: &Pubkey, class: u8, green: bool, active: bool) -> Hash {
    leaf_hash(DEVICES_DOMAIN, &[device.as_ref(), &[class, u8::from(green), u8::from(active)]])
}

/// (operator, amount in base units, evidence hash) of a slash the quorum found.
pub fn slash_leaf(operator: &Pubkey, amount: u64, evidence_hash: &[u8; 32]) -> Hash {
    leaf_hash(SLASHES_DOMAIN, &[operator.as_ref(), &amount.to_le_bytes(), evidence_hash])
}
