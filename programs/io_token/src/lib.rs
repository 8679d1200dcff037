//! # io_token — the capped $IO token: genesis allocation, vesting, airdrops, hourly emissions and
//! the burn ledger
//!
//! ## Lifecycle
//! 1. `initialize(decimals, params)` creates the config PDA `["token_config"]` and the $IO mint,
//!    PDA `["io_mint"]`, whose mint authority is the config and which has no freeze authority.
//!    Max supply: 800,000,000 $IO, enforced on every mint (`total_minted` never passes it; burns
//!    do not make room again).
//! 2. `genesis` (admin, once) mints exactly 500,000,000 $IO into five allocation vaults
//!    `["vault", [bucket]]`: community 50%, R&D 16%, early contributors 11.3%, series A 10.2%,
//!    seed 12.5%. It creates the rewards vault `["rewards_vault"]` and starts the emission clock.
//! 3. Insider buckets (early contributors, series A, seed) release through vesting schedules
//!    (`create_vesting` by the admin, `claim_vested` by the beneficiary): nothing before the
//!    cliff, linear from start to end, rounded down. A bucket never grants more than it holds.
//! 4. The community bucket funds Merkle airdrops: `create_airdrop` reserves a total,
//!    `claim_airdrop` pays a leaf once (bitmap), `close_airdrop` after the expiry returns the rest.
//! 5. `emit` (anyone) mints every due hour of the emission schedule into the rewards vault,
//!    catching up at most 720 missed hours per call: month `m` emits `first_month` decayed `m`
//!    times by `⌊× (10,000 − decay_bps) / 10,000⌋`, spread over 730 hours (remainder on the last
//!    hour), clipped to the 300M emission budget (see [`schedule`]). `withdraw_rewards` (rewards
//!    distributor) moves rewards out until the oracle's reward claims replace it.
//! 6. `burn(amount, reason)` burns from the signer's own $IO account with an SPL `burn` and counts
//!    it per reason. `LeaseFee`, `Buyback` and `Slash` are reserved to their burn authority (a PDA
//!    of the burning program, signing through CPI); `Other` is open to anyone.
//!
//! ## Authorities
//! - **admin**: genesis, vesting schedules, airdrops, burn authorities, rewards distributor,
//!   pause; transferred in two steps (`propose_admin`, `accept_admin`). Admin instructions work
//!   while paused.
//! - **burn authorities**: one per reserved burn reason.
//! - **rewards distributor**: `withdraw_rewards`.
//! - **beneficiaries / claimants**: their own vesting and airdrop claims.
//!
//! ## Griefing
//! Every account at a predictable address (the config, the mint, the six vaults, vesting schedules,
//! airdrop campaigns) is created through `io_program_kit`, so lamports a stranger sent there first
//! never block its creation. Anyone may send $IO into a vault: the program only ever requires a
//! vault to hold *at least* what its ledger says, and never counts a donation.
//!
//! Every other instruction fails with `Paused` while the config is paused. Every state change
//! emits an `emit_cpi!` event with before/after values. At all times the mint's supply is
//! `total_minted − total_burned` (less only if someone bypasses the ledger with a direct SPL burn).
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod schedule;
pub mod state;

pub use constants::*;
pub use instructions::*;
/// Re-exported so clients build airdrop trees with exactly the hashing the program verifies.
pub use io_merkle;
pub use state::*;

declare_id!("4JMU9ZEhgFT24Py6JpEKBuhsJA6D7iaYr1EeKkDTFG78");

#[program]
pub mod io_token {
    use super::*;

    /* Admin */

    /// Creates the config and the $IO mint (PDA, authority the config, no freeze authority).
    pub fn initialize(ctx: Context<Initialize>, decimals: u8, params: EmissionParams) -> Result<()> {
        instructions::admin::handle_initialize(ctx, decimals, params)
    }

    /// Proposes `new_admin`; it takes over when it calls `accept_admin`.
    pub fn propose_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
        instructions::admin::handle_propose_admin(ctx, new_admin)
    }

    /// The proposed admin accepts the role.
    pub fn accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
        instructions::admin::handle_accept_admin(ctx)
    }

    /// Turns the pause switch on or off.
    pub fn set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
        instructions::admin::handle_set_paused(ctx, paused)
    }

    /// Sets the authority of a reserved burn reason (`LeaseFee`, `Buyback` or `Slash`).
    pub fn set_burn_authority(ctx: Context<AdminOnly>, reason: BurnReason, authority: Pubkey) -> Result<()> {
        instructions::admin::handle_set_burn_authority(ctx, reason, authority)
    }

    /// Sets the wallet allowed to move rewards out of the rewards vault.
    pub fn set_rewards_distributor(ctx: Context<AdminOnly>, distributor: Pubkey) -> Result<()> {
        instructions::admin::handle_set_rewards_distributor(ctx, distributor)
    }

    /// Once: mints the 500M genesis supply into the five allocation vaults, creates the rewards
    /// vault and starts the emission clock.
    pub fn genesis(ctx: Context<Genesis>) -> Result<()> {
        instructions::genesis::handle_genesis(ctx)
    }

    /// Grants a vesting schedule out of a vesting bucket.
    pub fn create_vesting(
        ctx: Context<CreateVesting>,
        beneficiary: Pubkey,
        bucket: Bucket,
        start_ts: i64,
        cliff_ts: i64,
        end_ts: i64,
        amount: u64,
    ) -> Result<()> {
        instructions::vesting::handle_create_vesting(
            ctx,
            beneficiary,
            bucket,
            start_ts,
            cliff_ts,
            end_ts,
            amount,
        )
    }

    /// Reserves `total` of the community bucket for a Merkle airdrop campaign.
    pub fn create_airdrop(
        ctx: Context<CreateAirdrop>,
        campaign_id: u64,
        merkle_root: [u8; 32],
        total: u64,
        expiry_ts: i64,
    ) -> Result<()> {
        instructions::airdrop::handle_create_airdrop(ctx, campaign_id, merkle_root, total, expiry_ts)
    }

    /* Beneficiaries and claimants */

    /// Pays the beneficiary what has vested and was not yet claimed.
    pub fn claim_vested(ctx: Context<ClaimVested>) -> Result<()> {
        instructions::vesting::handle_claim_vested(ctx)
    }

    /// Pays the signer's airdrop leaf `index` of `amount`, proven by `proof`.
    pub fn claim_airdrop(
        ctx: Context<ClaimAirdrop>,
        index: u32,
        amount: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::airdrop::handle_claim_airdrop(ctx, index, amount, proof)
    }

    /* Anyone */

    /// After the expiry, once: returns the campaign's unclaimed rest to the community bucket.
    pub fn close_airdrop(ctx: Context<CloseAirdrop>) -> Result<()> {
        instructions::airdrop::handle_close_airdrop(ctx)
    }

    /// Mints every due emission hour (at most `MAX_HOURS_PER_EMIT`) into the rewards vault.
    pub fn emit(ctx: Context<Emit>) -> Result<()> {
        instructions::emission::handle_emit(ctx)
    }

    /// Burns `amount` from the signer's $IO account, counted under `reason`.
    pub fn burn(ctx: Context<Burn>, amount: u64, reason: BurnReason) -> Result<()> {
        instructions::burn::handle_burn(ctx, amount, reason)
    }

    /* Rewards distributor */

    /// Moves `amount` out of the rewards vault to `destination`.
    pub fn withdraw_rewards(ctx: Context<WithdrawRewards>, amount: u64) -> Result<()> {
        instructions::rewards::handle_withdraw_rewards(ctx, amount)
    }
}
