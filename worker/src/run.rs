//! The run loop: telemetry every interval, a signed heartbeat to every oracle node (each on its
//! own task, with exponential backoff while it is unreachable), challenges answered as they
//! arrive, and every pending answer kept in the state directory until its node judged it.
use crate::{
    chain::Chain,
    cluster::{self, context::Shared},
    prove::{self, Identity},
    state::{ChallengeResult, NodeView, Pending, RunView, StateDir},
    telemetry::Sampler,
};
use anyhow::{anyhow, Result};
use io_proof::Prover;
use io_sdk::worker::{
    paths, Bytes32, Hardware, Heartbeat, HeartbeatReply, Kind, Ping, Pong, Reveal, Signed, Telemetry,
    Verdict, PROTOCOL_VERSION,
};
use serde::{de::DeserializeOwned, Serialize};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};
use tracing::{info, warn};

/// How often and how patiently.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Oracle node base URLs.
    pub oracles: Vec<String>,
    /// Between heartbeats (and telemetry samples).
    pub heartbeat: Duration,
    /// First retry delay after a failure; doubles per failure up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
}

/// The delay before retry number `failures` (1, 2, …): base·2^(failures−1), at most `max`.
pub fn backoff(base: Duration, max: Duration, failures: u32) -> Duration {
    let factor = 1u32.checked_shl(failures.saturating_sub(1).min(20)).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(max)
}

/// How often the lease the device serves is read again.
const LEASE_REFRESH: Duration = Duration::from_secs(60);

/// A pending challenge is dropped when its node has not judged it after this long.
const PENDING_TTL_MS: u64 = 24 * 3600 * 1000;

pub struct Worker {
    pub id: Identity,
    pub chain: Chain,
    pub state: StateDir,
    pub hardware: Hardware,
    pub serving_lease: Mutex<Option<String>>,
    sampler: Mutex<Sampler>,
    telemetry: Mutex<Option<Telemetry>>,
    http: reqwest::Client,
    pending: Mutex<Vec<Pending>>,
    /// Finished chains by challenge id (recomputed after a restart when needed).
    provers: Mutex<HashMap<Bytes32, Arc<Prover>>>,
    /// Challenges with a task working on them now.
    busy: Mutex<HashSet<Bytes32>>,
    /// Signatures of challenges already refused: a node repeats its challenge in every reply,
    /// and one logged refusal (and one oracle-set lookup) per challenge is enough.
    refused: Mutex<HashSet<[u8; 64]>>,
    nodes: Mutex<Vec<NodeView>>,
    /// The lease's cluster on this device; `None` when the worker runs `--no-clusters`.
    pub cluster: Option<Arc<Shared>>,
    /// The gateway's public URL, advertised in heartbeats (with clusters on).
    pub endpoint: Option<String>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Worker {
    pub fn new(
        id: Identity,
        chain: Chain,
        state: StateDir,
        hardware: Hardware,
        sampler: Sampler,
    ) -> Result<Worker> {
        let pending = state.pending()?;
        if !pending.is_empty() {
            info!("{} pending challenge(s) from the state directory {}", pending.len(), state.dir.display());
        }
        Ok(Worker {
            id,
            chain,
            state,
            hardware,
            serving_lease: Mutex::new(None),
            sampler: Mutex::new(sampler),
            telemetry: Mutex::new(None),
            http: reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(3))
                .timeout(Duration::from_secs(30))
                .build()?,
            pending: Mutex::new(pending),
            provers: Mutex::new(HashMap::new()),
            busy: Mutex::new(HashSet::new()),
            refused: Mutex::new(HashSet::new()),
            nodes: Mutex::new(vec![]),
            cluster: None,
            endpoint: None,
        })
    }

    /// Serves leases as Ray clusters: heartbeats carry the cluster's report and `endpoint`.
    pub fn with_clusters(mut self, endpoint: String) -> Worker {
        self.cluster = Some(Arc::new(Shared::default()));
        self.endpoint = Some(endpoint);
        self
    }

