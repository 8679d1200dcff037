//! The cross-program stateful fuzzer: the four programs on one full-stack bank, driven by seeded
//! random flows, with the network's invariants checked after every step.
//!
//! A **flow** is one seeded sequence of `IO_FUZZ_STEPS` random steps over a fixed cast (operators
//! with devices and offers, stakers, renters, the authorities, a stranger): stake, unstake,
//! withdraw, claims, slash propose / cancel / execute, certified oracle reports (rewards, usage and
//! slashes trees, price) and what they drive, emissions, leases opened / topped up / settled /
//! closed / finalized, buybacks, donations into every vault and pre-fundings of predictable
//! addresses by the stranger, clock moves. A step may be refused (random amounts, wrong timing) —
//! with a program's own error, never with an arithmetic failure (`MathOverflow`) or a runtime error.
//! Every flow ends with its honest exits, which must all succeed: every pending slash executes,
//! every lease is closed and finalized (and balances exactly), every position is unstaked and
//! withdrawn, rewards are claimed. See [`invariants`] for what is checked after each step.
//!
//! Flows run in shards, one thread and runtime each; a shard's bank carries over from flow to flow
//! (the clock, the ledgers, the operators' histories) for `IO_FUZZ_WORLD_FLOWS` flows, then a fresh
//! one starts. A failure names the shard, the world, the flow, its seed and the step, and replays
//! with the same environment.
//!
//! - `IO_FUZZ_FLOWS` — flows in all shards together (default 8: the CI run);
//! - `IO_FUZZ_THREADS` — shards (default: the machine's cores, at most 4);
//! - `IO_FUZZ_WORLD_FLOWS` — flows per bank before a shard starts a fresh one (default 500);
//! - `IO_FUZZ_STEPS` — random steps per flow (default 6);
//! - `IO_FUZZ_SEED` — the base seed (default fixed).
//!
//! `make fuzz` runs the long campaign; the figures (flows per second, release build) are in the
//! Makefile's comment.
mod exits;
mod grief;
mod invariants;
mod steps;
mod world;

use io_testkit::tamper::env_or;
use std::time::Instant;
use world::World;

/// Runs shard `shard` of `shards`: its share of the flows, on a fresh bank every
/// `IO_FUZZ_WORLD_FLOWS` flows (so that the emission schedule, which the clock runs down, never
/// ends, and a replay starts from a known world). Returns its flows and stats.
async fn run_shard(shard: u64, shards: u64) -> u64 {
    let flows = env_or("IO_FUZZ_FLOWS", 8);
    let steps = env_or("IO_FUZZ_STEPS", 6);
    let base = env_or("IO_FUZZ_SEED", 0x10C0_5EED_u64);
    let per_world = env_or("IO_FUZZ_WORLD_FLOWS", 500).max(1);
    let mine = flows / shards + u64::from(shard < flows % shards);
    let (start, mut setup) = (Instant::now(), 0.0);
    let mut stats = world::Stats::default();
    let mut flow = 0;
    while flow < mine {
        let world_index = flow / per_world;
        let t = Instant::now();
        let mut w = World::new(shard).await;
        setup += t.elapsed().as_secs_f64();
        let end = mine.min(flow + per_world);
        while flow < end {
            let seed = base
                ^ (shard + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (flow + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
            w.run_flow(world_index, flow, seed, steps).await;
            flow += 1;
        }
        stats.merge(w.stats);
    }
    let secs = start.elapsed().as_secs_f64();
    if mine > 0 {
        println!(
            "fuzz shard {shard}: {mine} flows × {steps} steps in {secs:.1} s ({:.1} flows/s; worlds set up in {setup:.1} s); {stats}",
            mine as f64 / secs.max(1e-9),
        );
    }
    mine
}

/// The flows, spread over `IO_FUZZ_THREADS` shards (default: the machine's cores, at most 4),
/// each on its own thread, runtime and bank. A shard's failure fails the test with its message.
#[test]
fn fuzz_flows_keep_every_invariant() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let shards = env_or("IO_FUZZ_THREADS", cores.min(4)).max(1);
    let start = Instant::now();
    let handles: Vec<_> = (0..shards)
        .map(|shard| {
            std::thread::Builder::new()
                .name(format!("fuzz-shard-{shard}"))
                .spawn(move || {
                    let rt =
                        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    rt.block_on(run_shard(shard, shards))
                })
                .expect("spawn a shard")
        })
        .collect();
    let mut flows = 0;
    for h in handles {
        match h.join() {
            Ok(n) => flows += n,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {flows} flows on {shards} threads in {secs:.1} s ({:.2} flows/s overall)",
        flows as f64 / secs
    );
}
