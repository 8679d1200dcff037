//! Settings: one nested struct whose `Default` impls are the only defaults, read through io-sdk's
//! layered loader — an optional TOML file (`--config`), then `IO_ORACLE__<TABLE>__<FIELD>`
//! environment variables (e.g. `IO_ORACLE__CHAIN__RPC_URL`), then command-line flags.
use io_sdk::settings::{Override, SettingsError};
use serde::{Deserialize, Serialize};
use std::{net::SocketAddr, path::Path, path::PathBuf};

/// Prefix of the environment variables read as settings.
pub const ENV_PREFIX: &str = "IO_ORACLE__";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub node: NodeSettings,
    pub chain: ChainSettings,
    pub database: DatabaseSettings,
    /// The other nodes of the oracle set: each one's URL and oracle key.
    pub peers: Vec<Peer>,
    pub workers: WorkerSettings,
    pub report: ReportSettings,
    pub testing: TestingSettings,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct NodeSettings {
    /// The node's oracle key (a Solana keypair file): a bonded member of io_oracle's set. It signs
    /// challenges, reports and the node's transactions (it pays their fees).
    pub keypair: PathBuf,
    /// Where the worker, peer and public API listens.
    pub listen: SocketAddr,
}

impl Default for NodeSettings {
    fn default() -> Self {
        NodeSettings {
            keypair: PathBuf::from("oracle.json"),
            listen: SocketAddr::from(([127, 0, 0, 1], 7900)),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ChainSettings {
    pub rpc_url: String,
    /// Wall milliseconds between two reads of the cluster's clock.
    pub clock_poll_ms: u64,
}

impl Default for ChainSettings {
    fn default() -> Self {
        ChainSettings { rpc_url: "http://127.0.0.1:8899".into(), clock_poll_ms: 500 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` (embedded) or `postgres://user@host/db`. Not serialized: it may
    /// carry a password, and settings are logged.
    #[serde(skip_serializing)]
    pub url: String,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings { url: "sqlite://io-oracle.db?mode=rwc".into(), max_connections: 8 }
    }
}

/// Another node of the set.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Peer {
    /// Base URL of its API, e.g. `http://10.0.0.2:7900`.
    pub url: String,
    /// Its oracle key, base58 (a member of the on-chain set).
    pub key: String,
}

/// The worker API and the challenges (owned by `observe` and `api::worker`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerSettings {
    /// Most heartbeats accepted per device per minute; more get 429.
    pub heartbeats_per_minute: u32,
    /// Largest difference between a message's timestamp and this node's clock, ms.
    pub max_clock_skew_ms: u64,
    /// Wall ms between two contacts of a device still counted as one live stretch.
    pub liveness_gap_ms: u64,
    /// Time a device has to answer a liveness ping, ms.
    pub ping_answer_ms: u64,
    /// Mean wall ms between two liveness pings of one device (each at a random time).
    pub ping_mean_interval_ms: u64,
    /// Accept simulated devices (a CPU standing in for the registered hardware, light
    /// challenges): local networks only.
    pub allow_simulated: bool,
    /// Count a leased device's live time as lease time when its worker runs without clusters
    /// (`io-worker run --no-clusters`: no `endpoint`, no cluster report in its heartbeats). Off,
    /// as on a production network, lease time counts only while the device's heartbeats say the
    /// lease's Ray cluster serves on it. The local network turns it on for the demo's bare
    /// workers (and the tests that are not about clusters).
    pub allow_bare_leases: bool,
    /// Wall ms a challenge's commitment may arrive after its deadline before the challenge is
    /// failed as missed (the verifier itself still refuses a late commitment: this only keeps a
    /// commitment in flight from racing the expiry).
    pub challenge_grace_ms: u64,
    /// Wall ms a device has, after its commitment was accepted and the reveal disclosed, to send
    /// its opened rows; then the challenge fails without evidence.
    pub answer_timeout_ms: u64,
    /// Wall ms between two reads of the registered devices (an unknown worker key also triggers
    /// one, at most once a second).
    pub registry_refresh_ms: u64,
    /// Wall ms between two batched writes of live intervals and ping counts.
    pub flush_ms: u64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            heartbeats_per_minute: 60,
            max_clock_skew_ms: 30_000,
            liveness_gap_ms: 20_000,
            ping_answer_ms: 2_000,
            ping_mean_interval_ms: 300_000,
            allow_simulated: false,
            allow_bare_leases: false,
            challenge_grace_ms: 5_000,
            answer_timeout_ms: 60_000,
            registry_refresh_ms: 30_000,
            flush_ms: 2_000,
        }
    }
}

