//! The worker against a real local network (io-localnet, in-process, with its demo bootstrap) and
//! small in-process oracle nodes: axum servers implementing the oracle side of io-sdk's worker
//! protocol with io-proof's verifier. The `io-worker` binary runs as a child process, as a
//! provider would run it.
mod common;

use axum::{extract::State, routing::post, Json, Router};
use common::send_raw;
use io_localnet::{Config, Localnet};
use io_proof::{Challenge, Round, Verifier};
use io_sdk::{
    client::Client,
    worker::{
        paths, Answer, Bytes32, ChallengeRequest, CommitmentMsg, Heartbeat, HeartbeatReply, Kind, Reveal,
        Signed, Verdict, PROTOCOL_VERSION,
    },
    Pubkey,
};
use io_staking::{DeviceSpec, HardwareClass};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

// ---- an oracle node -------------------------------------------------------------------------

/// One issued challenge and its round's verifier (a round per challenge keeps the test simple:
/// the reveal can be disclosed as soon as the one commitment is in).
struct Issued {
    challenge: Challenge,
    verifier: Verifier,
    reveal: Option<[u8; 32]>,
    signed: Signed,
    committed: bool,
    verdict: Option<Verdict>,
}

#[derive(Default)]
struct NodeState {
    heartbeats: Vec<Heartbeat>,
    /// By device key.
    issued: HashMap<String, Issued>,
    /// Commitments received (accepted or not).
    commitments: u32,
}

struct Node {
    key: Keypair,
    cluster: String,
    /// Whether reveals go out (held back to test a restart between commitment and answer).
    release: Mutex<bool>,
    st: Mutex<NodeState>,
}

type Shared = Arc<Node>;

fn now_ms() -> u64 {
    io_worker::now_ms()
}

fn random32() -> [u8; 32] {
    *Keypair::new().secret_bytes()
}

async fn heartbeat(State(node): State<Shared>, Json(signed): Json<Signed>) -> Json<HeartbeatReply> {
    let (signer, hb): (Pubkey, Heartbeat) = signed.open(Kind::Heartbeat).expect("a valid signed heartbeat");
    assert_eq!(signer.to_string(), hb.worker, "a heartbeat is signed by its worker key");
    let mut st = node.st.lock().unwrap();
    st.heartbeats.push(hb.clone());
    if !st.issued.contains_key(&hb.worker) {
        let class = io_sdk::names::parse::<HardwareClass>(&hb.hardware.class).unwrap();
        let params = io_sdk::worker::proof::expected_params(class, hb.simulated);
        let round = Round::new(params, random32(), random32()).unwrap();
        let device: Pubkey = hb.worker.parse().unwrap();
        let challenge = round.challenge(device.to_bytes(), random32(), now_ms());
        let req = ChallengeRequest {
            version: PROTOCOL_VERSION,
            cluster: node.cluster.clone(),
            oracle: node.key.pubkey().to_string(),
            device_account: hb.device.clone(),
            device: hb.worker.clone(),
            class: hb.hardware.class.clone(),
            simulated: hb.simulated,
            n: params.n,
            k: params.k,
            samples: params.samples,
            deadline_ms: params.deadline_ms,
            beacon: Bytes32(challenge.beacon),
            nonce: Bytes32(challenge.nonce),
            reveal_commitment: Bytes32(challenge.reveal_commitment),
            issued_at_ms: challenge.issued_at_ms,
        };
        let signed = Signed::sign(Kind::Challenge, &req, node.key.secret_bytes());
        st.issued.insert(
            hb.worker.clone(),
            Issued {
                challenge,
                verifier: Verifier::new(round),
                reveal: None,
                signed,
                committed: false,
                verdict: None,
            },
        );
    }
    let release = *node.release.lock().unwrap();
    let i = &st.issued[&hb.worker];
    let mut reply = HeartbeatReply::default();
    if !i.committed {
        reply.challenges.push(i.signed.clone());
    }
    if let (Some(reveal), true, None) = (i.reveal, release, &i.verdict) {
        reply.reveals.push(Reveal { challenge_id: Bytes32(i.challenge.id()), reveal: Bytes32(reveal) });
    }
    Json(reply)
}

