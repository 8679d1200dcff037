//! Domain tags: every hash and every cipher key of the protocol starts with its own tag, so a
//! value made for one purpose can never be replayed as another (a commitment message as a leaf,
//! a B seed as an A₀ seed, a v1 answer as a v2 one).
pub const CHALLENGE: &[u8] = b"io-proof/v1/challenge";
pub const B_SEED: &[u8] = b"io-proof/v1/b";
pub const A0_SEED: &[u8] = b"io-proof/v1/a0";
/// The io-merkle leaf domain of a row of some C_k.
pub const ROW_LEAF: &[u8] = b"io-proof/v1/row";
pub const COMMIT: &[u8] = b"io-proof/v1/commit";
pub const REVEAL: &[u8] = b"io-proof/v1/reveal";
pub const R_SEED: &[u8] = b"io-proof/v1/r";
pub const SAMPLES_SEED: &[u8] = b"io-proof/v1/samples";
