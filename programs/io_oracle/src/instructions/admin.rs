//! Admin: initialisation with the first set, two-step admin transfer, pause, parameters, and set
//! rotation — by the admin behind a timelock (which the admin can cancel), or at once by a quorum
//! of the current set.
//!
//! Pause: `rotate_by_quorum` and `execute_rotation` refuse while paused — a pause freezes the set
//! as it stands while the admin investigates (and the admin may cancel its own pending rotation).
//! The admin's own instructions work while paused.
use super::now;
use crate::{constants::*, ed25519, error::OracleError, events::*, rotation_digest, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: created here through io-program-kit (a pre-funded address cannot block it).
    #[account(mut, seeds = [CONFIG_SEED], bump)]
    pub config: UncheckedAccount<'info>,
    /// io_token's mint and no other: bonds are only worth their burn if io_token can burn them.
    #[account(seeds = [io_token::MINT_SEED], bump, seeds::program = io_token::ID)]
    pub io_mint: Box<Account<'info, Mint>>,
    /// CHECK: created here as an SPL token account of `io_mint` owned by `config`.
    #[account(mut, seeds = [BOND_VAULT_SEED], bump)]
    pub bond_vault: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Creates the config with the first set (epoch 1). `threshold` 0 means the default ⌊2N/3⌋ + 1.
/// The first set is the admin's bootstrap; every later set needs bonded members. `cluster_id` is
/// the cluster's genesis hash (never all zeros), fixed for the life of the deployment.
pub fn handle_initialize(
    ctx: Context<Initialize>,
    params: OracleParams,
    members: Vec<Pubkey>,
    threshold: u8,
    cluster_id: [u8; 32],
) -> Result<()> {
    params.validate()?;
    let threshold = if threshold == 0 { OracleSet::default_threshold(members.len()) } else { threshold };
    let set = OracleSet::new(1, &members, threshold)?;
    let a = &ctx.accounts;
    let config = OracleConfig {
        admin: a.admin.key(),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: a.io_mint.key(),
        bond_vault: a.bond_vault.key(),
        params,
        set,
        prev_set: OracleSet::default(),
        prev_valid_until: 0,
        pending_rotation: PendingRotation::default(),
        last_period: 0,
        reports_certified: 0,
        total_bonded: 0,
        total_slashed: 0,
        bump: ctx.bumps.config,
        cluster_id,
        prev_last_period: 0,
        set_revoked: false,
    };
    config.invariant()?;
    let (payer, system) = (a.admin.to_account_info(), a.system_program.to_account_info());
    io_program_kit::create_program_account(
        &payer,
        &a.config.to_account_info(),
        &system,
        &crate::ID,
        8 + OracleConfig::INIT_SPACE,
        &[CONFIG_SEED, &[ctx.bumps.config]],
        &config,
    )?;
    io_program_kit::create_token_vault(
        &payer,
        &a.bond_vault.to_account_info(),
        &a.io_mint.to_account_info(),
        &a.config.to_account_info(),
        &system,
        &a.token_program.to_account_info(),
        &[BOND_VAULT_SEED, &[ctx.bumps.bond_vault]],
    )?;
    emit_cpi!(SetRotated {
        epoch: set.epoch,
        members: set.keys().to_vec(),
        threshold: set.threshold,
        by_quorum: false
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, OracleConfig>>,
}

pub fn handle_propose_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
    ctx.accounts.config.propose_admin(new_admin);
    emit_cpi!(AdminProposed { pending_admin: new_admin });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_pending_admin(&new_admin.key()) @ OracleError::NotPendingAdmin)]
    pub config: Box<Account<'info, OracleConfig>>,
}

pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_admin = config.accept_admin(ctx.accounts.new_admin.key());
    emit_cpi!(AdminAccepted { old_admin, new_admin: config.admin });
    Ok(())
}

pub fn handle_set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let before = config.set_paused(paused);
    emit_cpi!(PausedSet { paused_before: before, paused_after: paused });
    Ok(())
}

pub fn handle_update_params(ctx: Context<AdminOnly>, params: OracleParams) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    let before = config.params;
    config.params = params;
    config.invariant()?;
    emit_cpi!(ParamsUpdated { before, after: params });
    Ok(())
}

/// Checks that every new member has a live bond of at least `min_bond` (a requested withdrawal
/// no longer counts): the remaining accounts are their `OracleBond` accounts, in member order,
/// each at its member's canonical bond address.
fn check_bonds<'info>(rest: &'info [AccountInfo<'info>], members: &[Pubkey], min_bond: u64) -> Result<()> {
    require!(rest.len() == members.len(), OracleError::InvalidSet);
    for (info, member) in rest.iter().zip(members) {
        let bond: Account<OracleBond> = Account::try_from(info)?;
        require_keys_eq!(bond.oracle, *member, OracleError::InvalidSet);
        let address = Pubkey::create_program_address(&[BOND_SEED, member.as_ref(), &[bond.bump]], &crate::ID)
            .map_err(|_| ErrorCode::ConstraintSeeds)?;
        require_keys_eq!(address, *info.key, ErrorCode::ConstraintSeeds);
        require!(!bond.slashed, OracleError::BondSlashed);
        require!(bond.amount >= min_bond, OracleError::BondBelowMinimum);
    }
    Ok(())
}

