//! io_oracle through the real runtime, with the real Ed25519 precompile verifying signatures:
//! sets, bonds, rotations, report certification and every way a report must be refused.
mod accounts;
mod bonds;
mod common;
mod equivocation;
mod pause;
mod prefunding;
mod replay;
mod reports;
mod sets;
