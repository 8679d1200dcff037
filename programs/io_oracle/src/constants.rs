//! Seeds, domain tags and hard limits.
use anchor_lang::prelude::*;

#[constant]
pub const CONFIG_SEED: &[u8] = b"oracle_config";
#[constant]
pub const BOND_VAULT_SEED: &[u8] = b"oracle_bond_vault";
#[constant]
pub const BOND_SEED: &[u8] = b"oracle_bond";
#[constant]
pub const REPORT_SEED: &[u8] = b"report";
#[constant]
pub const EQUIVOCATION_SEED: &[u8] = b"equivocation";

/// Domain tag of the report digest: a signature over a report can never pass for anything else.
/// v2: the digest binds the cluster id as well as the program id.
pub const REPORT_DOMAIN: &[u8] = b"IOC-REPORT-v2";
/// Domain tag of a quorum-signed set rotation (v2: binds the cluster id).
pub const ROTATION_DOMAIN: &[u8] = b"IOC-ROTATE-v2";

/// Most oracles in a set. Eight signatures (8 × 110 bytes in the Ed25519 instruction) are what
/// fits, with the 32-byte digest, in one 1,232-byte transaction.
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_ORACLES: usize = 8;
/// Seconds per report period (one hour).
pub const PERIOD_SECS: i64 = 3_600;
/// Longest duration any parameter may set: one year.
pub const MAX_DURATION_SECS: i64 = 365 * 24 * 3600;
