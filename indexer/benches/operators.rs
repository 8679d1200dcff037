//! The operators table at scale: 10,000 operators with 3 devices each (their figures kept by the
//! store's triggers as ingestion would), then `/v1/operators` through the API router (`oneshot`,
//! JSON included) for every sort and order: page 1, a deep page by `offset` (rows 9,900–9,949)
//! and the same deep page by keyset `cursor`, and a few filtered tables. p50 and max per query
//! over `--requests` runs, and the query plan of each sort (SQLite), so "index-backed" is shown,
//! not assumed. Timings are printed, never asserted.
//!
//! `cargo bench -p io-indexer --bench operators [-- --operators 10000 --requests 30 --db sqlite|postgres|both]`
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::feed::Feed;
use io_indexer::store::conn::Stmt;
use io_indexer::store::operators::{page_statement, OperatorFilter, OperatorSort};
use io_indexer::store::Store;
use std::time::Instant;
use tower::ServiceExt;

const MODELS: [&str; 6] = ["H100", "A100", "RTX4090", "L40S", "RTX3090", "MI300X"];
const REGIONS: [&str; 5] = ["us-east", "us-west", "eu-west", "ap-south", "sa-east"];
const STATUSES: [&str; 4] = ["active", "jailed", "pending", "retired"];

/// xorshift64: a fixed sequence, so every run seeds the same table.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn addr(kind: u8, i: u32) -> String {
    let mut b = [kind; 32];
    b[..4].copy_from_slice(&i.to_be_bytes());
    bs58::encode(b).into_string()
}

/// Operators, then their devices (each device insert runs the trigger that keeps its operator's
/// GPUs, device counts, uptime and models), 500 rows a statement.
async fn seed(store: &Store, operators: u32) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut stmts = vec![];
    for chunk in (0..operators).collect::<Vec<_>>().chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|&i| {
                let stake = rng.below(50_000_000) * 1_000_000;
                let withdrawing = if rng.below(20) == 0 { 1_000_000 } else { 0 };
                let reward = rng.below(2_000) * 1_000_000;
                format!(
                    "('{}', '{}', 'operator-{i}', '{}', {}, {}, {}, {}, {}, {}, {}, {}, {}, 0, 1)",
                    addr(1, i),
                    addr(2, i),
                    REGIONS[(i % 5) as usize],
                    rng.below(2_001),
                    stake,
                    stake,
                    16_000_000_000u64,
                    withdrawing,
                    rng.below(500),
                    rng.below(3),
                    reward,
                    1 + rng.below(4),
                )
            })
            .collect();
        stmts.push(Stmt::new(format!(
            "INSERT INTO operators (address, authority, name, region, commission_bps, stake_shares, stake_tokens, bond, \
             bond_withdrawing, delegator_count, slash_count, reward_last_amount, reward_last_span, devices_active, slot) \
             VALUES {}",
            rows.join(", ")
        )));
    }
    store.exec_in_tx(&stmts).await.expect("seed operators");
    let mut stmts = vec![];
    let devices: Vec<(u32, u32)> = (0..operators).flat_map(|o| (0..3).map(move |d| (o, d))).collect();
    for chunk in devices.chunks(500) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|&(o, d)| {
                let roll = rng.below(20);
                let status = STATUSES[if roll < 16 {
                    0
                } else if roll < 18 {
                    1
                } else {
                    2 + (roll as usize % 2)
                }];
                format!(
                    "('{}', '{}', '{}', {}, 80, '{}', {}, 'datacenter_gpu', '{status}', 1)",
                    addr(3, o * 3 + d),
                    addr(1, o),
                    MODELS[rng.below(6) as usize],
                    1 + rng.below(8),
                    REGIONS[(o % 5) as usize],
                    if rng.below(3) == 0 { "TRUE" } else { "FALSE" },
                )
            })
            .collect();
        stmts.push(Stmt::new(format!(
            "INSERT INTO devices (address, operator, gpu_model, gpu_count, vram_gb, region, green, class, status, slot) VALUES {}",
            rows.join(", ")
        )));
    }
    // The chain's count of active devices, as the events would have set it.
    stmts.push(Stmt::new(
        "UPDATE operators SET devices_active = \
         (SELECT COUNT(*) FROM devices d WHERE d.operator = operators.address AND d.status = 'active')",
    ));
    store.exec_in_tx(&stmts).await.expect("seed devices");
}

async fn get(router: &axum::Router, uri: &str) -> (f64, serde_json::Value) {
    let t = Instant::now();
    let res = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    assert!(res.status().is_success(), "{uri}: {}", res.status());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    (ms, serde_json::from_slice(&bytes).expect("json"))
}

