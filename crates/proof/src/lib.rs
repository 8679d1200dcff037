//! Proof of GPU work, "GPU-PoC v1" (reference oracle-and-proofs.md §9–§12; crates/proof/README.md
//! has the protocol as built, byte for byte).
//!
//! A device proves that it did K sequential exact INT8 matrix products on inputs nobody could
//! know before the challenge: `C_k = A_{k−1}·B`, `A_k = g(C_k) ⊕ A₀`, with B from a public beacon
//! and A₀ from the beacon, the device key and the verifier's nonce. It Merkle-commits to every
//! row of every C_k and signs the root before it learns which rows will be checked; the verifier
//! then samples s row transitions and checks each in O(n) with Freivalds' test mod 2⁶¹−1.
//!
//! - [`params`]: sizes per hardware class. [`challenge`]: the challenge and its id.
//! - [`mod@derive`]: B, A₀, g, leaves, r and the samples. [`tags`]: every domain tag.
//! - [`backend`]: the CPU backend and, with the `cuda` feature, the CUDA one.
//! - [`prover`], [`commitment`], [`verifier`]: the three steps and the typed verdict.
pub mod backend;
pub mod challenge;
pub mod commitment;
pub mod derive;
pub mod error;
pub mod field;
pub mod params;
pub mod prover;
pub mod reference;
pub mod tags;
pub mod verifier;

pub use backend::{cpu::CpuBackend, Backend};
pub use challenge::{reveal_commitment, Challenge, Hash};
pub use commitment::{Commitment, Opening};
pub use error::{BackendError, ParamsError, ProveError};
pub use params::{HardwareClass, Params};
pub use prover::Prover;
pub use verifier::{Accepted, Reject, Round, Verdict, Verifier};
