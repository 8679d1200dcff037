//! Seeds and hard limits. Parameters that governance may tune live in [`crate::state::Params`].
use anchor_lang::prelude::*;

#[constant]
pub const CONFIG_SEED: &[u8] = b"config";
#[constant]
pub const STAKE_VAULT_SEED: &[u8] = b"stake_vault";
#[constant]
pub const BOND_VAULT_SEED: &[u8] = b"bond_vault";
#[constant]
pub const REWARD_VAULT_SEED: &[u8] = b"reward_vault";
#[constant]
pub const OPERATOR_SEED: &[u8] = b"operator";
#[constant]
pub const DEVICE_SEED: &[u8] = b"device";
#[constant]
pub const POSITION_SEED: &[u8] = b"position";
#[constant]
pub const SLASH_SEED: &[u8] = b"slash";

/// Longest operator name, in bytes (UTF-8).
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_NAME_LEN: usize = 32;
/// Longest region code, in bytes (e.g. `us-east`, `eu-central`).
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_REGION_LEN: usize = 16;
/// Longest metadata URL, in bytes.
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_URL_LEN: usize = 128;
/// Longest GPU model string, in bytes (e.g. `NVIDIA H100 80GB HBM3`).
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_GPU_MODEL_LEN: usize = 32;
/// Most GPUs one device (one machine) may declare.
#[constant]
pub const MAX_GPUS_PER_DEVICE: u16 = 16;
/// Pending unstake tickets one position can hold at once. A fifth unstake waits until one of
/// the four has been withdrawn: four is enough for staggered exits and keeps the account small.
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_UNSTAKE_TICKETS: usize = 4;
/// Number of hardware classes (see [`crate::state::HardwareClass`]).
pub const HARDWARE_CLASS_COUNT: usize = 5;
/// Longest cooldown or window any parameter may set: one year, in seconds.
pub const MAX_DURATION_SECS: i64 = 365 * 24 * 3600;
