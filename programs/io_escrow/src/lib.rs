//! # io_escrow — offers, lease escrow with per-second settlement, fees, refunds and buyback burns
//!
//! ## Lifecycle
//! 1. `initialize` creates the config, the USDC and $IO treasuries, the buyback vault and the price
//!    feed.
//! 2. An operator posts an offer for each of its active io_staking devices (`post_offer`): price
//!    per device-hour in USDC and/or $IO, minimum and maximum hours; `withdraw_offer` stops it.
//! 3. A renter opens a lease over 1..=8 devices (`open_lease`, devices may belong to different
//!    operators), depositing `Σ rate × hours` plus the fee reserve `⌈that × fee⌉` into the lease's
//!    vault, never more than the `max_deposit` it signed. `top_up_lease` extends it; `close_lease`
//!    ends it early, frees all its devices and refunds the unused time at once.
//! 4. The usage authority settles each (lease, device) for its cumulative attested seconds
//!    (`settle`): the provider gets `⌊seconds × rate / 3600⌋` minus what it was paid, the treasury
//!    the fee on it. Downtime is never paid, so it comes back to the renter.
//! 5. After the lease's end plus `settlement_grace_secs` (at least two hours: the report period
//!    holding the end and one more for its report), anyone may `finalize_lease`: the rest is
//!    refunded and `paid + fees + refunded == deposit` exactly.
//!
//! ## Third parties
//! Every account at a predictable address (config, treasuries, buyback vault, price feed, offers,
//! leases, lease vaults) is created through `io_program_kit`, so lamports sent there first cannot
//! block it. Vaults hold at least what the ledgers say, never exactly: tokens sent into a lease
//! vault go to the renter at close and finalization, into the buyback vault are burned with the
//! next buyback, into a treasury are treasury funds.
//! 6. The treasury authority spends treasury USDC on $IO and burns it (`buyback_burn`), bounded by
//!    the price feed less the allowed slippage.
//!
//! ## Fees
//! USDC leases pay 2% (`usdc_fee_bps` = 200) on what is actually paid to providers, cumulative per
//! lease and rounded up: after payouts totalling `p`, the lease has paid `⌈p × 200 / 10_000⌉` in
//! fees. $IO leases pay no fee. The renter deposits the fee on the full base up front and gets back
//! the part not charged.
//!
//! ## Authorities
//! admin (params, authorities, pause; two-step transfer), usage authority (settlements), price
//! authority (price feed), treasury authority (buybacks). Everything else is the renter's or the
//! operator's own, or permissionless (`finalize_lease`). While paused only admin instructions work.
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod math;
pub mod state;

pub use constants::*;
pub use instructions::*;
pub use state::*;

declare_id!("4y11EiTTi4LJ2Qc42577NzvMwt8jc6onfwkRZ1ytmCZx");

#[program]
pub mod io_escrow {
    use super::*;

    /* Admin */

    /// Creates the config, treasuries, buyback vault and price feed for the two payment mints.
    pub fn initialize(
        ctx: Context<Initialize>,
        params: EscrowParams,
        usage_authority: Pubkey,
        price_authority: Pubkey,
        treasury_authority: Pubkey,
    ) -> Result<()> {
        instructions::admin::handle_initialize(
            ctx,
            params,
            usage_authority,
            price_authority,
            treasury_authority,
        )
    }

    pub fn propose_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
        instructions::admin::handle_propose_admin(ctx, new_admin)
    }

    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin::handle_accept_admin(ctx)
    }

    pub fn set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
        instructions::admin::handle_set_paused(ctx, paused)
    }

    pub fn update_params(ctx: Context<AdminOnly>, params: EscrowParams) -> Result<()> {
        instructions::admin::handle_update_params(ctx, params)
    }

    pub fn set_authorities(
        ctx: Context<AdminOnly>,
        usage_authority: Pubkey,
        price_authority: Pubkey,
        treasury_authority: Pubkey,
    ) -> Result<()> {
        instructions::admin::handle_set_authorities(ctx, usage_authority, price_authority, treasury_authority)
    }

    /// Price authority: USDC base units per whole $IO; forward in time only, and at most
    /// `PRICE_STEP_BPS_PER_HOUR` of change per hour since the last write.
    pub fn set_price(ctx: Context<SetPrice>, usdc_per_io: u64) -> Result<()> {
        instructions::admin::handle_set_price(ctx, usdc_per_io)
    }

    /* Operators */

    /// Posts or replaces the offer for an active device.
    pub fn post_offer(
        ctx: Context<PostOffer>,
        price_usdc_per_hour: u64,
        price_io_per_hour: u64,
        min_hours: u32,
        max_hours: u32,
    ) -> Result<()> {
        instructions::offer::handle_post_offer(
            ctx,
            price_usdc_per_hour,
            price_io_per_hour,
            min_hours,
            max_hours,
        )
    }

    pub fn withdraw_offer(ctx: Context<WithdrawOffer>) -> Result<()> {
        instructions::offer::handle_withdraw_offer(ctx)
    }

    /* Renters */

    /// Opens a lease; remaining accounts are `(offer [writable], device)` pairs. The deposit may
    /// not exceed `max_deposit` (the renter's bound from the quote it was shown).
    pub fn open_lease<'info>(
        ctx: Context<'info, OpenLease<'info>>,
        nonce: u64,
        hours: u32,
        max_deposit: u64,
    ) -> Result<()> {
        instructions::lease::handle_open_lease(ctx, nonce, hours, max_deposit)
    }

    /// Extends an open lease; remaining accounts are its offers [writable], in lease order.
    pub fn top_up_lease<'info>(ctx: Context<'info, TopUpLease<'info>>, hours: u32) -> Result<()> {
        instructions::lease::handle_top_up_lease(ctx, hours)
    }

    /// Ends an open lease now; remaining accounts: all its offers [writable], in lease order, freed.
    pub fn close_lease<'info>(ctx: Context<'info, CloseLease<'info>>) -> Result<()> {
        instructions::lease::handle_close_lease(ctx)
    }

    /// Anyone, after the lease's end plus the grace period: refunds the rest and closes it.
    pub fn finalize_lease(ctx: Context<FinalizeLease>) -> Result<()> {
        instructions::lease::handle_finalize_lease(ctx)
    }

    /* Usage authority */

    /// Pays a lease device for its cumulative attested seconds.
    pub fn settle(ctx: Context<SettleLease>, device_index: u8, attested_seconds: u64) -> Result<()> {
        instructions::settle::handle_settle(ctx, device_index, attested_seconds)
    }

    /// Anyone: pays a lease device for its cumulative attested seconds, proven against a
    /// certified oracle report's usage root.
    pub fn settle_attested(
        ctx: Context<SettleAttested>,
        device_index: u8,
        attested_seconds: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::settle::handle_settle_attested(ctx, device_index, attested_seconds, proof)
    }

    /// Anyone: takes the IO/USDC price of a certified oracle report newer than the feed's.
    pub fn price_from_report(ctx: Context<PriceFromReport>) -> Result<()> {
        instructions::admin::handle_price_from_report(ctx)
    }

    /* Treasury authority */

    /// Spends `usdc_spent` treasury USDC and burns `io_amount` $IO bought with it.
    pub fn buyback_burn(ctx: Context<BuybackBurn>, usdc_spent: u64, io_amount: u64) -> Result<()> {
        instructions::buyback::handle_buyback_burn(ctx, usdc_spent, io_amount)
    }
}
