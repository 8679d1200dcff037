//! `io-worker status`: the device and its on-chain status, the last challenge results, earnings
//! from the chain, the oracle nodes as the running worker last saw them, and live telemetry.
//! Text (a dashboard redrawn every second when stdout is a terminal) or JSON.
use crate::{
    chain::{Cluster, Leases},
    cluster::context::ClusterStatus,
    state::{ChallengeResult, NodeView, StateDir},
};
use io_sdk::{
    worker::{
        cluster::{ClusterState, Role},
        Reading, Telemetry,
    },
    Name, Pubkey,
};
use io_staking::Device;
use serde::Serialize;

/// What `earnings` counts, said once (JSON and text).
pub const EARNINGS_COUNTED: &str = "the sum of io_escrow's LeaseDevice.paid for this device over every lease that \
lists it: what renters' deposits paid the operator for this device's attested service, after the protocol fee. \
Staking rewards are not included: io_staking pays them per operator, not per device.";

#[derive(Debug, Serialize)]
pub struct Earning {
    pub currency: String,
    /// In whole units, with the mint's decimals.
    pub amount: String,
    pub base_units: u64,
}

#[derive(Debug, Serialize)]
pub struct RecordView {
    pub class: &'static str,
    pub gpu_model: String,
    pub gpu_count: u16,
    pub vram_gb: u16,
    pub region: String,
}

#[derive(Debug, Serialize)]
pub struct ClusterView {
    pub genesis: String,
    pub local: bool,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub worker: String,
    pub device: String,
    pub operator: String,
    /// io_staking's device status (`pending`, `active`, `jailed`, `retired`).
    pub on_chain_status: &'static str,
    pub record: RecordView,
    pub cluster: ClusterView,
    /// Whether the running worker marks the device simulated; `null` when no worker has run.
    pub simulated: Option<bool>,
    /// A worker process wrote its view within the last 30 s.
    pub worker_running: bool,
    pub serving_lease: Option<String>,
    /// The lease's Ray cluster on this device, as the running worker last wrote it (absent with
    /// `--no-clusters`, without a lease, or when no worker runs).
    pub lease_cluster: Option<ClusterStatus>,
    pub leases: u32,
    pub earnings: Vec<Earning>,
    pub earnings_counted: &'static str,
    pub pending_challenges: usize,
    /// Most recent first.
    pub last_results: Vec<ChallengeResult>,
    pub oracle_nodes: Vec<NodeView>,
    /// Sampled by this command now.
    pub telemetry: Telemetry,
}

/// Puts together the device, its leases (read by the caller with `Chain::leases`), the state
/// directory and a telemetry sample.
pub fn gather(
    state: &StateDir,
    worker: &Pubkey,
    (address, device): &(Pubkey, Device),
    cluster: &Cluster,
    leases: &Leases,
    telemetry: Telemetry,
) -> anyhow::Result<Status> {
    let view = state.run_view()?;
    let fresh = view.as_ref().is_some_and(|v| crate::now_ms().saturating_sub(v.updated_ms) < 30_000);
    let mut last = state.results()?;
    last.reverse();
    last.truncate(10);
    Ok(Status {
        worker: worker.to_string(),
        device: address.to_string(),
        operator: device.operator.to_string(),
        on_chain_status: device.status.name(),
        record: RecordView {
            class: device.class.name(),
            gpu_model: device.gpu_model.clone(),
            gpu_count: device.gpu_count,
            vram_gb: device.vram_gb,
            region: device.region.clone(),
        },
        cluster: ClusterView {
            genesis: cluster.genesis.clone(),
            local: cluster.local,
            why: cluster.why.clone(),
        },
        simulated: view.as_ref().map(|v| v.simulated),
        worker_running: fresh,
        serving_lease: leases.serving.map(|k| k.to_string()),
        lease_cluster: view.as_ref().filter(|_| fresh).and_then(|v| v.cluster.clone()),
        leases: leases.count,
        earnings: leases
            .paid
            .iter()
            .map(|e| Earning {
                currency: e.symbol.clone(),
                amount: io_sdk::amount::format(e.base_units, e.decimals),
                base_units: e.base_units,
            })
            .collect(),
        earnings_counted: EARNINGS_COUNTED,
        pending_challenges: state.pending()?.len(),
        last_results: last,
        oracle_nodes: view.map(|v| v.nodes).unwrap_or_default(),
        telemetry,
    })
}

