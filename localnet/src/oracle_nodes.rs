//! The settings of the local network's oracle nodes: one TOML file per oracle key,
//! `<state-dir>/oracle-<i>.toml`, read by `io-oracle run --config` (the fields are io-oracle's
//! `Settings`; only those the local network sets are written, the rest keep the node's defaults).
//!
//! The values suit a clock that runs 60–120× faster than the wall (`make up` runs 120×, the
//! end-to-end suite 60×: an hourly period every 30 or 60 wall seconds): a leader proposes a few wall seconds after a period ends and the next node takes over
//! after ten; workers may be simulated (a local network has no GPUs), and pings come every few
//! wall seconds so that a silent worker is noticed within its period.
use crate::manifest::{KeyInfo, OracleNodeInfo};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::Path;

/// Listen port of the first node (`127.0.0.1:7901`, then 7902 …) when the network uses fixed ports.
pub const BASE_PORT: u16 = 7901;
/// Wall ms after a period's end before its leader proposes (late answers still count).
pub const SETTLE_MS: u64 = 2_000;
/// Wall ms between two reads of the chain's clock: 100 ms are 6 chain seconds at 60×.
pub const CLOCK_POLL_MS: u64 = 100;
/// Wall ms a leader has before the next node in order takes over.
pub const TAKEOVER_MS: u64 = 10_000;
/// Mean wall ms between two liveness pings of a device.
pub const PING_MEAN_INTERVAL_MS: u64 = 10_000;

#[derive(Serialize)]
struct File {
    node: Node,
    chain: Chain,
    database: Database,
    peers: Vec<Peer>,
    workers: Workers,
    report: Report,
}

#[derive(Serialize)]
struct Node {
    keypair: String,
    listen: String,
}

#[derive(Serialize)]
struct Chain {
    rpc_url: String,
    clock_poll_ms: u64,
}

#[derive(Serialize)]
struct Database {
    url: String,
}

#[derive(Serialize)]
struct Peer {
    url: String,
    key: String,
}

#[derive(Serialize)]
struct Workers {
    allow_simulated: bool,
    /// The demo's and the tests' workers that run `--no-clusters` are paid on liveness.
    allow_bare_leases: bool,
    ping_mean_interval_ms: u64,
}

#[derive(Serialize)]
struct Report {
    settle_ms: u64,
    takeover_ms: u64,
    usdc_per_io: u64,
}

/// The URL of a node listening on `port` of this machine.
pub fn url(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// Writes one settings file per oracle key (node `i` listens on `ports[i]`, keeps its SQLite
/// database `oracle-<i>.db` in `state_dir` and names the others as its peers) and returns the
/// nodes for the manifest. Rewritten on every start: the ports may change.
pub fn write(
    state_dir: &Path,
    rpc_url: &str,
    oracles: &[KeyInfo],
    ports: &[u16],
    usdc_per_io: u64,
) -> Result<Vec<OracleNodeInfo>> {
    anyhow::ensure!(oracles.len() == ports.len(), "one port per oracle node");
    let state_dir = std::path::absolute(state_dir)?;
    let mut nodes = Vec::with_capacity(oracles.len());
    for (i, (key, port)) in oracles.iter().zip(ports).enumerate() {
        let n = i + 1;
        let peers = oracles
            .iter()
            .zip(ports)
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, (k, p))| Peer { url: url(*p), key: k.pubkey.clone() })
            .collect();
        let db = state_dir.join(format!("oracle-{n}.db"));
        let file = File {
            node: Node { keypair: key.keypair.clone(), listen: format!("127.0.0.1:{port}") },
            chain: Chain { rpc_url: rpc_url.into(), clock_poll_ms: CLOCK_POLL_MS },
            database: Database { url: format!("sqlite://{}?mode=rwc", db.display()) },
            peers,
            workers: Workers {
                allow_simulated: true,
                allow_bare_leases: true,
                ping_mean_interval_ms: PING_MEAN_INTERVAL_MS,
            },
            report: Report { settle_ms: SETTLE_MS, takeover_ms: TAKEOVER_MS, usdc_per_io },
        };
        let path = state_dir.join(format!("oracle-{n}.toml"));
        let text = format!(
            "# io-oracle settings of local oracle node {n} (written by the localnet bootstrap; rewritten on \
             every start)\n{}",
            toml::to_string_pretty(&file).context("oracle settings to TOML")?
        );
        std::fs::write(&path, text).with_context(|| format!("write {}", path.display()))?;
        nodes.push(OracleNodeInfo {
            url: url(*port),
            key: key.pubkey.clone(),
            settings: path.display().to_string(),
        });
    }
    Ok(nodes)
}