/// The admin proposes a new set; it can be executed after `admin_rotation_timelock_secs`.
/// Remaining accounts: the new members' bonds.
pub fn handle_propose_rotation<'info>(
    ctx: Context<'info, AdminOnly<'info>>,
    members: Vec<Pubkey>,
    threshold: u8,
) -> Result<()> {
    let config = &mut ctx.accounts.config;
    check_bonds(ctx.remaining_accounts, &members, config.params.min_bond)?;
    let threshold = if threshold == 0 { OracleSet::default_threshold(members.len()) } else { threshold };
    let epoch = config.set.epoch.checked_add(1).ok_or(OracleError::MathOverflow)?;
    let set = OracleSet::new(epoch, &members, threshold)?;
    let executable_ts =
        now()?.checked_add(config.params.admin_rotation_timelock_secs).ok_or(OracleError::MathOverflow)?;
    config.pending_rotation = PendingRotation { set, executable_ts };
    emit_cpi!(RotationProposed { epoch, members, threshold, executable_ts });
    Ok(())
}

/// The admin withdraws its pending rotation (also while paused).
pub fn handle_cancel_rotation(ctx: Context<AdminOnly>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let pending = config.pending_rotation;
    require!(pending.executable_ts != 0, OracleError::NoPendingRotation);
    config.pending_rotation = PendingRotation::default();
    emit_cpi!(RotationCancelled {
        epoch: pending.set.epoch,
        members: pending.set.keys().to_vec(),
        executable_ts: pending.executable_ts
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ExecuteRotation<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
}

/// Anyone executes the admin's rotation once its timelock has passed. Remaining accounts: the
/// new members' bonds, checked again now — a bond withdrawal requested during the timelock must
/// not let a member in with nothing at stake.
pub fn handle_execute_rotation<'info>(ctx: Context<'info, ExecuteRotation<'info>>) -> Result<()> {
    let ts = now()?;
    let config = &mut ctx.accounts.config;
    let pending = config.pending_rotation;
    require!(pending.executable_ts != 0, OracleError::NoPendingRotation);
    require!(ts >= pending.executable_ts, OracleError::TimelockNotElapsed);
    require!(pending.set.epoch == config.set.epoch.saturating_add(1), OracleError::NoPendingRotation);
    check_bonds(ctx.remaining_accounts, pending.set.keys(), config.params.min_bond)?;
    config.rotate(pending.set.keys(), pending.set.threshold, ts)?;
    config.invariant()?;
    let set = config.set;
    emit_cpi!(SetRotated {
        epoch: set.epoch,
        members: set.keys().to_vec(),
        threshold: set.threshold,
        by_quorum: false
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct RotateByQuorum<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    /// CHECK: the instructions sysvar, by address.
    #[account(address = solana_sdk_ids::sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
}

/// A quorum of the current set installs a new set at once: the preceding Ed25519 instruction
/// carries their signatures over [`rotation_digest`]. Remaining accounts: the new members' bonds.
pub fn handle_rotate_by_quorum<'info>(
    ctx: Context<'info, RotateByQuorum<'info>>,
    members: Vec<Pubkey>,
    threshold: u8,
) -> Result<()> {
    let ts = now()?;
    let config = &mut ctx.accounts.config;
    require!(!config.set_revoked, OracleError::SetRevoked);
    check_bonds(ctx.remaining_accounts, &members, config.params.min_bond)?;
    // The quorum signs the instruction's own arguments (threshold 0 = the default).
    let digest = rotation_digest(&config.cluster_id, config.set.epoch, &members, threshold);
    let threshold = if threshold == 0 { OracleSet::default_threshold(members.len()) } else { threshold };
    let data = ed25519::preceding_ed25519_data(&ctx.accounts.instructions)?;
    let signers = ed25519::signers_over(&data, &digest)?;
    let bitmap = ed25519::member_bitmap(&signers, config.set.keys())?;
    require!(bitmap.count_ones() >= u32::from(config.set.threshold), OracleError::QuorumNotReached);
    config.rotate(&members, threshold, ts)?;
    config.invariant()?;
    let set = config.set;
    emit_cpi!(SetRotated {
        epoch: set.epoch,
        members: set.keys().to_vec(),
        threshold: set.threshold,
        by_quorum: true
    });
    Ok(())
}
