//! The plain triple loop: the definition the backends are tested against, and the bench's
//! baseline for the CPU backend's speed.

/// C = A·B, row-major n×n, i-l-j order with no blocking or explicit SIMD.
pub fn multiply(a: &[i8], b: &[i8], n: usize) -> Vec<i32> {
    let mut c = vec![0i32; n * n];
    for i in 0..n {
        for l in 0..n {
            let x = a[i * n + l] as i32;
            for j in 0..n {
                c[i * n + j] += x * b[l * n + j] as i32;
            }
        }
    }
    c
}

/// One row of A·B: Σ_l a_l·B[l,:].
pub fn row_times(a_row: &[i8], b: &[i8], n: usize) -> Vec<i32> {
    let mut out = vec![0i32; n];
    for (l, &x) in a_row.iter().enumerate() {
        for (o, &y) in out.iter_mut().zip(&b[l * n..(l + 1) * n]) {
            *o += x as i32 * y as i32;
        }
    }
    out
}
