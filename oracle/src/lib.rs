//! io-oracle: an oracle node of IO Compute (issue 13).
//!
//! A bonded member of io_oracle's set runs one. It serves the worker API — signed heartbeats,
//! liveness pings, full proof-of-work challenges verified with io-proof ([`observe`],
//! [`api::worker`]) — and keeps what it observed durably ([`store`]). After each period (an hour
//! of chain time, [`clock`]) the period's leader builds the report with io-sdk's deterministic
//! builder (`io_sdk::report`), the other nodes check every leaf against their own observations and
//! sign its digest ([`consensus`], [`api::peer`]), and the leader posts and certifies it on chain
//! through the [`outbox`] (written before sending, so a crash neither loses nor doubles a
//! transaction). Then the [`cranks`] pay what the report proves. [`api::public`] publishes every
//! report, leaf, piece of evidence and proof.
pub mod api;
pub mod chain;
pub mod cli;
pub mod clock;
pub mod consensus;
pub mod cranks;
pub mod node;
pub mod observe;
pub mod outbox;
pub mod settings;
pub mod store;
