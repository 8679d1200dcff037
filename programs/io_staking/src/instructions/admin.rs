//! Admin: initialisation, two-step admin transfer, pause switch, parameters and authorities.
//! These keep working while paused (the admin must be able to unpause).
use crate::{constants::*, error::StakingError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token};

/// The config and the three vaults sit at fixed addresses anyone can compute before deployment,
/// so each is created through io-program-kit: lamports sent there beforehand cannot block the
/// initialisation (S-1), and a second `initialize` fails with 3000.
#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: the config PDA, created here.
    #[account(mut, seeds = [CONFIG_SEED], bump)]
    pub config: UncheckedAccount<'info>,
    pub io_mint: Box<Account<'info, Mint>>,
    /// CHECK: the stake vault PDA, created here as a token account of `io_mint` owned by `config`.
    #[account(mut, seeds = [STAKE_VAULT_SEED], bump)]
    pub stake_vault: UncheckedAccount<'info>,
    /// CHECK: the bond vault PDA, created here like the stake vault.
    #[account(mut, seeds = [BOND_VAULT_SEED], bump)]
    pub bond_vault: UncheckedAccount<'info>,
    /// CHECK: the reward vault PDA, created here like the stake vault.
    #[account(mut, seeds = [REWARD_VAULT_SEED], bump)]
    pub reward_vault: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_initialize(
    ctx: Context<Initialize>,
    params: Params,
    oracle_authority: Pubkey,
    rewards_authority: Pubkey,
) -> Result<()> {
    params.validate()?;
    let a = &ctx.accounts;
    let config = Config {
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
    };
    config.invariant()?;
    let (payer, system) = (a.admin.to_account_info(), a.system_program.to_account_info());
    io_program_kit::create_program_account(
        &payer,
        &a.config.to_account_info(),
        &system,
        &crate::ID,
        8 + Config::INIT_SPACE,
        &[CONFIG_SEED, &[ctx.bumps.config]],
        &config,
    )?;
    let vaults = [
        (&a.stake_vault, STAKE_VAULT_SEED, ctx.bumps.stake_vault),
        (&a.bond_vault, BOND_VAULT_SEED, ctx.bumps.bond_vault),
        (&a.reward_vault, REWARD_VAULT_SEED, ctx.bumps.reward_vault),
    ];
    for (vault, seed, bump) in vaults {
        io_program_kit::create_token_vault(
            &payer,
            &vault.to_account_info(),
            &a.io_mint.to_account_info(),
            &a.config.to_account_info(),
            &system,
            &a.token_program.to_account_info(),
            &[seed, &[bump]],
        )?;
    }
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
    config.propose_admin(new_admin);
    config.invariant()?;
    emit_cpi!(AdminProposed { admin: config.admin, pending_admin: new_admin });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAdmin<'info> {
    pub new_admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_pending_admin(&new_admin.key()) @ StakingError::NotPendingAdmin)]
    pub config: Box<Account<'info, Config>>,
}

/// Step two: the proposed admin signs to take the role.
pub fn handle_accept_admin(ctx: Context<AcceptAdmin>) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let old_admin = config.accept_admin(ctx.accounts.new_admin.key());
    config.invariant()?;
    emit_cpi!(AdminAccepted { old_admin, new_admin: config.admin });
    Ok(())
}

pub fn handle_set_paused(ctx: Context<AdminOnly>, paused: bool) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let paused_before = config.set_paused(paused);
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
