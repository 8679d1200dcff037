//! One lease's Ray node on this device, from the lease's start to its end: started (the head)
//! or joined (the others), watched, and started again after a backoff when it dies. Its state
//! goes to the shared [`LeaseCluster`], which heartbeats report and the gateway reads.
use super::{
    context::{LeaseCluster, Shared},
    join::{self, JoinError},
    node::{self, NodeResources, NodeRole, NodeSpec, RayNode},
    ports::PortBlock,
    ray, Settings,
};
use crate::run::Worker;
use io_sdk::{
    worker::cluster::{ClusterState, JoinGrant, Role},
    Pubkey,
};
use std::{sync::Arc, time::Duration};
use tokio::sync::oneshot;
use tracing::{info, warn};

/// How long a node may take from `ray start` to ready (a head on a loaded 2-core machine took
/// up to 22 s in the spike; the margin covers a cold disk cache).
const READY_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a joining worker retries every second before it reports Failed (it keeps retrying
/// slower after).
const JOIN_PATIENCE: Duration = Duration::from_secs(120);
/// Between restarts of a node that died or could not start: doubles up to the max.
const RESTART_BASE: Duration = Duration::from_secs(2);
const RESTART_MAX: Duration = Duration::from_secs(30);
/// How often a running node is checked.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// What one lease's task needs.
pub struct LeaseRun {
    pub worker: Arc<Worker>,
    pub shared: Arc<Shared>,
    pub settings: Settings,
    /// The lease as first seen (its members, role, head token).
    pub lease: LeaseCluster,
}

impl LeaseRun {
    fn set(&self, state: ClusterState, why: Option<String>) {
        self.shared.update(&self.lease.lease, |c| c.set_state(state, why, crate::now_ms()));
    }

    fn spec(&self, role: NodeRole, token: &str, install: ray::RayInstall) -> anyhow::Result<NodeSpec> {
        let me = self.worker.id.device.to_string();
        let r = self.settings.resources;
        Ok(NodeSpec {
            role,
            ip: self.settings.cluster_ip.to_string(),
            ports: PortBlock::new(self.settings.ray_ports)?,
            temp_dir: io_sdk::worker::cluster::node_dir(&self.lease.lease.to_string(), &me),
            token: token.to_string(),
            resources: NodeResources {
                cpus: r.cpus,
                gpus: r.gpus,
                memory_bytes: r.memory_bytes,
                object_store_bytes: self.settings.object_store_bytes,
                device: me,
            },
            ray: install,
            env: vec![],
        })
    }
}

/// Serves the lease until `stop` fires, then stops its node (every process killed, working
/// files wiped). Returns how the stop went.
pub async fn serve(run: LeaseRun, mut stop: oneshot::Receiver<()>) -> anyhow::Result<()> {
    let mut node: Option<RayNode> = None;
    let mut failures = 0u32;
    let mut missing_logged = false;
    loop {
        let outcome = tokio::select! {
            _ = &mut stop => break,
            o = serve_once(&run, &mut node) => o,
        };
        // A node that served before it died starts its backoff afresh.
        let served = run.shared.report().is_some_and(|r| r.state == ClusterState::Serving);
        failures = if served { 1 } else { failures.saturating_add(1) };
        let why = match outcome {
            Failure::RayMissing(why) => {
                if !missing_logged {
                    warn!("lease {}: no cluster: {why}", run.lease.lease);
                    missing_logged = true;
                }
                why
            }
            Failure::Other(why) => {
                warn!("lease {}: the cluster failed on this device: {why}", run.lease.lease);
                why
            }
        };
        // Not serving from here on, whatever the stop below does (a failed stop must not leave
        // the device reported, and paid, as serving).
        run.set(ClusterState::Failed, Some(why));
        // The node is stopped before the next try: its ports and temp dir are reused. A stop
        // that fails is said and retried with the next try, never the end of the lease's task.
        if let Some(n) = node.take() {
            if let Err(e) = stop_node(n).await {
                warn!("lease {}: stopping the failed Ray node: {e:#}", run.lease.lease);
            }
        }
        let delay = crate::run::backoff(RESTART_BASE, RESTART_MAX, failures);
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(delay) => {}
        }
    }
    if let Some(n) = node.take() {
        stop_node(n).await?;
    }
    Ok(())
}

async fn stop_node(mut n: RayNode) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || n.stop()).await?
}

enum Failure {
    RayMissing(String),
    Other(String),
}

