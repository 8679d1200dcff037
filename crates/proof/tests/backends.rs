//! Backends agree byte for byte: the CPU backend against the plain triple loop on a whole chain
//! (same root), and, with the `cuda` feature, the CUDA backend against the CPU one where a GPU is
//! present, or a clear "no NVIDIA driver / GPU found" where none is.
mod common;

use common::*;
use io_proof::{reference, Backend, BackendError, CpuBackend, Params, Prover};

/// The definition as a backend: the triple loop, nothing else.
struct TripleLoop {
    b: Vec<i8>,
    n: usize,
}

impl Backend for TripleLoop {
    fn name(&self) -> &'static str {
        "triple-loop"
    }
    fn load_b(&mut self, b: &[i8], n: usize) -> Result<(), BackendError> {
        (self.b, self.n) = (b.to_vec(), n);
        Ok(())
    }
    fn multiply(&mut self, a: &[i8], c: &mut [i32]) -> Result<(), BackendError> {
        c.copy_from_slice(&reference::multiply(a, &self.b, self.n));
        Ok(())
    }
}

#[test]
fn cpu_backend_and_triple_loop_give_the_same_chain() {
    for params in [small(), Params { n: 256, k: 4, samples: 8, deadline_ms: 1 }] {
        let c = round(params).challenge([5; 32], [6; 32], ISSUED_AT);
        let cpu = Prover::run(&c, &mut CpuBackend::new()).unwrap();
        let reference = Prover::run(&c, &mut TripleLoop { b: vec![], n: 0 }).unwrap();
        assert_eq!(cpu.root(), reference.root(), "n = {}", params.n);
    }
}

#[test]
fn a_backend_used_before_load_b_says_so() {
    let mut c = vec![0; 16 * 16];
    assert_eq!(CpuBackend::new().multiply(&[0; 256], &mut c), Err(BackendError::NotLoaded));
    // A side the kernels cannot tile is refused with its own error, never a panic.
    assert_eq!(CpuBackend::new().load_b(&[0; 100], 10), Err(BackendError::BadSide(10)));
    assert_eq!(CpuBackend::new().load_b(&[], 0), Err(BackendError::BadSide(0)));
}

#[cfg(feature = "cuda")]
#[test]
fn cuda_backend_matches_cpu_or_says_no_gpu() {
    use io_proof::backend::cuda::CudaBackend;
    match CudaBackend::new() {
        Err(e) => {
            let text = e.to_string();
            assert!(matches!(e, BackendError::NoGpu(_)), "{text}");
            assert!(text.starts_with("no NVIDIA driver / GPU found: "), "{text}");
            eprintln!("no GPU here, as expected: {text}");
        }
        Ok(mut gpu) => {
            eprintln!("GPU: {}", gpu.device_name());
            for params in [small(), Params { n: 1024, k: 4, samples: 8, deadline_ms: 1 }] {
                let c = round(params).challenge([5; 32], [6; 32], ISSUED_AT);
                let on_gpu = Prover::run(&c, &mut gpu).unwrap();
                let on_cpu = Prover::run(&c, &mut CpuBackend::new()).unwrap();
                assert_eq!(on_gpu.root(), on_cpu.root(), "n = {}", params.n);
            }
        }
    }
}
