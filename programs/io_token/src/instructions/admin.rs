//! Admin: initialisation, two-step admin transfer, pause switch, burn authorities and the rewards
//! distributor. These keep working while paused (the admin must be able to unpause).
use crate::{constants::*, error::TokenError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{self, Mint, Token};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: the config PDA, created here through `io_program_kit` so that lamports sent to its
    /// predictable address before deployment cannot block it; a second `initialize` fails there
    /// with `AccountDiscriminatorAlreadySet`.
    #[account(mut, seeds = [CONFIG_SEED], bump)]
    pub config: UncheckedAccount<'info>,
    /// CHECK: the $IO mint, created here at its PDA (mint authority the config PDA, no freeze
    /// authority) through `io_program_kit`, for the same reason. Created by hand: Anchor's
    /// `mint::` init codegen needs the Token-2022 extension features, which this workspace does
    /// not build.
    #[account(mut, seeds = [MINT_SEED], bump)]
    pub io_mint: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Creates the mint account at its PDA (pre-funded or not) and initialises it: `decimals`, mint
/// authority the config PDA, no freeze authority.
fn create_mint(a: &Initialize, mint_bump: u8, decimals: u8) -> Result<()> {
    let bump = [mint_bump];
    let seeds: [&[u8]; 2] = [MINT_SEED, &bump];
    io_program_kit::create_pda(
        &a.admin,
        &a.io_mint,
        &a.system_program,
        Mint::LEN,
        &a.token_program.key(),
        &seeds,
    )?;
    token::initialize_mint2(
        CpiContext::new(a.token_program.key(), token::InitializeMint2 { mint: a.io_mint.to_account_info() }),
        decimals,
        &a.config.key(),
        None,
    )
}

pub fn handle_initialize(mut ctx: Context<Initialize>, decimals: u8, params: EmissionParams) -> Result<()> {
    // Initialised once: say so before judging the new parameters.
    io_program_kit::ensure_uninitialized(&ctx.accounts.config)?;
    params.validate(decimals)?;
    let max_supply = whole_io(MAX_SUPPLY_IO, decimals)?;
    let a = &mut ctx.accounts;
    let config = TokenConfig {
        admin: a.admin.key(),
        pending_admin: Pubkey::default(),
        paused: false,
        io_mint: a.io_mint.key(),
        decimals,
        max_supply,
        params,
        genesis_done: false,
        vaults: [Pubkey::default(); BUCKET_COUNT],
        rewards_vault: Pubkey::default(),
        allocations: [0; BUCKET_COUNT],
        allocated: [0; BUCKET_COUNT],
        released: [0; BUCKET_COUNT],
        schedule_count: [0; BUCKET_COUNT],
        campaign_count: 0,
        rewards_distributor: Pubkey::default(),
        rewards_withdrawn: 0,
        burn_authorities: [Pubkey::default(); RESERVED_BURN_REASONS],
        total_minted: 0,
        genesis_minted: 0,
        burned: [0; BURN_REASON_COUNT],
        total_burned: 0,
        emission: EmissionState::default(),
        bump: ctx.bumps.config,
        mint_bump: ctx.bumps.io_mint,
    };
    config.invariant()?;
    config.check_supply(0)?;
    let bump = [ctx.bumps.config];
    io_program_kit::create_program_account(
        &a.admin,
        &a.config,
        &a.system_program,
        &crate::ID,
        8 + TokenConfig::INIT_SPACE,
        &[CONFIG_SEED, &bump],
        &config,
    )?;
    create_mint(a, ctx.bumps.io_mint, decimals)?;
    let (admin, io_mint) = (a.admin.key(), a.io_mint.key());
    emit_cpi!(TokenInitialized { admin, io_mint, decimals, max_supply, params });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, TokenConfig>>,
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
        constraint = config.is_pending_admin(&new_admin.key()) @ TokenError::NotPendingAdmin)]
    pub config: Box<Account<'info, TokenConfig>>,
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

/// Sets the authority of a reserved burn reason (`LeaseFee`, `Buyback`, `Slash`): typically a
/// PDA of the program that burns for that reason. `Pubkey::default()` reserves it to nobody.
pub fn handle_set_burn_authority(
    ctx: Context<AdminOnly>,
    reason: BurnReason,
    authority: Pubkey,
) -> Result<()> {
    let i = reason.reserved_index().ok_or(TokenError::BurnReasonNotReserved)?;
    let config = &mut ctx.accounts.config;
    let before = config.burn_authorities[i];
    config.burn_authorities[i] = authority;
    config.invariant()?;
    emit_cpi!(BurnAuthoritySet { reason, before, after: authority });
    Ok(())
}

/// Sets the wallet that may move rewards out of the rewards vault (until the oracle's reward
/// claims replace it).
pub fn handle_set_rewards_distributor(ctx: Context<AdminOnly>, distributor: Pubkey) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let before = config.rewards_distributor;
    config.rewards_distributor = distributor;
    config.invariant()?;
    emit_cpi!(RewardsDistributorSet { before, after: distributor });
    Ok(())
}