/// One life of the node: start (or join), wait until ready, serve until it dies.
async fn serve_once(run: &LeaseRun, slot: &mut Option<RayNode>) -> Failure {
    run.set(ClusterState::Starting, None);
    let venv = run.settings.venv.clone();
    let install = match tokio::task::spawn_blocking(move || ray::check(&venv)).await {
        Ok(Ok(i)) => i,
        Ok(Err(e)) => return Failure::RayMissing(format!("{e:#}")),
        Err(e) => return Failure::Other(format!("checking the Ray install: {e}")),
    };
    let lease = &run.lease;
    let (role, token, head_dashboard) = match lease.role {
        Role::Head => (NodeRole::Head, lease.token.clone(), None),
        Role::Node => {
            let grant = join_head(run).await;
            run.set(ClusterState::Starting, None);
            let dashboard = match grant.dashboard {
                Some(d) => d,
                None => return Failure::Other(format!("the head's grant names no dashboard ({grant:?})")),
            };
            run.shared.update(&lease.lease, |c| {
                c.token = grant.token.clone();
                c.gcs = Some(grant.gcs.clone());
                c.dashboard = Some(dashboard.clone());
            });
            (NodeRole::Node { gcs: grant.gcs }, grant.token, Some(dashboard))
        }
    };
    let spec = match run.spec(role, &token, install) {
        Ok(s) => s,
        Err(e) => return Failure::Other(format!("{e:#}")),
    };
    let started = match tokio::task::spawn_blocking(move || RayNode::start(spec)).await {
        Ok(Ok(n)) => slot.insert(n),
        Ok(Err(e)) => return Failure::Other(format!("{e:#}")),
        Err(e) => return Failure::Other(format!("starting the Ray node: {e}")),
    };
    let dashboard_url = match (started.dashboard_url(), head_dashboard) {
        (Some(own), _) => {
            // The head: the gateway forwards to its dashboard, joins get its GCS.
            let addr = own.trim_start_matches("http://").to_string();
            let gcs = started.gcs_address();
            run.shared.update(&lease.lease, |c| {
                c.dashboard = Some(addr);
                c.gcs = gcs;
            });
            own
        }
        (None, Some(head)) => format!("http://{head}"),
        (None, None) => return Failure::Other("a worker node without the head's dashboard".into()),
    };
    match started.wait_ready(&dashboard_url, READY_TIMEOUT).await {
        Ok(took) => {
            run.set(ClusterState::Serving, None);
            let since_open = run
                .shared
                .get()
                .and_then(|c| c.ready_ms)
                .map(|ms| format!(", {:.1} s after the lease opened", ms as f64 / 1000.0))
                .unwrap_or_default();
            info!(
                "lease {}: this device's Ray {} is serving ({:.1} s after its start{since_open})",
                lease.lease,
                if lease.role == Role::Head { "head" } else { "node" },
                took.as_secs_f64()
            );
        }
        Err(e) => return Failure::Other(format!("{e:#}")),
    }
    watch(run, started, &dashboard_url).await
}

/// Until the node dies: checks it every second; the head also reads the cluster's nodes.
async fn watch(run: &LeaseRun, node: &RayNode, dashboard_url: &str) -> Failure {
    let mut nodes_read: Option<std::time::Instant> = None;
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        if !node.alive() {
            let how = node.exited().unwrap_or_default();
            return Failure::Other(format!(
                "the Ray node exited ({how}); its log ends: {}",
                node.log_tail(600)
            ));
        }
        if run.lease.role == Role::Head && nodes_read.is_none_or(|t| t.elapsed() >= run.settings.lease_poll) {
            nodes_read = Some(std::time::Instant::now());
            match node::nodes(dashboard_url, &run.lease.token).await {
                Ok(nodes) => run.shared.update(&run.lease.lease, |c| c.nodes = nodes),
                Err(e) => warn!("lease {}: reading the cluster's nodes: {e:#}", run.lease.lease),
            }
        }
    }
}

/// Asks the head's gateway until it grants the join: every second while the head is not
/// ready; after [`JOIN_PATIENCE`] (or a refusal) the device reports Failed and asks every 10 s.
async fn join_head(run: &LeaseRun) -> JoinGrant {
    let lease = &run.lease;
    let w = &run.worker;
    let head = lease.head();
    let head_worker = lease.members[0].worker;
    let began = std::time::Instant::now();
    let mut last_logged = String::new();
    loop {
        let result =
            match join::head_endpoint(w.http(), &run.settings.oracles, &head, &head_worker, &lease.lease)
                .await
            {
                Ok(endpoint) => ask(run, &endpoint, &head).await,
                Err(e) => Err(e),
            };
        let e = match result {
            Ok(grant) => return grant,
            Err(e) => e,
        };
        let patient = began.elapsed() < JOIN_PATIENCE && matches!(e, JoinError::NotYet(_));
        if !patient {
            run.set(ClusterState::Failed, Some(format!("cannot join the head {head}: {}", e.why())));
            if e.why() != last_logged {
                warn!("lease {}: cannot join the head {head}: {}", lease.lease, e.why());
                last_logged = e.why().to_string();
            }
        }
        tokio::time::sleep(if patient { Duration::from_secs(1) } else { Duration::from_secs(10) }).await;
    }
}

async fn ask(run: &LeaseRun, endpoint: &str, head: &Pubkey) -> Result<JoinGrant, JoinError> {
    let w = &run.worker;
    let nonce =
        super::random32().map_err(|e| JoinError::NotYet(format!("no randomness for a nonce: {e}")))?;
    let signed = join::signed_join(
        &w.id.cluster,
        &run.lease.lease,
        &w.id.device,
        head,
        w.id.secret(),
        nonce,
        crate::now_ms(),
    );
    join::ask(w.http(), endpoint, &signed).await
}
