//! The CPU backend: rows of C in parallel (rayon), each block of rows a cache-blocked loop over
//! a transposed, i16-widened B whose innermost step is a 16-lane i16 multiply-add into i32.
//!
//! Why widened to i16 ahead of time: x86's `pmaddwd` (i16·i16 pairs summed into i32) is exact for
//! int8 inputs and is the fastest exact integer multiply-add without VNNI; widening once per
//! matrix keeps the shuffles out of the inner loop. Why transposed: `C[i,j]` is then a dot product
//! of two contiguous rows, and a 4×2 tile of them shares every load. On x86-64 with AVX2 (checked
//! at run time) the tile is written with intrinsics; elsewhere the same loop in plain Rust, which
//! LLVM vectorises. Both are exact, so both give the same C.
use super::Backend;
use crate::error::BackendError;
use rayon::prelude::*;

/// Rows of A per rayon task: the task streams all of Bᵀ once, so more rows means less traffic.
const ROW_BLOCK: usize = 64;
/// Columns of C (rows of Bᵀ) per cache block: 64 rows × L_BLOCK i16 stay in L2.
const COL_BLOCK: usize = 64;
/// Inner-dimension block: a 4×2 tile reads 6 rows of L_BLOCK i16 (12 KiB), well inside L1.
const L_BLOCK: usize = 1024;
/// Tile shape: 4 rows of A × 2 rows of Bᵀ = 8 accumulators + 6 operands, inside AVX2's 16 registers.
const TR: usize = 4;
const TC: usize = 2;

/// B prepared for the kernel: Bᵀ widened to i16, row j of Bᵀ = column j of B.
#[derive(Debug, Clone)]
pub struct PreparedB {
    n: usize,
    bt: Vec<i16>,
}