fn show(r: &Reading, unit: &str) -> String {
    match (r.value, &r.unavailable) {
        (Some(v), _) => format!("{v:.1} {unit}"),
        (None, Some(why)) => format!("unavailable ({why})"),
        (None, None) => "unavailable".into(),
    }
}

fn ago(ms: u64) -> String {
    let s = crate::now_ms().saturating_sub(ms) / 1000;
    if s < 120 {
        format!("{s} s ago")
    } else {
        format!("{} min ago", s / 60)
    }
}

/// The lease's cluster in one line: role, state and why, ready time, the gateway's counts.
pub fn cluster_line(c: &ClusterStatus) -> String {
    let role = match c.role {
        Role::Head => "head",
        Role::Node => "node",
    };
    let state = match c.state {
        ClusterState::Starting => "starting".to_string(),
        ClusterState::Serving => "serving".to_string(),
        ClusterState::Failed => {
            format!("FAILED: {}", c.why.as_deref().unwrap_or("no reason given"))
        }
    };
    let ready = c
        .ready_ms
        .map(|ms| format!(", ready {:.1} s after the worker saw the lease", ms as f64 / 1000.0))
        .unwrap_or_default();
    let gateway = if c.role == Role::Head {
        format!(
            ", {} node(s) alive; gateway: {} forwarded, {} refused",
            c.nodes_alive, c.forwarded, c.refused
        )
    } else {
        String::new()
    };
    format!("{role} of lease {}: {state}{ready}{gateway}", c.lease)
}

/// The text view.
pub fn text(s: &Status) -> String {
    let mut out = vec![];
    let sim = match s.simulated {
        Some(true) => "  [SIMULATED: the CPU stands in for this hardware; local network only]",
        _ => "",
    };
    out.push(format!("IO Worker  device {}  ({}){sim}", s.device, s.on_chain_status));
    let r = &s.record;
    let hw = if r.gpu_count == 0 {
        format!("{} device", r.class)
    } else {
        format!("{} × {} ({} GB each), {}", r.gpu_count, r.gpu_model, r.vram_gb, r.class)
    };
    out.push(format!("  record     {hw}, region {}", r.region));
    out.push(format!("  worker key {}   operator {}", s.worker, s.operator));
    out.push(format!("  cluster    {}", s.cluster.why));
    out.push(format!(
        "  worker     {}",
        if s.worker_running { "running" } else { "not running (no status written in the last 30 s)" }
    ));
    out.push(String::new());
    out.push("Activity".into());
    out.push(format!("  serving    {}", s.serving_lease.as_deref().unwrap_or("no lease now")));
    if let Some(c) = &s.lease_cluster {
        out.push(format!("  ray        {}", cluster_line(c)));
    }
    let earned = if s.earnings.is_empty() {
        "nothing yet".to_string()
    } else {
        s.earnings.iter().map(|e| format!("{} {}", e.amount, e.currency)).collect::<Vec<_>>().join(", ")
    };
    out.push(format!("  earned     {earned} over {} lease(s)  (lease payments for this device; staking rewards are per operator)", s.leases));
    for n in &s.oracle_nodes {
        let state = if n.reachable {
            format!("reachable, last heartbeat {}", n.last_ok_ms.map(ago).unwrap_or_default())
        } else {
            format!("UNREACHABLE ({} failures): {}", n.failures, n.last_error.as_deref().unwrap_or(""))
        };
        out.push(format!("  oracle     {}  {state}", n.url));
    }
    out.push(format!("  challenges {} pending; last results:", s.pending_challenges));
    if s.last_results.is_empty() {
        out.push("    none yet".into());
    }
    for r in &s.last_results {
        let why = r.reason.as_deref().map(|w| format!(": {w}")).unwrap_or_default();
        let ms = r.prove_ms.map(|m| format!(" (chain {m} ms)")).unwrap_or_default();
        out.push(format!("    {}  {}  {}{ms}{why}", ago(r.at_ms), r.outcome, r.challenge_id));
    }
    out.push(String::new());
    out.push("Telemetry (sampled now)".into());
    let c = &s.telemetry.cpu;
    out.push(format!(
        "  cpu        load {}   temperature {}   power {}",
        show(&c.utilisation_pct, "%"),
        show(&c.temperature_c, "°C"),
        show(&c.power_w, "W")
    ));
    for g in &s.telemetry.gpus {
        out.push(format!(
            "  gpu {}      load {}   temperature {}   power {}",
            g.index,
            show(&g.utilisation_pct, "%"),
            show(&g.temperature_c, "°C"),
            show(&g.power_w, "W")
        ));
    }
    out.join("\n")
}
