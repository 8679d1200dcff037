//! Admin: initialisation, two-step admin transfer, pause, parameters, authorities; and the price
//! feed written by the price authority. Admin instructions keep working while paused.
use super::now;
use crate::{
    constants::*,
    error::{EscrowError, MathResultExt},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token};

#[event_cpi]
#[derive(Accounts)]
pub struct Initialize<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    /// CHECK: created here by `io_program_kit` (a pre-funded address cannot block it).
    #[account(mut, seeds = [CONFIG_SEED], bump)]
    pub config: UncheckedAccount<'info>,
    pub usdc_mint: Box<Account<'info, Mint>>,
    pub io_mint: Box<Account<'info, Mint>>,
    /// CHECK: created here as the config's USDC token vault.
    #[account(mut, seeds = [TREASURY_SEED, usdc_mint.key().as_ref()], bump)]
    pub treasury_usdc: UncheckedAccount<'info>,
    /// CHECK: created here as the config's $IO token vault.
    #[account(mut, seeds = [TREASURY_SEED, io_mint.key().as_ref()], bump)]
    pub treasury_io: UncheckedAccount<'info>,
    /// CHECK: created here as the config's $IO token vault for buybacks.
    #[account(mut, seeds = [BUYBACK_VAULT_SEED], bump)]
    pub buyback_vault: UncheckedAccount<'info>,
    /// CHECK: created here by `io_program_kit`.
    #[account(mut, seeds = [PRICE_FEED_SEED], bump)]
    pub price_feed: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_initialize(
    ctx: Context<Initialize>,
    params: EscrowParams,
    usage_authority: Pubkey,
    price_authority: Pubkey,
    treasury_authority: Pubkey,
) -> Result<()> {
    params.validate()?;
    let a = &ctx.accounts;
    require_keys_neq!(a.usdc_mint.key(), a.io_mint.key(), EscrowError::InvalidParams);
    let config = EscrowConfig {
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
    };
    config.invariant()?;
    let (payer, system) = (a.admin.to_account_info(), a.system_program.to_account_info());
    let config_info = a.config.to_account_info();
    io_program_kit::create_program_account(
        &payer,
        &config_info,
        &system,
        &crate::ID,
        8 + EscrowConfig::INIT_SPACE,
        &[CONFIG_SEED, &[ctx.bumps.config]],
        &config,
    )?;
    let token = a.token_program.to_account_info();
    let (usdc, io) = (a.usdc_mint.key(), a.io_mint.key());
    let vaults = [
        (&a.treasury_usdc, &a.usdc_mint, [TREASURY_SEED, usdc.as_ref()], ctx.bumps.treasury_usdc),
        (&a.treasury_io, &a.io_mint, [TREASURY_SEED, io.as_ref()], ctx.bumps.treasury_io),
    ];
    for (vault, mint, seeds, bump) in vaults {
        io_program_kit::create_token_vault(
            &payer,
            &vault.to_account_info(),
            &mint.to_account_info(),
            &config_info,
            &system,
            &token,
            &[seeds[0], seeds[1], &[bump]],
        )?;
    }
    io_program_kit::create_token_vault(
        &payer,
        &a.buyback_vault.to_account_info(),
        &a.io_mint.to_account_info(),
        &config_info,
        &system,
        &token,
        &[BUYBACK_VAULT_SEED, &[ctx.bumps.buyback_vault]],
    )?;
    let feed = PriceFeed { usdc_per_io: 0, updated_ts: 0, period: 0, bump: ctx.bumps.price_feed };
    io_program_kit::create_program_account(
        &payer,
        &a.price_feed.to_account_info(),
        &system,
        &crate::ID,
        8 + PriceFeed::INIT_SPACE,
        &[PRICE_FEED_SEED, &[ctx.bumps.price_feed]],
        &feed,
    )?;
    let ev = EscrowInitialized {
        admin: a.admin.key(),
        usdc_mint: usdc,
        io_mint: io,
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
        constraint = config.is_pending_admin(&new_admin.key()) @ EscrowError::NotPendingAdmin)]
    pub config: Box<Account<'info, EscrowConfig>>,
}

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
        constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [PRICE_FEED_SEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
}

/// Writes the IO/USDC price: USDC base units per whole $IO. The feed only moves forward in time
/// (a certified report may already hold a later time), and once it has a price the authority may
/// move it at most [`PRICE_STEP_BPS_PER_HOUR`] per hour since the last write (see
/// [`max_price_step_floor`]). The feed's report period is left as it is: it names the newest report
/// taken, and the time check alone orders the two sources.
pub fn handle_set_price(ctx: Context<SetPrice>, usdc_per_io: u64) -> Result<()> {
    require!(usdc_per_io > 0, EscrowError::ZeroAmount);
    let ts = now()?;
    let feed = &mut ctx.accounts.price_feed;
    require!(ts >= feed.updated_ts, EscrowError::StaleReport);
    let before = feed.usdc_per_io;
    if before > 0 {
        let elapsed = u64::try_from(ts.saturating_sub(feed.updated_ts)).unwrap_or(0);
        let step = max_price_step_floor(before, elapsed)?;
        require!(usdc_per_io.abs_diff(before) <= step, EscrowError::PriceChangeTooLarge);
    }
    feed.usdc_per_io = usdc_per_io;
    feed.updated_ts = ts;
    let period = feed.period;
    emit_cpi!(PriceSet { usdc_per_io_before: before, usdc_per_io_after: usdc_per_io, ts, period });
    Ok(())
}

/// The most the price authority may move `price` after `elapsed_secs` since the feed's last
/// write: `⌊price × min(10_000, 1_000 × elapsed / 3600) / 10_000⌋` (rounded down, in its disfavour).
pub fn max_price_step_floor(price: u64, elapsed_secs: u64) -> Result<u64> {
    let bps = io_math::mul_div_floor(elapsed_secs, PRICE_STEP_BPS_PER_HOUR, SECONDS_PER_HOUR)
        .math()?
        .min(u64::from(io_math::MAX_BPS));
    io_math::mul_div_floor(price, bps, u64::from(io_math::MAX_BPS)).math()
}

#[event_cpi]
#[derive(Accounts)]
pub struct PriceFromReport<'info> {
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [PRICE_FEED_SEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
    /// A certified io_oracle report.
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ EscrowError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
}

/// Anyone: takes the IO/USDC price of a certified report newer than the feed's, whoever wrote the
/// feed last. The price counts as written at the end of the report's period, and that time must
/// be later than the feed's (a report older than the price authority's last write cannot roll
/// the price back).
pub fn handle_price_from_report(ctx: Context<PriceFromReport>) -> Result<()> {
    let body = ctx.accounts.report.body;
    let feed = &mut ctx.accounts.price_feed;
    require!(body.usdc_per_io > 0, EscrowError::ZeroAmount);
    let end = body
        .period
        .checked_add(1)
        .and_then(|p| p.checked_mul(io_oracle::PERIOD_SECS as u64))
        .ok_or(EscrowError::MathOverflow)?;
    let end = i64::try_from(end).map_err(|_| EscrowError::MathOverflow)?;
    require!(body.period > feed.period && end > feed.updated_ts, EscrowError::StaleReport);
    let before = feed.usdc_per_io;
    feed.usdc_per_io = body.usdc_per_io;
    feed.period = body.period;
    feed.updated_ts = end;
    let (ts, period) = (feed.updated_ts, feed.period);
    emit_cpi!(PriceSet { usdc_per_io_before: before, usdc_per_io_after: body.usdc_per_io, ts, period });
    Ok(())
}
