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
//! Flows run in shards, one thread, runtime and bank each; the world of a shard carries over from
//! flow to flow (the clock, the ledgers, the operators' histories), so a failure names the shard,
//! the flow, its seed and the step, and replays with the same environment.
//!
//! - `IO_FUZZ_FLOWS` — flows in all shards together (default 8: the CI run);
//! - `IO_FUZZ_THREADS` — shards (default: the machine's cores, at most 4);
//! - `IO_FUZZ_STEPS` — random steps per flow (default 6);
//! - `IO_FUZZ_SEED` — the base seed (default fixed);
//! - `IO_FUZZ_GRIEF=all` (or a comma-separated list of their names) — also run the griefing
//!   targets whose fixes live on other branches (see [`grief::PENDING`]).
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

/// Runs shard `shard` of `shards`: its share of the flows, on its own bank. Returns its flows.
async fn run_shard(shard: u64, shards: u64) -> u64 {
    let flows = env_or("IO_FUZZ_FLOWS", 8);
    let steps = env_or("IO_FUZZ_STEPS", 6);
    let base = env_or("IO_FUZZ_SEED", 0x10C0_5EED_u64);
    let mine = flows / shards + u64::from(shard < flows % shards);
    if mine == 0 {
        return 0;
    }
    let setup = Instant::now();
    let mut w = World::new(shard).await;
    let setup = setup.elapsed();
    let start = Instant::now();
    for flow in 0..mine {
        let seed = base
            ^ (shard + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (flow + 1).wrapping_mul(0xD1B5_4A32_D192_ED03);
        w.run_flow(flow, seed, steps).await;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz shard {shard}: {mine} flows × {steps} steps in {secs:.1} s ({:.2} flows/s; setup {:.1} s); {}",
        mine as f64 / secs.max(1e-9),
        setup.as_secs_f64(),
        w.stats
    );
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
