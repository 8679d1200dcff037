//! # io_oracle — a bonded M-of-N oracle set and its Ed25519-certified hourly reports
//!
//! ## Lifecycle
//! 1. `initialize` creates the config with the first set (epoch 1; threshold ⌊2N/3⌋+1 by default),
//!    the cluster id (the cluster's genesis hash) and the bond vault. Oracles post $IO bonds
//!    (`post_bond`).
//! 2. Each hour a relayer posts the report body (`post_report`): rewards, usage, devices and
//!    slashes roots, the IO/USDC price, the period's totals and an expiry slot. Then one
//!    transaction carries an Ed25519 precompile instruction with ≥ M signatures by distinct members
//!    over the report's digest, followed by `certify_report`.
//! 3. Certified reports' roots are what io_staking and io_escrow verify Merkle proofs against.
//! 4. The set rotates by a quorum of the current set (`rotate_by_quorum`) or by the admin behind a
//!    timelock (`propose_rotation`, `execute_rotation`, or `cancel_rotation`); the previous set's
//!    signatures count for `set_grace_secs` more, for the periods already started at the
//!    rotation. Every new member needs a live bond ≥ `min_bond` when the set is installed, and a
//!    key that may still sign cannot take its bond out.
//! 5. `prove_equivocation`: two reports with different contents for one period signed by one key
//!    burn that oracle's bond and remove it from every set (works while paused).
//!
//! ## Accounts at predictable addresses
//! The config, the bond vault, bonds, report candidates and equivocation evidence are created
//! through `io_program_kit`, so lamports sent to the address beforehand never block them.
//!
//! ## What a signature covers
//! `report_digest = sha256("IOC-REPORT-v2" ‖ program id ‖ cluster id ‖ borsh(body))`, and the body
//! names its period and set epoch: a signature cannot be replayed on another cluster, deployment,
//! period or set.
//! One report is certified per period and periods only move forward, so a replay is impossible.
#![allow(unexpected_cfgs)]
#![deny(clippy::arithmetic_side_effects)]

use anchor_lang::prelude::*;

pub mod constants;
pub mod ed25519;
pub mod error;
pub mod events;
pub mod instructions;
pub mod leaves;
pub mod state;

pub use constants::*;
pub use instructions::*;
pub use state::*;

declare_id!("5i3YjS7Gsngxq7sY2pQcbofpKuMQEGfdhDadZsqmwZeq");

fn borsh_bytes(body: &ReportBody) -> Vec<u8> {
    let mut out = Vec::with_capacity(ReportBody::INIT_SPACE);
    // Writing into a Vec cannot fail.
    let _ = AnchorSerialize::serialize(body, &mut out);
    out
}

/// The 32 bytes the oracles sign for a report on the cluster `cluster_id` (the config's).
pub fn report_digest(cluster_id: &[u8; 32], body: &ReportBody) -> [u8; 32] {
    let bytes = borsh_bytes(body);
    solana_sha256_hasher::hashv(&[REPORT_DOMAIN, ID.as_ref(), cluster_id, &bytes]).to_bytes()
}

/// The 32 bytes a quorum signs on cluster `cluster_id` to rotate from set `epoch` to `members`
/// with `threshold`.
pub fn rotation_digest(cluster_id: &[u8; 32], epoch: u64, members: &[Pubkey], threshold: u8) -> [u8; 32] {
    let mut keys = Vec::with_capacity(members.len().saturating_mul(32));
    for m in members {
        keys.extend_from_slice(m.as_ref());
    }
    solana_sha256_hasher::hashv(&[
        ROTATION_DOMAIN,
        ID.as_ref(),
        cluster_id,
        &epoch.to_le_bytes(),
        &[threshold],
        &keys,
    ])
    .to_bytes()
}

#[program]
pub mod io_oracle {
    use super::*;

    /// Creates the config, the first set and the bond vault. `threshold` 0 = ⌊2N/3⌋ + 1.
    /// `cluster_id`: the cluster's genesis hash, bound into every signed digest.
    pub fn initialize(
        ctx: Context<Initialize>,
        params: OracleParams,
        members: Vec<Pubkey>,
        threshold: u8,
        cluster_id: [u8; 32],
    ) -> Result<()> {
        instructions::admin::handle_initialize(ctx, params, members, threshold, cluster_id)
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

    pub fn update_params(ctx: Context<AdminOnly>, params: OracleParams) -> Result<()> {
        instructions::admin::handle_update_params(ctx, params)
    }

    /// Admin: proposes a new set, executable after the timelock. Remaining: the members' bonds.
    pub fn propose_rotation<'info>(
        ctx: Context<'info, AdminOnly<'info>>,
        members: Vec<Pubkey>,
        threshold: u8,
    ) -> Result<()> {
        instructions::admin::handle_propose_rotation(ctx, members, threshold)
    }

    /// Admin: withdraws the pending rotation.
    pub fn cancel_rotation(ctx: Context<AdminOnly>) -> Result<()> {
        instructions::admin::handle_cancel_rotation(ctx)
    }

    /// Anyone: executes the admin's rotation after its timelock. Remaining: the members' bonds,
    /// checked again now.
    pub fn execute_rotation<'info>(ctx: Context<'info, ExecuteRotation<'info>>) -> Result<()> {
        instructions::admin::handle_execute_rotation(ctx)
    }

    /// A quorum of the current set installs a new set. Remaining: the members' bonds.
    pub fn rotate_by_quorum<'info>(
        ctx: Context<'info, RotateByQuorum<'info>>,
        members: Vec<Pubkey>,
        threshold: u8,
    ) -> Result<()> {
        instructions::admin::handle_rotate_by_quorum(ctx, members, threshold)
    }

    /// An oracle adds `amount` to its bond (creating the bond account on first use).
    pub fn post_bond(ctx: Context<PostBond>, amount: u64) -> Result<()> {
        instructions::bonds::handle_post_bond(ctx, amount)
    }

    /// An oracle out of every valid set starts its bond's cooldown.
    pub fn request_bond_withdrawal(ctx: Context<BondAction>) -> Result<()> {
        instructions::bonds::handle_request_bond_withdrawal(ctx)
    }

    /// Pays out a requested withdrawal after its cooldown, once the key can no longer sign.
    pub fn withdraw_bond(ctx: Context<BondAction>) -> Result<()> {
        instructions::bonds::handle_withdraw_bond(ctx)
    }

    /// Anyone: posts a report candidate.
    pub fn post_report(ctx: Context<PostReport>, body: ReportBody) -> Result<()> {
        instructions::report::handle_post_report(ctx, body)
    }

    /// Anyone: certifies a candidate with the quorum's signatures in the preceding Ed25519 instruction.
    pub fn certify_report(ctx: Context<CertifyReport>) -> Result<()> {
        instructions::report::handle_certify_report(ctx)
    }

    /// Anyone, even while paused: proves that `oracle` signed two reports with different
    /// contents for one period.
    pub fn prove_equivocation(
        ctx: Context<ProveEquivocation>,
        oracle: Pubkey,
        body_a: ReportBody,
        body_b: ReportBody,
    ) -> Result<()> {
        instructions::equivocation::handle_prove_equivocation(ctx, oracle, body_a, body_b)
    }
}
