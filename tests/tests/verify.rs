//! `io verify` on the live local network (four oracle nodes, one worker per demo device, the
//! indexer): once periods are certified, a clean run finds every figure consistent; then each of
//! six forgeries is caught, by the real `io` binary, naming the forged figure with both values:
//! 1. a device count raised in the indexer's database → a `devices.*` row;
//! 2. a rewards leaf changed in one node's published report → `report.<p>.rewards_root`, by that node;
//! 3. a certified report whose leaves no node publishes → `report.<p>.leaves` missing;
//! 4. the circulating supply changed in the API's response → `supply.circulating`;
//! 5. a lease's attested seconds raised in one node's published usage leaves → `report.<p>.usage_root`;
//! 6. the stake vault drained outside the programs → `vault.stake`.
//!
//! Each forgery is undone before the next, so each failure is the forgery's; after the first five
//! are undone the run is consistent again. The drained vault comes last: nothing undoes it.
use io_e2e::{
    forge::{self, ForgedLeaf, PhantomDevice, SupplyProxy, Withheld},
    Options, System,
};
use io_sdk::Pubkey;
use serde_json::Value;
use std::{future::Future, path::PathBuf, sync::OnceLock, time::Duration, time::Instant};

/// The node whose rewards leaf is forged, and the one whose usage leaf is.
const REWARDS_LIAR: usize = 1;
const USAGE_LIAR: usize = 2;
/// How much a forgery raises a figure by (base units, seconds).
const RAISE: u64 = 1_000_000;

fn system() -> &'static System {
    static SYSTEM: OnceLock<System> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-verify");
        System::start(Options { dir, ..Options::default() }).expect("the system starts")
    })
}

/// The steps run one after the other (each forgery undone before the next); a failing step is
/// reported by name and the next still runs, so one run of the test tells every verdict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn io_verify_finds_the_network_consistent_and_catches_six_forgeries() {
    let s = system();
    ready(s).await;
    let mut failed = vec![];
    let clean = step(&mut failed, "a clean run is consistent", clean_run(s)).await;
    let clean = clean.unwrap_or_default();
    step(&mut failed, "a device count raised in the indexer's database", phantom_device(s, clean)).await;
    step(&mut failed, "a rewards leaf changed in one node's report", rewards_leaf(s)).await;
    step(&mut failed, "a report whose leaves are withheld", withheld_report(s)).await;
    step(&mut failed, "a supply figure changed in the API's response", supply_in_flight(s)).await;
    step(&mut failed, "a lease's attested seconds raised in one node's leaves", usage_leaf(s)).await;
    step(&mut failed, "consistent again once every forgery is undone", consistent_again(s)).await;
    step(&mut failed, "a vault drained outside the programs", drained_vault(s)).await;
    assert!(failed.is_empty(), "{} of 8 steps failed:\n{}", failed.len(), failed.join("\n"));
}

/// Runs `f` as a task of its own: its panic is recorded under `name` instead of ending the test.
async fn step<T: Send + 'static>(
    failed: &mut Vec<String>,
    name: &str,
    f: impl Future<Output = T> + Send + 'static,
) -> Option<T> {
    match tokio::spawn(f).await {
        Ok(v) => {
            eprintln!("ok: {name}");
            Some(v)
        }
        Err(e) => {
            let why = io_e2e::failure_message(e);
            eprintln!("FAILED: {name}");
            failed.push(format!("{name}: {why}"));
            None
        }
    }
}

/// A clean run: consistent, exit status 0. Its wall time and size are the figures the issue's
/// closing note states.
async fn clean_run(s: &'static System) -> Value {
    let started = Instant::now();
    let clean = verify(s, &s.indexer_url).await;
    let wall = started.elapsed().as_secs_f64();
    let checked = clean["checked"].as_u64().expect("checked");
    eprintln!(
        "io verify, clean run: {wall:.1} s wall ({:.1} s by its own count), {checked} figures checked, \
         certified periods {}, {} requests, {} bytes ({})",
        clean["seconds"].as_f64().unwrap_or_default(),
        clean["periods"],
        clean["requests"],
        clean["bytes"],
        clean["cost"],
    );
    eprintln!("figures checked (count of each):\n{}", figure_shapes(&clean));
    assert_consistent(&clean, "the clean run");
    assert!(checked > 0, "a clean run that checks nothing proves nothing");
    clean
}

