//! # io_staking — operators, devices, bonds, delegated $IO staking, rewards and slashing
//!
//! ## Lifecycle
//! 1. `initialize` creates the config PDA and three PDA-owned vaults (stake, bond, reward) for
//!    the $IO mint.
//! 2. An operator registers (`register_operator`), posts a bond (`add_bond`) and registers
//!    devices (`register_device`, status `Pending`).
//! 3. The oracle authority activates a device (`activate_device`) once attested; activation needs
//!    the operator's bond to cover Σ class bond × units of its active devices. It may jail one
//!    (`jail_device`); the operator may retire one (`deregister_device`). Each device names its
//!    worker key, the machine's own signing key, at registration; only the operator rebinds it
//!    (`bind_worker`).
//! 4. Any wallet stakes to an operator (`stake`): a position is 0 or ≥ `min_stake` (100 $IO). New
//!    stake warms up: it earns from the reward period (hour) after it was made. `unstake` returns
//!    stake made in the current hour at once and moves any other value into the operator's
//!    unbonding pool for `unstake_cooldown_secs`; `withdraw` pays matured tickets. At most 4
//!    pending unstakes per position.
//! 5. `fund_operator_rewards` (rewards authority) and `claim_operator_rewards` (anyone, with a
//!    report proof) split rewards into the operator's commission and the delegators' part, paid
//!    for the periods since the last reward by share-periods (time-weighted); `claim_rewards`
//!    (delegator) and `claim_commission` (operator) pay them.
//! 6. `propose_slash` (oracle authority) opens an appeal window; `cancel_slash` (admin) inside it;
//!    `execute_slash` (anyone) after it burns from the bond first, then the delegators pro rata
//!    (each pool's share rounded down). While a slash is pending, the operator's bond and its
//!    delegators' unstake tickets cannot be withdrawn (`SlashPending`).
//!
//! Every account at a predictable address (config, vaults, operators, devices, slashes) is
//! created through `io-program-kit`, so lamports sent there beforehand cannot block it. Each vault
//! holds at least what its ledger says; a donation is surplus that stays in the vault.
//!
//! ## Authorities
//! - **admin**: parameters, authorities, pause, slash cancellation; transferred in two steps
//!   (`propose_admin`, `accept_admin`). Admin instructions work while paused.
//! - **oracle authority**: device activation and jailing, slash proposals.
//! - **rewards authority**: reward funding.
//! - **operator authority**: its operator's metadata, commission requests, bond, devices and
//!   their worker keys.
//!
//! Every other instruction fails with `Paused` while the config is paused. Every state change
//! emits an `emit_cpi!` event with before/after values.
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod error;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use instructions::*;
pub use state::*;

declare_id!("9E8ZWAjooRqfBznKzwWoirqPAcCevsRLK8yXz4yDyMTK");

#[program]
pub mod io_staking {
    use super::*;

    /* Admin */

