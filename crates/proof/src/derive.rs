//! Everything derived from the challenge: B, A₀, the leaf of a row, the Freivalds vector r and
//! the sampled row transitions. Each stream is ChaCha20 (rand_chacha 0.3 `ChaCha20Rng`: 20 rounds,
//! stream 0, keystream read as little-endian 32-bit words) keyed by a tagged sha256.
use crate::{
    challenge::{sha256, Challenge, Hash},
    field::P,
    tags,
};
use rand_chacha::{
    rand_core::{RngCore, SeedableRng},
    ChaCha20Rng,
};

/// Key of B: sha256(B_SEED ‖ beacon ‖ n as u32 LE). One B per beacon and size.
pub fn b_seed(beacon: &Hash, n: u32) -> Hash {
    sha256(&[tags::B_SEED, beacon, &n.to_le_bytes()])
}

/// Key of A₀: sha256(A0_SEED ‖ beacon ‖ device ‖ nonce ‖ n as u32 LE).
pub fn a0_seed(c: &Challenge) -> Hash {
    sha256(&[tags::A0_SEED, &c.beacon, &c.device, &c.nonce, &c.params.n.to_le_bytes()])
}

/// B, n×n int8 row-major: the first n² keystream bytes, each read as i8.
pub fn b_matrix(beacon: &Hash, n: u32) -> Vec<i8> {
    stream_i8(&b_seed(beacon, n), 0, n as usize * n as usize)
}

/// A₀, n×n int8 row-major, the same way from the A₀ key.
pub fn a0_matrix(c: &Challenge) -> Vec<i8> {
    let n = c.params.n as usize;
    stream_i8(&a0_seed(c), 0, n * n)
}

/// Row i of A₀ alone (keystream bytes [i·n, (i+1)·n)): the verifier seeks instead of generating
/// the whole matrix, O(n) per sample.
pub fn a0_row(seed: &Hash, n: u32, i: u32) -> Vec<i8> {
    stream_i8(seed, i as u64 * n as u64, n as usize)
}

/// `len` keystream bytes from byte `offset` (a multiple of 4: rows start on word boundaries
/// because n is a power of two ≥ 16).
fn stream_i8(seed: &Hash, offset: u64, len: usize) -> Vec<i8> {
    debug_assert_eq!(offset % 4, 0);
    let mut rng = ChaCha20Rng::from_seed(*seed);
    rng.set_word_pos((offset / 4) as u128);
    let mut bytes = vec![0u8; len];
    rng.fill_bytes(&mut bytes);
    bytes.into_iter().map(|b| b as i8).collect()
}

/// The next chain input from a product row: `A_k[i,j] = g(C_k[i,j]) ⊕ A₀[i,j]` with
/// g(x) = low byte of (x ⊕ (x ≫ 13)) (arithmetic shift).
///
/// Why g mixes high bits into the low byte: a plain truncation would let a prover compute only
/// the low bits of each product. Why the ⊕ A₀: it ties every step to this challenge's nonce and
/// device, so a chain computed for another challenge fails at every step, not only at k = 1.
#[inline]
pub fn next_a(c_row: &[i32], a0_row: &[i8], out: &mut [i8]) {
    for ((o, &x), &a0) in out.iter_mut().zip(c_row).zip(a0_row) {
        *o = ((x ^ (x >> 13)) as u8 ^ a0 as u8) as i8;
    }
}

/// The io-merkle leaf of row i of C_k (k from 1): leaf_hash(ROW_LEAF, challenge id ‖ k as u32 LE
/// ‖ i as u32 LE ‖ BLAKE3(the row as i32 LE)). The id keeps a leaf from answering another
/// challenge; k and i keep a row from standing in for another.
///
/// Why BLAKE3 for the row: hashing the rows is most of the verifier's time (two 4n-byte rows per
/// sample) and a large part of the prover's (4·K·n² bytes per challenge); BLAKE3 is several times
/// faster than SHA-256 on one core and splits a row into independent 1 KiB chunks (SIMD on a CPU,
/// threads on a GPU). The tree above the leaves stays io-merkle's SHA-256.
pub fn row_leaf(challenge_id: &Hash, k: u32, i: u32, row: &[i32]) -> Hash {
    let digest = blake3::hash(&i32_le(row));
    io_merkle::leaf_hash(
        tags::ROW_LEAF,
        &[challenge_id, &k.to_le_bytes(), &i.to_le_bytes(), digest.as_bytes()],
    )
}