    /// An HTTP client for the cluster's own requests (joins, the head's dashboard).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn save_pending(&self) {
        let all = lock(&self.pending).clone();
        if let Err(e) = self.state.save_pending(&all) {
            warn!("could not save pending answers: {e:#}");
        }
    }

    fn finish(
        &self,
        id: &Bytes32,
        oracle: &str,
        outcome: &str,
        reason: Option<String>,
        prove_ms: Option<u64>,
    ) {
        lock(&self.pending).retain(|p| p.challenge_id != *id);
        self.save_pending();
        lock(&self.provers).remove(id);
        let r = ChallengeResult {
            challenge_id: *id,
            oracle: oracle.into(),
            at_ms: crate::now_ms(),
            outcome: outcome.into(),
            reason,
            prove_ms,
        };
        if let Err(e) = self.state.push_result(r) {
            warn!("could not save a challenge result: {e:#}");
        }
    }

    fn sample(&self) -> Telemetry {
        let t = lock(&self.sampler).sample();
        *lock(&self.telemetry) = Some(t.clone());
        t
    }

    fn write_view(&self) {
        let view = RunView {
            pid: std::process::id(),
            updated_ms: crate::now_ms(),
            device: self.id.device.to_string(),
            simulated: self.id.simulated,
            nodes: lock(&self.nodes).clone(),
            telemetry: lock(&self.telemetry).clone(),
            cluster: self.cluster.as_ref().and_then(|c| c.status()),
        };
        if let Err(e) = self.state.save_run_view(&view) {
            warn!("could not write the status file: {e:#}");
        }
    }

    /// How many oracle nodes accepted a heartbeat of this run so far.
    pub fn nodes_reached(&self) -> usize {
        lock(&self.nodes).iter().filter(|n| n.last_ok_ms.is_some()).count()
    }

    fn node_seen(&self, url: &str, result: Result<(), String>, failures: u32) {
        let mut nodes = lock(&self.nodes);
        let i = match nodes.iter().position(|n| n.url == url) {
            Some(i) => i,
            None => {
                nodes.push(NodeView {
                    url: url.into(),
                    reachable: false,
                    last_ok_ms: None,
                    last_error: None,
                    failures: 0,
                });
                nodes.len() - 1
            }
        };
        let n = &mut nodes[i];
        n.failures = failures;
        match result {
            Ok(()) => {
                n.reachable = true;
                n.last_ok_ms = Some(crate::now_ms());
            }
            Err(e) => {
                n.reachable = false;
                n.last_error = Some(e);
            }
        }
    }

    async fn post<B: Serialize, R: DeserializeOwned>(
        &self,
        base: &str,
        path: &str,
        body: &B,
    ) -> Result<R, String> {
        let url = format!("{}{path}", base.trim_end_matches('/'));
        let resp = self.http.post(&url).json(body).send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = resp.status();
        if !status.is_success() {
            let text = resp.text().await.unwrap_or_default();
            return Err(format!("{url} answered {status}: {}", text.chars().take(300).collect::<String>()));
        }
        resp.json().await.map_err(|e| format!("{url}: reply is not the protocol's JSON: {e}"))
    }

    /// The signed heartbeat the worker sends now.
    pub fn heartbeat(&self) -> Signed {
        // The guard must be gone before `sample` locks the same mutex.
        let last = lock(&self.telemetry).clone();
        let telemetry = last.unwrap_or_else(|| self.sample());
        let body = Heartbeat {
            version: PROTOCOL_VERSION,
            cluster: self.id.cluster.clone(),
            device: self.id.device.to_string(),
            worker: self.id.worker.to_string(),
            hardware: self.hardware.clone(),
            telemetry,
            serving_lease: lock(&self.serving_lease).clone(),
            lease_cluster: self.cluster.as_ref().and_then(|c| c.report()),
            endpoint: self.endpoint.clone(),
            software: crate::software(),
            simulated: self.id.simulated,
            timestamp_ms: crate::now_ms(),
        };
        Signed::sign(Kind::Heartbeat, &body, self.id.secret())
    }

    /// Marks `id` busy; false if another task already works on it.
    fn claim(&self, id: &Bytes32) -> bool {
        lock(&self.busy).insert(*id)
    }

    fn release(&self, id: &Bytes32) {
        lock(&self.busy).remove(id);
    }
}

