//! Agreement, certification, the outbox and the peer/public APIs on a real local network
//! (io-localnet in-process, its clock at 60× so a period passes in a wall minute) with one
//! in-process oracle node per oracle key of the manifest, wired to each other.
mod common;

use io_localnet::{manifest::Manifest, Config, Localnet};
use io_oracle::{OracleConfig, Report, ReportStatus};
use io_oracle_node::{
    api, consensus,
    node::Node,
    observe,
    settings::{Peer, Settings},
    store::Store,
};
use io_sdk::{client::Client, report::PeriodReport, Pubkey};
use serde_json::Value;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

struct Running {
    #[allow(dead_code)]
    node: Arc<Node>,
    url: String,
    server: tokio::task::JoinHandle<()>,
}

struct Net {
    _net: Localnet,
    rpc: String,
    dir: PathBuf,
    cluster_id: [u8; 32],
    keys: Vec<Keypair>,
    client: Client,
}

/// Logs of the nodes (IO_ORACLE_LOG, default info: proposals, refusals, outbox steps).
fn logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("IO_ORACLE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("io_oracle_node=info")),
        )
        .with_test_writer()
        .try_init();
}

async fn start_net(name: &str) -> Net {
    logs();
    let dir = std::env::temp_dir().join(format!("io-oracle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let net = Localnet::start(Config { clock_speed: 60, ..Config::ephemeral(dir.join("net")) })
        .await
        .expect("local network starts");
    let keys: Vec<Keypair> = net
        .manifest
        .oracles
        .iter()
        .map(|k| io_sdk::keypair::read_keypair(Path::new(&k.keypair)).unwrap())
        .collect();
    let client = Client::new(net.rpc_url.clone(), CommitmentConfig::confirmed(), Keypair::new());
    let cluster_id = client.rpc.get_genesis_hash().await.unwrap().to_bytes();
    Net { rpc: net.rpc_url.clone(), _net: net, dir, cluster_id, keys, client }
}

fn settings(net: &Net, i: usize, peers: Vec<Peer>, equivocate: bool) -> Settings {
    let mut s = Settings::default();
    s.chain.rpc_url = net.rpc.clone();
    s.chain.clock_poll_ms = 100;
    s.database.url = format!("sqlite://{}?mode=rwc", net.dir.join(format!("oracle-{i}.db")).display());
    s.peers = peers;
    s.report.settle_ms = 500;
    s.report.takeover_ms = 6_000;
    s.testing.sign_different_root = equivocate;
    s.workers.allow_simulated = true;
    // Its workers run without clusters: their live time is their lease time.
    s.workers.allow_bare_leases = true;
    s
}

/// Starts node `i` on `listener`, serving its API, with the observe and consensus tasks.
async fn start_node(
    net: &Net,
    i: usize,
    listener: tokio::net::TcpListener,
    peers: Vec<Peer>,
    equivocate: bool,
) -> Running {
    let s = settings(net, i, peers, equivocate);
    let key = net.keys[i].insecure_clone();
    let client = Arc::new(Client::new(net.rpc.clone(), CommitmentConfig::confirmed(), key.insecure_clone()));
    let store = Store::open(&s.database.url, 4).await.unwrap();
    let node = Node::assemble(s, key, client.clone(), store, net.cluster_id).await.unwrap();
    node.clock.spawn_poller(client, Duration::from_millis(100));
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = api::router(node.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    observe::spawn(node.clone());
    consensus::spawn(node.clone());
    Running { node, url, server }
}

/// One node per oracle key, each with the others as peers. `equivocating`: the node configured
/// with `testing.sign_different_root`.
async fn start_all(net: &Net, equivocating: Option<usize>) -> Vec<Running> {
    let mut listeners = vec![];
    for _ in &net.keys {
        listeners.push(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap());
    }
    let urls: Vec<String> = listeners.iter().map(|l| format!("http://{}", l.local_addr().unwrap())).collect();
    let mut nodes = vec![];
    for (i, l) in listeners.into_iter().enumerate() {
        let peers = (0..net.keys.len())
            .filter(|j| *j != i)
            .map(|j| Peer { url: urls[j].clone(), key: net.keys[j].pubkey().to_string() })
            .collect();
        nodes.push(start_node(net, i, l, peers, equivocating == Some(i)).await);
    }
    nodes
}

async fn oracle_config(c: &Client) -> OracleConfig {
    c.account::<OracleConfig>(&io_sdk::oracle::config()).await.unwrap().unwrap()
}

async fn wait_for<F, Fut, T>(what: &str, secs: u64, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn get(url: &str) -> (u16, Value) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn hex32(v: &Value) -> [u8; 32] {
    <[u8; 32]>::try_from(hex::decode(v.as_str().unwrap()).unwrap().as_slice()).unwrap()
}

/// Waits for the first certified period.
async fn first_certified(net: &Net) -> u64 {
    wait_for("a certified report", 240, || async {
        let cfg = oracle_config(&net.client).await;
        (cfg.reports_certified >= 1).then_some(cfg.last_period)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_period_is_agreed_certified_and_published_with_proofs() {
    let net = start_net("agree").await;
    let nodes = start_all(&net, None).await;
    let p = first_certified(&net).await;
    let cfg = oracle_config(&net.client).await;

    // Every node follows the chain and serves the certified report.
    let served = wait_for("a node to serve the certified report", 60, || async {
        let (s, v) = get(&format!("{}/v1/reports/{p}", nodes[0].url)).await;
        (s == 200 && v["status"] == "certified").then_some(v)
    })
    .await;
    let report: PeriodReport = serde_json::from_value(served["report"].clone()).unwrap();
    assert!(report.roots_match());
    let address = io_sdk::oracle::report(&net.cluster_id, &report.body);
    assert_eq!(served["address"], address.to_string());
    let onchain = net.client.account::<Report>(&address).await.unwrap().expect("the report account");
    assert_eq!(onchain.status, ReportStatus::Certified);
    assert!(
        onchain.signers.count_ones() >= u32::from(cfg.set.threshold),
        "signer bits {:08b}",
        onchain.signers
    );
    assert_eq!(onchain.digest, report.digest(&net.cluster_id));
    // Dark devices: every device is in the tree, inactive, with no uptime; nothing distributed.
    assert!(!report.devices.is_empty());
    assert!(report.devices.iter().all(|d| !d.active && d.uptime_bps == 0), "{:?}", report.devices);
    assert!(report.usage.is_empty() && report.rewards.is_empty() && report.slashes.is_empty());
    assert_eq!(report.body.emission_distributed, 0);

    // Every device leaf's proof verifies against the root the chain certified.
    for d in &report.devices {
        let (s, v) = get(&format!("{}/v1/reports/{p}/proof/devices/{}", nodes[1].url, d.device)).await;
        assert_eq!(s, 200, "{v}");
        let proof: Vec<[u8; 32]> = v["proof"].as_array().unwrap().iter().map(hex32).collect();
        let leaf = io_oracle::leaves::device_leaf(&d.device, d.class, d.green, d.active);
        assert_eq!(hex32(&v["leaf_hash"]), leaf);
        assert!(io_merkle::verify(&proof, &onchain.body.devices_root, &leaf), "proof of {}", d.device);
    }
    let last = &nodes[nodes.len() - 1].url;
    wait_for("/v1/reports/latest", 60, || async {
        let (s, latest) = get(&format!("{last}/v1/reports/latest")).await;
        (s == 200 && latest["period"].as_u64().unwrap() >= p).then_some(())
    })
    .await;

    // Status.
    let (s, st) = get(&format!("{}/v1/status", nodes[0].url)).await;
    assert_eq!(s, 200, "{st}");
    assert_eq!(st["threshold"], u64::from(cfg.set.threshold));
    assert_eq!(st["member"], true);

    // Every refusal of the public API, with its status and code.
    let base = &nodes[0].url;
    for (path, status, code) in [
        ("/v1/reports/nope".to_string(), 400, "bad_period"),
        ("/v1/reports/-1".to_string(), 400, "bad_period"),
        ("/v1/reports/1".to_string(), 404, "no_report"),
        (format!("/v1/reports/{p}/proof/trees/x"), 400, "bad_tree"),
        (format!("/v1/reports/{p}/proof/devices/nope"), 400, "bad_key"),
        (format!("/v1/reports/{p}/proof/usage/nope"), 400, "bad_key"),
        (format!("/v1/reports/{p}/proof/slashes/{}:zz", Pubkey::new_unique()), 400, "bad_key"),
        (format!("/v1/reports/{p}/proof/devices/{}", Pubkey::new_unique()), 404, "no_leaf"),
        (format!("/v1/reports/1/proof/devices/{}", Pubkey::new_unique()), 404, "no_report"),
        ("/v1/peer/signed/nope".to_string(), 400, "bad_period"),
        ("/v1/peer/signed/1".to_string(), 404, "not_signed"),
        ("/v1/peer/evidence/x".to_string(), 400, "bad_period"),
    ] {
        let (s, v) = get(&format!("{base}{path}")).await;
        assert_eq!((s, v["error"]["code"].as_str()), (status, Some(code)), "{path}: {v}");
    }
    // A proposal for a period already certified is refused (409 already_certified).
    let mut sig = [0u8; 64];
    sig.copy_from_slice(net.keys[0].sign_message(&report.digest(&net.cluster_id)).as_ref());
    let late = consensus::wire::Proposal {
        report: report.clone(),
        proposer: net.keys[0].pubkey().to_string(),
        signature: io_sdk::worker::Bytes64(sig),
    };
    let r = reqwest::Client::new()
        .post(format!("{}/v1/peer/propose", nodes[1].url))
        .json(&late)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    assert_eq!((status, v["error"]["code"].as_str()), (409, Some("already_certified")), "{v}");

    // The cranks: every dark device is jailed by apply_device_report with a certified leaf, once,
    // by whichever node's outbox got there first. (The bootstrap's activation marks the devices
    // attested for the period it ran in; the first certified period after that jails them.)
    wait_for("the dark devices jailed", 200, || async {
        let mut all = true;
        for d in &report.devices {
            let dev = net.client.account::<io_staking::Device>(&d.device).await.unwrap().unwrap();
            all &= dev.attested_period >= p && dev.status == io_staking::DeviceStatus::Jailed;
        }
        all.then_some(())
    })
    .await;
    for n in nodes {
        n.server.abort();
    }
}

/// A node with the database at `db` and no background task but the clock (the test drives it).
async fn bare_node(net: &Net, i: usize, db: &str) -> Arc<Node> {
    let mut s = settings(net, i, vec![], false);
    s.database.url = db.to_string();
    let key = net.keys[i].insecure_clone();
    let client = Arc::new(Client::new(net.rpc.clone(), CommitmentConfig::confirmed(), key.insecure_clone()));
    let store = Store::open(&s.database.url, 4).await.unwrap();
    let node = Node::assemble(s, key, client.clone(), store, net.cluster_id).await.unwrap();
    node.clock.spawn_poller(client, Duration::from_millis(100));
    wait_for("the clock", 30, || async { (node.clock.ready() && node.clock.rate() > 10.0).then_some(()) })
        .await;
    node
}

/// The report of the last finished period as every honest node builds it, and every key's
/// signature over its digest.
async fn honest_report(net: &Net, node: &Node) -> (PeriodReport, Vec<(String, String)>) {
    let cfg = oracle_config(&net.client).await;
    let p = node.clock.period() - 1;
    let own = consensus::inputs::inputs(node, p, &cfg, None).await.unwrap();
    let report = io_sdk::report::build(&own).unwrap();
    let digest = report.digest(&net.cluster_id);
    let sigs = net
        .keys
        .iter()
        .map(|k| (k.pubkey().to_string(), hex::encode(k.sign_message(&digest).as_ref())))
        .collect();
    (report, sigs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_outbox_neither_loses_nor_doubles_across_a_crash() {
    use io_oracle_node::{
        outbox::{self, actions::Action},
        store::outbox::Status,
    };
    let net = start_net("outbox").await;
    let db = format!("sqlite://{}?mode=rwc", net.dir.join("leader.db").display());
    let a = bare_node(&net, 0, &db).await;
    let (report, sigs) = honest_report(&net, &a).await;
    let body = consensus::codec::body_hex(&report.body);
    let post = outbox::queue(&a, &Action::PostReport { body: body.clone() }).await.unwrap();
    let certify =
        outbox::queue(&a, &Action::Certify { body: body.clone(), signatures: sigs.clone() }).await.unwrap();

    // The leader sent post_report and crashed before it could record the signature: the
    // transaction landed, the row says `sent` with a signature the cluster never saw (as after a
    // crash between two writes), long ago.
    let ix = io_sdk::oracle::post_report(&a.pubkey(), &net.cluster_id, report.body);
    a.client.send(&[ix], &[]).await.unwrap();
    let row = a.store.outbox_get(&post).await.unwrap().unwrap();
    let bogus = Keypair::new().sign_message(b"never sent").to_string();
    a.store.outbox_mark(row.id, Status::Sent, Some(&bogus), None).await.unwrap();
    sqlx::query("UPDATE outbox SET updated_ms = 0 WHERE id = $1")
        .bind(row.id)
        .execute(&a.store.pool)
        .await
        .unwrap();
    drop(a);

    // A new node on the same database resolves the sent row by the chain (obsolete: the candidate
    // is there) and certifies once.
    let b = bare_node(&net, 0, &db).await;
    wait_for("the outbox to settle", 60, || async {
        outbox::drive(&b).await.unwrap();
        b.store.outbox_open(10).await.unwrap().is_empty().then_some(())
    })
    .await;
    assert_eq!(b.store.outbox_get(&post).await.unwrap().unwrap().status, Status::Obsolete);
    let c = b.store.outbox_get(&certify).await.unwrap().unwrap();
    assert_eq!(c.status, Status::Confirmed, "{c:?}");
    assert_eq!(c.attempts, 1);
    let cfg = oracle_config(&net.client).await;
    assert_eq!((cfg.reports_certified, cfg.last_period), (1, report.body.period));

    // A restarted leader queues the same intents again: the same rows, nothing sent twice.
    assert_eq!(outbox::queue(&b, &Action::Certify { body, signatures: sigs }).await.unwrap(), certify);
    outbox::drive(&b).await.unwrap();
    assert_eq!(oracle_config(&net.client).await.reports_certified, 1);
    let counts = b.store.outbox_counts().await.unwrap();
    assert!(counts.iter().all(|(s, n)| *s != Status::Failed || *n == 0), "{counts:?}");

    // Never two contents for one period: the node signed the honest report; a different content
    // for that period is refused with what it signed.
    let mut other = report.clone();
    other.body.usdc_per_io += 1;
    let signed = consensus::sign::sign_once(&b, &report).await.unwrap();
    assert!(signed.is_ok());
    let mut later = report.clone();
    later.body.expiry_slot += 10;
    assert!(consensus::sign::sign_once(&b, &later).await.unwrap().is_ok(), "the same content re-signed");
    let (digest, _) = consensus::sign::sign_once(&b, &other).await.unwrap().unwrap_err();
    assert_eq!(digest, hex::encode(report.digest(&net.cluster_id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_peer_api_refuses_what_it_must_not_sign() {
    use io_oracle_node::consensus::wire::Proposal;
    use io_sdk::worker::Bytes64;
    let net = start_net("peer").await;
    // One node serving the peer API, no tasks (nothing is certified behind the test's back).
    let db = format!("sqlite://{}?mode=rwc", net.dir.join("follower.db").display());
    let node = bare_node(&net, 1, &db).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1/peer/propose", listener.local_addr().unwrap());
    let app = api::router(node.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (report, _) = honest_report(&net, &node).await;
    let http = reqwest::Client::new();
    let sign = |k: &Keypair, r: &PeriodReport| {
        let mut s = [0u8; 64];
        s.copy_from_slice(k.sign_message(&r.digest(&net.cluster_id)).as_ref());
        Proposal { report: r.clone(), proposer: k.pubkey().to_string(), signature: Bytes64(s) }
    };
    let post = |p: Value| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let r = http.post(&url).json(&p).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let leader = &net.keys[0];
    let stranger = Keypair::new();
    let mut bad_key = serde_json::to_value(sign(leader, &report)).unwrap();
    bad_key["proposer"] = "nope".into();
    let mut bad_sig = serde_json::to_value(sign(leader, &report)).unwrap();
    bad_sig["proposer"] = net.keys[2].pubkey().to_string().into();
    let mut future = report.clone();
    future.body.period = node.clock.period() + 1;
    let mut tampered = report.clone();
    let operator = report.devices[0].operator;
    tampered.rewards.push(io_sdk::report::RewardLeaf { operator, cumulative: 1 });
    tampered.reroot();
    for (what, body, status, code) in [
        ("not JSON", serde_json::json!({"report": 1}), 400, "bad_proposal"),
        ("a malformed proposer", bad_key, 400, "bad_key"),
        ("another key's signature", bad_sig, 400, "bad_signature"),
        ("a stranger", serde_json::to_value(sign(&stranger, &report)).unwrap(), 403, "not_member"),
        ("a period not over", serde_json::to_value(sign(leader, &future)).unwrap(), 409, "period_not_over"),
        ("a changed reward leaf", serde_json::to_value(sign(leader, &tampered)).unwrap(), 422, "refused"),
    ] {
        let (s, v) = post(body).await;
        assert_eq!((s, v["error"]["code"].as_str()), (status, Some(code)), "{what}: {v}");
        if code == "refused" {
            assert_eq!(v["refusal"]["tree"], "rewards", "{v}");
            assert_eq!(v["refusal"]["key"], operator.to_string(), "{v}");
        }
    }
    // The honest proposal is signed; the signature verifies over the digest.
    let (s, v) = post(serde_json::to_value(sign(leader, &report)).unwrap()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["signer"], net.keys[1].pubkey().to_string());
    let sig: [u8; 64] = hex::decode(v["signature"].as_str().unwrap()).unwrap().try_into().unwrap();
    assert!(consensus::sign::verify(&net.keys[1].pubkey(), &report.digest(&net.cluster_id), &sig));
    // The leader's signature over the tampered content and the honest one: an equivocation the
    // follower queued for proof.
    let rows = node.store.outbox_of_kind("prove_equivocation").await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].key.starts_with(&format!("equivocation:{}:", leader.pubkey())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_equivocating_node_is_refused_then_slashed_and_the_rest_certify() {
    let net = start_net("equivocate").await;
    let n = net.keys.len() as u64;
    // The node leading the first period's first attempt signs a different root.
    let t = net.client.chain_time().await.unwrap();
    let first = u64::try_from(t.unix_timestamp / 3600).unwrap() - 1;
    let cheat = usize::try_from(first % n).unwrap();
    let key = net.keys[cheat].pubkey();
    let _nodes = start_all(&net, Some(cheat)).await;
    let bond = wait_for("the equivocation proof", 300, || async {
        let b = net.client.account::<io_oracle::OracleBond>(&io_sdk::oracle::bond(&key)).await.unwrap()?;
        b.slashed.then_some(b)
    })
    .await;
    assert_eq!(bond.amount + bond.withdrawing, 0, "its bond burned");
    let cfg = oracle_config(&net.client).await;
    assert!(cfg.set.position(&key).is_none(), "removed from the set");
    assert!(cfg.total_slashed > 0);
    let evidence = wait_for("the evidence account", 30, || async {
        let all =
            net.client.program_accounts::<io_oracle::Equivocation>(&io_oracle::ID, vec![]).await.unwrap();
        all.into_iter().find(|(_, e)| e.oracle == key)
    })
    .await;
    assert_ne!(evidence.1.digest_a, evidence.1.digest_b);
    // The remaining members certify under the new set.
    let epoch = cfg.set.epoch;
    let before = cfg.reports_certified;
    wait_for("a report certified by the new set", 240, || async {
        let cfg = oracle_config(&net.client).await;
        (cfg.reports_certified > before && cfg.set.epoch == epoch).then_some(())
    })
    .await;
}

/// An honest simulated worker for one device: signed heartbeats to every node, each node's
/// challenge computed with io-proof's CPU backend (light parameters, as a simulated device gets)
/// and answered, every ping ponged. Runs until the test ends.
/// `cheat`: every row of every step off by one, committed as such (wrong rows).
fn drive_worker(
    cluster: String,
    device: Pubkey,
    worker: Keypair,
    class: String,
    urls: Vec<String>,
    cheat: bool,
) {
    use ed25519_dalek::SigningKey;
    use io_proof::{CpuBackend, Prover};
    use io_sdk::worker::{
        paths, proof as wire, Answer, Bytes32, ChallengeRequest, HeartbeatReply, Kind, Pong, Signed,
        PROTOCOL_VERSION,
    };
    use std::collections::HashMap;
    let now_ms = || {
        u64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis())
            .unwrap()
    };
    tokio::spawn(async move {
        let http = reqwest::Client::new();
        // Per node: the prover of its open challenge.
        let mut provers: HashMap<String, Arc<Prover>> = HashMap::new();
        loop {
            for url in &urls {
                let ts = now_ms();
                let hb = common::heartbeat(
                    &cluster,
                    &device.to_string(),
                    &worker.pubkey().to_string(),
                    &class,
                    ts,
                    true,
                );
                let signed = Signed::sign(Kind::Heartbeat, &hb, worker.secret_bytes());
                let Ok(r) = http.post(format!("{url}{}", paths::HEARTBEAT)).json(&signed).send().await else {
                    continue;
                };
                let Ok(reply) = r.json::<HeartbeatReply>().await else { continue };
                for ping in &reply.pings {
                    let pong = Pong {
                        version: PROTOCOL_VERSION,
                        cluster: cluster.clone(),
                        device: device.to_string(),
                        nonce: ping.nonce,
                    };
                    let _ = http
                        .post(format!("{url}{}", paths::PONG))
                        .json(&Signed::sign(Kind::Pong, &pong, worker.secret_bytes()))
                        .send()
                        .await;
                }
                if let Some(s) = reply.challenges.first() {
                    let Ok((_, req)) = s.open::<ChallengeRequest>(Kind::Challenge) else { continue };
                    let Ok(c) = wire::challenge(&req) else { continue };
                    let prover = match provers.get(url) {
                        Some(p) if p.challenge_id() == c.id() => p.clone(),
                        _ => {
                            let p = tokio::task::spawn_blocking(move || {
                                Prover::run_with(&c, &mut CpuBackend::new(), |_, rows| {
                                    if cheat {
                                        rows.iter_mut().for_each(|v| *v = v.wrapping_add(1))
                                    }
                                })
                                .unwrap()
                            })
                            .await
                            .unwrap();
                            let p = Arc::new(p);
                            provers.insert(url.clone(), p.clone());
                            p
                        }
                    };
                    let msg = wire::commitment_msg(
                        &prover.commit(&SigningKey::from_bytes(worker.secret_bytes())),
                        now_ms(),
                    );
                    let _ = http.post(format!("{url}{}", paths::COMMITMENT)).json(&msg).send().await;
                }
                if let (Some(r), Some(prover)) = (reply.reveals.first(), provers.get(url)) {
                    if r.challenge_id == Bytes32(prover.challenge_id()) {
                        let openings = prover.open(&r.reveal.0).unwrap();
                        let body = Answer {
                            version: PROTOCOL_VERSION,
                            cluster: cluster.clone(),
                            challenge_id: Bytes32(prover.challenge_id()),
                            openings: openings.iter().map(wire::opening_msg).collect(),
                        };
                        let _ = http
                            .post(format!("{url}{}", paths::ANSWER))
                            .json(&Signed::sign(Kind::Answer, &body, worker.secret_bytes()))
                            .send()
                            .await;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(700)).await;
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_live_device_is_attested_active_activated_and_its_operator_paid() {
    let net = start_net("live").await;
    let m: Manifest = net._net.manifest.clone();
    // A new CPU device of the first operator, bound to a fresh worker key: pending on chain.
    let owner = io_sdk::keypair::read_keypair(Path::new(&m.operators[0].keypair)).unwrap();
    let operator = io_sdk::staking::operator(&owner.pubkey());
    let register = |worker: &Keypair| {
        let spec = io_staking::DeviceSpec {
            id_hash: worker.pubkey().to_bytes(),
            gpu_model: String::new(),
            gpu_count: 0,
            vram_gb: 0,
            region: "eu-west".into(),
            green: false,
            class: io_staking::HardwareClass::Cpu,
        };
        let device = io_sdk::staking::device(&operator, &spec.id_hash);
        (device, io_sdk::staking::register_device(&owner.pubkey(), spec, worker.pubkey()))
    };
    let worker = Keypair::new();
    let (device, ix) = register(&worker);
    net.client.send_as(&[ix], &[&owner]).await.unwrap();
    // The cheater: a device of the bootstrap (active, its bond at stake) with its worker key.
    let info = &m.operators[0].devices[0];
    let cheater: Pubkey = info.address.parse().unwrap();
    let cheater_key = io_sdk::keypair::read_keypair(Path::new(&info.worker.keypair)).unwrap();
    let pending = net.client.account::<io_staking::Device>(&device).await.unwrap().unwrap();
    assert_eq!(pending.status, io_staking::DeviceStatus::Pending);
    let nodes = start_all(&net, None).await;
    let urls: Vec<String> = nodes.iter().map(|n| n.url.clone()).collect();
    let cluster = Pubkey::new_from_array(net.cluster_id).to_string();
    let cheater_worker = cheater_key.pubkey();
    drive_worker(cluster.clone(), device, worker, "cpu".into(), urls.clone(), false);
    drive_worker(cluster.clone(), cheater, cheater_key, info.class.clone(), urls, true);

    // A period this device spent live and answering: active in the certified report.
    let (p, report) = wait_for("a certified report with the device active", 330, || async {
        let (s, v) = get(&format!("{}/v1/reports/latest", nodes[0].url)).await;
        if s != 200 {
            return None;
        }
        let r: PeriodReport = serde_json::from_value(v["report"].clone()).ok()?;
        let leaf = r.devices.iter().find(|d| d.device == device)?;
        (v["status"] == "certified" && leaf.active).then_some((r.body.period, r))
    })
    .await;
    let leaf = &report.devices[report.device_index(&device).unwrap()];
    assert!(leaf.uptime_bps >= io_sdk::report::RULES.active_uptime_bps, "{leaf:?}");
    // The others stayed dark or cheated: inactive.
    assert!(report.devices.iter().filter(|d| d.device != device).all(|d| !d.active));
    // apply_device_report with that report activates it on chain.
    wait_for("apply_device_report", 60, || async {
        let d = net.client.account::<io_staking::Device>(&device).await.unwrap().unwrap();
        (d.attested_period >= p && d.status == io_staking::DeviceStatus::Active).then_some(())
    })
    .await;
    // A renter leases the now active device for an hour (1 wall minute at 60x); the next
    // certified report carries the lease's attested seconds and the crank settles them.
    let usdc: Pubkey = m.mints["usdc"].address.parse().unwrap();
    net.client
        .send_as(&[io_sdk::escrow::post_offer(&owner.pubkey(), &device, 1_000_000, 0, 1, 720)], &[&owner])
        .await
        .unwrap();
    let wallet = &m.wallets[0];
    let renter = io_sdk::keypair::read_keypair(Path::new(&wallet.keypair)).unwrap();
    let renter_usdc: Pubkey = wallet.usdc_account.parse().unwrap();
    let lease = io_sdk::escrow::lease(&renter.pubkey(), 1);
    net.client
        .send_as(
            &[io_sdk::escrow::open_lease(&renter.pubkey(), 1, &usdc, &renter_usdc, 1, u64::MAX, &[device])],
            &[&renter],
        )
        .await
        .unwrap();
    let usage = wait_for("a certified usage leaf of the lease", 200, || async {
        let (s, v) = get(&format!("{}/v1/reports/latest", nodes[0].url)).await;
        if s != 200 || v["status"] != "certified" {
            return None;
        }
        let r: PeriodReport = serde_json::from_value(v["report"].clone()).ok()?;
        r.usage.iter().find(|u| u.lease == lease && u.device == device && u.seconds > 0).cloned()
    })
    .await;
    wait_for("settle_attested", 60, || async {
        let l = net.client.account::<io_escrow::Lease>(&lease).await.unwrap().unwrap();
        (l.devices[0].attested_seconds >= usage.seconds && l.devices[0].paid > 0).then_some(())
    })
    .await;

    // Once io_token has emitted (the emit crank; its first hour falls due an hour of chain time
    // after genesis), its operator earns the period's pool, and the claim crank pays it.
    let reward = wait_for("a certified report paying the operator", 200, || async {
        let (s, v) = get(&format!("{}/v1/reports/latest", nodes[1].url)).await;
        if s != 200 || v["status"] != "certified" {
            return None;
        }
        let r: PeriodReport = serde_json::from_value(v["report"].clone()).ok()?;
        let leaf = r.rewards.iter().find(|l| l.operator == operator)?.clone();
        assert!(r.body.emission_distributed <= r.pool, "never more than the pool");
        (leaf.cumulative > 0).then_some(leaf)
    })
    .await;
    // The cheater: a certified report slashes its operator with evidence anyone re-verifies, and
    // the crank opens the slash on chain (executed after the appeal window).
    // (Looked for in every certified report: once jailed, the device has nothing bonded and its
    // later slash leaves are zero, which no crank proposes.)
    let slash = wait_for("a certified slash leaf for the cheater", 200, || async {
        let (s, v) = get(&format!("{}/v1/reports/latest", nodes[2].url)).await;
        if s != 200 {
            return None;
        }
        let last = v["period"].as_u64()?;
        for p in (last.saturating_sub(8)..=last).rev() {
            let (s, v) = get(&format!("{}/v1/reports/{p}", nodes[2].url)).await;
            if s != 200 || v["status"] != "certified" {
                continue;
            }
            let r: PeriodReport = serde_json::from_value(v["report"].clone()).ok()?;
            if let Some(leaf) = r.slashes.iter().find(|l| l.device == cheater && l.amount > 0) {
                assert!(!r.devices[r.device_index(&cheater).unwrap()].active);
                return Some(leaf.clone());
            }
        }
        None
    })
    .await;
    assert_eq!(slash.operator, operator);
    slash
        .evidence
        .verify(&Pubkey::new_from_array(net.cluster_id).to_string(), &cheater_worker)
        .expect("the evidence proves wrong rows");
    let address = io_sdk::staking::slash(&operator, &slash.evidence_hash);
    let opened = wait_for("propose_slash_from_report", 60, || async {
        net.client.account::<io_staking::Slash>(&address).await.unwrap()
    })
    .await;
    // The local network's appeal window is 30 chain minutes (half a wall minute at 60×): by the
    // time this reads it, the crank may already have executed it.
    assert_eq!(opened.amount, slash.amount);
    assert!(
        matches!(opened.status, io_staking::SlashStatus::Pending | io_staking::SlashStatus::Executed),
        "{:?}",
        opened.status
    );
    wait_for("the claim crank", 60, || async {
        let o = net.client.account::<io_staking::Operator>(&operator).await.unwrap().unwrap();
        (o.rewards_claimed_cumulative >= reward.cumulative).then_some(())
    })
    .await;
}
