//! Bench: the verifier's CPU time per challenge against the prover's, at n = 1024, 2048, 4096
//! (K = 16, s = 64), and the CPU backend's throughput against the plain triple loop. Run with
//! `cargo bench -p io-proof` (release). `IO_PROOF_BENCH_N=1024,2048` picks the sizes.
//!
//! CPU time is the process's (prover: every rayon thread summed) or the calling thread's
//! (verifier: one thread), read with clock_gettime, so other load on the machine changes wall
//! time more than these figures. The triple loop is timed on ONE product (C_1 = A_0·B) on one
//! thread, not on the whole chain: at n = 4096 the chain would take it minutes.
use io_proof::{derive, field, reference, CpuBackend, Params, Prover, Round, Verifier};
use std::time::Instant;

fn cpu_time(clock: libc::clockid_t) -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a valid out-pointer.
    unsafe { libc::clock_gettime(clock, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}
fn process_cpu() -> f64 {
    cpu_time(libc::CLOCK_PROCESS_CPUTIME_ID)
}
fn thread_cpu() -> f64 {
    cpu_time(libc::CLOCK_THREAD_CPUTIME_ID)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let sizes: Vec<u32> = std::env::var("IO_PROOF_BENCH_N")
        .ok()
        .map(|s| {
            s.split(',').map(|x| x.trim().parse().expect("IO_PROOF_BENCH_N: comma-separated n")).collect()
        })
        .unwrap_or_else(|| vec![1024, 2048, 4096]);
    let threads = rayon::current_num_threads();
    println!("io-proof bench: K = 16, s = 64, {threads} rayon threads, AVX2 = {}", avx2());
    println!(
        "{:>5} | {:>9} {:>9} | {:>10} {:>10} | {:>9} {:>11} | {:>10} {:>12} | {:>10} {:>9}",
        "n",
        "round cpu",
        "(wall)",
        "prover cpu",
        "(wall)",
        "verif cpu",
        "ratio",
        "chain op/s",
        "per cpu-sec",
        "loop op/s",
        "speedup"
    );
    let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
    for n in sizes {
        let params = Params { n, k: 16, samples: 64, deadline_ms: 3_600_000 };

        // Per round: B and B·r mod p (shared by every challenge of the round).
        let (w, c0) = (Instant::now(), process_cpu());
        let round = Round::new(params, [7; 32], [42; 32]).unwrap();
        let (round_cpu, round_wall) = (process_cpu() - c0, w.elapsed().as_secs_f64());
        let challenge = round.challenge(key.verifying_key().to_bytes(), [3; 32], 0);

        // Prover: chain + tree, commitment, openings.
        let (w, c0) = (Instant::now(), process_cpu());
        let prover = Prover::run(&challenge, &mut CpuBackend::new()).unwrap();
        let chain_wall = w.elapsed().as_secs_f64();
        let commitment = prover.commit(&key);
        let openings = prover.open(&round.reveal()).unwrap();
        let (prover_cpu, prover_wall) = (process_cpu() - c0, w.elapsed().as_secs_f64());

        // Verifier: commitment check + openings, on this thread; median of 21 fresh verifiers.
        let verifier_cpu = median(
            (0..21)
                .map(|_| {
                    let mut v = Verifier::new(round.clone());
                    let t = thread_cpu();
                    v.verify(&challenge, &commitment, 1, &openings).expect("honest answer");
                    thread_cpu() - t
                })
                .collect(),
        );

        // Plain triple loop on one product, one thread.
        let b = derive::b_matrix(&challenge.beacon, n);
        let a0 = derive::a0_matrix(&challenge);
        let t = thread_cpu();
        let c1 = std::hint::black_box(reference::multiply(&a0, &b, n as usize));
        let loop_s = thread_cpu() - t;
        assert_eq!(c1[..n as usize], prover.row(1, 0)[..], "triple loop and backend agree");
        let product_ops = 2.0 * (n as f64).powi(3);
        let chain_ops = params.int8_ops();
        println!(
            "{:>5} | {:>8.3}s {:>8.3}s | {:>9.3}s {:>9.3}s | {:>7.3}ms {:>10.0}x | {:>10.3e} {:>12.3e} | {:>10.3e} {:>8.1}x",
            n,
            round_cpu,
            round_wall,
            prover_cpu,
            prover_wall,
            verifier_cpu * 1e3,
            prover_cpu / verifier_cpu,
            chain_ops / chain_wall,
            chain_ops / prover_cpu,
            product_ops / loop_s,
            (chain_ops / prover_cpu) / (product_ops / loop_s),
        );
        breakdown(&round, &challenge, &prover, &openings);
    }
    println!(
        "ratio = prover CPU / verifier CPU per challenge (the round's B and B·r excluded, shown apart)."
    );
    println!("chain op/s = K·2n³ / chain wall time, all threads; per cpu-sec = K·2n³ / prover CPU time (chain, tree,");
    println!("commitment, openings); loop op/s = 2n³ / triple-loop CPU time on one thread; speedup = per cpu-sec / loop op/s.");
}

/// Where the verifier's time goes, per challenge: each part timed alone on this thread.
fn breakdown(round: &Round, c: &io_proof::Challenge, prover: &Prover, openings: &[io_proof::Opening]) {
    let id = c.id();
    let root = prover.root();
    let time = |f: &mut dyn FnMut()| {
        median(
            (0..11)
                .map(|_| {
                    let t = thread_cpu();
                    f();
                    thread_cpu() - t
                })
                .collect(),
        ) * 1e3
    };
    let rows = || {
        openings.iter().flat_map(|o| {
            o.prev.iter().map(|p| (o.k - 1, o.i, &p.0, &p.1)).chain([(o.k, o.i, &o.row, &o.path)])
        })
    };
    let mut leaves = Vec::new();
    let hash = time(&mut || leaves = rows().map(|(k, i, row, _)| derive::row_leaf(&id, k, i, row)).collect());
    let paths = time(&mut || {
        for ((_, _, _, path), leaf) in rows().zip(&leaves) {
            assert!(io_merkle::verify(path, &root, leaf));
        }
    });
    let seed = derive::a0_seed(c);
    let n = c.params.n;
    let a0 = time(&mut || {
        for o in openings {
            std::hint::black_box(derive::a0_row(&seed, n, o.i));
        }
    });
    let r = field::Limbed::new(&derive::freivalds_r(&c.beacon, &round.reveal(), n));
    let a = vec![-3i8; n as usize];
    let dots = time(&mut || {
        for o in openings {
            std::hint::black_box(r.dot_i32(&o.row));
            std::hint::black_box(r.dot_i8(&a));
        }
    });
    let sig = time(&mut || {
        assert!(prover.commit(&ed25519_dalek::SigningKey::from_bytes(&[1; 32])).signature_valid(&c.device))
    });
    println!(
        "      verifier parts: {} row hashes {hash:.3}ms, paths {paths:.3}ms, A0 rows {a0:.3}ms, 2s dot products {dots:.3}ms, sign+verify {sig:.3}ms",
        leaves.len()
    );
}

fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx2");
    #[allow(unreachable_code)]
    false
}