/// Runs until Ctrl-C. With `clusters` (the worker was built with [`Worker::with_clusters`]),
/// the lease watcher serves each lease's Ray cluster and reads the serving lease itself.
pub async fn run(worker: Arc<Worker>, settings: Settings, clusters: Option<cluster::Settings>) -> Result<()> {
    if settings.oracles.is_empty() {
        return Err(anyhow!(
            "no oracle node configured: pass --oracle URL (repeatable) or set IO_WORKER_ORACLES"
        ));
    }
    expire_stale(&worker);
    resume_uncommitted(&worker);
    let watcher = match (&clusters, &worker.cluster) {
        (Some(c), Some(shared)) => {
            Some(cluster::watch::start(worker.clone(), shared.clone(), c.clone()).await?)
        }
        _ => None,
    };
    let w = worker.clone();
    let every = settings.heartbeat;
    let watched = watcher.is_some();
    tokio::spawn(async move {
        // The lease scan reads every io_escrow lease: once a minute, not every heartbeat. With
        // clusters on, the lease watcher reads it every few seconds instead.
        let mut lease_read: Option<std::time::Instant> = None;
        loop {
            w.sample();
            if !watched && lease_read.is_none_or(|t| t.elapsed() >= LEASE_REFRESH) {
                refresh_lease(&w).await;
                lease_read = Some(std::time::Instant::now());
            }
            w.write_view();
            tokio::time::sleep(every).await;
        }
    });
    for url in settings.oracles.clone() {
        tokio::spawn(node_loop(worker.clone(), url, settings.clone()));
    }
    stop_signal().await?;
    if let Some(w) = watcher {
        w.shutdown().await;
    }
    info!(
        "stopping; {} pending challenge(s) kept in {}",
        lock(&worker.pending).len(),
        worker.state.dir.display()
    );
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `make up`, systemd and container runtimes send): either stops the
/// worker cleanly, its lease's Ray node included (killed and wiped, not left to the kernel).
async fn stop_signal() -> std::io::Result<()> {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r,
        _ = term.recv() => Ok(()),
    }
}

async fn refresh_lease(w: &Worker) {
    match w.chain.leases(&w.id.device).await {
        Ok(l) => *lock(&w.serving_lease) = l.serving.map(|k| k.to_string()),
        Err(e) => warn!("could not read the device's leases: {e:#}"),
    }
}

/// Challenges whose node never judged them within a day are dropped as expired; those accepted
/// but never committed whose deadline passed likewise.
fn expire_stale(w: &Worker) {
    let now = crate::now_ms();
    let stale: Vec<(Bytes32, String, String)> = lock(&w.pending)
        .iter()
        .filter_map(|p| {
            let c = prove::stored_challenge(&p.request).ok()?;
            let uncommitted_late = p.commitment.is_none() && now > c.issued_at_ms + c.params.deadline_ms;
            let old = now > c.issued_at_ms + PENDING_TTL_MS;
            (uncommitted_late || old).then(|| {
                let why = if old {
                    "not judged within a day"
                } else {
                    "its deadline passed before the chain was committed"
                };
                (p.challenge_id, p.oracle.clone(), why.to_string())
            })
        })
        .collect();
    for (id, oracle, why) in stale {
        warn!("challenge {id} from {oracle} expired: {why}");
        w.finish(&id, &oracle, "expired", Some(why), None);
    }
}