/// (p50, max) milliseconds of `requests` runs of `uri`.
async fn time(router: &axum::Router, uri: &str, requests: usize) -> (f64, f64) {
    let _ = get(router, uri).await;
    let mut ms = Vec::with_capacity(requests);
    for _ in 0..requests {
        ms.push(get(router, uri).await.0);
    }
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[ms.len() - 1])
}

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

async fn run(kind: &str, dir: &std::path::Path, operators: u32, requests: usize) {
    let url = match kind {
        "sqlite" => format!("sqlite://{}?mode=rwc", dir.join("operators.db").display()),
        _ => io_indexer::pgtemp::fresh_database().await,
    };
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let t = Instant::now();
    seed(&store, operators).await;
    // Planner statistics, as a database that has run a while has them.
    store.exec(Stmt::new("ANALYZE")).await.expect("analyze");
    println!(
        "\n## {kind}: {operators} operators, {} devices, seeded in {:.1} s",
        operators * 3,
        t.elapsed().as_secs_f64()
    );
    let router = app(AppState::new(store.clone(), Feed::new(0)));
    let deep = operators.saturating_sub(100);
    println!("\n| query (limit 50) | p50 ms | max ms |\n|---|---:|---:|");
    let mut worst: f64 = 0.0;
    for sort in ["stake", "commission", "gpus", "uptime", "apy"] {
        for order in ["desc", "asc"] {
            let base = format!("/v1/operators?sort={sort}&order={order}&limit=50");
            let mut uris = vec![(format!("{sort} {order}, page 1"), base.clone())];
            uris.push((format!("{sort} {order}, offset {deep}"), format!("{base}&offset={deep}")));
            if sort != "apy" {
                // The keyset cursor that starts the same deep page.
                let (_, v) = get(&router, &format!("{base}&offset={}", deep - 50)).await;
                let cur = v["next_cursor"].as_str().expect("a next page").to_owned();
                uris.push((format!("{sort} {order}, cursor at {deep}"), format!("{base}&cursor={cur}")));
            }
            for (name, uri) in uris {
                let (p50, max) = time(&router, &uri, requests).await;
                worst = worst.max(p50);
                println!("| {name} | {p50:.2} | {max:.2} |");
            }
        }
    }
    for (name, q) in [
        ("status=active, stake", "status=active"),
        ("gpu_model=H100, uptime", "gpu_model=H100&sort=uptime"),
        ("min_uptime=9000 max_commission=1000, apy", "min_uptime=9000&max_commission=1000&sort=apy"),
        ("q=operator-12 (name search), stake", "q=operator-12"),
        ("status=jailed, gpus, offset 500", "status=jailed&sort=gpus&offset=500"),
    ] {
        let (p50, max) = time(&router, &format!("/v1/operators?{q}&limit=50"), requests).await;
        worst = worst.max(p50);
        println!("| {name} | {p50:.2} | {max:.2} |");
    }
    println!("\nworst p50: {worst:.2} ms");
    println!("\nQuery plans (page 1, descending):");
    for sort in [
        OperatorSort::Stake,
        OperatorSort::Commission,
        OperatorSort::Gpus,
        OperatorSort::Uptime,
        OperatorSort::Apy,
    ] {
        let f = OperatorFilter {
            region: None,
            gpu_model: None,
            min_vram: None,
            green: None,
            status: None,
            min_uptime_bps: None,
            max_commission_bps: None,
            q: None,
            sort,
            desc: true,
            after: None,
            offset: 0,
            limit: 50,
        };
        let mut s = page_statement(&f);
        let explain = if kind == "sqlite" { "EXPLAIN QUERY PLAN " } else { "EXPLAIN " };
        s.sql = format!("{explain}{}", s.sql);
        let rows = store.fetch(s).await.expect("explain");
        let plan: Vec<String> = rows
            .iter()
            .filter_map(|r| {
                r.get("detail").or_else(|| r.get("QUERY PLAN")).and_then(|v| v.as_str()).map(str::to_owned)
            })
            .filter(|l| !l.contains("CORRELATED SCALAR SUBQUERY") && !l.contains("devices_operator"))
            .collect();
        println!("- {}: {}", sort.name(), plan.join(" / "));
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let operators: u32 = arg("--operators", "10000").parse().expect("--operators N");
    let requests: usize = arg("--requests", "30").parse().expect("--requests N");
    let db = arg("--db", "sqlite");
    let dir = tempfile::tempdir().expect("temp dir");
    let kinds: Vec<&str> = match db.as_str() {
        "both" => vec!["sqlite", "postgres"],
        "sqlite" => vec!["sqlite"],
        "postgres" => vec!["postgres"],
        other => panic!("--db {other}: expected sqlite, postgres or both"),
    };
    println!("io-indexer operators bench: {operators} operators, {requests} requests per query");
    for kind in kinds {
        run(kind, dir.path(), operators, requests).await;
    }
}
