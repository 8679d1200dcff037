//! Ingestion under faults, on SQLite and PostgreSQL: a node on another chain (another genesis
//! hash), a node that forked below the indexed data or fell behind it, and a node that accepts
//! connections and never answers (a real socket that hangs: `/health` must say so within
//! seconds, and stopping must not wait on it).
use crate::common::fixtures::{net, sig};
use crate::common::{snapshot, TestDb};
use crate::dual;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::{extract::State, routing::post, Json, Router};
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::feed::Feed;
use io_indexer::ingest::rpc::Retry;
use io_indexer::ingest::{IngestError, Ingestor};
use io_indexer::settings::IngestSettings;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;
use tower::ServiceExt;

dual!(
    a_new_genesis_is_refused_and_with_the_flag_wiped,
    a_fork_below_the_indexed_data_is_refused_and_a_node_behind_is_waited_for,
    a_hanging_node_turns_health_red_within_seconds_and_does_not_hold_up_shutdown,
);

/// What the fake node answers.
#[derive(Clone)]
struct Chain {
    genesis: String,
    slot: u64,
    /// Whether `getSignatureStatuses` finds the signatures asked about.
    knows_signatures: bool,
    /// What `getSignaturesForAddress` lists (newest first), for every program.
    listed: Vec<(String, u64)>,
}

/// A JSON-RPC node on a real socket answering from `chain` (which the test may change).
async fn node(chain: Chain) -> (String, Arc<Mutex<Chain>>) {
    let chain = Arc::new(Mutex::new(chain));
    let app = Router::new()
        .route(
            "/",
            post(|State(c): State<Arc<Mutex<Chain>>>, Json(req): Json<Value>| async move {
                let c = c.lock().unwrap().clone();
                let result = match req["method"].as_str().unwrap_or_default() {
                    "getGenesisHash" => json!(c.genesis),
                    "getSlot" => json!(c.slot),
                    "getBlockTime" => Value::Null,
                    "getSignatureStatuses" => {
                        let n = req["params"][0].as_array().map_or(0, Vec::len);
                        let one = if c.knows_signatures {
                            json!({ "slot": 1, "confirmationStatus": "confirmed" })
                        } else {
                            Value::Null
                        };
                        json!({ "context": { "slot": c.slot }, "value": vec![one; n] })
                    }
                    "getSignaturesForAddress" => json!(c
                        .listed
                        .iter()
                        .map(|(s, slot)| json!({ "signature": s, "slot": slot }))
                        .collect::<Vec<_>>()),
                    "getTransaction" => Value::Null,
                    m => panic!("the fake node does not serve {m}"),
                };
                Json(json!({ "jsonrpc": "2.0", "id": req["id"], "result": result }))
            }),
        )
        .with_state(chain.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, chain)
}

fn settings(url: &str) -> IngestSettings {
    let mut s = IngestSettings::for_rpc(url);
    s.websocket = false;
    s.account_sync = false;
    s.poll_ms = 20;
    s
}

fn quick() -> Retry {
    Retry { attempts: 2, first_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(2) }
}

/// Runs an ingestor until `done` holds (checked every 10 ms, 10 s at most), then stops it; its
/// result.
async fn run_until<F, Fut>(db: &TestDb, s: IngestSettings, mut done: F) -> Result<(), IngestError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let (stop, mut rx) = watch::channel(false);
    let task = tokio::spawn(Ingestor::new(db.store.clone(), s).with_retry(quick()).run(async move {
        let _ = rx.wait_for(|s| *s).await;
    }));
    let start = Instant::now();
    while !task.is_finished() && !done().await {
        assert!(start.elapsed() < Duration::from_secs(10), "the condition never held");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = stop.send(true);
    task.await.unwrap()
}

fn chain(genesis: &str) -> Chain {
    Chain { genesis: genesis.into(), slot: 100, knows_signatures: true, listed: vec![] }
}

