//! Seeds, supply figures and hard limits. Amounts here are whole $IO; the program scales them by
//! `10^decimals` of the mint it created.
use anchor_lang::prelude::*;

#[constant]
pub const CONFIG_SEED: &[u8] = b"token_config";
#[constant]
pub const MINT_SEED: &[u8] = b"io_mint";
/// Allocation vaults: `["vault", [bucket index]]`.
#[constant]
pub const VAULT_SEED: &[u8] = b"vault";
#[constant]
pub const REWARDS_VAULT_SEED: &[u8] = b"rewards_vault";
/// Vesting schedules: `["vesting", beneficiary, [bucket index], index (u32 LE)]`.
#[constant]
pub const VESTING_SEED: &[u8] = b"vesting";
/// Airdrop campaigns: `["airdrop", campaign_id (u64 LE)]`.
#[constant]
pub const AIRDROP_SEED: &[u8] = b"airdrop";

/// Most $IO that can ever be minted, whole tokens. Burns do not make room again.
#[constant]
pub const MAX_SUPPLY_IO: u64 = 800_000_000;
/// Minted at genesis into the five allocation vaults, whole tokens.
#[constant]
pub const GENESIS_SUPPLY_IO: u64 = 500_000_000;
/// Emitted hourly over about 20 years: `MAX_SUPPLY_IO − GENESIS_SUPPLY_IO`.
#[constant]
pub const EMISSION_BUDGET_IO: u64 = 300_000_000;
/// Decimals a new network's $IO mint is created with (`initialize`'s `decimals`), as the mainnet
/// token. Only whoever creates a network (the local network, the test harness) uses it: decimals
/// are an `initialize` parameter, so every client that reads amounts afterwards takes them from the
/// chain (`TokenConfig::decimals`, the mint), never from here.
pub const DEFAULT_DECIMALS: u8 = 9;
/// Largest decimals for which 800M $IO in base units fits a `u64`.
#[constant]
pub const MAX_DECIMALS: u8 = 10;

/// Number of allocation buckets (see [`crate::state::Bucket`]).
pub const BUCKET_COUNT: usize = 5;
/// Share of the genesis supply of each bucket, in bps, indexed by bucket: community 50%, R&D 16%,
/// early contributors 11.3%, series A 10.2%, seed 12.5%. Sums to 10,000.
pub const ALLOCATION_BPS: [u16; BUCKET_COUNT] = [5_000, 1_600, 1_130, 1_020, 1_250];

/// Burn reasons reserved to an authority (`LeaseFee`, `Buyback`, `Slash`); `Other` is open.
pub const RESERVED_BURN_REASONS: usize = 3;
/// Number of burn reasons (see [`crate::state::BurnReason`]).
pub const BURN_REASON_COUNT: usize = 4;

/// Claims one airdrop campaign can hold: one bit each in the campaign's bitmap.
#[constant]
pub const MAX_AIRDROP_CLAIMS: u32 = 8_192;
/// Bytes of the claim bitmap (`MAX_AIRDROP_CLAIMS / 8`).
pub const AIRDROP_BITMAP_BYTES: usize = 1_024;
/// Longest airdrop proof accepted: a tree of 8,192 leaves needs 13 siblings.
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_PROOF_LEN: usize = 32;
/// Domain tag of airdrop leaves: `leaf_hash(AIRDROP_DOMAIN, [campaign_id LE, index u32 LE, wallet,
/// amount u64 LE])`.
#[constant]
pub const AIRDROP_DOMAIN: &[u8] = b"io-airdrop-v1";
