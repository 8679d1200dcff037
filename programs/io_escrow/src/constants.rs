//! Seeds and hard limits. Tunable parameters live in [`crate::state::EscrowParams`].
use anchor_lang::prelude::*;

#[constant]
pub const CONFIG_SEED: &[u8] = b"escrow_config";

/// Decimals of the USDC mint a new local or test network creates, as mainnet USDC. Escrow itself
/// reads the payment mint's own decimals; clients read them from the mint, never from here.
pub const DEFAULT_USDC_DECIMALS: u8 = 6;
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
// Not `#[constant]`: the IDL has no `usize` type, so `idl-build` cannot list it.
pub const MAX_LEASE_DEVICES: usize = 8;
/// Seconds in an hour: rates are per device-hour, settlement is per second.
pub const SECONDS_PER_HOUR: u64 = 3_600;
/// Longest lease, hours (one year).
#[constant]
pub const MAX_LEASE_HOURS: u32 = 24 * 365;
/// Longest any duration parameter may be: one year.
pub const MAX_DURATION_SECS: i64 = 365 * 24 * 3600;
/// Shortest settlement grace after a lease's end: the hour-long report period that contains the
/// end, plus one more hour for the oracle to certify that period's report. A shorter grace would
/// let `finalize_lease` refund usage that is attested but not yet certified.
pub const MIN_SETTLEMENT_GRACE_SECS: i64 = 2 * 3_600;
/// How far the price authority may move the feed's price, in bps of the current price per hour
/// since the feed was last written (10%/h, pro rata per second). Bounds what a compromised price
/// authority can do to buybacks; certified oracle reports are not bounded.
pub const PRICE_STEP_BPS_PER_HOUR: u64 = 1_000;
