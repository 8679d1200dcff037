//! The honest prover passes; every cheating prover of the issue gets its specific verdict.
mod common;

use common::*;
use io_merkle::MerkleTree;
use io_proof::{derive, Commitment, CpuBackend, Opening, ProveError, Prover, Reject};

#[test]
fn honest_prover_passes() {
    for params in [small(), io_proof::HardwareClass::Cpu.light_params()] {
        let (mut v, c, p) = honest(params);
        let commitment = p.commit(&key(1));
        v.accept_commitment(&c, &commitment, ISSUED_AT + 10).unwrap();
        let openings = p.open(&v.disclose()).unwrap();
        let ok = v.check_openings(&c, &openings).unwrap();
        assert_eq!((ok.challenge_id, ok.samples), (c.id(), params.samples as usize));
    }
}

#[test]
fn wrong_rows_are_caught() {
    let (mut v, c, _) = honest(small());
    // Every row of every product off by one in a single entry, committed and opened as computed.
    let p = Prover::run_with(&c, &mut CpuBackend::new(), |_, m| {
        for row in m.chunks_mut(c.params.n as usize) {
            row[5] += 1;
        }
    })
    .unwrap();
    let openings = p.open(&v.round().reveal()).unwrap();
    let first = &openings[0];
    assert_eq!(
        v.verify(&c, &p.commit(&key(1)), ISSUED_AT, &openings),
        Err(Reject::WrongRow { k: first.k, i: first.i })
    );
}

#[test]
fn a_row_changed_after_the_commitment_is_caught() {
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    let mut openings = p.open(&v.round().reveal()).unwrap();
    // Change the row of the first sample that has a previous row, in its previous row.
    let j = openings.iter().position(|o| o.prev.is_some()).unwrap();
    let (k, i) = (openings[j].k, openings[j].i);
    openings[j].prev.as_mut().unwrap().0[0] ^= 1;
    assert_eq!(v.check_openings(&c, &openings[..]), Err(Reject::BadPath { k: k - 1, i }));

    // The same with the checked row itself, against a fresh verifier.
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    let mut later = p.open(&v.round().reveal()).unwrap();
    later[0].row[3] -= 7;
    assert_eq!(v.check_openings(&c, &later), Err(Reject::BadPath { k: later[0].k, i: later[0].i }));
}

/// Openings for the samples that `root` selects, with paths from `tree` and rows from `rows`.
fn open_with(c: &io_proof::Challenge, reveal: &[u8; 32], tree: &MerkleTree, rows: &Prover) -> Vec<Opening> {
    derive::samples(c, &tree.root(), reveal)
        .into_iter()
        .map(|(k, i)| {
            let path = |k| tree.proof(derive::leaf_index(c.params.n, k, i)).unwrap_or_default();
            Opening {
                k,
                i,
                prev: (k > 1).then(|| (rows.row(k - 1, i), path(k - 1))),
                row: rows.row(k, i),
                path: path(k),
            }
        })
        .collect()
}

fn leaves(c: &io_proof::Challenge, p: &Prover, steps: std::ops::RangeInclusive<u32>) -> Vec<[u8; 32]> {
    let id = c.id();
    steps.flat_map(|k| (0..c.params.n).map(move |i| derive::row_leaf(&id, k, i, &p.row(k, i)))).collect()
}

#[test]
fn a_commitment_over_fewer_rows_is_caught() {
    let params = small();
    // Only the first half of the chain, as a tree of K·n/2 leaves: every path is one short.
    let (mut v, c, p) = honest(params);
    let tree = MerkleTree::new(leaves(&c, &p, 1..=params.k / 2));
    let commitment = Commitment::sign(&c, tree.root(), &key(1));
    let openings = open_with(&c, &v.round().reveal(), &tree, &p);
    let o = &openings[0];
    let want =
        if o.k > 1 { Reject::BadPath { k: o.k - 1, i: o.i } } else { Reject::BadPath { k: o.k, i: o.i } };
    assert_eq!(v.verify(&c, &commitment, ISSUED_AT, &openings), Err(want));

    // The same half padded with filler leaves to full size: the paths have the right length, and
    // the first sample that needs a missing row fails.
    let (mut v, c, p) = honest(params);
    let mut l = leaves(&c, &p, 1..=params.k / 2);
    l.resize(params.leaf_count(), [0xAB; 32]);
    let tree = MerkleTree::new(l);
    let commitment = Commitment::sign(&c, tree.root(), &key(1));
    let openings = open_with(&c, &v.round().reveal(), &tree, &p);
    let bad =
        openings.iter().find(|o| o.k > params.k / 2).expect("a sample in the missing half (p = 1 − 2⁻³²)");
    let verdict = v.verify(&c, &commitment, ISSUED_AT, &openings);
    assert!(matches!(verdict, Err(Reject::BadPath { .. })), "{verdict:?}");
    let Err(Reject::BadPath { k, .. }) = verdict else { unreachable!() };
    assert!(k > params.k / 2 && k <= bad.k, "caught at a missing row");
}

