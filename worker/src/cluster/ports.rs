//! A Ray node's ports: one block per node, every port pinned.
//!
//! Ray 2.58 binds its GCS, raylet, agent gRPC and Prometheus servers to the wildcard address
//! whatever `--node-ip-address` says, and the agent HTTP / client server also bind 127.0.0.1.
//! So two nodes on one host collide unless *every* port differs host-wide, even when the nodes
//! have different IPs. Each node therefore gets a block `base .. base + BLOCK_SPAN`, with fixed
//! offsets (those of the spike's `start-head.sh`), and nodes on one host get disjoint blocks.
use anyhow::{bail, Result};

/// Ports a block spans from its base (the last worker port is `base + 149`).
pub const BLOCK_SPAN: u16 = 150;

const DASHBOARD: u16 = 65;
const GCS: u16 = 79;
const NODE_MANAGER: u16 = 80;
const OBJECT_MANAGER: u16 = 81;
const METRICS_EXPORT: u16 = 82;
const AGENT_HTTP: u16 = 83;
const AGENT_GRPC: u16 = 84;
const RUNTIME_ENV_AGENT: u16 = 85;
const CLIENT_SERVER: u16 = 86;
const AUTOSCALER_METRICS: u16 = 87;
const DASHBOARD_METRICS: u16 = 88;
const MIN_WORKER: u16 = 100;
const MAX_WORKER: u16 = 149;

/// One node's pinned ports, `base + offset`. The head uses all of them; a worker node leaves
/// the dashboard, GCS and client-server ports unused (they stay reserved so any block can host
/// either role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortBlock {
    base: u16,
}

impl PortBlock {
    /// The block starting at `base`; refused when it would run past port 65535 or start among
    /// the privileged ports.
    pub fn new(base: u16) -> Result<PortBlock> {
        if base < 1024 {
            bail!("Ray port block base {base} is a privileged port: choose a base of 1024 or more");
        }
        if base.checked_add(BLOCK_SPAN - 1).is_none() {
            bail!(
                "Ray port block base {base} runs past port 65535 (a block spans {BLOCK_SPAN} ports): choose a base of at most {}",
                u16::MAX - (BLOCK_SPAN - 1)
            );
        }
        Ok(PortBlock { base })
    }

    /// The `slot`-th block of a range starting at `first`: `first + slot * BLOCK_SPAN`. Nodes on
    /// one host (one per device and lease) take distinct slots, so their blocks are disjoint.
    pub fn slot(first: u16, slot: u16) -> Result<PortBlock> {
        let base = slot
            .checked_mul(BLOCK_SPAN)
            .and_then(|off| first.checked_add(off))
            .ok_or_else(|| anyhow::anyhow!("Ray port block {slot} from base {first} runs past port 65535"))?;
        PortBlock::new(base)
    }

    pub fn base(&self) -> u16 {
        self.base
    }

    // Offsets are below BLOCK_SPAN and `new` checked base + BLOCK_SPAN - 1 fits: no overflow.
    fn at(&self, offset: u16) -> u16 {
        self.base + offset
    }

    /// The dashboard HTTP port: the job API the gateway forwards to (head only).
    pub fn dashboard(&self) -> u16 {
        self.at(DASHBOARD)
    }

    /// The GCS port worker nodes join (head only).
    pub fn gcs(&self) -> u16 {
        self.at(GCS)
    }

    /// The first and last port Ray may give its core worker processes.
    pub fn worker_range(&self) -> (u16, u16) {
        (self.at(MIN_WORKER), self.at(MAX_WORKER))
    }

    /// Whether two blocks share a port.
    pub fn overlaps(&self, other: &PortBlock) -> bool {
        self.base < other.base + BLOCK_SPAN && other.base < self.base + BLOCK_SPAN
    }