async fn node_loop(w: Arc<Worker>, url: String, s: Settings) {
    let mut failures = 0u32;
    loop {
        let sent = lease_state(&w);
        let hb = w.heartbeat();
        match w.post::<Signed, HeartbeatReply>(&url, paths::HEARTBEAT, &hb).await {
            Ok(reply) => {
                if failures > 0 {
                    info!("oracle {url} reachable again after {failures} failed attempt(s)");
                }
                failures = 0;
                w.node_seen(&url, Ok(()), 0);
                // Pings first: the node gives a couple of seconds for the pong.
                for p in reply.pings {
                    tokio::spawn(on_ping(w.clone(), url.clone(), p));
                }
                for c in reply.challenges {
                    tokio::spawn(on_challenge(w.clone(), url.clone(), c));
                }
                for r in reply.reveals {
                    tokio::spawn(on_reveal(w.clone(), url.clone(), r));
                }
                resend_commitments(&w, &url);
                wait_or_change(&w, s.heartbeat, sent).await;
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let delay = backoff(s.backoff_base, s.backoff_max, failures);
                warn!(
                    "oracle {url} unreachable (attempt {failures}): {e}; retrying in {:.1} s",
                    delay.as_secs_f64()
                );
                w.node_seen(&url, Err(e), failures);
                tokio::time::sleep(delay).await;
            }
        }
    }
}

/// What a node must hear at once when it changes: the lease served and how its cluster stands.
type LeaseState = (Option<String>, Option<io_sdk::worker::cluster::ClusterReport>);

fn lease_state(w: &Worker) -> LeaseState {
    (lock(&w.serving_lease).clone(), w.cluster.as_ref().and_then(|c| c.report()))
}

/// Sleeps until the next heartbeat is due, or until the lease or its cluster's state changes:
/// every node then hears of it within a moment of the others, so they all date the change alike
/// (each node's lease seconds end or resume at the heartbeat that told it; heartbeats a whole
/// interval apart across nodes would put the nodes' usage beyond the report's tolerance of one
/// another on a fast local clock).
async fn wait_or_change(w: &Worker, every: Duration, before: LeaseState) {
    const LOOK: Duration = Duration::from_millis(200);
    let until = tokio::time::Instant::now() + every;
    while tokio::time::Instant::now() < until {
        tokio::time::sleep(LOOK.min(until.saturating_duration_since(tokio::time::Instant::now()))).await;
        if lease_state(w) != before {
            return;
        }
    }
}

/// A liveness ping from node `url`: answered at once with a signed pong. A failed delivery is
/// only logged: the node counts the ping as missed, and a retry would come too late anyway.
async fn on_ping(w: Arc<Worker>, url: String, ping: Ping) {
    let body = Pong {
        version: PROTOCOL_VERSION,
        cluster: w.id.cluster.clone(),
        device: w.id.device.to_string(),
        nonce: ping.nonce,
    };
    let signed = Signed::sign(Kind::Pong, &body, w.id.secret());
    let target = format!("{}{}", url.trim_end_matches('/'), paths::PONG);
    match w.http.post(&target).json(&signed).send().await {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => {
            let status = r.status();
            let text = r.text().await.unwrap_or_default();
            warn!(
                "ping {}: {target} answered {status}: {}",
                ping.nonce,
                text.chars().take(300).collect::<String>()
            );
        }
        Err(e) => warn!("ping {}: pong not delivered to {target}: {e}", ping.nonce),
    }
}

