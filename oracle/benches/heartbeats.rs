//! How many signed heartbeats one node accepts per second, and what judging a challenge answer
//! costs. A simulated fleet (10,000 devices by default, `IO_BENCH_DEVICES` to change) in a
//! registry built from a list; every heartbeat prebuilt and signed by its device's worker key;
//! each sent through the node's real router in-process (`tower::ServiceExt::oneshot`), all
//! checks on, the liveness flusher writing to SQLite in a temp dir. The baseline, measured in the
//! same run: one strict ed25519 verification per heartbeat (the floor of any signed protocol).
//!
//! Then the judge: one full challenge answer at the CPU class's and at the light parameters,
//! proved honestly by io-proof's CPU prover, checked as the node checks it (the answer envelope
//! opened, the openings converted, Freivalds on every sample), with the per-challenge Round
//! (B·r) timed apart.
//!
//! Run: `cargo bench -p io-oracle-node --bench heartbeats` (release), or with `--profile dev`
//! where a release build of the dependencies is too slow (io-proof is optimised in both).
#[path = "../tests/common/mod.rs"]
mod common;

use axum::{body::Body, http::Request};
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use io_oracle_node::{api, node::Node, observe, observe::Registered, settings::Settings, store::Store};
use io_proof::{CpuBackend, Prover, Round, Verifier};
use io_sdk::{
    client::{ChainTime, Client},
    worker::{
        paths, proof as wire, signing_message, Answer, Bytes32, Heartbeat, Kind, Signed, PROTOCOL_VERSION,
    },
    Pubkey,
};
use io_staking::{DeviceStatus, HardwareClass};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use tower::ServiceExt;

/// Heartbeats per device in the run by default (each newer than the last: the replay rule
/// holds); `IO_BENCH_ROUNDS` to change.
const ROUNDS: u64 = 3;
/// Requests in flight at once.
const CONCURRENCY: usize = 64;

fn heartbeat(cluster: &str, device: &Pubkey, worker: &Pubkey, ts: u64) -> Heartbeat {
    common::heartbeat(cluster, &device.to_string(), &worker.to_string(), "cpu", ts, true)
}

fn verify_all(signed: &[Signed]) -> usize {
    signed
        .iter()
        .filter(|s| {
            let key = VerifyingKey::from_bytes(&s.signer.parse::<Pubkey>().unwrap().to_bytes()).unwrap();
            key.verify_strict(
                &signing_message(s.kind, s.payload.as_bytes()),
                &Signature::from_bytes(&s.signature.0),
            )
            .is_ok()
        })
        .count()
}