impl PreparedB {
    pub fn new(b: &[i8], n: usize) -> Self {
        assert_eq!(b.len(), n * n, "B must be n×n");
        let mut bt = vec![0i16; n * n];
        for (l, row) in b.chunks_exact(n).enumerate() {
            for (j, &x) in row.iter().enumerate() {
                bt[j * n + l] = x as i16;
            }
        }
        PreparedB { n, bt }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    /// C = A·B on every core.
    pub fn multiply(&self, a: &[i8], c: &mut [i32]) {
        let n = self.n;
        assert_eq!(a.len(), n * n, "A must be n×n");
        assert_eq!(c.len(), n * n, "C must be n×n");
        let a16: Vec<i16> = a.iter().map(|&x| x as i16).collect();
        let block = ROW_BLOCK.min(n);
        c.par_chunks_mut(block * n).zip(a16.par_chunks(block * n)).for_each(|(c_blk, a_blk)| {
            c_blk.fill(0);
            self.block(a_blk, c_blk);
        });
    }

    /// One row of A·B (an opening), on the calling thread.
    pub fn row(&self, a_row: &[i8]) -> Vec<i32> {
        let n = self.n;
        assert_eq!(a_row.len(), n);
        let a16: Vec<i16> = a_row.iter().map(|&x| x as i16).collect();
        self.bt.chunks_exact(n).map(|bt_row| dot(&a16, bt_row)).collect()
    }

    /// C_blk += A_blk·B for a block of rows (row count a multiple of TR since n ≥ 16 is a
    /// power of two).
    fn block(&self, a_blk: &[i16], c_blk: &mut [i32]) {
        let n = self.n;
        let rows = a_blk.len() / n;
        for l0 in (0..n).step_by(L_BLOCK) {
            let l1 = (l0 + L_BLOCK).min(n);
            for j0 in (0..n).step_by(COL_BLOCK) {
                let j1 = (j0 + COL_BLOCK).min(n);
                for i in (0..rows).step_by(TR) {
                    let a: [&[i16]; TR] = std::array::from_fn(|r| &a_blk[(i + r) * n + l0..(i + r) * n + l1]);
                    for j in (j0..j1).step_by(TC) {
                        let b: [&[i16]; TC] =
                            std::array::from_fn(|t| &self.bt[(j + t) * n + l0..(j + t) * n + l1]);
                        let acc = tile(a, b);
                        for (r, acc_r) in acc.iter().enumerate() {
                            for (t, &v) in acc_r.iter().enumerate() {
                                c_blk[(i + r) * n + j + t] += v;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The 4×2 dot products of a tile over one L block (lengths a multiple of 16).
#[inline]
fn tile(a: [&[i16]; TR], b: [&[i16]; TC]) -> [[i32; TC]; TR] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present (checked above); the slices all have the same length, a
            // multiple of 16 (asserted inside).
            return unsafe { tile_avx2(a, b) };
        }
    }
    tile_portable(a, b)
}

/// Plain Rust: per 16-lane chunk, i16 products summed pairwise into i32 lanes (the `pmaddwd`
/// shape), which LLVM vectorises on any SIMD target.
#[inline]
fn tile_portable(a: [&[i16]; TR], b: [&[i16]; TC]) -> [[i32; TC]; TR] {
    let mut lanes = [[[0i32; 8]; TC]; TR];
    let len = a[0].len();
    for l in (0..len).step_by(16) {
        for r in 0..TR {
            let ar = &a[r][l..l + 16];
            for t in 0..TC {
                let bt = &b[t][l..l + 16];
                for q in 0..8 {
                    lanes[r][t][q] +=
                        ar[2 * q] as i32 * bt[2 * q] as i32 + ar[2 * q + 1] as i32 * bt[2 * q + 1] as i32;
                }
            }
        }
    }
    lanes.map(|row| row.map(|v| v.iter().sum()))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn tile_avx2(a: [&[i16]; TR], b: [&[i16]; TC]) -> [[i32; TC]; TR] {
    use std::arch::x86_64::*;
    let len = a[0].len();
    assert!(len.is_multiple_of(16) && a.iter().all(|s| s.len() == len) && b.iter().all(|s| s.len() == len));
    let mut acc = [[_mm256_setzero_si256(); TC]; TR];
    let mut bv = [_mm256_setzero_si256(); TC];
    let mut l = 0;
    while l < len {
        // SAFETY (all loads): l + 16 ≤ len for every slice, asserted above; loadu needs no alignment.
        for t in 0..TC {
            bv[t] = unsafe { _mm256_loadu_si256(b[t].as_ptr().add(l).cast()) };
        }
        for r in 0..TR {
            let av = unsafe { _mm256_loadu_si256(a[r].as_ptr().add(l).cast()) };
            for t in 0..TC {
                acc[r][t] = _mm256_add_epi32(acc[r][t], _mm256_madd_epi16(av, bv[t]));
            }
        }
        l += 16;
    }
    let mut out = [[0i32; TC]; TR];
    for r in 0..TR {
        for t in 0..TC {
            out[r][t] = hsum_avx2(acc[r][t]);
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn hsum_avx2(v: std::arch::x86_64::__m256i) -> i32 {
    use std::arch::x86_64::*;
    let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b01_00_11_10>(s));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b10_11_00_01>(s));
    _mm_cvtsi128_si32(s)
}

/// One exact dot product of two i16-widened int8 rows.
fn dot(a: &[i16], b: &[i16]) -> i32 {
    let mut lanes = [0i32; 16];
    for (ca, cb) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        for q in 0..16 {
            lanes[q] += ca[q] as i32 * cb[q] as i32;
        }
    }
    lanes.iter().sum()
}

/// The CPU backend as a [`Backend`].
#[derive(Debug, Default)]
pub struct CpuBackend {
    b: Option<PreparedB>,
}

impl CpuBackend {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Backend for CpuBackend {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn load_b(&mut self, b: &[i8], n: usize) -> Result<(), BackendError> {
        // The kernels work in tiles of 16 rows; any other side would panic inside them.
        if n < crate::params::MIN_N as usize || !n.is_power_of_two() {
            return Err(BackendError::BadSide(n));
        }
        if b.len() != n * n {
            return Err(BackendError::SizeMismatch { expected: n * n, got: b.len() });
        }
        self.b = Some(PreparedB::new(b, n));
        Ok(())
    }

    fn multiply(&mut self, a: &[i8], c: &mut [i32]) -> Result<(), BackendError> {
        let b = self.b.as_ref().ok_or(BackendError::NotLoaded)?;
        if a.len() != b.n * b.n || c.len() != a.len() {
            return Err(BackendError::SizeMismatch { expected: b.n * b.n, got: a.len() });
        }
        b.multiply(a, c);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;

    fn pseudo(n: usize, seed: u32) -> Vec<i8> {
        let mut x = seed;
        (0..n * n)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as i8
            })
            .collect()
    }

    #[test]
    fn blocked_kernel_matches_the_triple_loop() {
        // 2048 > L_BLOCK exercises the inner-dimension blocking; 16 the smallest size.
        for n in [16usize, 64, 2048] {
            let (a, b) = (pseudo(n, 1), pseudo(n, 2));
            let p = PreparedB::new(&b, n);
            let mut c = vec![0; n * n];
            p.multiply(&a, &mut c);
            if n <= 64 {
                assert_eq!(c, reference::multiply(&a, &b, n), "n = {n}");
            }
            for i in [0, n / 2, n - 1] {
                assert_eq!(
                    c[i * n..(i + 1) * n],
                    reference::row_times(&a[i * n..(i + 1) * n], &b, n),
                    "n = {n}"
                );
                assert_eq!(p.row(&a[i * n..(i + 1) * n]), c[i * n..(i + 1) * n]);
            }
        }
    }

    #[test]
    fn extreme_entries_are_exact() {
        let n = 32;
        let a = vec![-128i8; n * n];
        let b = vec![-128i8; n * n];
        let mut c = vec![0; n * n];
        PreparedB::new(&b, n).multiply(&a, &mut c);
        assert!(c.iter().all(|&x| x == 32 * 128 * 128));
        assert_eq!(tile_portable([&[-128; 16]; TR], [&[-128; 16]; TC]), [[16 * 16384; TC]; TR]);
    }
}