/// Building, agreeing on and submitting reports (owned by `consensus`, `outbox`, `cranks`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReportSettings {
    /// Wall ms after a period ends before its leader proposes (late answers still count).
    pub settle_ms: u64,
    /// Wall ms a leader has before the next node in order takes over.
    pub takeover_ms: u64,
    /// Slots a report may wait for certification.
    pub expiry_slots: u64,
    /// IO/USDC price put in reports (USDC base units per whole $IO); 0 = no price source.
    pub usdc_per_io: u64,
    /// Run the cranks after a certification (emit, claims, device reports, settlements, slashes).
    pub cranks: bool,
}

impl Default for ReportSettings {
    fn default() -> Self {
        ReportSettings {
            settle_ms: 10_000,
            takeover_ms: 60_000,
            expiry_slots: 1_500,
            usdc_per_io: 0,
            cranks: true,
        }
    }
}

/// Faults for the end-to-end tests. Never set on a real network.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct TestingSettings {
    /// Sign a different rewards root than the observations give (an equivocating node).
    pub sign_different_root: bool,
}

impl Settings {
    pub fn load(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: &[Override],
    ) -> Result<Settings, SettingsError> {
        io_sdk::settings::load(ENV_PREFIX, path, env, flags)
    }

    /// Refuses what could never work, before anything starts.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let bad = |field, message: String| Err(SettingsError::Invalid { field, message });
        if !["http://", "https://"].iter().any(|p| self.chain.rpc_url.starts_with(p)) {
            return bad(
                "chain.rpc_url",
                format!("{:?} is not an http:// or https:// URL", self.chain.rpc_url),
            );
        }
        if !["sqlite:", "postgres:", "postgresql:"].iter().any(|p| self.database.url.starts_with(p)) {
            return bad("database.url", "expected sqlite://PATH?mode=rwc or postgres://USER@HOST/DB".into());
        }
        for (i, p) in self.peers.iter().enumerate() {
            if p.key.parse::<io_sdk::Pubkey>().is_err() {
                return bad(
                    "peers",
                    format!("peer {i} ({}): key {:?} is not a base58 public key", p.url, p.key),
                );
            }
            if !["http://", "https://"].iter().any(|s| p.url.starts_with(s)) {
                return bad("peers", format!("peer {i}: {:?} is not an http:// or https:// URL", p.url));
            }
        }
        if self.workers.heartbeats_per_minute == 0 {
            return bad("workers.heartbeats_per_minute", "must be at least 1".into());
        }
        for (field, v) in [
            ("workers.liveness_gap_ms", self.workers.liveness_gap_ms),
            ("workers.ping_answer_ms", self.workers.ping_answer_ms),
            ("workers.ping_mean_interval_ms", self.workers.ping_mean_interval_ms),
            ("workers.registry_refresh_ms", self.workers.registry_refresh_ms),
            ("workers.flush_ms", self.workers.flush_ms),
        ] {
            if v == 0 {
                return bad(field, "must be at least 1 ms".into());
            }
        }
        if self.report.expiry_slots == 0 {
            return bad("report.expiry_slots", "must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_and_errors() {
        let env = vec![
            ("IO_ORACLE__CHAIN__RPC_URL".to_string(), "http://env:1".to_string()),
            ("IO_ORACLE__WORKERS__ALLOW_SIMULATED".to_string(), "true".to_string()),
        ];
        let s = Settings::load(None, env, &[("report.takeover_ms", toml::Value::Integer(5))]).unwrap();
        assert_eq!(s.chain.rpc_url, "http://env:1");
        assert!(s.workers.allow_simulated);
        assert_eq!(s.report.takeover_ms, 5);
        assert_eq!(s.report.settle_ms, ReportSettings::default().settle_ms);
        let e = Settings::load(None, vec![("IO_ORACLE__NODE__NOPE".into(), "1".into())], &[]).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
        let mut s = Settings::default();
        s.peers.push(Peer { url: "http://x".into(), key: "nope".into() });
        assert!(s.validate().unwrap_err().to_string().contains("peer 0"));
    }
}