async fn fleet(devices: usize, rounds: u64) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::default();
    settings.database.url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    settings.workers.allow_simulated = true;
    // The heartbeats are signed before the clock starts: their timestamps age during the run.
    settings.workers.max_clock_skew_ms = 3_600_000;
    // Nothing in the path of a known device's heartbeat reads the chain: an unreachable RPC.
    settings.chain.rpc_url = "http://127.0.0.1:9".into();
    let key = Keypair::new();
    let client = Arc::new(Client::new(
        settings.chain.rpc_url.clone(),
        solana_commitment_config::CommitmentConfig::confirmed(),
        key.insecure_clone(),
    ));
    let store = Store::open(&settings.database.url, settings.database.max_connections).await.unwrap();
    let node = Node::assemble(settings, key, client, store, [7; 32]).await.unwrap();
    // At a period's start: challenges fall due over its first half hour, so a handful during the run
    // (their beacon read fails against the unreachable RPC, is logged, and retried later).
    node.clock.observe(ChainTime { slot: 1, unix_timestamp: 500_000 * 3600 }, Instant::now());

    let workers: Vec<Keypair> = (0..devices).map(|_| Keypair::new()).collect();
    let accounts: Vec<Pubkey> = (0..devices).map(|_| Pubkey::new_unique()).collect();
    node.observe.registry.replace(accounts.iter().zip(&workers).map(|(a, w)| Registered {
        address: *a,
        worker_key: w.pubkey(),
        class: HardwareClass::Cpu,
        status: DeviceStatus::Active,
    }));
    observe::spawn_upkeep(node.clone());

    let t = Instant::now();
    let base = observe::challenges::wall_ms();
    let mut signed = Vec::with_capacity(devices * rounds as usize);
    for round in 0..rounds {
        for (a, w) in accounts.iter().zip(&workers) {
            let hb = heartbeat(&node.cluster, a, &w.pubkey(), base + round);
            signed.push(Signed::sign(Kind::Heartbeat, &hb, w.secret_bytes()));
        }
    }
    let bodies: Vec<Vec<u8>> = signed.iter().map(|s| serde_json::to_vec(s).unwrap()).collect();
    let total = bodies.len();
    println!(
        "prepared {total} signed heartbeats ({devices} devices x {rounds}), {} bytes each, in {:.2} s",
        bodies[0].len(),
        t.elapsed().as_secs_f64()
    );

    // Baseline: one strict ed25519 verification per heartbeat, on one core and on every core.
    let t = Instant::now();
    assert_eq!(verify_all(&signed), total);
    let one_core = total as f64 / t.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let t = Instant::now();
    let ok: usize = std::thread::scope(|s| {
        let chunk = total.div_ceil(cores);
        let handles: Vec<_> = signed.chunks(chunk).map(|c| s.spawn(move || verify_all(c))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(ok, total);
    let all_cores = total as f64 / t.elapsed().as_secs_f64();
    eprintln!("baseline measured: {one_core:.0}/s on one core, {all_cores:.0}/s on all");

    // The node: every request through the router, CONCURRENCY in flight.
    let app = api::router(node.clone());
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (app, bodies, next, accepted) = (app.clone(), bodies.clone(), next.clone(), accepted.clone());
            tokio::spawn(async move {
                loop {
                    // Round by round: a device's newer heartbeat never overtakes its older one
                    // by more than the concurrency window.
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(body) = bodies.get(i) else { break };
                    let req = Request::post(paths::HEARTBEAT)
                        .header("content-type", "application/json")
                        .body(Body::from(body.clone()))
                        .unwrap();
                    let resp = app.clone().oneshot(req).await.unwrap();
                    if resp.status().is_success() {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    let accepted = accepted.load(Ordering::Relaxed);
    let rate = accepted as f64 / secs;
    // Drain: the flusher may be mid-write (its round trips queue behind the requests); every
    // device must end up with its interval in the database.
    let t = Instant::now();
    let mut rows = 0;
    while t.elapsed() < Duration::from_secs(60) {
        observe::flush(&node).await.unwrap();
        rows = node.store.intervals_between(0, i64::MAX).await.unwrap().len();
        if rows >= devices {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let flush_ms = t.elapsed().as_secs_f64() * 1e3;
    assert!(rows >= devices, "{rows} intervals stored for {devices} devices");
    println!("node: {accepted}/{total} heartbeats accepted in {secs:.2} s = {rate:.0} per second ({CONCURRENCY} in flight)");
    println!(
        "baseline: ed25519 verify_strict {one_core:.0}/s on one core, {all_cores:.0}/s on {cores}; the node runs at {:.0}% of the all-core baseline",
        100.0 * rate / all_cores
    );
    println!("drained to the database {flush_ms:.0} ms after the last request; {rows} live intervals stored for {devices} devices");
    // At 5-second heartbeats a fleet sends devices/5 a second: the headroom.
    println!(
        "a fleet of {devices} heartbeating every 5 s sends {:.0}/s: {:.1}x headroom",
        devices as f64 / 5.0,
        rate / (devices as f64 / 5.0)
    );
}

/// One honest answer at `params`, judged `runs` times as the node judges it.
fn judge(name: &str, params: io_proof::Params, runs: u32) {
    let device = SigningKey::from_bytes(&[5; 32]);
    let t = Instant::now();
    let round = Round::new(params, [1; 32], [2; 32]).unwrap();
    let round_ms = t.elapsed().as_secs_f64() * 1e3;
    let challenge = round.challenge(device.verifying_key().to_bytes(), [3; 32], 1_000);
    let t = Instant::now();
    let prover = Prover::run(&challenge, &mut CpuBackend::new()).unwrap();
    let prove_ms = t.elapsed().as_secs_f64() * 1e3;
    let commitment = prover.commit(&device);
    let answer = Answer {
        version: PROTOCOL_VERSION,
        cluster: "bench".into(),
        challenge_id: Bytes32(prover.challenge_id()),
        openings: prover.open(&[2; 32]).unwrap().iter().map(wire::opening_msg).collect(),
    };
    let signed = Signed::sign(Kind::Answer, &answer, &[5; 32]);
    let mut times = vec![];
    for _ in 0..runs {
        let mut v = Verifier::new(round.clone());
        v.accept_commitment(&challenge, &commitment, 2_000).unwrap();
        v.disclose();
        let t = Instant::now();
        let (_, a): (Pubkey, Answer) = signed.open(Kind::Answer).unwrap();
        let openings: Vec<_> = a.openings.iter().map(wire::opening).collect();
        v.check_openings(&challenge, &openings).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "judge {name} (n={} K={} s={}): answer {} KiB, judged in {:.2} ms (median of {runs}; envelope + conversion + Freivalds), \
         round B·r {round_ms:.1} ms per challenge; the honest CPU prover took {prove_ms:.0} ms",
        params.n,
        params.k,
        params.samples,
        signed.payload.len() / 1024,
        times[times.len() / 2],
    );
}

fn main() {
    // The node's warnings (a failed flush, a challenge not issued) on stderr.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("io_oracle_node=warn"))
        .with_writer(std::io::stderr)
        .init();
    let devices: usize =
        std::env::var("IO_BENCH_DEVICES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let rounds: u64 = std::env::var("IO_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(ROUNDS);
    rt.block_on(fleet(devices, rounds));
    judge("cpu class", io_proof::HardwareClass::Cpu.params(), 5);
    judge("light", io_proof::HardwareClass::Cpu.light_params(), 21);
    // Leave the flusher no time to start another write into the removed directory.
    std::thread::sleep(Duration::from_millis(10));
}
