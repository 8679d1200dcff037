//! Where the products are computed. Every backend returns the exact integer product, so the rows,
//! the tree and the root are byte-identical whichever computed them (tests/backends.rs).
pub mod cpu;
#[cfg(feature = "cuda")]
pub mod cuda;

use crate::error::BackendError;

/// Computes C = A·B for n×n int8 A and B into int32 C, exactly.
pub trait Backend {
    /// Short name for logs and the bench table.
    fn name(&self) -> &'static str;
    /// Takes B (row-major n×n) for the products that follow; a chain loads it once.
    fn load_b(&mut self, b: &[i8], n: usize) -> Result<(), BackendError>;
    /// C = A·B with the loaded B; `a` and `c` are row-major n×n.
    fn multiply(&mut self, a: &[i8], c: &mut [i32]) -> Result<(), BackendError>;
}