    /// `ray start` flags pinning the ports both roles use.
    pub fn node_args(&self) -> Vec<String> {
        let (min_worker, max_worker) = self.worker_range();
        [
            ("--node-manager-port", self.at(NODE_MANAGER)),
            ("--object-manager-port", self.at(OBJECT_MANAGER)),
            ("--metrics-export-port", self.at(METRICS_EXPORT)),
            ("--dashboard-agent-listen-port", self.at(AGENT_HTTP)),
            ("--dashboard-agent-grpc-port", self.at(AGENT_GRPC)),
            ("--runtime-env-agent-port", self.at(RUNTIME_ENV_AGENT)),
            ("--min-worker-port", min_worker),
            ("--max-worker-port", max_worker),
        ]
        .into_iter()
        .flat_map(|(flag, port)| [flag.to_string(), port.to_string()])
        .collect()
    }

    /// The head's extra flags: GCS, dashboard (bound to `ip` only) and client-server ports.
    pub fn head_args(&self, ip: &str) -> Vec<String> {
        vec![
            "--port".into(),
            self.gcs().to_string(),
            "--dashboard-host".into(),
            ip.into(),
            "--dashboard-port".into(),
            self.dashboard().to_string(),
            "--ray-client-server-port".into(),
            self.at(CLIENT_SERVER).to_string(),
        ]
    }

    /// The two Prometheus ports Ray takes only from the environment (defaults 44217 / 44227,
    /// fixed host-wide: a second head without these fails to start its metrics servers).
    pub fn metrics_env(&self) -> [(&'static str, String); 2] {
        [
            ("AUTOSCALER_METRIC_PORT", self.at(AUTOSCALER_METRICS).to_string()),
            ("DASHBOARD_METRIC_PORT", self.at(DASHBOARD_METRICS).to_string()),
        ]
    }

    /// Every port of the block Ray may bind, sorted.
    pub fn all(&self) -> Vec<u16> {
        let fixed = [
            DASHBOARD,
            GCS,
            NODE_MANAGER,
            OBJECT_MANAGER,
            METRICS_EXPORT,
            AGENT_HTTP,
            AGENT_GRPC,
            RUNTIME_ENV_AGENT,
            CLIENT_SERVER,
            AUTOSCALER_METRICS,
            DASHBOARD_METRICS,
        ];
        fixed.into_iter().chain(MIN_WORKER..=MAX_WORKER).map(|o| self.at(o)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_block_matches_the_spike_layout_and_repeats_no_port() {
        let b = PortBlock::new(26300).unwrap();
        assert_eq!((b.dashboard(), b.gcs(), b.worker_range()), (26365, 26379, (26400, 26449)));
        let all = b.all();
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
        assert!(all.iter().all(|p| (26300..26300 + BLOCK_SPAN).contains(p)));
        // Every pinned port of the flags and the env is in the block.
        let mut named: Vec<u16> =
            b.node_args().iter().chain(&b.head_args("127.0.0.1")).filter_map(|a| a.parse().ok()).collect();
        named.extend(b.metrics_env().iter().map(|(_, p)| p.parse::<u16>().unwrap()));
        assert!(named.iter().all(|p| all.contains(p)), "{named:?}");
        assert_eq!(named.len(), 13);
    }

    #[test]
    fn slots_are_disjoint_and_bounds_refused() {
        let a = PortBlock::slot(31000, 0).unwrap();
        let b = PortBlock::slot(31000, 1).unwrap();
        assert_eq!(b.base(), 31150);
        assert!(!a.overlaps(&b) && !b.overlaps(&a));
        assert!(a.overlaps(&PortBlock::new(31149).unwrap()));
        let a_ports: HashSet<u16> = a.all().into_iter().collect();
        assert!(b.all().iter().all(|p| !a_ports.contains(p)));
        assert!(PortBlock::new(u16::MAX - BLOCK_SPAN + 1).is_ok());
        assert!(PortBlock::new(u16::MAX - BLOCK_SPAN + 2).is_err());
        assert!(PortBlock::new(80).is_err());
        assert!(PortBlock::slot(60000, 100).is_err());
    }
}