/// A signed challenge from node `url`: checked, proved, committed.
async fn on_challenge(w: Arc<Worker>, url: String, signed: Signed) {
    let received = crate::now_ms();
    if lock(&w.refused).contains(&signed.signature.0) {
        return;
    }
    let (req, challenge) = match prove::check(&w.id, &w.chain, &signed, received).await {
        Ok(v) => v,
        Err(why) => {
            if lock(&w.refused).insert(signed.signature.0) {
                warn!("refused a challenge from {url} signed by {}: {why}", signed.signer);
            }
            return;
        }
    };
    let id = Bytes32(challenge.id());
    // The node repeats its challenge until it has the commitment: a challenge already committed
    // or judged is done; one pending without a commitment (a restart mid-chain) is resumed.
    // Claimed first, so that no other task commits it between the check and the work.
    if !w.claim(&id) {
        return;
    }
    let committed = lock(&w.pending).iter().find(|p| p.challenge_id == id).map(|p| p.commitment.is_some());
    if committed == Some(true)
        || (committed.is_none() && w.state.results().unwrap_or_default().iter().any(|r| r.challenge_id == id))
    {
        w.release(&id);
        return;
    }
    if committed.is_none() {
        info!(
            "challenge {id} from {url} (oracle {}): n={} K={} s={} deadline {} ms",
            req.oracle, req.n, req.k, req.samples, req.deadline_ms
        );
        let p = Pending {
            oracle: url.clone(),
            challenge_id: id,
            request: signed,
            commitment: None,
            commitment_accepted: false,
            prove_ms: None,
        };
        lock(&w.pending).push(p);
        w.save_pending();
    }
    prove_and_commit(&w, &url, id, challenge, received).await;
    w.release(&id);
}

/// Challenges a previous run accepted but did not commit (stopped mid-chain), still within
/// their deadline: computed again now.
fn resume_uncommitted(w: &Arc<Worker>) {
    let todo: Vec<_> = lock(&w.pending)
        .iter()
        .filter(|p| p.commitment.is_none())
        .filter_map(|p| Some((p.challenge_id, p.oracle.clone(), prove::stored_challenge(&p.request).ok()?)))
        .collect();
    for (id, url, challenge) in todo {
        let w = w.clone();
        tokio::spawn(async move {
            if !w.claim(&id) {
                return;
            }
            let still = lock(&w.pending).iter().any(|p| p.challenge_id == id && p.commitment.is_none());
            if still {
                info!("challenge {id}: computing the chain a previous run did not finish");
                prove_and_commit(&w, &url, id, challenge, crate::now_ms()).await;
            }
            w.release(&id);
        });
    }
}

async fn prove_and_commit(
    w: &Arc<Worker>,
    url: &str,
    id: Bytes32,
    challenge: io_proof::Challenge,
    received: u64,
) {
    let w2 = w.clone();
    let proved = tokio::task::spawn_blocking(move || prove::run(&w2.id, &challenge)).await;
    let prover = match proved {
        Ok(Ok(p)) => Arc::new(p),
        Ok(Err(e)) => {
            return w.finish(
                &id,
                url,
                "declined",
                Some(format!("the chain could not be computed: {e}")),
                None,
            )
        }
        Err(e) => return w.finish(&id, url, "declined", Some(format!("the prover stopped: {e}")), None),
    };
    let prove_ms = crate::now_ms().saturating_sub(received);
    let msg = io_sdk::worker::proof::commitment_msg(&prover.commit(&w.id.signing_key()), crate::now_ms());
    lock(&w.provers).insert(id, prover);
    if let Some(p) = lock(&w.pending).iter_mut().find(|p| p.challenge_id == id) {
        p.commitment = Some(msg.clone());
        p.prove_ms = Some(prove_ms);
    }
    w.save_pending();
    info!("challenge {id}: chain done in {prove_ms} ms, root {}", msg.root);
    send_commitment(w, url, &msg).await;
}

