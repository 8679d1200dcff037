//! Arithmetic modulo the Mersenne prime p = 2⁶¹−1 for the Freivalds check.
//!
//! Why this prime: every entry of a wrong row differs from the right one by less than 2³² < p, so
//! a wrong row is never ≡ right mod p, and a random r ∈ F_pⁿ accepts it with probability 1/p.
//! Sums are taken exactly in i128 and reduced once per dot product: |x·r| < 2³¹·2⁶¹ and n ≤ 2¹⁶
//! keep every sum below 2¹⁰⁸.

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
        acc += x as i128 * w as i128;
    }
    reduce(acc)
}

/// Σ a_j · v_j mod p, for an int8 row against a vector mod p (such as B·r).
pub fn dot_i8(a: &[i8], v: &[u64]) -> u64 {
    debug_assert_eq!(a.len(), v.len());
    let mut acc: i128 = 0;
    for (&x, &w) in a.iter().zip(v) {
        acc += x as i128 * w as i128;
    }
    reduce(acc)
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
    fn dot_matches_a_naive_sum() {
        let row = [i32::MIN, i32::MAX, -3, 0];
        let r = [P - 1, P - 2, 12345, 1];
        let want = row.iter().zip(&r).fold(0i128, |s, (&x, &w)| (s + x as i128 * w as i128) % P as i128);
        assert_eq!(dot_i32(&row, &r), reduce(want));
    }
}
