//! Statistical test with fixed seeds: a prover that skips a fraction ε ≈ 5% of the row
//! transitions (commits zeros for them) is caught in ≥ 95% of runs at s = 64, and the empirical
//! rate agrees with the analytic 1 − (1−ε)^s.
mod common;

use common::*;
use io_proof::{CpuBackend, Params, Prover, Reject, Round, Verifier};

#[test]
fn skipping_five_percent_is_caught_at_s_64() {
    // K·n = 1024 transitions; 51 skipped = ε 4.98% (no power-of-two tree has exactly 5%).
    let params = Params { n: 32, k: 32, samples: 64, deadline_ms: 1 };
    let transitions = params.leaf_count();
    let skipped = 51;
    let eps = skipped as f64 / transitions as f64;
    let analytic = 1.0 - (1.0 - eps).powi(params.samples as i32);
    let runs = 400u32;
    let mut caught = 0;
    for run in 0..runs {
        let round =
            Round::new(params, [run as u8; 32], (run * 7919).to_le_bytes().repeat(8).try_into().unwrap())
                .unwrap();
        let nonce: [u8; 32] = (run as u64 + 1).to_le_bytes().repeat(4).try_into().unwrap();
        let c = round.challenge(key(1).verifying_key().to_bytes(), nonce, ISSUED_AT);
        // The skipped (k, i): a fixed-stride pick that varies with the run.
        let skip = |k: u32, i: u32| {
            ((k - 1) * params.n + i).wrapping_mul(2_654_435_761).wrapping_add(run) % 1024 < 51
        };
        let p = Prover::run_with(&c, &mut CpuBackend::new(), |k, m| {
            for (i, row) in m.chunks_mut(params.n as usize).enumerate() {
                if skip(k, i as u32) {
                    row.fill(0);
                }
            }
        })
        .unwrap();
        let mut v = Verifier::new(round);
        match v.verify(&c, &p.commit(&key(1)), ISSUED_AT, &p.open(&v.round().reveal()).unwrap()) {
            Ok(_) => {}
            Err(Reject::WrongRow { k, i }) => {
                assert!(skip(k, i), "only skipped rows fail");
                caught += 1;
            }
            Err(other) => panic!("unexpected verdict {other}"),
        }
    }
    let rate = caught as f64 / runs as f64;
    // 4 standard deviations of a binomial proportion at the analytic rate.
    let tolerance = 4.0 * (analytic * (1.0 - analytic) / runs as f64).sqrt();
    println!("ε = {eps:.4}, s = 64: caught {caught}/{runs} = {rate:.4}, analytic 1−(1−ε)^s = {analytic:.4} ± {tolerance:.4}");
    assert!(rate >= 0.95, "caught in {rate:.4} of runs");
    assert!((rate - analytic).abs() <= tolerance, "empirical {rate:.4} vs analytic {analytic:.4}");
}