    /// Creates the config and the stake, bond and reward vaults for `io_mint`.
    pub fn initialize(
        ctx: Context<Initialize>,
        params: Params,
        oracle_authority: Pubkey,
        rewards_authority: Pubkey,
    ) -> Result<()> {
        instructions::admin::handle_initialize(ctx, params, oracle_authority, rewards_authority)
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

    /// Replaces the parameters (validated: see `Params::validate`).
    pub fn update_params(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
        instructions::admin::handle_update_params(ctx, params)
    }

    /// Replaces the oracle and rewards authorities.
    pub fn set_authorities(
        ctx: Context<AdminOnly>,
        oracle_authority: Pubkey,
        rewards_authority: Pubkey,
    ) -> Result<()> {
        instructions::admin::handle_set_authorities(ctx, oracle_authority, rewards_authority)
    }

    /* Operator */

    /// Registers the signer as an operator. Strings are bounded (name 32, region 16, URL 128
    /// bytes); commission in bps, at most the cap.
    pub fn register_operator(
        ctx: Context<RegisterOperator>,
        name: String,
        region: String,
        metadata_url: String,
        commission_bps: u16,
    ) -> Result<()> {
        instructions::operator::handle_register_operator(ctx, name, region, metadata_url, commission_bps)
    }

    /// Replaces the operator's name, region and metadata URL.
    pub fn update_operator(
        ctx: Context<OperatorOnly>,
        name: String,
        region: String,
        metadata_url: String,
    ) -> Result<()> {
        instructions::operator::handle_update_operator(ctx, name, region, metadata_url)
    }

    /// Requests a commission change, applied after `commission_delay_secs`.
    pub fn request_commission_change(ctx: Context<OperatorOnly>, new_bps: u16) -> Result<()> {
        instructions::operator::handle_request_commission_change(ctx, new_bps)
    }

    /// Adds `amount` base units of $IO to the operator's bond.
    pub fn add_bond(ctx: Context<BondTransfer>, amount: u64) -> Result<()> {
        instructions::operator::handle_add_bond(ctx, amount)
    }

    /// Starts the unbonding period for `amount` of bond.
    pub fn request_bond_withdrawal(ctx: Context<OperatorOnly>, amount: u64) -> Result<()> {
        instructions::operator::handle_request_bond_withdrawal(ctx, amount)
    }

    /// Pays out the bond whose unbonding period has passed.
    pub fn withdraw_bond(ctx: Context<BondTransfer>) -> Result<()> {
        instructions::operator::handle_withdraw_bond(ctx)
    }

    /// Pays the operator its accumulated commission.
    pub fn claim_commission(ctx: Context<ClaimCommission>) -> Result<()> {
        instructions::rewards::handle_claim_commission(ctx)
    }

    /* Devices */

    /// Registers a device (status `Pending`) with `worker_key`, the device's own signing key.
    pub fn register_device(ctx: Context<RegisterDevice>, spec: DeviceSpec, worker_key: Pubkey) -> Result<()> {
        instructions::device::handle_register_device(ctx, spec, worker_key)
    }

    /// Operator: binds a new worker key to a device (key rotation).
    pub fn bind_worker(ctx: Context<BindWorker>, worker_key: Pubkey) -> Result<()> {
        instructions::device::handle_bind_worker(ctx, worker_key)
    }

    /// Retires a device (final).
    pub fn deregister_device(ctx: Context<DeregisterDevice>) -> Result<()> {
        instructions::device::handle_deregister_device(ctx)
    }

    /// Oracle authority: activates an attested device.
    pub fn activate_device(ctx: Context<OracleSetDeviceStatus>) -> Result<()> {
        instructions::device::handle_activate_device(ctx)
    }

    /// Oracle authority: jails a device.
    pub fn jail_device(ctx: Context<OracleSetDeviceStatus>) -> Result<()> {
        instructions::device::handle_jail_device(ctx)
    }

    /// Anyone: applies a device's leaf `(device, class, green, active)` from a certified oracle
    /// report's devices tree: activation (bond permitting) or jailing.
    pub fn apply_device_report(
        ctx: Context<ApplyDeviceReport>,
        class: u8,
        green: bool,
        active: bool,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::device::handle_apply_device_report(ctx, class, green, active, proof)
    }

    /* Stakers */

    /// Stakes `amount` base units to the operator.
    pub fn stake(ctx: Context<StakerAction>, amount: u64) -> Result<()> {
        instructions::staker::handle_stake(ctx, amount)
    }

    /// Starts the cooldown for `amount` base units of the position.
    pub fn unstake(ctx: Context<StakerAction>, amount: u64) -> Result<()> {
        instructions::staker::handle_unstake(ctx, amount)
    }

    /// Withdraws every matured unstake.
    pub fn withdraw(ctx: Context<StakerAction>) -> Result<()> {
        instructions::staker::handle_withdraw(ctx)
    }

    /// Claims the position's rewards.
    pub fn claim_rewards(ctx: Context<StakerAction>) -> Result<()> {
        instructions::staker::handle_claim_rewards(ctx)
    }

    /* Rewards authority */

    /// Funds `amount` base units of rewards for the operator, for the current period. Remaining
    /// accounts: warming-up positions of the operator (writable) to pay and activate.
    pub fn fund_operator_rewards(ctx: Context<FundOperatorRewards>, amount: u64) -> Result<()> {
        instructions::rewards::handle_fund_operator_rewards(ctx, amount)
    }

    /// Anyone: claims an operator's rewards proven against a certified oracle report's rewards
    /// tree (cumulative amounts), drawn from io_token's emissions vault, for the report's period.
    /// Remaining accounts: warming-up positions of the operator (writable) to pay and activate.
    pub fn claim_operator_rewards(
        ctx: Context<ClaimOperatorRewards>,
        cumulative: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::rewards::handle_claim_operator_rewards(ctx, cumulative, proof)
    }

    /* Slashing */

    /// Oracle authority: proposes a slash of `amount` base units, opening the appeal window.
    pub fn propose_slash(ctx: Context<ProposeSlash>, amount: u64, evidence_hash: [u8; 32]) -> Result<()> {
        instructions::slash::handle_propose_slash(ctx, amount, evidence_hash)
    }

    /// Anyone: opens a slash found in a certified oracle report's slashes tree.
    pub fn propose_slash_from_report(
        ctx: Context<ProposeSlashFromReport>,
        amount: u64,
        evidence_hash: [u8; 32],
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        instructions::slash::handle_propose_slash_from_report(ctx, amount, evidence_hash, proof)
    }

    /// Admin: cancels a pending slash inside its appeal window.
    pub fn cancel_slash(ctx: Context<CancelSlash>) -> Result<()> {
        instructions::slash::handle_cancel_slash(ctx)
    }

    /// Anyone: executes a pending slash after its appeal window.
    pub fn execute_slash(ctx: Context<ExecuteSlash>) -> Result<()> {
        instructions::slash::handle_execute_slash(ctx)
    }
}
