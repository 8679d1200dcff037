use io_merkle::*;
use proptest::prelude::*;

fn leaves(n: usize, salt: u8) -> Vec<Hash> {
    (0..n).map(|i| leaf_hash(b"test", &[&(i as u64).to_le_bytes(), &[salt]])).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn every_leaf_proof_verifies(n in 1usize..200, salt in any::<u8>()) {
        let l = leaves(n, salt);
        let t = MerkleTree::new(l.clone());
        for (i, leaf) in l.iter().enumerate() {
            prop_assert!(verify(&t.proof(i).unwrap(), &t.root(), leaf));
        }
        prop_assert!(t.proof(n).is_none());
    }

    #[test]
    fn altered_leaf_proof_or_root_fails(n in 2usize..200, pick in any::<prop::sample::Index>(), byte in 0usize..32, bit in 0u8..8) {
        let l = leaves(n, 0);
        let t = MerkleTree::new(l.clone());
        let i = pick.index(n);
        let proof = t.proof(i).unwrap();
        let flip = |h: &Hash| { let mut h = *h; h[byte] ^= 1 << bit; h };
        prop_assert!(!verify(&proof, &t.root(), &flip(&l[i])));
        prop_assert!(!verify(&proof, &flip(&t.root()), &l[i]));
        if !proof.is_empty() {
            let mut bad = proof.clone();
            bad[pick.index(proof.len())] = flip(&bad[pick.index(proof.len())]);
            prop_assert!(!verify(&bad, &t.root(), &l[i]));
            // Another leaf's proof does not carry this leaf.
            let j = (i + 1) % n;
            if t.proof(j).unwrap() != proof {
                prop_assert!(!verify(&t.proof(j).unwrap(), &t.root(), &l[i]));
            }
        }
    }
}
