//! A two-device lease's cluster with real Ray, without a chain: the head device's worker starts
//! the Ray head behind its gateway; the other device's worker finds the head's gateway in the
//! head's signed heartbeat (served by a stand-in oracle node), joins through it and starts its
//! node. The renter's signed request reaches Ray's job API through the gateway; the cluster view
//! lists both nodes alive; a node whose Ray is killed reports Failed and joins again; the stop
//! leaves no process and no file.
//!
//! Needs the pinned Ray venv (installed into the default place when missing; CI has PyPI).
//! Addresses 127.0.0.44–.46, ports 32040–32099 and Ray blocks at 32100 and 32300.
mod common;

use axum::{routing::get, Json, Router};
use common::send_raw;
use io_sdk::{
    worker::{
        cluster::{access, access_header, paths, ClusterState, ClusterView, ACCESS_HEADER},
        http_head::RequestHead,
        Hardware, Signed,
    },
    Pubkey,
};
use io_worker::{
    chain::Chain,
    cluster::{
        context::{LeaseCluster, Member},
        gateway::Gateway,
        node, ray,
        serve::{self, LeaseRun},
        Resources, Settings,
    },
    prove::Identity,
    run::Worker,
    state::StateDir,
    telemetry::Sampler,
};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{sync::Arc, time::Duration, time::Instant};
use tokio::{net::TcpListener, sync::oneshot};

const GENESIS: &str = "GenesisOfTheTestCluster1111111111111111111";
const ORACLE: &str = "127.0.0.46:32041";

fn worker(key: &Keypair, device: Pubkey, dir: &std::path::Path, endpoint: &str) -> Arc<Worker> {
    let id = Identity::new(key, device, io_staking::HardwareClass::Cpu, true, GENESIS.into());
    // Never contacted: the lease is given, not read from a chain.
    let chain = Chain::new("http://127.0.0.1:9", key);
    let hardware = Hardware {
        class: "cpu".into(),
        gpu_model: String::new(),
        gpu_count: 0,
        vram_gb: 0,
        driver: None,
        gpu_uuids: vec![],
        cpu_model: "test".into(),
        cpu_cores: 1,
        memory_mb: 2048,
    };
    let w = Worker::new(id, chain, StateDir::new(dir), hardware, Sampler::new(None, vec![])).unwrap();
    Arc::new(w.with_clusters(endpoint.into()))
}

