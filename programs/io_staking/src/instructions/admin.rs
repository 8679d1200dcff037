//! Admin: initialisation, two-step admin transfer, pause switch, parameters and authorities.
//! These keep working while paused (the admin must be able to unpause).
use crate::{constants::*, error::StakingError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = 8 + Config::INIT_SPACE, seeds = [CONFIG_SEED], bump)]
    pub config: Box<Account<'info, Config>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(init, payer = admin, seeds = [STAKE_VAULT_SEED], bump,
        token::mint = io_mint, token::authority = config)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    #[account(init, payer = admin, seeds = [BOND_VAULT_SEED], bump,
        token::mint = io_mint, token::authority = config)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    #[account(init, payer = admin, seeds = [REWARD_VAULT_SEED], bump,
        token::mint = io_mint, token::authority = config)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_initialize(
    mut ctx: Context<Initialize>,
    params: Params,
    oracle_authority: Pubkey,
    rewards_authority: Pubkey,
) -> Result<()> {
    params.validate()?;
    let a = &mut ctx.accounts;
    a.config.set_inner(Config {
        admin: a.admin.key(),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: a.io_mint.key(),
        io_decimals: a.io_mint.decimals,
        stake_vault: a.stake_vault.key(),
        bond_vault: a.bond_vault.key(),
        reward_vault: a.reward_vault.key(),
        oracle_authority,
        rewards_authority,
        params,
        operator_count: 0,
        total_bonded: 0,
        total_staked: 0,
        rewards_funded: 0,
        rewards_paid: 0,
        total_slashed: 0,
        bump: ctx.bumps.config,
    });
    a.config.invariant()?;
    let (admin, io_mint) = (a.admin.key(), a.io_mint.key());
    emit_cpi!(ConfigInitialized { admin, io_mint, oracle_authority, rewards_authority, params });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, Config>>,
}

/// Step one of an admin transfer. Proposing `Pubkey::default()` withdraws a proposal.
pub fn handle_propose_admin(ctx: Context<AdminOnly>, new_admin: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.pending_admin = new_admin;
    config.invariant()?;
    emit_cpi!(AdminProposed { admin: config.admin, pending_admin: new_admin });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.pending_admin == new_admin.key() @ StakingError::NotPendingAdmin)]
    pub config: Box<Account<'info, Config>>,
}

/// Step two: the proposed admin signs to take the role.
pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_admin = config.admin;
    config.admin = ctx.accounts.new_admin.key();
    config.pending_admin = Pubkey::default();
    config.invariant()?;
    emit_cpi!(AdminAccepted { old_admin, new_admin: config.admin });
    Ok(())
}

pub fn handle_set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let paused_before = config.paused;
    config.paused = paused;
    config.invariant()?;
    emit_cpi!(PausedSet { paused_before, paused_after: paused });
    Ok(())
}

/// Replaces every parameter at once. Changes apply to future actions only: running cooldowns and
/// appeal windows keep the end times they were given.
pub fn handle_update_params(ctx: Context<AdminOnly>, params: Params) -> Result<()> {
    params.validate()?;
    let config = &mut ctx.accounts.config;
    let before = config.params;
    config.params = params;
    config.invariant()?;
    emit_cpi!(ParamsUpdated { before, after: params });
    Ok(())
}

pub fn handle_set_authorities(
    ctx: Context<AdminOnly>,
    oracle_authority: Pubkey,
    rewards_authority: Pubkey,
) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let ev = AuthoritiesUpdated {
        oracle_authority_before: config.oracle_authority,
        oracle_authority_after: oracle_authority,
        rewards_authority_before: config.rewards_authority,
        rewards_authority_after: rewards_authority,
    };
    config.oracle_authority = oracle_authority;
    config.rewards_authority = rewards_authority;
    config.invariant()?;
    emit_cpi!(ev);
    Ok(())
}
