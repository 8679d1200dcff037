//! io_oracle through the real runtime, with the real Ed25519 precompile verifying signatures:
//! sets, bonds, rotations, report certification and every way a report must be refused.
mod common;
mod equivocation;
mod reports;
mod sets;
