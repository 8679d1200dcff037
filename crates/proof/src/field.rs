//! Arithmetic modulo the Mersenne prime p = 2⁶¹−1 for the Freivalds check.
//!
//! Why this prime: every entry of a wrong row differs from the right one by less than 2³² < p, so
//! a wrong row is never ≡ right mod p, and a random r ∈ F_pⁿ accepts it with probability 1/p.
//! Sums are taken exactly in i128 and reduced once per dot product: |x·r| < 2³¹·2⁶¹ and n ≤ 2¹⁶
//! keep every sum below 2¹⁰⁸. The adds and multiplies are written wrapping because the workspace
//! builds release with overflow checks, which would put a branch on every entry; by the bound
//! above nothing wraps.

/// p = 2⁶¹ − 1.
pub const P: u64 = (1 << 61) - 1;

/// x mod p in [0, p).
#[inline]
pub fn reduce(x: i128) -> u64 {
    x.rem_euclid(P as i128) as u64
}

/// Σ row_j · r_j mod p, for a row of C (int32).
pub fn dot_i32(row: &[i32], r: &[u64]) -> u64 {
    debug_assert_eq!(row.len(), r.len());
    let mut acc: i128 = 0;
    for (&x, &w) in row.iter().zip(r) {
        acc = acc.wrapping_add((x as i128).wrapping_mul(w as i128));
    }
    reduce(acc)
}

/// Σ a_j · v_j mod p, for an int8 row against a vector mod p (such as B·r).
pub fn dot_i8(a: &[i8], v: &[u64]) -> u64 {
    debug_assert_eq!(a.len(), v.len());
    let mut acc: i128 = 0;
    for (&x, &w) in a.iter().zip(v) {
        acc = acc.wrapping_add((x as i128).wrapping_mul(w as i128));
    }
    reduce(acc)
}

/// A vector over F_p split into three limbs, v = l₀ + l₁·2²¹ + l₂·2⁴² (each limb < 2²¹), for the
/// verifier's per-sample dot products. Why: a product of an entry (|x| ≤ 2³¹) and a limb fits an
/// i64 lane, 1,024 of them sum without overflow (< 2⁶²), and i32×i32→i64 multiplies vectorise
/// (`vpmuldq`), where the i128 loop above is one scalar multiply per entry.
#[derive(Debug, Clone)]
pub struct Limbed {
    limbs: [Vec<i32>; 3],
}

/// Entries per i64 partial sum: 1,024 · 2³¹ · 2²¹ = 2⁶².
const LIMB_CHUNK: usize = 1024;

impl Limbed {
    /// Splits `v` (every entry < p).
    pub fn new(v: &[u64]) -> Self {
        let limb = |shift: u32| v.iter().map(|&x| ((x >> shift) & ((1 << 21) - 1)) as i32).collect();
        Limbed { limbs: [limb(0), limb(21), limb(42)] }
    }

    pub fn len(&self) -> usize {
        self.limbs[0].len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Σ x_j·v_j mod p for a row of C (every |x_j| ≤ 2³¹, which an i32 is).
    pub fn dot_i32(&self, x: &[i32]) -> u64 {
        self.dot(x)
    }

    /// Σ x_j·v_j mod p for an int8 row.
    pub fn dot_i8(&self, x: &[i8]) -> u64 {
        self.dot(x)
    }

    fn dot<T: Copy + Into<i64>>(&self, x: &[T]) -> u64 {
        assert_eq!(x.len(), self.len(), "vector lengths differ");
        let mut acc: i128 = 0;
        for (c, start) in x.chunks(LIMB_CHUNK).zip((0..).step_by(LIMB_CHUNK)) {
            let l = self.limbs.each_ref().map(|v| &v[start..start + c.len()]);
            let [s0, s1, s2] = limb_sums(c, l);
            acc += s0 as i128 + ((s1 as i128) << 21) + ((s2 as i128) << 42);
        }
        reduce(acc)
    }
}

/// The three limb sums of one chunk, with AVX2 where the CPU has it (checked at run time).
fn limb_sums<T: Copy + Into<i64>>(x: &[T], l: [&[i32]; 3]) -> [i64; 3] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present (checked above).
            return unsafe { limb_sums_avx2(x, l) };
        }
    }
    limb_sums_body(x, l)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn limb_sums_avx2<T: Copy + Into<i64>>(x: &[T], l: [&[i32]; 3]) -> [i64; 3] {
    limb_sums_body(x, l)
}

/// Wrapping ops: nothing wraps (see [`LIMB_CHUNK`]), and overflow checks would stop LLVM from
/// vectorising.
#[inline(always)]
fn limb_sums_body<T: Copy + Into<i64>>(x: &[T], l: [&[i32]; 3]) -> [i64; 3] {
    let mut s = [0i64; 3];
    for (((&x, &a), &b), &c) in x.iter().zip(l[0]).zip(l[1]).zip(l[2]) {
        let x: i64 = x.into();
        s[0] = s[0].wrapping_add(x.wrapping_mul(a as i64));
        s[1] = s[1].wrapping_add(x.wrapping_mul(b as i64));
        s[2] = s[2].wrapping_add(x.wrapping_mul(c as i64));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_is_canonical() {
        assert_eq!(reduce(0), 0);
        assert_eq!(reduce(P as i128), 0);
        assert_eq!(reduce(-1), P - 1);
        assert_eq!(reduce(-(P as i128) * 5 + 7), 7);
    }

    #[test]
    fn limbed_dots_match_the_i128_ones() {
        // Extreme entries and a length past one chunk.
        let n = 3000;
        let v: Vec<u64> = (0..n as u64).map(|j| (j.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 3) % P).collect();
        let v = [&[P - 1, 0, 1][..], &v[3..]].concat();
        let x32: Vec<i32> =
            (0..n).map(|j| [i32::MIN, i32::MAX, -1, (j as i32).wrapping_mul(7919)][j % 4]).collect();
        let x8: Vec<i8> = (0..n).map(|j| [-128, 127, (j % 251) as i8][j % 3]).collect();
        let limbed = Limbed::new(&v);
        assert_eq!(limbed.dot_i32(&x32), dot_i32(&x32, &v));
        assert_eq!(limbed.dot_i8(&x8), dot_i8(&x8, &v));
    }

    #[test]
    fn dot_matches_a_naive_sum() {
        let row = [i32::MIN, i32::MAX, -3, 0];
        let r = [P - 1, P - 2, 12345, 1];
        let want = row.iter().zip(&r).fold(0i128, |s, (&x, &w)| (s + x as i128 * w as i128) % P as i128);
        assert_eq!(dot_i32(&row, &r), reduce(want));
    }
}
