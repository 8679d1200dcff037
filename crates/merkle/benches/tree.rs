//! Bench: build a rewards tree and every proof for 10k, 100k and 1M leaves; proof size; time to
//! verify one proof. Run with `cargo bench -p io-merkle` (release). Proofs are produced on every
//! core (each thread takes a contiguous range of leaves) and dropped as they are made: a million
//! 20-hash proofs would otherwise hold 640 MB.
use io_merkle::{leaf_hash, verify, MerkleTree};
use std::time::Instant;

fn leaves(n: usize) -> Vec<[u8; 32]> {
    (0..n as u64)
        .map(|i| {
            // (operator, cumulative reward) — the shape of a rewards leaf.
            let operator = i.to_le_bytes().repeat(4);
            leaf_hash(b"io-rewards-v1", &[&operator, &(i * 1_000).to_le_bytes()])
        })
        .collect()
}

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("io-merkle bench ({threads} threads)");
    println!(
        "{:>9} {:>10} {:>10} {:>12} {:>12} {:>11} {:>14}",
        "leaves", "leaf hash", "tree", "all proofs", "total", "proof size", "verify/proof"
    );
    for n in [10_000usize, 100_000, 1_000_000] {
        let th = Instant::now();
        let l = leaves(n);
        let hashed = th.elapsed();
        let t0 = Instant::now();
        let tree = MerkleTree::new(l.clone());
        let built = t0.elapsed();
        let t1 = Instant::now();
        let chunk = n.div_ceil(threads);
        let bytes: usize = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let tree = &tree;
                    s.spawn(move || {
                        let (lo, hi) = (t * chunk, ((t + 1) * chunk).min(n));
                        (lo..hi).map(|i| tree.proof(i).expect("leaf exists").len() * 32).sum::<usize>()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("proof thread")).sum()
        });
        let proofs = t1.elapsed();
        let root = tree.root();
        let sample: Vec<usize> = (0..1_000).map(|k| k * n / 1_000).collect();
        let sample_proofs: Vec<_> = sample.iter().map(|i| tree.proof(*i).unwrap()).collect();
        let t2 = Instant::now();
        for (i, p) in sample.iter().zip(&sample_proofs) {
            assert!(verify(p, &root, &l[*i]));
        }
        let per_verify = t2.elapsed() / 1_000;
        println!(
            "{:>9} {:>8.1}ms {:>8.1}ms {:>10.1}ms {:>10.1}ms {:>9} B {:>12.2?}",
            n,
            hashed.as_secs_f64() * 1e3,
            built.as_secs_f64() * 1e3,
            proofs.as_secs_f64() * 1e3,
            (hashed + built + proofs).as_secs_f64() * 1e3,
            bytes / n,
            per_verify
        );
    }
}