/// The run's figures with their periods, addresses and indexes generalized (`report.<p>.digest`,
/// `stake.<address>.total`), each with how many rows it has: the list the closing note
/// gives.
fn figure_shapes(run: &Value) -> String {
    let mut shapes = std::collections::BTreeMap::<String, usize>::new();
    for r in run["rows"].as_array().into_iter().flatten() {
        let figure = r["figure"].as_str().unwrap_or_default();
        let shape: Vec<&str> = figure
            .split('.')
            .map(|part| match part {
                p if p.len() >= 32 && p.parse::<Pubkey>().is_ok() => "<address>",
                p if p.len() >= 5 && p.parse::<u64>().is_ok() => "<p>",
                p if p.parse::<u64>().is_ok() => "<i>",
                p => p,
            })
            .collect();
        *shapes.entry(shape.join(".")).or_default() += 1;
    }
    shapes.iter().map(|(f, n)| format!("  {f} ×{n}")).collect::<Vec<_>>().join("\n")
}

/// 1. A phantom device in the indexer's database: the indexer counts more than the chain.
async fn phantom_device(s: &'static System, clean: Value) {
    let attested = || async { u64_at(&indexer(s, "/v1/network").await, "/data/overview/devices_attested") };
    let before = attested().await;
    let phantom = PhantomDevice::insert(s).await.expect("insert a phantom device");
    let after = attested().await;
    let run = verify(s, &s.indexer_url).await;
    phantom.restore(s).await.expect("delete the phantom device");
    assert_eq!(after, before + 1, "the indexer serves the phantom device");
    let row = caught(&run, "a device count raised in the indexer", |f| f.starts_with("devices."));
    assert_eq!(row["served_by"], "indexer", "{row}");
    assert_not_failing_in(&clean, &row["figure"]);
}

/// 2. One node publishes a rewards leaf other than the one the chain certified.
async fn rewards_leaf(s: &'static System) {
    let p = forge::period_with_leaves(s, REWARDS_LIAR, "rewards").await.expect("a period with rewards");
    let forged = ForgedLeaf::raise(s, REWARDS_LIAR, p, "rewards", "cumulative", RAISE).await.expect("forge");
    let published = published(s, REWARDS_LIAR, p, "rewards").await;
    let run = verify(s, &s.indexer_url).await;
    forged.restore(s).await.expect("restore the rewards leaf");
    forged.check_published(&published);
    let figure = format!("report.{p}.rewards_root");
    let row = caught(&run, "a rewards leaf changed in one node", |f| f == figure);
    assert_names_node(row, s, REWARDS_LIAR);
}

/// 3. A certified report whose leaves no node publishes.
async fn withheld_report(s: &'static System) {
    let p = forge::period_with_leaves(s, 0, "devices").await.expect("a certified period");
    let withheld = Withheld::delete(s, p).await.expect("withhold the report");
    let mut still = vec![];
    for node in 0..s.manifest.oracle_nodes.len() {
        if s.report(node, p).await.expect("ask the node").is_some() {
            still.push(node);
        }
    }
    let run = verify(s, &s.indexer_url).await;
    withheld.restore(s).await.expect("put the report back");
    assert!(still.is_empty(), "nodes {still:?} still publish period {p}");
    assert!(s.report(0, p).await.expect("ask node 0").is_some(), "period {p} published again");
    let figure = format!("report.{p}.leaves");
    let row = caught(&run, "a report whose leaves are withheld", |f| f == figure);
    assert_eq!(row["verdict"], "missing", "{row}");
}

