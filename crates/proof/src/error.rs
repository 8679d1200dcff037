//! Errors of the crate. A verifier's judgement of an answer is not an error but a [`crate::Reject`]
//! (verifier.rs); these are failures to run at all.
use thiserror::Error;

/// Challenge sizes the protocol cannot run soundly.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParamsError {
    #[error("n = {0} must be a power of two in [16, 65536] (larger n could overflow an i32 sum)")]
    BadN(u32),
    #[error("K = {0} must be a power of two in [1, 4096]")]
    BadK(u32),
    #[error("samples = {0} must be in [1, 1024]")]
    BadSamples(u32),
    #[error("the deadline must be positive")]
    ZeroDeadline,
}

/// A backend that cannot compute a product.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BackendError {
    /// No usable GPU: the message says what is missing, for the operator to read.
    #[error("no NVIDIA driver / GPU found: {0}")]
    NoGpu(String),
    /// The driver answered a call with an error code.
    #[error("CUDA driver call {call} failed: {code} ({message})")]
    Driver { call: &'static str, code: i32, message: String },
    #[error("matrix side {got} does not match the loaded B ({expected})")]
    SizeMismatch { expected: usize, got: usize },
    #[error("multiply called before load_b")]
    NotLoaded,
    /// A side the backends cannot tile: the protocol's sides are powers of two from `MIN_N` up.
    #[error("matrix side {0} is not a power of two of at least {min}", min = crate::params::MIN_N)]
    BadSide(usize),
}

/// A prover that cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProveError {
    #[error(transparent)]
    Params(#[from] ParamsError),
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The verifier's reveal does not hash to the commitment in the challenge: a verifier that
    /// could choose the reveal after seeing the root could grind the samples.
    #[error("the reveal does not match the challenge's reveal commitment")]
    RevealMismatch,
}
