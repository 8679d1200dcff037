//! Seeds and hard limits. Tunable parameters live in [`crate::state::EscrowParams`].
use anchor_lang::prelude::*;

#[constant]
pub const CONFIG_SEED: &[u8] = b"escrow_config";
#[constant]
pub const TREASURY_SEED: &[u8] = b"treasury";
#[constant]
pub const BUYBACK_VAULT_SEED: &[u8] = b"buyback_vault";
#[constant]
pub const PRICE_FEED_SEED: &[u8] = b"price_feed";
#[constant]
pub const OFFER_SEED: &[u8] = b"offer";
#[constant]
pub const LEASE_SEED: &[u8] = b"lease";
#[constant]
pub const LEASE_VAULT_SEED: &[u8] = b"lease_vault";

/// Most devices one lease (one cluster) may span. Eight keeps a lease account small and an
/// `open_lease` transaction (two accounts per device) inside the 1,232-byte limit.
#[constant]
pub const MAX_LEASE_DEVICES: usize = 8;
/// Seconds in an hour: rates are per device-hour, settlement is per second.
pub const SECONDS_PER_HOUR: u64 = 3_600;
/// Longest lease, hours (one year).
#[constant]
pub const MAX_LEASE_HOURS: u32 = 24 * 365;
/// Longest any duration parameter may be: one year.
pub const MAX_DURATION_SECS: i64 = 365 * 24 * 3600;