/// 4. The API serves a circulating supply other than the chain's.
async fn supply_in_flight(s: &'static System) {
    let proxy = SupplyProxy::start(&s.indexer_url, RAISE).await.expect("the proxy starts");
    let circulating = |url: String| async move {
        let body = s.get(&format!("{url}/v1/supply")).await.expect("GET /v1/supply").expect("a supply");
        u64_at(&body, "/data/circulating")
    };
    let (real, served) = (circulating(s.indexer_url.clone()).await, circulating(proxy.url.clone()).await);
    assert!(served > real, "the proxy raises the circulating supply: {real} → {served}");
    let run = verify(s, &proxy.url).await;
    let row =
        caught(&run, "the circulating supply changed in the API's response", |f| f == "supply.circulating");
    assert_eq!(row["served_by"], "indexer", "{row}");
    assert_eq!(run["indexer"].as_str().map(|u| u.trim_end_matches('/')), Some(proxy.url.as_str()));
    // The same run as a person reads it: the failing row with both values, and the verdict line.
    let args = ["verify", "--quiet", "--indexer", &proxy.url, "--oracle", &s.node_urls()];
    let (code, table) = s.io_text(&args).await.expect("io verify runs");
    eprintln!("io verify, text output with the supply forged:\n{table}");
    assert_eq!(code, 1, "{table}");
    let line = table.lines().find(|l| l.starts_with("supply.circulating")).expect("the failing row");
    // Two numbers (the chain's, the served), the verdict and who served it.
    let numbers = line.split_whitespace().filter(|w| w.parse::<u64>().is_ok()).count();
    assert!(numbers == 2 && line.contains("MISMATCH") && line.contains("(indexer)"), "{line}");
    assert!(table.contains("NOT CONSISTENT"), "{table}");
}

/// 5. One node publishes a usage leaf with more seconds than the chain certified.
async fn usage_leaf(s: &'static System) {
    let p = forge::period_with_leaves(s, USAGE_LIAR, "usage").await.expect("a period with usage");
    let forged = ForgedLeaf::raise(s, USAGE_LIAR, p, "usage", "seconds", RAISE).await.expect("forge");
    let published = published(s, USAGE_LIAR, p, "usage").await;
    let lease =
        format!("lease.{}.attested_seconds", forged.leaf["lease"].as_str().expect("the leaf's lease"));
    let run = verify(s, &s.indexer_url).await;
    forged.restore(s).await.expect("restore the usage leaf");
    forged.check_published(&published);
    let figure = format!("report.{p}.usage_root");
    let row =
        caught(&run, "a lease's attested seconds raised in one node's leaves", |f| f == figure || f == lease);
    if row["figure"] == figure.as_str() {
        assert_names_node(row, s, USAGE_LIAR);
    }
}

/// Every forgery above undone: consistent again.
async fn consistent_again(s: &'static System) {
    let again = verify(s, &s.indexer_url).await;
    assert_consistent(&again, "the run after every forgery was undone");
}

/// 6. Last, since nothing undoes it: the stake vault drained outside the programs.
async fn drained_vault(s: &'static System) {
    let vault = io_sdk::staking::stake_vault();
    let held = forge::drain_token_account(s, &vault, 0).await.expect("drain the stake vault");
    assert!(held > 0, "the demo's stakes are in the stake vault");
    let balance = s.client().token_balance(&vault).await.expect("read the vault");
    assert_eq!(balance, Some(0), "the cheatcode drained the vault as the RPC reads it");
    let run = verify(s, &s.indexer_url).await;
    let row = caught(&run, "the stake vault drained outside the programs", |f| f == "vault.stake");
    assert_eq!(row["recomputed"], "0", "the vault's amount as read: {row}");
}

/// Waits for what the forgeries need: certified periods older than the latest with rewards and
/// usage leaves in the stores of the nodes forged, and the indexer caught up with the chain's
/// last certified period.
async fn ready(s: &System) {
    let long = Duration::from_secs(8 * 60);
    for (node, tree) in [(REWARDS_LIAR, "rewards"), (USAGE_LIAR, "usage"), (0, "devices")] {
        s.wait(&format!("a certified period with {tree} leaves at node {node}"), long, || async {
            Ok(forge::period_with_leaves(s, node, tree).await.ok())
        })
        .await;
    }
    s.wait("the indexer to hold the last certified report", Duration::from_secs(120), || async {
        let cfg: io_oracle::OracleConfig =
            s.account(&io_sdk::oracle::config()).await?.ok_or_else(|| anyhow::anyhow!("no oracle config"))?;
        let url = format!("{}/v1/reports/{}", s.indexer_url, cfg.last_period);
        let served = s.get(&url).await?.unwrap_or_default();
        let rows = served["data"].as_array().cloned().unwrap_or_default();
        Ok(rows.iter().any(|r| r["status"] == "certified").then_some(()))
    })
    .await;
}

