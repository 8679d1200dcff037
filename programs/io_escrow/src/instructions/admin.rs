//! Admin: initialisation, two-step admin transfer, pause, parameters, authorities; and the price
//! feed written by the price authority. Admin instructions keep working while paused.
use super::now;
use crate::{constants::*, error::EscrowError, events::*, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(init, payer = admin, space = 8 + EscrowConfig::INIT_SPACE, seeds = [CONFIG_SEED], bump)]
    pub config: Box<Account<'info, EscrowConfig>>,
    pub usdc_mint: Box<Account<'info, Mint>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(init, payer = admin, seeds = [TREASURY_SEED, usdc_mint.key().as_ref()], bump,
        token::mint = usdc_mint, token::authority = config)]
    pub treasury_usdc: Box<Account<'info, TokenAccount>>,
    #[account(init, payer = admin, seeds = [TREASURY_SEED, io_mint.key().as_ref()], bump,
        token::mint = io_mint, token::authority = config)]
    pub treasury_io: Box<Account<'info, TokenAccount>>,
    #[account(init, payer = admin, seeds = [BUYBACK_VAULT_SEED], bump,
        token::mint = io_mint, token::authority = config)]
    pub buyback_vault: Box<Account<'info, TokenAccount>>,
    #[account(init, payer = admin, space = 8 + PriceFeed::INIT_SPACE, seeds = [PRICE_FEED_SEED], bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_initialize(
    mut ctx: Context<Initialize>,
    params: EscrowParams,
    usage_authority: Pubkey,
    price_authority: Pubkey,
    treasury_authority: Pubkey,
) -> Result<()> {
    params.validate()?;
    let a = &mut ctx.accounts;
    require_keys_neq!(a.usdc_mint.key(), a.io_mint.key(), EscrowError::InvalidParams);
    a.config.set_inner(EscrowConfig {
        admin: a.admin.key(),
        pending_admin: Pubkey::default(),
        paused: false,
        usdc_mint: a.usdc_mint.key(),
        io_mint: a.io_mint.key(),
        treasury_usdc: a.treasury_usdc.key(),
        treasury_io: a.treasury_io.key(),
        buyback_vault: a.buyback_vault.key(),
        usage_authority,
        price_authority,
        treasury_authority,
        params,
        leases_opened: 0,
        fees_usdc: 0,
        fees_io: 0,
        paid_usdc: 0,
        paid_io: 0,
        refunded_usdc: 0,
        refunded_io: 0,
        buyback_usdc_spent: 0,
        buyback_io_burned: 0,
        buyback_count: 0,
        bump: ctx.bumps.config,
    });
    a.price_feed.set_inner(PriceFeed {
        usdc_per_io: 0,
        updated_ts: 0,
        period: 0,
        bump: ctx.bumps.price_feed,
    });
    a.config.invariant()?;
    let ev = EscrowInitialized {
        admin: a.admin.key(),
        usdc_mint: a.usdc_mint.key(),
        io_mint: a.io_mint.key(),
        usage_authority,
        price_authority,
        treasury_authority,
        params,
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct AdminOnly<'info> {
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, EscrowConfig>>,
}

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
        constraint = config.pending_admin == new_admin.key() @ EscrowError::NotPendingAdmin)]
    pub config: Box<Account<'info, EscrowConfig>>,
}

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

/// Replaces the parameters. Running leases keep the fee rate they opened with.
pub fn handle_update_params(ctx: Context<AdminOnly>, params: EscrowParams) -> Result<()> {
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
    usage_authority: Pubkey,
    price_authority: Pubkey,
    treasury_authority: Pubkey,
) -> Result<()> {
    let config = &mut ctx.accounts.config;
    config.usage_authority = usage_authority;
    config.price_authority = price_authority;
    config.treasury_authority = treasury_authority;
    config.invariant()?;
    emit_cpi!(AuthoritiesSet { usage_authority, price_authority, treasury_authority });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct SetPrice<'info> {
    pub price_authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = price_authority,
        constraint = !config.paused @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [PRICE_FEED_SEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
}

/// Writes the IO/USDC price: USDC base units per whole $IO.
pub fn handle_set_price(ctx: Context<SetPrice>, usdc_per_io: u64) -> Result<()> {
    require!(usdc_per_io > 0, EscrowError::ZeroAmount);
    let feed = &mut ctx.accounts.price_feed;
    let before = feed.usdc_per_io;
    feed.usdc_per_io = usdc_per_io;
    feed.updated_ts = now()?;
    let ts = feed.updated_ts;
    emit_cpi!(PriceSet { usdc_per_io_before: before, usdc_per_io_after: usdc_per_io, ts, period: 0 });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct PriceFromReport<'info> {
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = !config.paused @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [PRICE_FEED_SEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
    /// A certified io_oracle report.
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ EscrowError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
}

/// Anyone: takes the IO/USDC price of a certified report newer than the feed's. The price counts
/// as written at the end of the report's period.
pub fn handle_price_from_report(ctx: Context<PriceFromReport>) -> Result<()> {
    let body = ctx.accounts.report.body;
    let feed = &mut ctx.accounts.price_feed;
    require!(body.period > feed.period, EscrowError::StaleReport);
    require!(body.usdc_per_io > 0, EscrowError::ZeroAmount);
    let before = feed.usdc_per_io;
    feed.usdc_per_io = body.usdc_per_io;
    feed.period = body.period;
    let end =
        body.period.checked_add(1).and_then(|p| p.checked_mul(3_600)).ok_or(EscrowError::MathOverflow)?;
    feed.updated_ts = i64::try_from(end).map_err(|_| EscrowError::MathOverflow)?;
    let (ts, period) = (feed.updated_ts, feed.period);
    emit_cpi!(PriceSet { usdc_per_io_before: before, usdc_per_io_after: body.usdc_per_io, ts, period });
    Ok(())
}
