//! The lease watcher: every `--lease-poll-secs` it reads the lease the device serves; a new
//! lease gets a cluster (this device's part of it, [`serve`]), a lease that is no longer served
//! (ended, closed, out of deposit) loses it: its Ray processes are killed and its working files
//! wiped, and the device is free for the next lease. It also runs the gateway.
use super::{
    context::{LeaseCluster, Member, Shared},
    gateway::Gateway,
    serve::{self, LeaseRun},
    Settings,
};
use crate::{chain::ServedLease, run::Worker};
use anyhow::{Context, Result};
use io_sdk::{worker::cluster::Role, Pubkey};
use std::{sync::Arc, time::Duration};
use tokio::{sync::oneshot, task::JoinHandle};
use tracing::{error, info, warn};

/// How long a lease's node may take to stop (the node itself gives up after 10 s).
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

/// The running watcher; [`Watcher::shutdown`] stops the served lease's node.
pub struct Watcher {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Watcher {
    /// Stops watching and stops the current lease's node (called on Ctrl-C).
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        if tokio::time::timeout(STOP_TIMEOUT, self.task).await.is_err() {
            error!("the lease's Ray node did not stop within {} s", STOP_TIMEOUT.as_secs());
        }
    }
}

/// The lease being served and its task.
struct Active {
    lease: Pubkey,
    stop: oneshot::Sender<()>,
    task: JoinHandle<Result<()>>,
}

/// Binds the gateway and starts the watcher.
pub async fn start(w: Arc<Worker>, shared: Arc<Shared>, settings: Settings) -> Result<Watcher> {
    let listener = tokio::net::TcpListener::bind(settings.gateway).await.with_context(|| {
        format!(
            "the gateway cannot listen on {}: pass a free address with --gateway ADDR, or --no-clusters to serve leases without clusters",
            settings.gateway
        )
    })?;
    let gateway = Gateway::new(w.id.cluster.clone(), w.id.device, shared.clone());
    info!("gateway listening on {} (advertised as {})", settings.gateway, settings.public_url);
    tokio::spawn(async move {
        if let Err(e) = gateway.serve(listener).await {
            error!("the gateway stopped: {e}");
        }
    });
    let device = w.id.device.to_string();
    for path in
        tokio::task::spawn_blocking(move || super::node::sweep_stale(&device)).await.unwrap_or_default()
    {
        info!("removed {}, left by an earlier run of this worker", path.display());
    }
    let (stop, stop_rx) = oneshot::channel();
    let task = tokio::spawn(watch(w, shared, settings, stop_rx));
    Ok(Watcher { stop, task })
}

/// How long the watcher waits, at most, for every oracle node to accept a first heartbeat.
const FIRST_CONTACT: Duration = Duration::from_secs(15);

async fn watch(w: Arc<Worker>, shared: Arc<Shared>, settings: Settings, mut stop: oneshot::Receiver<()>) {
    // A Ray node's start takes the machine's CPUs for seconds. The oracle nodes date the device's
    // first live moment by its first heartbeat each receives, and must agree on it within the
    // report's tolerance (a fraction of a second of wall time on a local network's fast clock):
    // so the first heartbeats go out before any Ray starts.
    let began = std::time::Instant::now();
    while w.nodes_reached() < settings.oracles.len() && began.elapsed() < FIRST_CONTACT {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut active: Option<Active> = None;
    let mut last_error = String::new();
    loop {
        match w.chain.serving_lease(&w.id.device).await {
            Ok(found) => {
                *w.serving_lease.lock().unwrap_or_else(|p| p.into_inner()) =
                    found.as_ref().map(|l| l.address.to_string());
                let now = found.as_ref().map(|l| l.address);
                if active.as_ref().map(|a| a.lease) != now {
                    if let Some(a) = active.take() {
                        end(a, &shared).await;
                    }
                    if let Some(l) = found {
                        match begin(&w, &shared, &settings, l).await {
                            Ok(a) => {
                                active = Some(a);
                                last_error.clear();
                            }
                            Err(e) => {
                                let e = format!("{e:#}");
                                if e != last_error {
                                    warn!("{e}; trying again at every lease poll");
                                }
                                last_error = e;
                            }
                        }
                    }
                }
            }
            Err(e) => {
                // One line per distinct error, not one per poll.
                let e = format!("{e:#}");
                if e != last_error {
                    warn!("could not read the device's lease: {e}");
                    last_error = e;
                }
            }
        }
        tokio::select! {
            _ = &mut stop => break,
            _ = tokio::time::sleep(settings.lease_poll) => {}
        }
    }
    if let Some(a) = active.take() {
        end(a, &shared).await;
    }
}

/// A lease just seen: its members' worker keys read, the context shared, its task started.
async fn begin(w: &Arc<Worker>, shared: &Arc<Shared>, settings: &Settings, l: ServedLease) -> Result<Active> {
    let keys = w
        .chain
        .worker_keys(&l.devices)
        .await
        .with_context(|| format!("lease {}: reading its devices' worker keys", l.address))?;
    let members = keys.into_iter().map(|(device, worker)| Member { device, worker }).collect();
    let mut lease = LeaseCluster::new(l.address, l.renter, members, &w.id.device, crate::now_ms())
        .with_context(|| format!("lease {} lists no device", l.address))?;
    if lease.role == Role::Head {
        // The cluster's token: made here, never on chain; the other workers get it in a grant.
        lease.token = super::hex(&super::random32().context("no randomness for the Ray token")?);
    }
    info!(
        "lease {} (renter {}): this device {} its cluster of {} device(s)",
        l.address,
        l.renter,
        if lease.role == Role::Head { "heads" } else { "joins" },
        lease.members.len()
    );
    shared.set(Some(lease.clone()));
    let (stop, stop_rx) = oneshot::channel();
    let run = LeaseRun { worker: w.clone(), shared: shared.clone(), settings: settings.clone(), lease };
    let task = tokio::spawn(serve::serve(run, stop_rx));
    Ok(Active { lease: l.address, stop, task })
}

/// The lease is no longer served: its node stopped, its files wiped, the context cleared.
async fn end(a: Active, shared: &Shared) {
    shared.set(None);
    let _ = a.stop.send(());
    match tokio::time::timeout(STOP_TIMEOUT, a.task).await {
        Ok(Ok(Ok(()))) => info!("lease {} ended: cluster stopped, working files wiped", a.lease),
        Ok(Ok(Err(e))) => error!("lease {} ended, but its cluster did not stop cleanly: {e:#}", a.lease),
        Ok(Err(e)) => error!("lease {} ended; its cluster's task failed: {e}", a.lease),
        Err(_) => {
            error!("lease {} ended; its cluster did not stop within {} s", a.lease, STOP_TIMEOUT.as_secs())
        }
    }
}
