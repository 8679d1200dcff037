use anchor_lang::prelude::*;

/// The IO/USDC price used to bound buybacks, PDA `["price_feed"]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct PriceFeed {
    /// USDC base units paid for one whole $IO (10^io_decimals base units). 0 = no price yet.
    pub usdc_per_io: u64,
    /// When the price was written (unix seconds); for a report's price, the end of its period.
    pub updated_ts: i64,
    /// Period of the oracle report the price came from (0 = set by the price authority).
    pub period: u64,
    pub bump: u8,
}