/// `io verify --output json` against every oracle node and `indexer`.
async fn verify(s: &System, indexer: &str) -> Value {
    let args = ["verify", "--indexer", indexer, "--oracle", &s.node_urls()];
    let (code, out, err) = s.io(None, &args).await.expect("io verify runs");
    assert!(out.is_object(), "io verify printed no JSON (exit {code}): {out}\n{err}");
    let failures = out["failures"].as_u64().unwrap_or(u64::MAX);
    // The exit status and the JSON agree: 1 and `ok: false` exactly when a row fails.
    assert_eq!(code == 0, failures == 0, "exit {code} with {failures} failures: {err}");
    assert_eq!(out["ok"], failures == 0, "{err}");
    assert_eq!(out["consistent"], failures == 0);
    out
}

/// What the indexer serves at `path` (its envelope: `data`, `slot`, ...).
async fn indexer(s: &System, path: &str) -> Value {
    s.get(&format!("{}{path}", s.indexer_url)).await.expect("ask the indexer").expect("an answer")
}

/// An integer served as a number or as text.
fn u64_at(v: &Value, pointer: &str) -> u64 {
    let x = v.pointer(pointer).unwrap_or_else(|| panic!("no {pointer} in {v}"));
    x.as_u64().or_else(|| x.as_str().and_then(|t| t.parse().ok())).unwrap_or_else(|| panic!("{pointer}: {x}"))
}

/// The first leaf of `tree` node `node` publishes for `period`.
async fn published(s: &System, node: usize, period: u64, tree: &str) -> Value {
    let served = s.report(node, period).await.expect("ask the node").expect("the node's report");
    served["report"][tree][0].clone()
}

fn failing(run: &Value) -> Vec<&Value> {
    run["rows"]
        .as_array()
        .map(|r| r.iter().filter(|r| matches!(r["verdict"].as_str(), Some("mismatch" | "missing"))).collect())
        .unwrap_or_default()
}

fn assert_consistent(run: &Value, what: &str) {
    let bad = failing(run);
    assert!(
        bad.is_empty() && run["ok"] == true,
        "{what} is not consistent: {} failing rows:\n{}",
        bad.len(),
        bad.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n")
    );
}

/// The failing row of `run` whose figure `is` the forged one: a mismatch names both values, and
/// they differ.
fn caught<'a>(run: &'a Value, forgery: &str, is: impl Fn(&str) -> bool) -> &'a Value {
    let bad = failing(run);
    let row = bad.iter().copied().find(|r| r["figure"].as_str().is_some_and(&is)).unwrap_or_else(|| {
        panic!(
            "{forgery}: not caught; exit ok = {}, failing rows:\n{}",
            run["ok"],
            bad.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n")
        )
    });
    assert_eq!(run["ok"], false, "{forgery}: the run must fail");
    if row["verdict"] == "mismatch" {
        let (a, b) = (row["recomputed"].as_str(), row["served"].as_str());
        assert!(a.is_some() && b.is_some() && a != b, "{forgery}: a mismatch names both values: {row}");
    }
    eprintln!("caught {forgery}: {row}");
    row
}

fn assert_names_node(row: &Value, s: &System, node: usize) {
    let by = row["served_by"].as_str().unwrap_or_default();
    assert!(by.contains(s.node_url(node)), "the row names node {}: {row}", s.node_url(node));
}

/// The forgery's figure did not fail before it: the failure is the forgery's.
fn assert_not_failing_in(clean: &Value, figure: &Value) {
    assert!(!failing(clean).iter().any(|r| r["figure"] == *figure), "{figure} failed in the clean run");
}