async fn commitment(State(node): State<Shared>, Json(msg): Json<CommitmentMsg>) -> Json<Verdict> {
    let mut st = node.st.lock().unwrap();
    st.commitments += 1;
    let i = st.issued.get_mut(&msg.device).expect("a commitment for an issued challenge");
    let c = io_sdk::worker::proof::commitment(&msg).unwrap();
    let verdict = match i.verifier.accept_commitment(&i.challenge, &c, now_ms()) {
        Ok(()) => {
            i.committed = true;
            i.reveal = Some(i.verifier.disclose());
            Verdict { challenge_id: msg.challenge_id, accepted: true, reason: None }
        }
        Err(e) => Verdict { challenge_id: msg.challenge_id, accepted: false, reason: Some(e.to_string()) },
    };
    Json(verdict)
}

async fn answer(State(node): State<Shared>, Json(signed): Json<Signed>) -> Json<Verdict> {
    let (signer, a): (Pubkey, Answer) = signed.open(Kind::Answer).expect("a valid signed answer");
    let mut st = node.st.lock().unwrap();
    let i = st.issued.get_mut(&signer.to_string()).expect("an answer from the challenged device key");
    let openings: Vec<_> = a.openings.iter().map(io_sdk::worker::proof::opening).collect();
    let verdict = match i.verifier.check_openings(&i.challenge, &openings) {
        Ok(_) => Verdict { challenge_id: a.challenge_id, accepted: true, reason: None },
        Err(e) => Verdict { challenge_id: a.challenge_id, accepted: false, reason: Some(e.to_string()) },
    };
    i.verdict = Some(verdict.clone());
    Json(verdict)
}