/// The row's bytes as i32 LE. On little-endian targets the row already is that layout.
#[cfg(target_endian = "little")]
fn i32_le(row: &[i32]) -> std::borrow::Cow<'_, [u8]> {
    // SAFETY: i32 has no padding and any byte is a valid u8; the slice covers exactly the row.
    std::borrow::Cow::Borrowed(unsafe {
        std::slice::from_raw_parts(row.as_ptr().cast::<u8>(), row.len() * 4)
    })
}

#[cfg(not(target_endian = "little"))]
fn i32_le(row: &[i32]) -> std::borrow::Cow<'_, [u8]> {
    std::borrow::Cow::Owned(row.iter().flat_map(|x| x.to_le_bytes()).collect())
}

/// Index of row i of C_k in the tree (k from 1): the rows of C_1, then of C_2, ….
pub fn leaf_index(n: u32, k: u32, i: u32) -> usize {
    (k as usize - 1) * n as usize + i as usize
}

/// The Freivalds vector r ∈ F_pⁿ of a round: sha256(R_SEED ‖ beacon ‖ reveal ‖ n LE) keys a
/// stream of u64 words; each word's top 61 bits are a candidate, p itself is skipped, so every r_j
/// is uniform in [0, p). It depends on the reveal only, so B·r is computed once per round; the
/// reveal must stay secret until every commitment of the round is in (verifier.rs).
pub fn freivalds_r(beacon: &Hash, reveal: &Hash, n: u32) -> Vec<u64> {
    let mut rng = ChaCha20Rng::from_seed(sha256(&[tags::R_SEED, beacon, reveal, &n.to_le_bytes()]));
    let mut r = Vec::with_capacity(n as usize);
    while r.len() < n as usize {
        let x = rng.next_u64() >> 3;
        if x != P {
            r.push(x);
        }
    }
    r
}

/// The s sampled row transitions (k in 1..=K, i in 0..n), with replacement, from
/// sha256(SAMPLES_SEED ‖ challenge id ‖ root ‖ reveal): one u64 per sample, k−1 from its low
/// log2 K bits and i from the next log2 n bits (unbiased: K and n are powers of two). Known to
/// nobody before the commitment: the prover lacks the reveal, the verifier the root.
pub fn samples(challenge: &Challenge, root: &Hash, reveal: &Hash) -> Vec<(u32, u32)> {
    let p = &challenge.params;
    let mut rng = ChaCha20Rng::from_seed(sha256(&[tags::SAMPLES_SEED, &challenge.id(), root, reveal]));
    let kbits = p.k.trailing_zeros();
    (0..p.samples)
        .map(|_| {
            let w = rng.next_u64();
            let k = 1 + (w & (p.k as u64 - 1)) as u32;
            let i = ((w >> kbits) & (p.n as u64 - 1)) as u32;
            (k, i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a0_row_seeks_into_the_matrix() {
        let c = Challenge {
            params: crate::Params { n: 32, k: 2, samples: 4, deadline_ms: 1 },
            beacon: [1; 32],
            device: [2; 32],
            nonce: [3; 32],
            reveal_commitment: [4; 32],
            issued_at_ms: 0,
        };
        let a0 = a0_matrix(&c);
        let seed = a0_seed(&c);
        for i in [0u32, 1, 17, 31] {
            assert_eq!(a0_row(&seed, 32, i), a0[i as usize * 32..(i as usize + 1) * 32]);
        }
        assert_ne!(b_matrix(&c.beacon, 32), a0, "B and A0 come from different keys");
    }

    #[test]
    fn g_mixes_high_bits_and_the_mask() {
        let mut out = [0i8; 3];
        next_a(&[0, 1 << 13, -1], &[0, 0, 5], &mut out);
        assert_eq!(out, [0, 1, 5]);
    }

    #[test]
    fn r_is_below_p() {
        assert!(freivalds_r(&[9; 32], &[8; 32], 1024).iter().all(|&x| x < P));
    }
}