async fn send_commitment(w: &Worker, url: &str, msg: &io_sdk::worker::CommitmentMsg) {
    let id = msg.challenge_id;
    match w.post::<_, Verdict>(url, paths::COMMITMENT, msg).await {
        Ok(v) if v.accepted => {
            info!("challenge {id}: commitment accepted by {url}");
            if let Some(p) = lock(&w.pending).iter_mut().find(|p| p.challenge_id == id) {
                p.commitment_accepted = true;
            }
            w.save_pending();
        }
        Ok(v) => {
            let why = v.reason.unwrap_or_else(|| "no reason given".into());
            warn!("challenge {id}: commitment refused by {url}: {why}");
            let ms = lock(&w.pending).iter().find(|p| p.challenge_id == id).and_then(|p| p.prove_ms);
            w.finish(&id, url, "refused", Some(why), ms);
        }
        // Kept pending: sent again after the next heartbeat that reaches the node.
        Err(e) => warn!("challenge {id}: commitment not delivered ({e}); will retry"),
    }
}

fn resend_commitments(w: &Arc<Worker>, url: &str) {
    let unsent: Vec<_> = lock(&w.pending)
        .iter()
        .filter(|p| p.oracle == url && !p.commitment_accepted)
        .filter_map(|p| p.commitment.clone())
        .collect();
    for msg in unsent {
        let (w, url) = (w.clone(), url.to_string());
        if w.claim(&msg.challenge_id) {
            tokio::spawn(async move {
                send_commitment(&w, &url, &msg).await;
                w.release(&msg.challenge_id);
            });
        }
    }
}

/// The prover of a pending challenge: in memory, or recomputed from the stored request after a
/// restart (the same challenge gives the same root, checked against the stored commitment).
async fn prover_for(w: &Arc<Worker>, p: &Pending) -> Result<Arc<Prover>, String> {
    if let Some(pr) = lock(&w.provers).get(&p.challenge_id) {
        return Ok(pr.clone());
    }
    let challenge = prove::stored_challenge(&p.request)?;
    info!("challenge {}: recomputing the chain after a restart", p.challenge_id);
    let w2 = w.clone();
    let prover = tokio::task::spawn_blocking(move || prove::run(&w2.id, &challenge))
        .await
        .map_err(|e| e.to_string())??;
    let committed = p.commitment.as_ref().map(|c| c.root);
    if committed != Some(Bytes32(prover.root())) {
        return Err("the recomputed chain's root differs from the committed one".into());
    }
    let prover = Arc::new(prover);
    lock(&w.provers).insert(p.challenge_id, prover.clone());
    Ok(prover)
}

/// A node disclosed a round's reveal: open the sampled rows and send the signed answer.
async fn on_reveal(w: Arc<Worker>, url: String, r: Reveal) {
    let Some(p) =
        lock(&w.pending).iter().find(|p| p.challenge_id == r.challenge_id && p.oracle == url).cloned()
    else {
        return; // Not ours, or already judged.
    };
    if p.commitment.is_none() || !w.claim(&p.challenge_id) {
        return;
    }
    let id = p.challenge_id;
    let result = async {
        let prover = prover_for(&w, &p).await?;
        let signed = prove::answer(&w.id, &prover, &r.reveal.0)?;
        w.post::<_, Verdict>(&url, paths::ANSWER, &signed).await
    }
    .await;
    match result {
        Ok(v) if v.accepted => {
            info!("challenge {id}: answer accepted by {url}");
            w.finish(&id, &url, "accepted", None, p.prove_ms);
        }
        Ok(v) => {
            let why = v.reason.unwrap_or_else(|| "no reason given".into());
            warn!("challenge {id}: answer refused by {url}: {why}");
            w.finish(&id, &url, "refused", Some(why), p.prove_ms);
        }
        // Kept pending: the node repeats the reveal until it has an answer.
        Err(e) => warn!("challenge {id}: answer not delivered ({e}); will retry on the next reveal"),
    }
    w.release(&id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_its_cap() {
        let (b, m) = (Duration::from_millis(500), Duration::from_secs(30));
        let got: Vec<u64> = (1..=9).map(|f| backoff(b, m, f).as_millis() as u64).collect();
        assert_eq!(got, vec![500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert_eq!(backoff(b, m, u32::MAX), m);
    }
}