async fn a_new_genesis_is_refused_and_with_the_flag_wiped(db: TestDb) {
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    // A database that never saw a node adopts the first one's chain.
    let (a, _) = node(chain("GenesisA")).await;
    let recorded = || async { db.store.chain_identity().await.unwrap().is_some() };
    run_until(&db, settings(&a), recorded).await.expect("same chain");
    let id = db.store.chain_identity().await.unwrap().unwrap();
    assert_eq!((id.genesis_hash.as_str(), id.rpc_url.as_str()), ("GenesisA", a.as_str()));
    let before = snapshot(&db.store).await;

    // The local network restarted: another genesis. Refused, with what to do, nothing changed.
    // (The new chain is young: its tip is below the old chain's indexed slot.)
    let (b, _) = node(Chain { slot: 7, ..chain("GenesisB") }).await;
    let err = run_until(&db, settings(&b), || async { false }).await.expect_err("another chain is refused");
    let msg = err.to_string();
    assert!(matches!(err, IngestError::OtherChain(_)), "{msg}");
    assert!(
        msg.contains("GenesisA") && msg.contains("GenesisB") && msg.contains("--reset-on-new-chain"),
        "{msg}"
    );
    assert_eq!(snapshot(&db.store).await, before, "a refused chain changes nothing");

    // With the flag: wiped, and the new chain recorded.
    let mut s = settings(&b);
    s.reset_on_new_chain = true;
    // (Mid-wipe the table may not exist: not done yet.)
    let reset = || async {
        db.store.chain_identity().await.ok().flatten().is_some_and(|c| c.genesis_hash == "GenesisB")
            && db.store.sync_state().await.is_ok_and(|s| s.indexed_slot == 7)
    };
    run_until(&db, s, reset).await.expect("reset");
    let after = snapshot(&db.store).await;
    let count = |t: &str| after.iter().find(|(n, _, _)| n == t).map(|x| x.1);
    assert_eq!((count("events"), count("transactions"), count("cursors")), (Some(0), Some(0), Some(0)));
    assert_eq!(db.store.sync_state().await.unwrap().indexed_slot, 7, "indexed from scratch: the new tip");
}

async fn a_fork_below_the_indexed_data_is_refused_and_a_node_behind_is_waited_for(db: TestDb) {
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    db.store.mark_caught_up(40, None).await.unwrap();
    let (url, c) = node(chain("G")).await;
    db.store.record_chain("G", &url).await.unwrap();
    let mut ingestor = Ingestor::new(db.store.clone(), settings(&url)).with_retry(quick());

    // Same genesis, tip below the indexed slot, every cursor known: a node behind. Waited for.
    c.lock().unwrap().slot = 30;
    let r = ingestor.round().await.expect("a node behind is no error");
    assert!(!r.caught_up);
    assert_eq!(db.store.sync_state().await.unwrap().indexed_slot, 40, "nothing moved back");
    let api = app(AppState::new(db.store.clone(), Feed::new(0)).with_liveness(ingestor.liveness()));
    let (status, health) = get(&api, "/health").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{health}");
    assert!(health["data"]["reasons"][0].as_str().unwrap().contains("below the indexed slot 40"), "{health}");

    // The node does not know the cursor: it forked below what the database holds. Refused,
    // whether the sign is a tip below the indexed slot or new signatures to store.
    c.lock().unwrap().knows_signatures = false;
    let err = ingestor.round().await.expect_err("fork");
    assert!(
        err.to_string().contains("below the indexed slot 40") && err.to_string().contains("forked"),
        "{err}"
    );
    {
        let mut c = c.lock().unwrap();
        c.slot = 500;
        c.listed = vec![(sig(9_999), 450)];
    }
    let err = ingestor.round().await.expect_err("fork");
    assert!(
        err.to_string().contains("does not know") && err.to_string().contains("cursor signature"),
        "{err}"
    );
    let (_, health) = get(&api, "/health").await;
    assert!(health["data"]["reasons"][0].as_str().unwrap().contains("forked"), "{health}");
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

/// A node that accepts connections and never answers.
async fn hanging_node() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    url
}

async fn a_hanging_node_turns_health_red_within_seconds_and_does_not_hold_up_shutdown(db: TestDb) {
    let url = hanging_node().await;
    let mut s = settings(&url);
    s.probe_ms = 100;
    s.probe_timeout_ms = 500;
    s.stale_after_secs = 2;
    let ingestor = Ingestor::new(db.store.clone(), s);
    let api = app(AppState::new(db.store.clone(), Feed::new(0)).with_liveness(ingestor.liveness()));
    let (stop, mut rx) = watch::channel(false);
    let task = tokio::spawn(ingestor.run(async move {
        let _ = rx.wait_for(|s| *s).await;
    }));
    let start = Instant::now();
    let health = loop {
        let (status, v) = get(&api, "/health").await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            break v;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "still healthy: {v}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let red = start.elapsed();
    assert_eq!(health["data"]["status"], json!("unhealthy"));
    let reason = health["data"]["reasons"][0].as_str().unwrap().to_owned();
    assert!(reason.contains("does not answer getSlot"), "{reason}");
    // Ingestion itself is stuck in a call to the node; stopping cancels it.
    let stopping = Instant::now();
    let _ = stop.send(true);
    tokio::time::timeout(Duration::from_secs(2), task).await.expect("stops promptly").unwrap().unwrap();
    let stopped = stopping.elapsed();
    eprintln!("hanging node: /health unhealthy after {red:?}; stopped {stopped:?} after the signal");
    assert!(red < Duration::from_secs(3), "{red:?}");
    let (_, status) = get(&api, "/status").await;
    assert!(status["data"]["ingest"]["healthy"] == json!(false), "{status}");
}
