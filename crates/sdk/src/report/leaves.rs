//! The leaves of the four report trees as published (JSON: keys base58, hashes hex), their keys
//! and their hashes. The hashes are io_oracle's (`io_oracle::leaves`): what the programs verify a
//! claim against. Each tree is ordered by its leaf key, so every node builds the same root.
use super::{json, Evidence};
use crate::{names::Name, Pubkey};
use io_merkle::Hash;
use io_oracle::leaves;
use serde::{Deserialize, Serialize};

/// The four trees of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tree {
    Devices,
    Usage,
    Rewards,
    Slashes,
}

impl Name for Tree {
    const ALL: &'static [Self] = &[Tree::Devices, Tree::Usage, Tree::Rewards, Tree::Slashes];
    const WHAT: &'static str = "report tree";

    fn name(&self) -> &'static str {
        match self {
            Tree::Devices => "devices",
            Tree::Usage => "usage",
            Tree::Rewards => "rewards",
            Tree::Slashes => "slashes",
        }
    }
}

impl Tree {
    /// Position in a `[_; 4]` indexed by tree.
    pub fn index(self) -> usize {
        match self {
            Tree::Devices => 0,
            Tree::Usage => 1,
            Tree::Rewards => 2,
            Tree::Slashes => 3,
        }
    }
}

impl std::fmt::Display for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A device's attested state. `uptime_bps` is published beside the leaf but not hashed into it:
/// io_staking's `apply_device_report` verifies `(device, class, green, active)`; uptime is bound
/// through the rewards tree, which is computed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceLeaf {
    /// The io_staking device account.
    #[serde(with = "json::base58")]
    pub device: Pubkey,
    /// Its io_staking operator account.
    #[serde(with = "json::base58")]
    pub operator: Pubkey,
    /// `HardwareClass::index()` of the on-chain class.
    pub class: u8,
    pub green: bool,
    pub active: bool,
    pub uptime_bps: u16,
}

impl DeviceLeaf {
    pub fn hash(&self) -> Hash {
        leaves::device_leaf(&self.device, self.class, self.green, self.active)
    }

    pub fn key(&self) -> Pubkey {
        self.device
    }
}

/// Cumulative attested seconds of one device in one lease (what io_escrow settles by).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageLeaf {
    #[serde(with = "json::base58")]
    pub lease: Pubkey,
    #[serde(with = "json::base58")]
    pub device: Pubkey,
    pub seconds: u64,
}

impl UsageLeaf {
    pub fn hash(&self) -> Hash {
        leaves::usage_leaf(&self.lease, &self.device, self.seconds)
    }

    pub fn key(&self) -> (Pubkey, Pubkey) {
        (self.lease, self.device)
    }
}

/// Cumulative $IO (base units) an operator has earned since genesis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardLeaf {
    #[serde(with = "json::base58")]
    pub operator: Pubkey,
    pub cumulative: u64,
}

impl RewardLeaf {
    pub fn hash(&self) -> Hash {
        leaves::rewards_leaf(&self.operator, self.cumulative)
    }

    pub fn key(&self) -> Pubkey {
        self.operator
    }
}

/// A slash the report opens: the operator, the amount by the published rule, and the evidence
/// (published in full, so anyone can re-verify it) with its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlashLeaf {
    #[serde(with = "json::base58")]
    pub operator: Pubkey,
    /// The device that answered with wrong rows.
    #[serde(with = "json::base58")]
    pub device: Pubkey,
    pub amount: u64,
    #[serde(with = "json::hex32")]
    pub evidence_hash: [u8; 32],
    pub evidence: Evidence,
}

impl SlashLeaf {
    pub fn hash(&self) -> Hash {
        leaves::slash_leaf(&self.operator, self.amount, &self.evidence_hash)
    }

    pub fn key(&self) -> (Pubkey, [u8; 32]) {
        (self.operator, self.evidence_hash)
    }
}

/// The published spelling of each tree's leaf key, as the proof endpoint takes it: a device
/// address; `lease:device`; an operator address; `operator:evidence_hash_hex`.
pub fn device_key_text(device: &Pubkey) -> String {
    device.to_string()
}

pub fn usage_key_text(lease: &Pubkey, device: &Pubkey) -> String {
    format!("{lease}:{device}")
}

pub fn reward_key_text(operator: &Pubkey) -> String {
    operator.to_string()
}

pub fn slash_key_text(operator: &Pubkey, evidence_hash: &[u8; 32]) -> String {
    format!("{operator}:{}", json::hex(evidence_hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_names_round_trip() {
        for t in Tree::ALL {
            assert_eq!(Tree::from_name(t.name()), Some(*t));
            assert_eq!(serde_json::to_value(t).unwrap(), serde_json::json!(t.name()));
            assert_eq!(Tree::ALL[t.index()], *t);
        }
        assert!(Tree::parse_name("leaves")
            .unwrap_err()
            .to_string()
            .contains("devices, usage, rewards, slashes"));
    }

    #[test]
    fn leaves_publish_keys_as_base58() {
        let leaf = RewardLeaf { operator: Pubkey::new_from_array([9; 32]), cumulative: 5 };
        let v = serde_json::to_value(&leaf).unwrap();
        assert_eq!(v["operator"], Pubkey::new_from_array([9; 32]).to_string());
        assert_eq!(serde_json::from_value::<RewardLeaf>(v).unwrap(), leaf);
        let bad = serde_json::json!({"operator": "0OIl", "cumulative": 1});
        assert!(serde_json::from_value::<RewardLeaf>(bad).unwrap_err().to_string().contains("base58"));
    }
}