#[test]
fn answers_for_another_nonce_are_caught() {
    let (mut v, c, _) = honest(small());
    let other = v.round().challenge(c.device, [4; 32], ISSUED_AT);
    let p = Prover::run(&other, &mut CpuBackend::new()).unwrap();

    // Named as what it is: the commitment answers the other nonce.
    assert_eq!(v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT), Err(Reject::WrongNonce));

    // Rows of the other nonce re-hashed and signed as this challenge's answer: A₀ is mixed into
    // every step, so every transition is wrong, not only those from A₀.
    let tree = MerkleTree::new(leaves(&c, &p, 1..=c.params.k));
    let openings = open_with(&c, &v.round().reveal(), &tree, &p);
    let commitment = Commitment::sign(&c, tree.root(), &key(1));
    let o = &openings[0];
    assert_eq!(v.verify(&c, &commitment, ISSUED_AT, &openings), Err(Reject::WrongRow { k: o.k, i: o.i }));
}

#[test]
fn answers_for_another_device_key_are_caught() {
    let (mut v, c, p) = honest(small());
    // Signed by, and naming, another key.
    assert_eq!(v.accept_commitment(&c, &p.commit(&key(2)), ISSUED_AT), Err(Reject::WrongDevice));
    // Naming the challenged device but signed by another key.
    let mut forged = p.commit(&key(2));
    forged.device = c.device;
    assert_eq!(v.accept_commitment(&c, &forged, ISSUED_AT), Err(Reject::BadSignature));
    // Rows computed for another device's challenge, re-hashed and signed with this device's key.
    let theirs = v.round().challenge(key(2).verifying_key().to_bytes(), c.nonce, ISSUED_AT);
    let p2 = Prover::run(&theirs, &mut CpuBackend::new()).unwrap();
    let tree = MerkleTree::new(leaves(&c, &p2, 1..=c.params.k));
    let openings = open_with(&c, &v.round().reveal(), &tree, &p2);
    let o = &openings[0];
    let commitment = Commitment::sign(&c, tree.root(), &key(1));
    assert_eq!(v.verify(&c, &commitment, ISSUED_AT, &openings), Err(Reject::WrongRow { k: o.k, i: o.i }));
}

#[test]
fn a_replayed_answer_is_caught() {
    let (mut v, c, p) = honest(small());
    let commitment = p.commit(&key(1));
    let openings = p.open(&v.round().reveal()).unwrap();
    v.verify(&c, &commitment, ISSUED_AT, &openings).unwrap();
    // The same answer again.
    assert_eq!(v.verify(&c, &commitment, ISSUED_AT, &openings), Err(Reject::Replay));
    assert_eq!(v.check_openings(&c, &openings), Err(Reject::Replay));
    // The old answer offered for a new challenge of the same device.
    let next = v.round().challenge(c.device, [9; 32], ISSUED_AT + 60_000);
    assert_eq!(v.accept_commitment(&next, &commitment, ISSUED_AT + 60_001), Err(Reject::Replay));
}

#[test]
fn a_late_answer_is_caught() {
    let (mut v, c, p) = honest(small());
    let commitment = p.commit(&key(1));
    let deadline_ms = c.params.deadline_ms;
    assert_eq!(
        v.accept_commitment(&c, &commitment, ISSUED_AT + deadline_ms + 1),
        Err(Reject::Late { elapsed_ms: deadline_ms + 1, deadline_ms })
    );
    // Exactly at the deadline is on time.
    v.accept_commitment(&c, &commitment, ISSUED_AT + deadline_ms).unwrap();
    // Openings of a commitment that was never accepted are not judged.
    let (mut v2, c2, p2) = honest(small());
    assert_eq!(v2.check_openings(&c2, &p2.open(&v2.round().reveal()).unwrap()), Err(Reject::NotCommitted));
}

#[test]
fn malformed_answers_are_refused() {
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    let openings = p.open(&v.round().reveal()).unwrap();
    assert_eq!(
        v.check_openings(&c, &openings[1..]),
        Err(Reject::WrongOpeningCount { expected: openings.len(), got: openings.len() - 1 })
    );
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    let mut swapped = p.open(&v.round().reveal()).unwrap();
    let j = swapped.iter().position(|o| (o.k, o.i) != (swapped[0].k, swapped[0].i)).unwrap();
    swapped.swap(0, j);
    assert!(matches!(v.check_openings(&c, &swapped), Err(Reject::WrongSample { index: 0, .. })));
    // A truncated row.
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    let mut short = p.open(&v.round().reveal()).unwrap();
    short[0].row.pop();
    assert!(matches!(v.check_openings(&c, &short), Err(Reject::MalformedRow { .. })));
}

#[test]
fn a_prover_refuses_a_reveal_it_was_not_promised() {
    let (_, _, p) = honest(small());
    assert_eq!(p.open(&[43; 32]).err(), Some(ProveError::RevealMismatch));
}

#[test]
fn a_commitment_after_the_reveal_is_refused() {
    let (mut v, c, p) = honest(small());
    let reveal = v.disclose();
    assert_eq!(v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT), Err(Reject::RoundClosed));
    // The same answer committed in time passes with the disclosed reveal.
    let (mut v, c, p) = honest(small());
    v.accept_commitment(&c, &p.commit(&key(1)), ISSUED_AT).unwrap();
    assert_eq!(v.disclose(), reveal);
    v.check_openings(&c, &p.open(&reveal).unwrap()).unwrap();
}

#[test]
fn a_challenge_of_another_round_is_refused() {
    let (mut v, _, p) = honest(small());
    let other = io_proof::Round::new(small(), [8; 32], [42; 32]).unwrap().challenge(
        key(1).verifying_key().to_bytes(),
        [3; 32],
        ISSUED_AT,
    );
    assert_eq!(v.accept_commitment(&other, &p.commit(&key(1)), ISSUED_AT), Err(Reject::ForeignChallenge));
}