fn settings(ip: &str, gateway: &str, ray_ports: u16) -> Settings {
    Settings {
        venv: ray::default_venv(),
        gateway: gateway.parse().unwrap(),
        public_url: format!("http://{gateway}"),
        cluster_ip: ip.parse().unwrap(),
        ray_ports,
        object_store_bytes: 100 * 1024 * 1024,
        lease_poll: Duration::from_secs(1),
        resources: Resources { cpus: 1, gpus: 0, memory_bytes: 1 << 30 },
        oracles: vec![format!("http://{ORACLE}")],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_two_device_lease_forms_one_cluster_reached_only_through_the_gateway() {
    let _ = tracing_subscriber::fmt().with_env_filter("io_worker=info").with_test_writer().try_init();
    let venv = ray::default_venv();
    let v = venv.clone();
    tokio::task::spawn_blocking(move || ray::install(&v)).await.unwrap().expect("the pinned Ray installs");
    let dir = std::env::temp_dir().join(format!("io-worker-lease-cluster-{}", std::process::id()));
    let (head_key, node_key, renter) = (Keypair::new(), Keypair::new(), Keypair::new());
    let (head_dev, node_dev) = (Pubkey::new_from_array([21; 32]), Pubkey::new_from_array([22; 32]));
    let lease = Pubkey::new_from_array([23; 32]);
    let members = vec![
        Member { device: head_dev, worker: head_key.pubkey() },
        Member { device: node_dev, worker: node_key.pubkey() },
    ];
    let seen_ms = io_worker::now_ms();
    let head_gw = "127.0.0.44:32040";

    // The head's worker and its gateway.
    let head = worker(&head_key, head_dev, &dir.join("head"), &format!("http://{head_gw}"));
    let head_shared = head.cluster.clone().unwrap();
    let mut head_lease =
        LeaseCluster::new(lease, renter.pubkey(), members.clone(), &head_dev, seen_ms).unwrap();
    head_lease.token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into();
    head_shared.set(Some(head_lease.clone()));
    let listener = TcpListener::bind(head_gw).await.unwrap();
    tokio::spawn(Gateway::new(GENESIS.into(), head_dev, head_shared.clone()).serve(listener));

    // The stand-in oracle node serves the head's last signed heartbeat, naming the lease it
    // serves (as the lease watcher sets it).
    *head.serving_lease.lock().unwrap() = Some(lease.to_string());
    let hb: Signed = head.heartbeat();
    let app = Router::new()
        .route(&format!("/v1/devices/{head_dev}/heartbeat"), get(move || async move { Json(hb) }));
    let l = TcpListener::bind(ORACLE).await.unwrap();
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });

    let began = Instant::now();
    let (head_stop, rx) = oneshot::channel();
    let head_task = tokio::spawn(serve::serve(
        LeaseRun {
            worker: head.clone(),
            shared: head_shared.clone(),
            settings: settings("127.0.0.44", head_gw, 32100),
            lease: head_lease,
        },
        rx,
    ));
    // The other device's worker: it learns everything of Ray from the join.
    let node_w = worker(&node_key, node_dev, &dir.join("node"), "http://127.0.0.45:32042");
    let node_shared = node_w.cluster.clone().unwrap();
    let node_lease = LeaseCluster::new(lease, renter.pubkey(), members, &node_dev, seen_ms).unwrap();
    node_shared.set(Some(node_lease.clone()));
    let (node_stop, rx) = oneshot::channel();
    let node_task = tokio::spawn(serve::serve(
        LeaseRun {
            worker: node_w.clone(),
            shared: node_shared.clone(),
            settings: settings("127.0.0.45", "127.0.0.45:32042", 32300),
            lease: node_lease,
        },
        rx,
    ));

    let serving =
        |s: &io_worker::cluster::context::Shared| s.report().is_some_and(|r| r.serves(&lease.to_string()));
    let mut head_ready = None;
    while !(serving(&head_shared) && serving(&node_shared)) {
        if head_ready.is_none() && serving(&head_shared) {
            head_ready = Some(began.elapsed());
        }
        for s in [&head_shared, &node_shared] {
            let r = s.report().unwrap();
            assert_ne!(r.state, ClusterState::Failed, "{r:?}");
        }
        assert!(
            began.elapsed() < Duration::from_secs(150),
            "not serving after 150 s: {:?} {:?}",
            head_shared.report(),
            node_shared.report()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "head serving after {:?}, both after {:?}",
        head_ready.unwrap_or(began.elapsed()),
        began.elapsed()
    );
    // Heartbeats now say so.
    let (_, hb) =
        head.heartbeat().open::<io_sdk::worker::Heartbeat>(io_sdk::worker::Kind::Heartbeat).unwrap();
    assert!(hb.lease_cluster.unwrap().serves(&lease.to_string()));
    assert_eq!(hb.endpoint.as_deref(), Some("http://127.0.0.44:32040"));

    // The renter reaches the job API, and sees both nodes alive.
    let signed = |n: u8| {
        access_header(
            renter.secret_bytes(),
            &access(GENESIS, &lease, &head_dev, [n; 32], io_worker::now_ms()),
        )
    };
    let get = |path: &str, a: Option<String>| {
        let h = a.map(|a| format!("{ACCESS_HEADER}: {a}\r\n")).unwrap_or_default();
        format!("GET {path} HTTP/1.1\r\nHost: x\r\n{h}\r\n")
    };
    let (status, body) = send_raw(head_gw, &get("/api/jobs/", Some(signed(1)))).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.trim_start().starts_with('['), "{body}");
    let (status, body) = send_raw(head_gw, &get("/api/jobs/", None)).await;
    assert_eq!(status, 401, "{body}");
    let until = Instant::now() + Duration::from_secs(30);
    let mut n = 2u8;
    loop {
        let (status, body) = send_raw(head_gw, &get(paths::CLUSTER, Some(signed(n)))).await;
        assert_eq!(status, 200, "{body}");
        let view: ClusterView = serde_json::from_str(&body).unwrap();
        if view.nodes.iter().filter(|n| n.alive).count() == 2 {
            println!("cluster view: {view:?}");
            break;
        }
        assert!(Instant::now() < until, "the head does not list both nodes alive: {view:?}");
        n += 1;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // The gateway's cost on Ray's job API: GET /api/jobs/ straight to the dashboard (with the
    // token) against through the gateway (signed, checked, rewritten), interleaved, a new
    // connection each (as the Ray CLI does). Printed for the figures; the bound is loose
    // so that a loaded machine does not fail it.
    let dashboard = head_shared.get().unwrap().dashboard.unwrap();
    let token = head_shared.get().unwrap().token;
    let direct_req = format!(
        "GET /api/jobs/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    let (mut direct, mut via) = (vec![], vec![]);
    for i in 0..40u8 {
        let t = Instant::now();
        assert_eq!(send_raw(&dashboard, &direct_req).await.0, 200);
        direct.push(t.elapsed());
        let req = get("/api/jobs/", Some(signed(100 + i)));
        let t = Instant::now();
        assert_eq!(send_raw(head_gw, &req).await.0, 200);
        via.push(t.elapsed());
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (d, g) = (median(&mut direct), median(&mut via));
    // Of which the check itself (signature, renter, lease, device, time, nonce) and the rewrite,
    // without any I/O: most of the difference in a debug build is ed25519 unoptimised.
    let checker = Gateway::new(GENESIS.into(), head_dev, head_shared.clone());
    let mut check = (0..20u8)
        .map(|i| {
            let raw = get("/api/jobs/", Some(signed(200 + i)));
            let t = Instant::now();
            checker.admit(RequestHead::parse(raw.as_bytes()).unwrap(), io_worker::now_ms()).unwrap();
            t.elapsed()
        })
        .collect::<Vec<_>>();
    let c = median(&mut check);
    println!(
        "GET /api/jobs/ median: direct {d:?}, through the gateway {g:?} (+{:?}; the check alone {c:?})",
        g.saturating_sub(d)
    );
    assert!(g < d + Duration::from_millis(50), "the gateway adds {:?}", g.saturating_sub(d));

    // A node whose Ray dies reports Failed with the reason, then joins again by itself.
    let node_dir = io_sdk::worker::cluster::node_dir(&lease.to_string(), &node_dev.to_string());
    let pids = node::processes_of(&node_dir);
    assert!(!pids.is_empty());
    for pid in pids {
        // SAFETY: kill(2) of processes of the node this test started (found by its temp dir).
        unsafe { libc::kill(i32::try_from(pid).unwrap(), libc::SIGKILL) };
    }
    let killed = Instant::now();
    let state = || node_shared.report().unwrap().state;
    while state() != ClusterState::Failed {
        assert!(killed.elapsed() < Duration::from_secs(15), "the dead node still reports {:?}", state());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "the killed node reported Failed after {:?}: {:?}",
        killed.elapsed(),
        node_shared.report().unwrap().why
    );
    assert!(node_shared.report().unwrap().why.unwrap().contains("the Ray node exited"));
    while state() != ClusterState::Serving {
        assert!(
            killed.elapsed() < Duration::from_secs(90),
            "the node did not rejoin: {:?}",
            node_shared.report()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!("the node served again {:?} after it was killed", killed.elapsed());

    // The lease ends: every process gone, every file wiped.
    let dirs = [
        io_sdk::worker::cluster::node_dir(&lease.to_string(), &head_dev.to_string()),
        io_sdk::worker::cluster::node_dir(&lease.to_string(), &node_dev.to_string()),
    ];
    let stopping = Instant::now();
    node_stop.send(()).unwrap();
    head_stop.send(()).unwrap();
    node_task.await.unwrap().unwrap();
    head_task.await.unwrap().unwrap();
    println!("both nodes stopped in {:?}", stopping.elapsed());
    for d in &dirs {
        assert!(!d.exists(), "{} left behind", d.display());
        assert_eq!(node::processes_of(d), Vec::<u32>::new(), "processes of {} left", d.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
