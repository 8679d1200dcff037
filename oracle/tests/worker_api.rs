//! The worker API of a real oracle node (`Node::assemble`, SQLite in a temp dir, its router
//! served on 127.0.0.1) against a real local network whose clock runs 60× (one period per wall
//! minute), with devices registered in io_staking and bound to fresh worker keys. The test plays
//! the workers itself with io-proof's real prover, honest and cheating, so every step and every
//! refusal is checked at the wire.
mod common;

use ed25519_dalek::SigningKey;
use io_localnet::{Config, Localnet};
use io_oracle_node::{
    api,
    clock::{period_bounds, period_of},
    node::Node,
    observe,
    settings::Settings,
    store::Store,
};
use io_proof::{CpuBackend, Prover};
use io_sdk::{
    client::Client,
    report::{ChallengeOutcome, DeviceObservation},
    worker::{
        paths, proof as wire, Answer, Bytes32, ChallengeRequest, Heartbeat, HeartbeatReply, Kind, Pong,
        Signed, Verdict, PROTOCOL_VERSION,
    },
    Pubkey,
};
use io_staking::{DeviceSpec, HardwareClass};
use serde_json::Value;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

fn now_ms() -> u64 {
    observe::challenges::wall_ms()
}

fn read_key(path: &str) -> Keypair {
    io_sdk::keypair::read_keypair(Path::new(path)).unwrap()
}

struct Net {
    _net: Localnet,
    rpc: String,
    dir: tempfile::TempDir,
    oracle: Keypair,
    operator: Keypair,
    client: Arc<Client>,
    cluster_id: [u8; 32],
    cluster: String,
}

/// A device registered by the operator and bound to a fresh worker key.
struct Device {
    address: Pubkey,
    worker: Keypair,
}

async fn register(net: &Net) -> Device {
    let worker = Keypair::new();
    let spec = DeviceSpec {
        id_hash: worker.pubkey().to_bytes(),
        gpu_model: String::new(),
        gpu_count: 0,
        vram_gb: 0,
        region: "eu-west".into(),
        green: false,
        class: HardwareClass::Cpu,
    };
    let address = io_sdk::staking::device(&io_sdk::staking::operator(&net.operator.pubkey()), &spec.id_hash);
    net.client
        .send_as(
            &[io_sdk::staking::register_device(&net.operator.pubkey(), spec, worker.pubkey())],
            &[&net.operator],
        )
        .await
        .unwrap();
    Device { address, worker }
}

