//! The plain triple loop: the definition the backends are tested against, and the bench's
//! baseline for the CPU backend's speed.

/// C = A·B, row-major n×n, i-l-j order (the inner loop runs along contiguous rows of B and C),
/// no blocking and no explicit SIMD. Wrapping adds because the workspace builds release with
/// overflow checks, which would keep LLVM from vectorising the loop and make the baseline
/// unfairly slow; no sum can overflow (|Σ| ≤ n·2¹⁴ < 2³¹ for n ≤ 2¹⁶).
pub fn multiply(a: &[i8], b: &[i8], n: usize) -> Vec<i32> {
    let mut c = vec![0i32; n * n];
    for (c_row, a_row) in c.chunks_exact_mut(n).zip(a.chunks_exact(n)) {
        for (&x, b_row) in a_row.iter().zip(b.chunks_exact(n)) {
            for (o, &y) in c_row.iter_mut().zip(b_row) {
                *o = o.wrapping_add((x as i32).wrapping_mul(y as i32));
            }
        }
    }
    c
}

/// One row of A·B: `Σ_l a_l·B[l,:]`.
pub fn row_times(a_row: &[i8], b: &[i8], n: usize) -> Vec<i32> {
    let mut out = vec![0i32; n];
    for (l, &x) in a_row.iter().enumerate() {
        for (o, &y) in out.iter_mut().zip(&b[l * n..(l + 1) * n]) {
            *o += x as i32 * y as i32;
        }
    }
    out
}
