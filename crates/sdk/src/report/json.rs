//! How a report publishes as JSON: keys as base58 strings and hashes as hex, like the worker
//! protocol (`crate::worker`), and io_oracle's `ReportBody` (a borsh type) field for field. Used
//! through `#[serde(with = "...")]` on the report's types.
use crate::{worker::Bytes32, Pubkey};
use io_oracle::ReportBody;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A `Pubkey` as its base58 string.
pub mod base58 {
    use super::*;

    pub fn serialize<S: Serializer>(key: &Pubkey, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(key)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pubkey, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| serde::de::Error::custom(format!("'{s}' is not a base58 public key")))
    }
}

/// A 32-byte hash as 64 hex characters.
pub mod hex32 {
    use super::*;

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        Bytes32(*h).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        Bytes32::deserialize(d).map(|b| b.0)
    }
}

/// A 32-byte hash as hex: the lowercase text [`hex32`] writes (for keys such as
/// `operator:evidence_hash_hex`).
pub fn hex(h: &[u8; 32]) -> String {
    Bytes32(*h).to_string()
}

/// io_oracle's report body with its roots in hex.
#[derive(Serialize, Deserialize)]
struct Body {
    period: u64,
    set_epoch: u64,
    rewards_root: Bytes32,
    usage_root: Bytes32,
    devices_root: Bytes32,
    slashes_root: Bytes32,
    usdc_per_io: u64,
    emission_distributed: u64,
    device_seconds: u64,
    devices_attested: u32,
    expiry_slot: u64,
}

/// `ReportBody` as a JSON object of its fields (roots hex).
pub mod body {
    use super::*;

    pub fn serialize<S: Serializer>(b: &ReportBody, s: S) -> Result<S::Ok, S::Error> {
        Body {
            period: b.period,
            set_epoch: b.set_epoch,
            rewards_root: Bytes32(b.rewards_root),
            usage_root: Bytes32(b.usage_root),
            devices_root: Bytes32(b.devices_root),
            slashes_root: Bytes32(b.slashes_root),
            usdc_per_io: b.usdc_per_io,
            emission_distributed: b.emission_distributed,
            device_seconds: b.device_seconds,
            devices_attested: b.devices_attested,
            expiry_slot: b.expiry_slot,
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ReportBody, D::Error> {
        let b = Body::deserialize(d)?;
        Ok(ReportBody {
            period: b.period,
            set_epoch: b.set_epoch,
            rewards_root: b.rewards_root.0,
            usage_root: b.usage_root.0,
            devices_root: b.devices_root.0,
            slashes_root: b.slashes_root.0,
            usdc_per_io: b.usdc_per_io,
            emission_distributed: b.emission_distributed,
            device_seconds: b.device_seconds,
            devices_attested: b.devices_attested,
            expiry_slot: b.expiry_slot,
        })
    }
}