async fn start_node(key: Keypair, cluster: &str, release: bool) -> (Shared, String) {
    let node =
        Arc::new(Node { key, cluster: cluster.into(), release: Mutex::new(release), st: Mutex::default() });
    let app = Router::new()
        .route(paths::HEARTBEAT, post(heartbeat))
        .route(paths::COMMITMENT, post(commitment))
        .route(paths::ANSWER, post(answer))
        .with_state(node.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (node, url)
}

// ---- the worker process ---------------------------------------------------------------------

struct Proc {
    child: Child,
    log: PathBuf,
}

impl Proc {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn worker_cmd(rpc: &str, state: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_io-worker"));
    cmd.args(["--url", rpc, "--state-dir", state.to_str().unwrap()])
        .args(args)
        .env("IO_WORKER_LOG", "io_worker=info");
    cmd
}

fn spawn_worker(rpc: &str, state: &Path, args: &[&str], log_name: &str) -> Proc {
    let log = state.with_extension(log_name);
    let f = std::fs::File::create(&log).unwrap();
    let child = worker_cmd(rpc, state, args).stdout(Stdio::null()).stderr(f).spawn().unwrap();
    Proc { child, log }
}

/// Runs the worker to completion: (exit code, stdout, stderr).
async fn worker_once(rpc: &str, state: &Path, args: &[&str]) -> (i32, String, String) {
    let mut cmd = worker_cmd(rpc, state, args);
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

async fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(secs);
    while !ok() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A new worker key in `state` through `io-worker key`; checks the creation message.
async fn new_worker_key(rpc: &str, state: &Path) -> Pubkey {
    let (code, out, err) = worker_once(rpc, state, &["key"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("created a new worker key") && err.contains("--worker-key"), "{err}");
    out.trim().parse().unwrap()
}

async fn register(client: &Client, operator: &Keypair, worker: &Pubkey, spec: DeviceSpec) -> Pubkey {
    let address = io_sdk::staking::device(&io_sdk::staking::operator(&operator.pubkey()), &spec.id_hash);
    client
        .send_as(&[io_sdk::staking::register_device(&operator.pubkey(), spec, *worker)], &[operator])
        .await
        .unwrap();
    address
}

fn spec(worker: &Pubkey, class: HardwareClass, model: &str, gpus: u16, vram: u16) -> DeviceSpec {
    DeviceSpec {
        // Any identity unique under the operator; the worker key is named apart.
        id_hash: worker.to_bytes(),
        gpu_model: model.into(),
        gpu_count: gpus,
        vram_gb: vram,
        region: "eu-west".into(),
        green: false,
        class,
    }
}

fn read_key(path: &str) -> Keypair {
    io_sdk::keypair::read_keypair(Path::new(path)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_on_a_local_network() {
    let dir = std::env::temp_dir().join(format!("io-worker-localnet-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let net = Localnet::start(Config::ephemeral(dir.join("net"))).await.expect("local network starts");
    let rpc = net.rpc_url.clone();
    let m = &net.manifest;
    let operator = read_key(&m.operators[0].keypair);
    let client = Client::new(
        rpc.clone(),
        solana_commitment_config::CommitmentConfig::confirmed(),
        operator.insecure_clone(),
    );
    let genesis = client.rpc.get_genesis_hash().await.unwrap().to_string();

    // A CPU device registered by its operator, bound to a worker key created by `io-worker key`.
    let state = dir.join("cpu-worker");
    let worker = new_worker_key(&rpc, &state).await;
    let device = register(&client, &operator, &worker, spec(&worker, HardwareClass::Cpu, "", 0, 0)).await;

    // Oracle node A holds an oracle-set key; B a stranger's; the third URL answers nothing.
    let (a, a_url) = start_node(read_key(&m.oracles[0].keypair), &genesis, false).await;
    let (b, b_url) = start_node(Keypair::new(), &genesis, true).await;
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let run_args = |oracles: &[&str]| {
        let mut v = vec![
            "run",
            "--no-clusters",
            "--heartbeat-secs",
            "0.5",
            "--backoff-secs",
            "0.2",
            "--backoff-max-secs",
            "1",
        ];
        for o in oracles {
            v.push("--oracle");
            v.push(o);
        }
        v.into_iter().map(String::from).collect::<Vec<_>>()
    };
    // A real device with clusters on must be reachable from other machines: a gateway that
    // would be advertised on loopback (the defaults) is refused, saying what to pass.
    let (code, _, err) = worker_once(&rpc, &state, &["run", "--oracle", &a_url]).await;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(
            "advertised as http://127.0.0.1:7960, which no other machine can reach: pass --public-url"
        ),
        "{err}"
    );
    let args1 = run_args(&[&a_url, &b_url, &dead]);
    let mut w = spawn_worker(&rpc, &state, &args1.iter().map(String::as_str).collect::<Vec<_>>(), "log1");

    // A: heartbeats with telemetry, a challenge answered with a commitment it accepts.
    wait_for("A to accept a commitment", 90, || a.st.lock().unwrap().issued.values().any(|i| i.committed))
        .await;
    wait_for("a second heartbeat", 30, || a.st.lock().unwrap().heartbeats.len() >= 2).await;
    {
        let st = a.st.lock().unwrap();
        let hb = st.heartbeats.last().unwrap();
        assert_eq!(
            (hb.device.as_str(), hb.worker.as_str()),
            (device.to_string().as_str(), worker.to_string().as_str())
        );
        assert_eq!(
            (hb.cluster.as_str(), hb.hardware.class.as_str(), hb.simulated),
            (genesis.as_str(), "cpu", false)
        );
        assert!(hb.hardware.cpu_cores >= 1 && hb.hardware.memory_mb > 0, "{:?}", hb.hardware);
        assert!(hb.software.starts_with("io-worker "));
        // --no-clusters: no cluster report, no gateway advertised.
        assert_eq!((&hb.lease_cluster, &hb.endpoint), (&None, &None));
        // Every CPU figure is a value or says why it is missing; utilisation is readable here
        // from the second sample on.
        let cpu = &hb.telemetry.cpu;
        for r in [&cpu.utilisation_pct, &cpu.temperature_c, &cpu.power_w] {
            assert!(r.value.is_some() != r.unavailable.is_some(), "{r:?}");
        }
        assert!(st.heartbeats.iter().any(|h| h.telemetry.cpu.utilisation_pct.value.is_some()));
    }

    // B's challenge (signed by a non-member) is refused with the reason, and never answered.
    wait_for("the refusal of B's challenge", 30, || {
        w.log().contains("is not a member of the on-chain oracle set")
    })
    .await;
    assert_eq!(b.st.lock().unwrap().commitments, 0);
    assert!(w.log().contains(&format!("refused a challenge from {b_url}")), "{}", w.log());

    // The unreachable node is logged and retried with backoff while the worker keeps serving.
    wait_for("retries of the dead node", 30, || {
        w.log().matches(&format!("oracle {dead} unreachable")).count() >= 3
    })
    .await;
    assert!(w.log().contains("retrying in"));
    let before = a.st.lock().unwrap().heartbeats.len();
    wait_for("heartbeats to continue", 30, || a.st.lock().unwrap().heartbeats.len() > before + 1).await;
    assert!(w.alive());

    // Killed between commitment and reveal: the state directory keeps the key and the pending answer.
    drop(w);
    let pending = std::fs::read_to_string(state.join("pending.json")).unwrap();
    let challenge_id = Bytes32(a.st.lock().unwrap().issued[&worker.to_string()].challenge.id());
    assert!(
        pending.contains(&challenge_id.to_string()) && pending.contains("\"commitment_accepted\": true"),
        "{pending}"
    );
    *a.release.lock().unwrap() = true;
    let args2 = run_args(&[&a_url]);
    let w = spawn_worker(&rpc, &state, &args2.iter().map(String::as_str).collect::<Vec<_>>(), "log2");
    wait_for("A's verdict on the answer", 90, || {
        a.st.lock().unwrap().issued.values().any(|i| i.verdict.is_some())
    })
    .await;
    let verdict = a.st.lock().unwrap().issued[&worker.to_string()].verdict.clone().unwrap();
    assert!(verdict.accepted, "io-proof's verifier refused the answer: {verdict:?}");
    wait_for("the result to be saved", 30, || {
        std::fs::read_to_string(state.join("results.json")).is_ok_and(|r| r.contains("accepted"))
    })
    .await;
    assert!(w.log().contains("recomputing the chain after a restart"), "{}", w.log());
    assert!(!w.log().contains("created a new worker key"), "the key was kept");
    assert_eq!(std::fs::read_to_string(state.join("pending.json")).unwrap().trim(), "[]");

    // status --output json: the device, its on-chain status, the result, earnings, telemetry.
    let (code, out, err) = worker_once(&rpc, &state, &["status", "--output", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["device"], device.to_string());
    assert_eq!(s["on_chain_status"], "pending");
    assert_eq!(s["simulated"], false);
    assert_eq!(s["worker_running"], true);
    assert_eq!(s["last_results"][0]["outcome"], "accepted");
    assert_eq!(s["last_results"][0]["challenge_id"], challenge_id.to_string());
    assert_eq!(s["earnings"], serde_json::json!([]));
    assert!(s["earnings_counted"].as_str().unwrap().contains("LeaseDevice.paid"));
    assert!(s["telemetry"]["cpu"]["utilisation_pct"].is_object());
    let (code, out, _) = worker_once(&rpc, &state, &["status"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("IO Worker") && out.contains("accepted") && out.contains("Telemetry"), "{out}");
    drop(w);

    // Earnings: the device activated, offered, leased in $IO and settled for two seconds by the
    // usage authority; status counts exactly what reached the operator's $IO account.
    let authority = |name: &str| read_key(&m.authorities[name].keypair);
    let (oracle_authority, usage) = (authority("oracle_authority"), authority("usage_authority"));
    let op_pda = io_sdk::staking::operator(&operator.pubkey());
    client
        .send_as(
            &[io_sdk::staking::activate_device(&oracle_authority.pubkey(), &op_pda, &device)],
            &[&oracle_authority],
        )
        .await
        .unwrap();
    let rate = 1_000_000_000; // 1 $IO per hour (9 decimals)
    client
        .send_as(&[io_sdk::escrow::post_offer(&operator.pubkey(), &device, 0, rate, 1, 10)], &[&operator])
        .await
        .unwrap();
    let renter = m.wallets.iter().find(|w| w.name == "renter").unwrap();
    let renter_key = read_key(&renter.keypair);
    let io_mint: Pubkey = m.mints["io"].address.parse().unwrap();
    let deposit = io_sdk::escrow::quote_deposit(&[rate], 2, 0).unwrap();
    let open = io_sdk::escrow::open_lease(
        &renter_key.pubkey(),
        7,
        &io_mint,
        &renter.io_account.parse().unwrap(),
        2,
        deposit,
        &[device],
    );
    client.send_as(&[open], &[&renter_key]).await.unwrap();
    let lease = io_sdk::escrow::lease(&renter_key.pubkey(), 7);
    let provider = anchor_spl::associated_token::get_associated_token_address(&operator.pubkey(), &io_mint);
    let before = client.token_balance(&provider).await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    client
        .send_as(&[io_sdk::escrow::settle(&usage.pubkey(), &lease, &io_mint, &provider, 0, 2)], &[&usage])
        .await
        .unwrap();
    let paid = client.token_balance(&provider).await.unwrap().unwrap() - before;
    assert!(paid > 0);
    let (code, out, err) = worker_once(&rpc, &state, &["status", "--output", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["on_chain_status"], "active");
    assert_eq!(s["serving_lease"], lease.to_string());
    assert_eq!(s["leases"], 1);
    let amount = io_sdk::amount::format(paid, 9);
    assert_eq!(s["earnings"], serde_json::json!([{"currency": "IO", "amount": amount, "base_units": paid}]));

    // detect: what the worker sees, with no chain.
    let (code, out, err) = worker_once("http://127.0.0.1:9", &state, &["detect"]).await;
    assert_eq!(code, 0, "{err}");
    let d: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(d["cpu"]["cores"].as_u64().unwrap() >= 1 && d["cpu"]["memory_mb"].as_u64().unwrap() > 0, "{d}");
    assert!(d["gpus"].as_array().unwrap().is_empty() != d["gpu_unavailable"].is_null(), "{d}");

    // A demo device of the bootstrap, with the worker key the manifest names for it.
    let demo = &m.operators[0].devices[0];
    let demo_state = dir.join("demo-worker");
    let key_arg = ["--keypair", demo.worker.keypair.as_str()];
    let (code, out, err) =
        worker_once(&rpc, &demo_state, &[&key_arg[..], &["status", "--output", "json"]].concat()).await;
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (s["device"].as_str(), s["worker"].as_str()),
        (Some(demo.address.as_str()), Some(demo.worker.pubkey.as_str()))
    );
    assert_eq!(s["record"]["class"], demo.class.as_str());

    // A GPU record on this CPU machine is refused, saying what differs.
    let gpu_state = dir.join("gpu-worker");
    let gpu_worker = new_worker_key(&rpc, &gpu_state).await;
    let gpu_device = register(
        &client,
        &operator,
        &gpu_worker,
        spec(&gpu_worker, HardwareClass::ConsumerGpu, "RTX 4090", 1, 24),
    )
    .await;
    let (code, _, err) = worker_once(&rpc, &gpu_state, &["run", "--no-clusters", "--oracle", &a_url]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("this machine does not match device {gpu_device}'s record")), "{err}");
    if io_worker::hardware::Nvml::load().is_err() {
        assert!(
            err.contains(
                "GPU count: the record says 1, this machine has 0 (libnvidia-ml.so.1 could not be loaded"
            ),
            "{err}"
        );
    } else {
        assert!(err.contains("the record says"), "{err}");
    }
    assert!(err.contains("--simulate"), "the local network's hint: {err}");

    // On this local network the same device may run simulated: marked so, light challenges.
    let (c, c_url) = start_node(read_key(&m.oracles[1].keypair), &genesis, true).await;
    let args3 = [run_args(&[&c_url]), vec!["--simulate".into()]].concat();
    let _w = spawn_worker(&rpc, &gpu_state, &args3.iter().map(String::as_str).collect::<Vec<_>>(), "log3");
    wait_for("C's verdict on the simulated device", 90, || {
        c.st.lock().unwrap().issued.values().any(|i| i.verdict.is_some())
    })
    .await;
    {
        let st = c.st.lock().unwrap();
        let i = &st.issued[&gpu_worker.to_string()];
        assert!(i.verdict.as_ref().unwrap().accepted);
        assert_eq!(i.challenge.params, io_proof::HardwareClass::ConsumerGpu.light_params());
        assert!(st.heartbeats.iter().all(|h| h.simulated && h.hardware.class == "consumer_gpu"));
    }
    let (_, out, _) = worker_once(&rpc, &gpu_state, &["status", "--output", "json"]).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&out).unwrap()["simulated"], true);
    drop(_w);

    // A key no device names, and a retired device: plain messages, exit 1.
    let (code, _, err) =
        worker_once(&rpc, &dir.join("stranger"), &["run", "--no-clusters", "--oracle", &a_url]).await;
    assert_eq!(code, 1);
    assert!(err.contains("no device on this cluster names the worker key"), "{err}");
    client
        .send_as(&[io_sdk::staking::deregister_device(&operator.pubkey(), &gpu_device)], &[&operator])
        .await
        .unwrap();
    let (code, _, err) =
        worker_once(&rpc, &gpu_state, &["run", "--no-clusters", "--oracle", &a_url, "--simulate"]).await;
    assert_eq!(code, 1);
    assert!(err.contains(&format!("device {gpu_device} is retired")), "{err}");

    // Jailed by the oracles: refused too.
    client
        .send_as(
            &[io_sdk::staking::jail_device(&oracle_authority.pubkey(), &op_pda, &device)],
            &[&oracle_authority],
        )
        .await
        .unwrap();
    let (code, _, err) = worker_once(&rpc, &state, &["run", "--no-clusters", "--oracle", &a_url]).await;
    assert_eq!(code, 1);
    assert!(err.contains(&format!("device {device} is jailed by the oracles")), "{err}");

    // The operator rotates the device's key: the old key finds no device, the new one finds it.
    let rotated_state = dir.join("rotated");
    let rotated = new_worker_key(&rpc, &rotated_state).await;
    client
        .send_as(&[io_sdk::staking::bind_worker(&operator.pubkey(), &device, rotated)], &[&operator])
        .await
        .unwrap();
    let (code, _, err) = worker_once(&rpc, &state, &["run", "--no-clusters", "--oracle", &a_url]).await;
    assert_eq!(code, 1);
    assert!(err.contains(&format!("no device on this cluster names the worker key {worker}")), "{err}");
    let (code, _, err) =
        worker_once(&rpc, &rotated_state, &["run", "--no-clusters", "--oracle", &a_url]).await;
    assert_eq!(code, 1);
    assert!(err.contains(&format!("device {device} is jailed")), "found by the new key: {err}");

    drop(net);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- a leased cluster -----------------------------------------------------------------------

/// The oracle side a leased cluster needs: heartbeats accepted (no challenges), and each
/// device's latest signed heartbeat served back, where a joining worker finds the head's gateway.
#[derive(Clone, Default)]
struct Directory {
    latest: Arc<Mutex<HashMap<String, Signed>>>,
}

async fn directory_heartbeat(State(d): State<Directory>, Json(signed): Json<Signed>) -> Json<HeartbeatReply> {
    if let Ok((_, hb)) = signed.open::<Heartbeat>(Kind::Heartbeat) {
        d.latest.lock().unwrap().insert(hb.device, signed);
    }
    Json(HeartbeatReply::default())
}

async fn directory_latest(
    State(d): State<Directory>,
    axum::extract::Path(device): axum::extract::Path<String>,
) -> Result<Json<Signed>, axum::http::StatusCode> {
    d.latest.lock().unwrap().get(&device).cloned().map(Json).ok_or(axum::http::StatusCode::NOT_FOUND)
}

impl Directory {
    fn last(&self, device: &str) -> Option<Heartbeat> {
        let s = self.latest.lock().unwrap().get(device).cloned()?;
        Some(s.open::<Heartbeat>(Kind::Heartbeat).unwrap().1)
    }
}

/// The demo's two-device lease, served by two workers with clusters on (each on its own
/// loopback address and Ray port block): the head's worker starts Ray, the other joins through
/// the head's gateway; the renter's signed request reaches Ray's job API; closing the lease stops
/// both nodes and wipes their files. Needs the pinned Ray venv (installed when missing).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lease_becomes_a_cluster_until_it_is_closed() {
    use io_worker::cluster::{node, ray};
    tokio::task::spawn_blocking(|| ray::install(&ray::default_venv()))
        .await
        .unwrap()
        .expect("the pinned Ray installs");
    let dir = std::env::temp_dir().join(format!("io-worker-lease-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = Config { demo_activity: true, ..Config::ephemeral(dir.join("net")) };
    let net = Localnet::start(config).await.expect("local network starts");
    let rpc = net.rpc_url.clone();
    let m = &net.manifest;
    let demo = m.demo.clone().expect("the demo lease");
    let lease: Pubkey = demo.lease.parse().unwrap();
    let devices: Vec<Pubkey> = demo.lease_devices.iter().map(|d| d.parse().unwrap()).collect();
    let state_of = |d: &str| {
        let info = m.operators.iter().flat_map(|o| &o.devices).find(|i| i.address == d).unwrap();
        PathBuf::from(&info.worker_state_dir)
    };

    let directory = Directory::default();
    let app = Router::new()
        .route(paths::HEARTBEAT, post(directory_heartbeat))
        .route("/v1/devices/{device}/heartbeat", axum::routing::get(directory_latest))
        .with_state(directory.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.49:32090").await.unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });

    let started = Instant::now();
    let gateways = ["127.0.0.47:32060", "127.0.0.48:32061"];
    let mut workers = vec![];
    for (i, (d, (gw, ports))) in devices.iter().zip(gateways.iter().zip(["32400", "32600"])).enumerate() {
        let ip = gw.split(':').next().unwrap();
        let args = [
            "run",
            "--simulate",
            "--oracle",
            "http://127.0.0.49:32090",
            "--heartbeat-secs",
            "1",
            "--gateway",
            gw,
            "--cluster-ip",
            ip,
            "--ray-ports",
            ports,
            "--lease-poll-secs",
            "1",
            "--ray-object-store-mb",
            "100",
        ];
        workers.push(spawn_worker(&rpc, &state_of(&d.to_string()), &args, &format!("cluster{i}")));
    }
    let serving = |d: &Pubkey| {
        directory.last(&d.to_string()).and_then(|hb| hb.lease_cluster).is_some_and(|r| r.serves(&demo.lease))
    };
    let until = Instant::now() + Duration::from_secs(150);
    while !devices.iter().all(serving) {
        for w in &mut workers {
            assert!(w.alive(), "a worker exited: {}", w.log());
        }
        assert!(
            Instant::now() < until,
            "no cluster after 150 s:\n{}\n---\n{}",
            workers[0].log(),
            workers[1].log()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!(
        "both devices serve the lease's cluster {:.1} s after the workers started",
        started.elapsed().as_secs_f64()
    );
    let head_hb = directory.last(&devices[0].to_string()).unwrap();
    assert_eq!(head_hb.endpoint.as_deref(), Some("http://127.0.0.47:32060"));

    // The renter reaches Ray's job API through the head's gateway; the other device's gateway
    // names the head.
    let client = Client::new(
        rpc.clone(),
        solana_commitment_config::CommitmentConfig::confirmed(),
        read_key(&m.wallet("renter").unwrap().keypair),
    );
    let genesis = client.rpc.get_genesis_hash().await.unwrap().to_string();
    let renter = read_key(&m.wallet("renter").unwrap().keypair);
    let signed = |n: u8| {
        let a = io_sdk::worker::cluster::access(&genesis, &lease, &devices[0], [n; 32], io_worker::now_ms());
        io_sdk::worker::cluster::access_header(renter.secret_bytes(), &a)
    };
    let get = |h: String| format!("GET /api/jobs/ HTTP/1.1\r\nHost: x\r\nx-io-lease-access: {h}\r\n\r\n");
    let (status, body) = send_raw(gateways[0], &get(signed(1))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send_raw(gateways[1], &get(signed(2))).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains(&devices[0].to_string()), "{body}");

    // Closing the lease stops both nodes and wipes their files.
    let usdc: Pubkey = m.mints["usdc"].address.parse().unwrap();
    let renter_usdc = anchor_spl::associated_token::get_associated_token_address(&renter.pubkey(), &usdc);
    let closed = Instant::now();
    client
        .send_as(
            &[io_sdk::escrow::close_lease(&renter.pubkey(), &lease, &usdc, &renter_usdc, &devices)],
            &[&renter],
        )
        .await
        .unwrap();
    let dirs: Vec<PathBuf> =
        devices.iter().map(|d| io_sdk::worker::cluster::node_dir(&demo.lease, &d.to_string())).collect();
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let reports: Vec<_> =
            devices.iter().map(|d| directory.last(&d.to_string()).unwrap().lease_cluster).collect();
        let gone = dirs.iter().all(|d| !d.exists() && node::processes_of(d).is_empty());
        if gone && reports.iter().all(Option::is_none) {
            break;
        }
        assert!(Instant::now() < until, "still running 30 s after the close: {reports:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "closed: no Ray process and no file left {:.1} s after the close",
        closed.elapsed().as_secs_f64()
    );
    for w in &workers {
        assert!(w.log().contains("ended: cluster stopped, working files wiped"), "{}", w.log());
    }
    drop(workers);
    let _ = std::fs::remove_dir_all(&dir);
}
