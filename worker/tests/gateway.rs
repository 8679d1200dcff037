//! The worker's gateway over real TCP, in front of a plain upstream HTTP server standing in for
//! the Ray dashboard that records every connection it gets: the renter's signed requests pass
//! (with Ray's token, without the access header), every other request is refused with its JSON
//! code before any upstream connection, a WebSocket-style upgrade is spliced both ways, and
//! joins are granted only to the lease's devices signed by their worker keys.
//!
//! Addresses: 127.0.0.41–.49, ports 32000–32999 (this test's share of the host).
mod common;

use common::send_raw;
use ed25519_dalek::SigningKey;
use io_sdk::{
    worker::{
        cluster::{
            access, access_header, paths, ClusterState, ClusterView, JoinGrant, NodeView, Role, ACCESS_HEADER,
        },
        Signed,
    },
    Pubkey,
};
use io_worker::cluster::{
    context::{LeaseCluster, Member, Shared},
    gateway::Gateway,
    join,
};
use std::{
    sync::{atomic::Ordering, Arc, Mutex},
    time::Duration,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

const GENESIS: &str = "GenesisOfTheTestCluster1111111111111111111";
const TOKEN: &str = "ray-token-of-the-lease";

fn key(seed: u8) -> ([u8; 32], Pubkey) {
    let secret = [seed; 32];
    (secret, Pubkey::new_from_array(SigningKey::from_bytes(&secret).verifying_key().to_bytes()))
}

/// A lease of two devices: `head` (this gateway's device) and `other`, rented by `renter`.
struct World {
    renter: ([u8; 32], Pubkey),
    lease: Pubkey,
    head: Pubkey,
    other: Pubkey,
    other_worker: ([u8; 32], Pubkey),
}

fn world() -> World {
    World {
        renter: key(7),
        lease: Pubkey::new_from_array([1; 32]),
        head: Pubkey::new_from_array([2; 32]),
        other: Pubkey::new_from_array([3; 32]),
        other_worker: key(8),
    }
}

fn lease_cluster(w: &World, state: ClusterState, dashboard: &str) -> LeaseCluster {
    let members = vec![
        Member { device: w.head, worker: key(9).1 },
        Member { device: w.other, worker: w.other_worker.1 },
    ];
    let mut c = LeaseCluster::new(w.lease, w.renter.1, members, &w.head, 0).unwrap();
    assert_eq!(c.role, Role::Head);
    c.token = TOKEN.into();
    c.dashboard = Some(dashboard.into());
    c.gcs = Some("127.0.0.41:32979".into());
    c.nodes = vec![NodeView { ip: "127.0.0.41".into(), alive: true, device: None }];
    c.set_state(state, None, io_worker::now_ms());
    c
}

/// The stand-in for Ray's dashboard: records each connection's request head, answers 200, or
/// for an upgrade 101 and then echoes what follows.
#[derive(Default)]
struct Upstream {
    seen: Mutex<Vec<String>>,
}

async fn upstream(addr: &str) -> Arc<Upstream> {
    let l = TcpListener::bind(addr).await.unwrap();
    let up = Arc::new(Upstream::default());
    let u = up.clone();
    tokio::spawn(async move {
        loop {
            let (mut c, _) = l.accept().await.unwrap();
            let u = u.clone();
            tokio::spawn(async move {
                let head = read_head(&mut c).await;
                u.seen.lock().unwrap().push(head.clone());
                if head.to_ascii_lowercase().contains("upgrade: websocket") {
                    c.write_all(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                        .await
                        .unwrap();
                    let mut buf = [0u8; 64];
                    loop {
                        let n = c.read(&mut buf).await.unwrap_or(0);
                        if n == 0 || c.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                }
                let _ = c
                    .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nfrom-ray")
                    .await;
            });
        }
    });
    up
}

async fn read_head(c: &mut TcpStream) -> String {
    let mut buf = vec![];
    let mut b = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if c.read(&mut b).await.unwrap() == 0 {
            break;
        }
        buf.push(b[0]);
    }
    String::from_utf8(buf).unwrap()
}

async fn gateway(addr: &str, shared: Arc<Shared>, device: Pubkey) {
    let l = TcpListener::bind(addr).await.unwrap();
    let g = Gateway::new(GENESIS.into(), device, shared);
    tokio::spawn(g.serve(l));
}

fn get(path: &str, access: Option<&str>) -> String {
    let h = access.map(|a| format!("{ACCESS_HEADER}: {a}\r\n")).unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: x\r\n{h}Connection: keep-alive\r\nAuthorization: Bearer renters-guess\r\n\r\n")
}

fn signed(w: &World, secret: &[u8; 32], lease: &Pubkey, nonce: u8) -> String {
    access_header(secret, &access(GENESIS, lease, &w.head, [nonce; 32], io_worker::now_ms()))
}

fn code(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    v["error"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn only_the_renters_fresh_signed_request_reaches_ray() {
    let (gw, ray) = ("127.0.0.41:32001", "127.0.0.42:32002");
    let w = world();
    let up = upstream(ray).await;
    let shared = Arc::new(Shared::new(Some(lease_cluster(&w, ClusterState::Serving, ray))));
    gateway(gw, shared.clone(), w.head).await;

    let ok = signed(&w, &w.renter.0, &w.lease, 1);
    let (status, body) = send_raw(gw, &get("/api/jobs/?x=1", Some(&ok))).await;
    assert_eq!((status, body.as_str()), (200, "from-ray"));
    {
        let seen = up.seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let h = seen[0].to_ascii_lowercase();
        assert!(h.starts_with("get /api/jobs/?x=1 http/1.1\r\n"), "{h}");
        assert!(h.contains(&format!("authorization: bearer {TOKEN}\r\n")), "{h}");
        assert!(!h.contains("renters-guess") && !h.contains(ACCESS_HEADER), "{h}");
        assert!(h.contains("connection: close\r\n") && !h.contains("keep-alive"), "{h}");
    }

    // Each refused with its code, and none reaches the upstream.
    let other_wallet = signed(&w, &key(42).0, &w.lease, 2);
    let other_lease = signed(&w, &w.renter.0, &Pubkey::new_from_array([5; 32]), 3);
    let cases = [
        (Some(other_wallet.as_str()), 403, "not_renter"),
        (Some(ok.as_str()), 403, "replayed"),
        (Some(other_lease.as_str()), 403, "wrong_lease"),
        (None, 401, "missing_access"),
        (Some("not json"), 401, "malformed_access"),
    ];
    for (access, want_status, want_code) in cases {
        let (status, body) = send_raw(gw, &get("/api/jobs/", access)).await;
        assert_eq!((status, code(&body).as_str()), (want_status, want_code), "{body}");
    }
    assert_eq!(up.seen.lock().unwrap().len(), 1, "a refused request reached the upstream");
    assert_eq!(shared.forwarded.load(Ordering::Relaxed), 1);
    assert_eq!(shared.refused.load(Ordering::Relaxed), 5);

    // The renter's cluster view, answered by the gateway itself.
    let (status, body) =
        send_raw(gw, &get(paths::CLUSTER, Some(&signed(&w, &w.renter.0, &w.lease, 4)))).await;
    assert_eq!(status, 200, "{body}");
    let view: ClusterView = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (view.lease, view.head, view.state),
        (w.lease.to_string(), w.head.to_string(), ClusterState::Serving)
    );
    assert_eq!(view.nodes.len(), 1);
    let (status, body) = send_raw(gw, &get(paths::CLUSTER, None)).await;
    assert_eq!((status, code(&body).as_str()), (401, "missing_access"));
    assert_eq!(up.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_websocket_upgrade_is_spliced_both_ways() {
    let (gw, ray) = ("127.0.0.41:32011", "127.0.0.42:32012");
    let w = world();
    let up = upstream(ray).await;
    let shared = Arc::new(Shared::new(Some(lease_cluster(&w, ClusterState::Serving, ray))));
    gateway(gw, shared, w.head).await;
    let mut c = TcpStream::connect(gw).await.unwrap();
    let req = format!(
        "GET /api/jobs/raysubmit_1/logs/tail HTTP/1.1\r\nHost: x\r\n{ACCESS_HEADER}: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        signed(&w, &w.renter.0, &w.lease, 1)
    );
    c.write_all(req.as_bytes()).await.unwrap();
    let head = read_head(&mut c).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    for msg in [&b"frame-1"[..], b"frame-2"] {
        c.write_all(msg).await.unwrap();
        let mut back = vec![0u8; msg.len()];
        tokio::time::timeout(Duration::from_secs(5), c.read_exact(&mut back)).await.unwrap().unwrap();
        assert_eq!(back, msg);
    }
    let seen = up.seen.lock().unwrap();
    assert!(
        seen[0].contains("Connection: Upgrade") && seen[0].contains(&format!("Bearer {TOKEN}")),
        "{}",
        seen[0]
    );
}

fn join_request(body: &Signed) -> String {
    let body = serde_json::to_string(body).unwrap();
    format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        paths::JOIN,
        body.len()
    )
}

fn join_of(w: &World, device: &Pubkey, secret: &[u8; 32], nonce: u8) -> Signed {
    join::signed_join(GENESIS, &w.lease, device, &w.head, secret, [nonce; 32], io_worker::now_ms())
}

#[tokio::test]
async fn joins_go_to_the_leases_devices_once_the_head_is_ready() {
    let (gw, ray) = ("127.0.0.41:32021", "127.0.0.42:32022");
    let w = world();
    let up = upstream(ray).await;
    let shared = Arc::new(Shared::new(Some(lease_cluster(&w, ClusterState::Starting, ray))));
    gateway(gw, shared.clone(), w.head).await;

    // While the head starts: 503, and the joining worker asks again.
    let (status, body) = send_raw(gw, &join_request(&join_of(&w, &w.other, &w.other_worker.0, 1))).await;
    assert_eq!((status, code(&body).as_str()), (503, "starting"), "{body}");
    // So does a renter request (checked first: its nonce is spent).
    let (status, body) = send_raw(gw, &get("/api/jobs/", Some(&signed(&w, &w.renter.0, &w.lease, 1)))).await;
    assert_eq!((status, code(&body).as_str()), (503, "starting"), "{body}");

    shared.update(&w.lease, |c| c.set_state(ClusterState::Serving, None, io_worker::now_ms()));
    let stranger = Pubkey::new_from_array([6; 32]);
    let cases = [
        (join_of(&w, &stranger, &key(10).0, 2), 403, "not_in_lease"),
        (join_of(&w, &w.other, &key(11).0, 3), 403, "wrong_signer"),
    ];
    for (j, want_status, want_code) in cases {
        let (status, body) = send_raw(gw, &join_request(&j)).await;
        assert_eq!((status, code(&body).as_str()), (want_status, want_code), "{body}");
    }
    let good = join_of(&w, &w.other, &w.other_worker.0, 4);
    let (status, body) = send_raw(gw, &join_request(&good)).await;
    assert_eq!(status, 200, "{body}");
    let grant: JoinGrant = serde_json::from_str(&body).unwrap();
    assert_eq!(grant.gcs, "127.0.0.41:32979");
    assert_eq!(grant.token, TOKEN);
    assert_eq!(grant.dashboard.as_deref(), Some(ray));
    // The same signed join again is a replay.
    let (status, body) = send_raw(gw, &join_request(&good)).await;
    assert_eq!((status, code(&body).as_str()), (403, "replayed"), "{body}");
    assert!(up.seen.lock().unwrap().is_empty(), "a join or a refusal reached Ray");
}

#[tokio::test]
async fn a_device_that_heads_no_lease_has_no_cluster() {
    let gw = "127.0.0.41:32031";
    let w = world();
    let shared = Arc::new(Shared::new(None));
    gateway(gw, shared.clone(), w.head).await;
    let (status, body) = send_raw(gw, &get("/api/jobs/", Some(&signed(&w, &w.renter.0, &w.lease, 1)))).await;
    assert_eq!((status, code(&body).as_str()), (404, "no_cluster"));
    assert!(body.contains("serves no lease"), "{body}");

    // The lease's other device: its gateway names the head.
    let gw2 = "127.0.0.43:32032";
    let mut node = lease_cluster(&w, ClusterState::Serving, "127.0.0.42:32039");
    node.role = Role::Node;
    gateway(gw2, Arc::new(Shared::new(Some(node))), w.other).await;
    let (status, body) = send_raw(gw2, &get("/api/jobs/", Some(&signed(&w, &w.renter.0, &w.lease, 2)))).await;
    assert_eq!((status, code(&body).as_str()), (404, "no_cluster"));
    assert!(body.contains(&w.head.to_string()), "{body}");
}