/// A node with the manifest's first oracle key and its own database `name`, its clock following
/// the chain, its tasks started and its API served; returns it and its base URL.
async fn start_node(net: &Net, name: &str, tweak: impl FnOnce(&mut Settings)) -> (Arc<Node>, String) {
    let mut s = Settings::default();
    s.chain.rpc_url = net.rpc.clone();
    s.database.url = format!("sqlite://{}?mode=rwc", net.dir.path().join(format!("{name}.db")).display());
    s.workers.allow_simulated = true;
    // Most heartbeats here come from workers without clusters: paid on liveness, as before.
    s.workers.allow_bare_leases = true;
    s.workers.flush_ms = 300;
    tweak(&mut s);
    let store = Store::open(&s.database.url, 4).await.unwrap();
    let node = Node::assemble(s, net.oracle.insecure_clone(), net.client.clone(), store, net.cluster_id)
        .await
        .unwrap();
    node.clock.spawn_poller(net.client.clone(), Duration::from_millis(200));
    observe::spawn(node.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = api::router(node.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    while !node.clock.ready() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (node, url)
}

fn heartbeat_body(net: &Net, d: &Device, ts: u64, simulated: bool) -> Heartbeat {
    common::heartbeat(
        &net.cluster,
        &d.address.to_string(),
        &d.worker.pubkey().to_string(),
        "cpu",
        ts,
        simulated,
    )
}

fn sign<T: serde::Serialize>(kind: Kind, body: &T, key: &Keypair) -> Signed {
    Signed::sign(kind, body, key.secret_bytes())
}

/// POSTs JSON; (status, body as JSON or Null).
async fn post<B: serde::Serialize>(url: &str, path: &str, body: &B) -> (u16, Value) {
    let r = reqwest::Client::new().post(format!("{url}{path}")).json(body).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Asserts a refusal's status and code.
fn refused(got: (u16, Value), status: u16, code: &str) {
    assert_eq!((got.0, got.1["error"]["code"].as_str()), (status, Some(code)), "{}", got.1);
}

async fn beat(net: &Net, url: &str, d: &Device, simulated: bool) -> HeartbeatReply {
    let (status, v) = post(
        url,
        paths::HEARTBEAT,
        &sign(Kind::Heartbeat, &heartbeat_body(net, d, now_ms(), simulated), &d.worker),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    serde_json::from_value(v).unwrap()
}

async fn setup() -> Net {
    let dir = tempfile::tempdir().unwrap();
    let net = Localnet::start(Config { clock_speed: 60, ..Config::ephemeral(dir.path().join("net")) })
        .await
        .expect("local network starts");
    let rpc = net.rpc_url.clone();
    let oracle = read_key(&net.manifest.oracles[0].keypair);
    let operator = read_key(&net.manifest.operators[0].keypair);
    let client = Arc::new(Client::new(
        rpc.clone(),
        solana_commitment_config::CommitmentConfig::confirmed(),
        operator.insecure_clone(),
    ));
    let genesis = client.rpc.get_genesis_hash().await.unwrap();
    Net {
        _net: net,
        rpc,
        dir,
        oracle,
        operator,
        client,
        cluster_id: genesis.to_bytes(),
        cluster: genesis.to_string(),
    }
}

/// Heartbeats (simulated) until the node's challenge comes; the request and its io-proof form.
async fn await_challenge(
    net: &Net,
    url: &str,
    d: &Device,
) -> (Signed, ChallengeRequest, io_proof::Challenge) {
    let until = Instant::now() + Duration::from_secs(150);
    loop {
        let reply = beat(net, url, d, true).await;
        if let Some(s) = reply.challenges.first() {
            let (signer, req): (Pubkey, ChallengeRequest) = s.open(Kind::Challenge).unwrap();
            assert_eq!(signer, net.oracle.pubkey(), "signed by the node's oracle key");
            let c = wire::challenge(&req).unwrap();
            return (s.clone(), req, c);
        }
        assert!(Instant::now() < until, "no challenge within a period and a half");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn commit(url: &str, d: &Device, prover: &Prover) -> Verdict {
    let msg =
        wire::commitment_msg(&prover.commit(&SigningKey::from_bytes(d.worker.secret_bytes())), now_ms());
    let (status, v) = post(url, paths::COMMITMENT, &msg).await;
    assert_eq!(status, 200, "{v}");
    serde_json::from_value(v).unwrap()
}

async fn answer(net: &Net, url: &str, d: &Device, prover: &Prover) -> (Verdict, Signed) {
    let reveal = loop {
        let reply = beat(net, url, d, true).await;
        if let Some(r) = reply.reveals.first() {
            assert_eq!(r.challenge_id, Bytes32(prover.challenge_id()));
            break r.reveal;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    let openings = prover.open(&reveal.0).unwrap();
    let body = Answer {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        challenge_id: Bytes32(prover.challenge_id()),
        openings: openings.iter().map(wire::opening_msg).collect(),
    };
    let signed = sign(Kind::Answer, &body, &d.worker);
    let (status, v) = post(url, paths::ANSWER, &signed).await;
    assert_eq!(status, 200, "{v}");
    (serde_json::from_value(v).unwrap(), signed)
}

/// Every refusal of the worker API, each with its status and code, and none changing anything.
async fn refusals(net: &Net) {
    let d = register(net).await;
    let (node, url) = start_node(net, "refusals", |s| {
        s.workers.heartbeats_per_minute = 3;
        s.workers.allow_simulated = false;
    })
    .await;
    let t = now_ms();
    let hb = |ts: u64| heartbeat_body(net, &d, ts, false);

    let mut bad = sign(Kind::Heartbeat, &hb(t), &d.worker);
    bad.signature.0[0] ^= 1;
    refused(post(&url, paths::HEARTBEAT, &bad).await, 401, "bad_signature");
    let wrong_kind = sign(Kind::Answer, &hb(t), &d.worker);
    refused(post(&url, paths::HEARTBEAT, &wrong_kind).await, 400, "wrong_kind");
    refused(post(&url, paths::HEARTBEAT, &serde_json::json!({"kind": "heartbeat"})).await, 400, "bad_body");
    let other_cluster = Heartbeat { cluster: "devnet".into(), ..hb(t) };
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &other_cluster, &d.worker)).await,
        400,
        "wrong_cluster",
    );
    // Signed by a key the device is not bound to (the body names that key honestly).
    let stranger = Keypair::new();
    let by_stranger = Heartbeat { worker: stranger.pubkey().to_string(), ..hb(t) };
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &by_stranger, &stranger)).await,
        403,
        "not_bound",
    );
    let names_other = Heartbeat { worker: stranger.pubkey().to_string(), ..hb(t) };
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &names_other, &d.worker)).await,
        400,
        "signer_mismatch",
    );
    let unknown = Heartbeat { device: Pubkey::new_unique().to_string(), ..hb(t) };
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &unknown, &d.worker)).await,
        404,
        "unknown_device",
    );
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t - 60_000), &d.worker)).await,
        400,
        "stale_timestamp",
    );
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t + 60_000), &d.worker)).await,
        400,
        "future_timestamp",
    );
    let simulated = heartbeat_body(net, &d, t, true);
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &simulated, &d.worker)).await,
        403,
        "simulated_refused",
    );
    let versioned = Heartbeat { version: 2, ..hb(t) };
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &versioned, &d.worker)).await,
        400,
        "unsupported_version",
    );
    // Nothing so far counted: no interval, no mark.
    assert!(node.observe.liveness.open_intervals().is_empty());

    // Accepted, then replayed and older: 409; three a minute, the fourth 429.
    let first = sign(Kind::Heartbeat, &hb(t), &d.worker);
    assert_eq!(post(&url, paths::HEARTBEAT, &first).await.0, 200);
    refused(post(&url, paths::HEARTBEAT, &first).await, 409, "replayed");
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t - 1), &d.worker)).await,
        409,
        "replayed",
    );
    assert_eq!(post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t + 1), &d.worker)).await.0, 200);
    assert_eq!(post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t + 2), &d.worker)).await.0, 200);
    refused(
        post(&url, paths::HEARTBEAT, &sign(Kind::Heartbeat, &hb(t + 3), &d.worker)).await,
        429,
        "rate_limited",
    );
    let open = node.observe.liveness.open_intervals();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].0, d.address);
    // The rate-limited heartbeat was not recorded: the stored mark is the last accepted one.
    observe::flush(&node).await.unwrap();
    assert_eq!(node.store.heartbeat_marks().await.unwrap(), vec![(d.address.to_string(), (t + 2) as i64)]);

    // Commitments, answers and pongs for what this node never issued (the device may be due
    // for a challenge of its own by now: the count must not move).
    let open_before = node.observe.challenges.open_count();
    let msg = io_sdk::worker::CommitmentMsg {
        challenge_id: Bytes32([7; 32]),
        device: d.worker.pubkey().to_string(),
        nonce: Bytes32([1; 32]),
        root: Bytes32([2; 32]),
        signature: io_sdk::worker::Bytes64([3; 64]),
        done_at_ms: t,
    };
    refused(post(&url, paths::COMMITMENT, &msg).await, 404, "unknown_challenge");
    let a = Answer {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        challenge_id: Bytes32([7; 32]),
        openings: vec![],
    };
    refused(post(&url, paths::ANSWER, &sign(Kind::Answer, &a, &d.worker)).await, 404, "unknown_challenge");
    // A body past axum's default 2 MB still reaches the answer's checks (GPU-class answers are
    // about 22 MB): refused for its signature, not its size.
    let big = Answer {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        challenge_id: Bytes32([7; 32]),
        openings: vec![
            io_sdk::worker::OpeningMsg {
                k: 1,
                i: 0,
                prev: None,
                current: io_sdk::worker::OpenedRow { row: vec![123_456_789; 400_000], path: vec![] },
            };
            1
        ],
    };
    let mut big = sign(Kind::Answer, &big, &d.worker);
    assert!(big.payload.len() > 3_000_000);
    big.signature.0[0] ^= 1;
    refused(post(&url, paths::ANSWER, &big).await, 401, "bad_signature");
    let pong = Pong {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        device: d.address.to_string(),
        nonce: Bytes32([5; 32]),
    };
    refused(post(&url, paths::PONG, &sign(Kind::Pong, &pong, &d.worker)).await, 404, "unknown_ping");
    refused(post(&url, paths::PONG, &sign(Kind::Pong, &pong, &stranger)).await, 403, "not_bound");
    assert_eq!(node.observe.challenges.open_count(), open_before);

    // The OpenAPI document lists the four paths.
    let doc: Value = reqwest::get(format!("{url}/openapi.json")).await.unwrap().json().await.unwrap();
    for p in [paths::HEARTBEAT, paths::COMMITMENT, paths::ANSWER, paths::PONG] {
        assert!(doc["paths"][p]["post"].is_object(), "{p} missing");
    }
    assert!(doc["paths"][paths::DEVICE_HEARTBEAT]["get"].is_object(), "the device heartbeat is listed");

    // A path the node does not serve, and a period past the last one chain time can name: 4xx
    // JSON errors with their codes (not an empty 404 or a 500).
    let get = |path: String| {
        let at = format!("{url}{path}");
        async move {
            let r = reqwest::get(at).await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    refused(get("/v1/nothing".into()).await, 404, "no_route");
    refused(get(format!("/v1/reports/{}", u64::MAX)).await, 400, "bad_period");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_worker_api_on_a_local_network() {
    let net = setup().await;
    refusals(&net).await;
    challenges_and_restart(&net).await;
    liveness(&net).await;
    lease_cluster(&net).await;
}

/// GETs a path; (status, body as JSON).
async fn get_json(url: &str, path: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{url}{path}")).await.unwrap();
    (r.status().as_u16(), r.json::<Value>().await.unwrap())
}

/// Issue 17: a worker's heartbeats say whether the lease's cluster serves on its device. Serving,
/// then starting twice, then serving again: the device stays live throughout, and the node
/// records one unserved interval from the first starting heartbeat's chain time to the next
/// serving one's. The device's latest heartbeat is served as the worker signed it.
async fn lease_cluster(net: &Net) {
    use io_sdk::worker::cluster::{ClusterReport, ClusterState, Role};
    let (node, url) = start_node(net, "lease-cluster", |s| {
        s.workers.liveness_gap_ms = 10_000;
        s.workers.heartbeats_per_minute = 600;
    })
    .await;
    let d = register(net).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let path = paths::device_heartbeat(&d.address.to_string());
    refused(get_json(&url, &path).await, 404, "no_heartbeat");
    refused(get_json(&url, &paths::device_heartbeat("not-a-key")).await, 400, "bad_device");

    let lease = Pubkey::new_unique().to_string();
    let endpoint = "http://10.0.0.7:7420";
    // One heartbeat with the cluster in `state`; the chain time just before and just after it.
    let send = |state: ClusterState| {
        let lease = lease.clone();
        let (url, d) = (url.clone(), &d);
        let node = node.clone();
        async move {
            let hb = Heartbeat {
                serving_lease: Some(lease.clone()),
                lease_cluster: Some(ClusterReport { lease, role: Role::Head, state, why: None }),
                endpoint: Some(endpoint.into()),
                ..heartbeat_body(net, d, now_ms(), true)
            };
            let signed = sign(Kind::Heartbeat, &hb, &d.worker);
            let before = node.clock.now();
            let (status, v) = post(&url, paths::HEARTBEAT, &signed).await;
            assert_eq!(status, 200, "{v}");
            let after = node.clock.now();
            tokio::time::sleep(Duration::from_millis(400)).await;
            (signed, before, after)
        }
    };
    let (_, first, _) = send(ClusterState::Serving).await;
    let (_, start_lo, start_hi) = send(ClusterState::Starting).await;
    send(ClusterState::Starting).await;
    let (_, end_lo, end_hi) = send(ClusterState::Serving).await;
    let (newest, last_contact, _) = send(ClusterState::Serving).await;
    assert!(node.observe.liveness.open_unserved().is_empty(), "the serving heartbeat closed it");
    observe::flush(&node).await.unwrap();

    let (p0, p1) = (period_of(first), period_of(node.clock.now()));
    let (mut live, mut unserved) = (vec![], vec![]);
    for p in p0..=p1 {
        let o = &observe::period_observations(&node, p).await.unwrap()[&d.address];
        live.extend(o.live.iter().copied());
        unserved.extend(o.unserved.iter().copied());
    }
    // Clipped to the periods, the pieces join into one interval.
    unserved.sort();
    assert!(unserved.windows(2).all(|w| w[0].1 == w[1].0), "{unserved:?}");
    let (a, b) = (unserved.first().unwrap().0, unserved.last().unwrap().1);
    assert!((start_lo..=start_hi).contains(&a) && (end_lo..=end_hi).contains(&b), "{unserved:?}");
    assert!(b - a >= 40, "two gaps of 0.4 wall s at 60×: {unserved:?}");
    // Live all along: uptime is not cut.
    live.sort();
    assert!(live.windows(2).all(|w| w[0].1 == w[1].0), "{live:?}");
    assert!(live[0].0 <= a && live.last().unwrap().1 >= last_contact.min(b), "{live:?}");

    // The latest heartbeat, exactly as signed: it verifies against the device's worker key.
    let (status, v) = get_json(&url, &path).await;
    assert_eq!(status, 200, "{v}");
    let got: Signed = serde_json::from_value(v).unwrap();
    assert_eq!(got, newest, "the newest one, byte for byte");
    let (signer, hb): (Pubkey, Heartbeat) = got.open(Kind::Heartbeat).unwrap();
    assert_eq!(signer, d.worker.pubkey());
    assert_eq!(hb.endpoint.as_deref(), Some(endpoint));
}

/// An honest device passes its challenge, a cheating one fails with evidence; a node restarted
/// between the honest commitment and its answer judges the answer from the stored round, and
/// keeps both verdicts.
async fn challenges_and_restart(net: &Net) {
    let (honest, cheat) = (register(net).await, register(net).await);
    let (node, url) = start_node(net, "challenges", |_| {}).await;
    // Each device's challenge is due at its own random time in the first half of a period (up to
    // 30 wall s apart at 60×) and must be committed within its 10 s deadline: the scenario runs
    // both at once, so it starts once both are due, well before the period ends.
    loop {
        let now = node.clock.now();
        let p = period_of(now);
        let c = &node.observe.challenges;
        let due = c.due_at(&honest.address, p).max(c.due_at(&cheat.address, p));
        if now >= due && now <= period_bounds(p).1 - 20 * 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let ((h_signed, h_req, h_c), (_, c_req, c_c)) =
        tokio::join!(await_challenge(net, &url, &honest), await_challenge(net, &url, &cheat));
    let light = io_proof::HardwareClass::Cpu.light_params();
    assert_eq!((h_req.n, h_req.k, h_req.samples, h_req.simulated), (light.n, light.k, light.samples, true));
    assert_eq!(h_req.device_account, honest.address.to_string());
    assert_eq!(c_req.device, cheat.worker.pubkey().to_string());
    // A challenge is repeated until committed.
    assert_eq!(beat(net, &url, &honest, true).await.challenges, vec![h_signed.clone()]);

    let h_prover = Prover::run(&h_c, &mut CpuBackend::new()).unwrap();
    // Every row of every step off by one, committed as such: any sample is a wrong row.
    let c_prover = Prover::run_with(&c_c, &mut CpuBackend::new(), |_, c| {
        c.iter_mut().for_each(|v| *v = v.wrapping_add(1))
    })
    .unwrap();

    // A commitment not signed by the device key changes nothing.
    let mut forged = wire::commitment_msg(&h_prover.commit(&SigningKey::from_bytes(&[9; 32])), now_ms());
    forged.device = honest.worker.pubkey().to_string();
    refused(post(&url, paths::COMMITMENT, &forged).await, 401, "bad_signature");

    let v = commit(&url, &honest, &h_prover).await;
    assert!(v.accepted, "{v:?}");
    // Its repeat (a lost reply) is accepted again; no challenge in the replies any more.
    assert!(commit(&url, &honest, &h_prover).await.accepted);
    assert!(beat(net, &url, &honest, true).await.challenges.is_empty());
    assert!(commit(&url, &cheat, &c_prover).await.accepted);
    // An answer signed by another key: 403, nothing judged.
    let stranger_answer = Answer {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        challenge_id: Bytes32(h_prover.challenge_id()),
        openings: vec![],
    };
    refused(
        post(&url, paths::ANSWER, &sign(Kind::Answer, &stranger_answer, &cheat.worker)).await,
        403,
        "not_bound",
    );

    let (c_verdict, c_answer) = answer(net, &url, &cheat, &c_prover).await;
    assert!(!c_verdict.accepted);
    assert!(c_verdict.reason.as_deref().unwrap().contains("wrong row"), "{c_verdict:?}");

    let id = Bytes32(h_prover.challenge_id()).to_string();
    let period = node.store.challenge(&id).await.unwrap().unwrap().period as u64;
    let obs = observe::period_observations(&node, period).await.unwrap();
    assert_eq!(obs[&honest.address].challenge, ChallengeOutcome::Pending);
    let ChallengeOutcome::Failed { reason, evidence: Some(e) } = &obs[&cheat.address].challenge else {
        panic!("the cheater's outcome: {:?}", obs[&cheat.address].challenge)
    };
    assert!(reason.contains("wrong row"), "{reason}");
    assert_eq!(e.answer, c_answer);
    assert_eq!(e.commitment.root, Bytes32(c_prover.root()));
    assert_eq!(io_proof::reveal_commitment(&e.reveal.0), c_c.reveal_commitment);
    let (_, req): (Pubkey, ChallengeRequest) = e.challenge.open(Kind::Challenge).unwrap();
    assert_eq!(req, c_req);
    // Anyone re-verifies it: wrong rows by the cheater's key, for its device account.
    let proved = e.verify(&net.cluster, &cheat.worker.pubkey()).expect("the evidence proves wrong rows");
    assert_eq!((proved.device_account, proved.oracle), (cheat.address, net.oracle.pubkey()));
    assert!(e.verify(&net.cluster, &honest.worker.pubkey()).is_err());

    // Restart: a new node on the same database, the old one left idle. The honest device's
    // round is rebuilt from the stored request and reveal; its answer passes there.
    let last = sign(Kind::Heartbeat, &heartbeat_body(net, &honest, now_ms(), true), &honest.worker);
    assert_eq!(post(&url, paths::HEARTBEAT, &last).await.0, 200);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (node2, url2) = start_node(net, "challenges", |_| {}).await;
    // The heartbeat the first run accepted is a replay for the second (marks persist).
    refused(post(&url2, paths::HEARTBEAT, &last).await, 409, "replayed");
    assert_eq!(node2.observe.challenges.open_count(), 1);
    let (h_verdict, _) = answer(net, &url2, &honest, &h_prover).await;
    assert!(h_verdict.accepted, "{h_verdict:?}");
    // The answer again: the stored verdict, nothing judged twice.
    let again = answer_again(net, &url2, &honest, &h_prover).await;
    assert!(again.accepted);
    let obs2 = observe::period_observations(&node2, period).await.unwrap();
    assert_eq!(obs2[&honest.address].challenge, ChallengeOutcome::Passed);
    assert_eq!(obs2[&cheat.address].challenge, obs[&cheat.address].challenge);
    // One challenge per device and period, even across the restart.
    for _ in 0..3 {
        assert!(
            beat(net, &url2, &cheat, true).await.challenges.is_empty()
                || period_of(node2.clock.now()) != period
        );
    }
}

/// Sends an answer for an already-judged challenge (the reveal is no longer in the replies):
/// the stored verdict comes back.
async fn answer_again(net: &Net, url: &str, d: &Device, prover: &Prover) -> Verdict {
    let body = Answer {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        challenge_id: Bytes32(prover.challenge_id()),
        openings: vec![],
    };
    let (status, v) = post(url, paths::ANSWER, &sign(Kind::Answer, &body, &d.worker)).await;
    assert_eq!(status, 200, "{v}");
    serde_json::from_value(v).unwrap()
}

fn live_secs(o: &DeviceObservation) -> i64 {
    o.live.iter().map(|(a, b)| b - a).sum()
}

/// Heartbeats then silence make one interval of the chain time between the first and last
/// contact; a missed ping cuts an interval; period_observations clips to the period; a
/// restarted node keeps the intervals.
async fn liveness(net: &Net) {
    let (node, url) = start_node(net, "liveness", |s| s.workers.liveness_gap_ms = 1_500).await;
    // Registered after the node read the registry: its first heartbeat makes the node read
    // again (reads forced by unknown keys are at most one a second).
    let d = register(net).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let c0 = node.clock.now();
    beat(net, &url, &d, true).await;
    let c0_after = node.clock.now();
    for _ in 0..8 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        beat(net, &url, &d, true).await;
    }
    let c1 = node.clock.now();
    beat(net, &url, &d, true).await;
    let c1_after = node.clock.now();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert!(node.observe.liveness.open_intervals().is_empty(), "silence closed the interval");
    let rows = node.store.intervals_between(0, i64::MAX).await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert!(
        (c0..=c0_after).contains(&r.start_ts) && (c1..=c1_after).contains(&r.end_ts),
        "{r:?} {c0} {c0_after} {c1} {c1_after}"
    );
    assert!(r.end_ts - r.start_ts >= 150, "about 3.6 wall s at 60×: {r:?}");
    // Clipped to each period it reaches, summing to the whole.
    let (p0, p1) = (period_of(r.start_ts), period_of(r.end_ts));
    let mut total = 0;
    for p in p0..=p1 {
        let o = &observe::period_observations(&node, p).await.unwrap()[&d.address];
        let (s, e) = period_bounds(p);
        assert!(o.live.iter().all(|(a, b)| *a >= s && *b <= e && a < b), "{o:?}");
        total += live_secs(o);
    }
    assert_eq!(total, r.end_ts - r.start_ts);

    // Pings at every heartbeat (mean 1 ms), 1 s to answer: one answered, one missed.
    let p = register(net).await;
    let (pnode, purl) = start_node(net, "pings", |s| {
        s.workers.ping_mean_interval_ms = 1;
        s.workers.ping_answer_ms = 1_000;
        s.workers.liveness_gap_ms = 10_000;
    })
    .await;
    beat(net, &purl, &p, true).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let first = beat(net, &purl, &p, true).await.pings;
    assert_eq!(first.len(), 1, "{first:?}");
    let pong = Pong {
        version: PROTOCOL_VERSION,
        cluster: net.cluster.clone(),
        device: p.address.to_string(),
        nonce: first[0].nonce,
    };
    let (status, v) = post(&purl, paths::PONG, &sign(Kind::Pong, &pong, &p.worker)).await;
    assert_eq!(status, 204, "{v}");
    let before_miss = pnode.clock.now();
    let second = beat(net, &purl, &p, true).await.pings;
    let after_miss = pnode.clock.now();
    assert_eq!(second.len(), 1, "the answered ping is gone, a new one came: {second:?}");
    tokio::time::sleep(Duration::from_millis(1_400)).await;
    assert!(pnode.observe.liveness.open_intervals().is_empty(), "the missed ping ended the interval");
    let late = Pong { nonce: second[0].nonce, ..pong };
    refused(post(&purl, paths::PONG, &sign(Kind::Pong, &late, &p.worker)).await, 404, "unknown_ping");
    beat(net, &purl, &p, true).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let rows = pnode.store.intervals_between(0, i64::MAX).await.unwrap();
    assert_eq!(rows.len(), 2, "cut, then a new interval: {rows:?}");
    assert!((before_miss..=after_miss).contains(&rows[0].end_ts), "{rows:?} {before_miss} {after_miss}");
    assert!(rows[1].start_ts > rows[0].end_ts);
    let period = period_of(before_miss) as i64;
    let mut counts = vec![];
    for q in period - 1..=period + 1 {
        counts.extend(pnode.store.ping_counts(q).await.unwrap());
    }
    let (sent, answered): (i64, i64) = counts.iter().fold((0, 0), |a, c| (a.0 + c.sent, a.1 + c.answered));
    assert!(sent >= 2 && answered == 1, "{counts:?}");

    // A restarted node reads the same intervals.
    let (node2, _) = start_node(net, "liveness", |_| {}).await;
    for q in p0..=p1 {
        assert_eq!(
            observe::period_observations(&node2, q).await.unwrap()[&d.address].live,
            observe::period_observations(&node, q).await.unwrap()[&d.address].live
        );
    }
}

/// Kills the worker process when the test ends, passed or not.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The real io-worker binary, as a provider runs it (`run --simulate`), against a node: its
/// challenge passes and it answers the node's pings in time. The binary lives in another
/// package, so it is built beforehand (a test cannot run cargo while cargo holds the build
/// directory): `cargo build -p io-worker && cargo test -p io-oracle-node --test worker_api -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs the io-worker binary: cargo build -p io-worker, then run with --ignored"]
async fn the_real_worker_binary_passes_and_answers_pings() {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("io-worker");
    assert!(bin.exists(), "build it first: cargo build -p io-worker (looked for {})", bin.display());
    let net = setup().await;
    let d = register(&net).await;
    let (node, url) = start_node(&net, "real-worker", |s| s.workers.ping_mean_interval_ms = 1_000).await;
    let state = net.dir.path().join("worker");
    std::fs::create_dir_all(&state).unwrap();
    let key = state.join("worker-key.json");
    std::fs::write(&key, serde_json::to_string(&d.worker.to_bytes().to_vec()).unwrap()).unwrap();
    let log = state.join("worker.log");
    let _worker = Child(
        std::process::Command::new(&bin)
            .args([
                "--url",
                &net.rpc,
                "--keypair",
                key.to_str().unwrap(),
                "--state-dir",
                state.to_str().unwrap(),
            ])
            .args(["run", "--simulate", "--oracle", &url, "--heartbeat-secs", "0.5"])
            .env("IO_WORKER_LOG", "io_worker=info")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let device = d.address.to_string();
    let until = Instant::now() + Duration::from_secs(180);
    loop {
        let passed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM challenges WHERE device = $1 AND status = 'passed'")
                .bind(&device)
                .fetch_one(&node.store.pool)
                .await
                .unwrap();
        let answered: Option<i64> =
            sqlx::query_scalar("SELECT SUM(answered) FROM ping_counts WHERE device = $1")
                .bind(&device)
                .fetch_one(&node.store.pool)
                .await
                .unwrap();
        if passed >= 1 && answered.unwrap_or(0) >= 1 {
            break;
        }
        assert!(
            Instant::now() < until,
            "the worker did not pass a challenge and answer a ping (passed {passed}, pongs {answered:?}):\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
        observe::flush(&node).await.unwrap();
    }
    let failed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM challenges WHERE device = $1 AND status = 'failed'")
            .bind(&device)
            .fetch_one(&node.store.pool)
            .await
            .unwrap();
    assert_eq!(failed, 0);
}
