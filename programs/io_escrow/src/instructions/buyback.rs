//! Revenue burns: treasury USDC is spent buying $IO on the market; the $IO bought is burned
//! through io_token (reason `Buyback`) in the same instruction, and the instruction is refused
//! if the $IO burned is below what the USDC buys at the price feed's price less the slippage.
use super::{now, pay_in, pay_out};
use crate::{
    constants::*,
    error::{EscrowError, MathResultExt},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, mul_div_floor, Bps, MAX_BPS};

#[event_cpi]
#[derive(Accounts)]
pub struct BuybackBurn<'info> {
    pub treasury_authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = treasury_authority,
        has_one = usdc_mint, has_one = io_mint, has_one = treasury_usdc, has_one = buyback_vault,
        constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(seeds = [PRICE_FEED_SEED], bump = price_feed.bump)]
    pub price_feed: Box<Account<'info, PriceFeed>>,
    pub usdc_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub treasury_usdc: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub buyback_vault: Box<Account<'info, TokenAccount>>,
    /// Receives the USDC to spend on the market.
    #[account(mut, token::mint = usdc_mint, token::authority = treasury_authority)]
    pub authority_usdc: Box<Account<'info, TokenAccount>>,
    /// Holds the $IO bought, moved into the buyback vault and burned.
    #[account(mut, token::mint = io_mint, token::authority = treasury_authority)]
    pub authority_io: Box<Account<'info, TokenAccount>>,
    /// CHECK: io_token's config; io_token checks its seeds and owner.
    #[account(mut)]
    pub token_config: UncheckedAccount<'info>,
    /// CHECK: io_token's event authority; io_token checks it.
    pub token_event_authority: UncheckedAccount<'info>,
    /// CHECK: the io_token program, by address.
    #[account(address = io_token::ID)]
    pub io_token_program: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// The least $IO `usdc_spent` must buy: `⌊usdc × 10^dec / price⌋` less the slippage, rounded down.
pub fn min_io_for(usdc_spent: u64, usdc_per_io: u64, io_decimals: u8, slippage_bps: u16) -> Result<u64> {
    let one_io = 10u64.checked_pow(u32::from(io_decimals)).ok_or(EscrowError::MathOverflow)?;
    let fair = mul_div_floor(usdc_spent, one_io, usdc_per_io).math()?;
    let keep = MAX_BPS.checked_sub(slippage_bps).ok_or(EscrowError::InvalidParams)?;
    Bps::new(keep).math()?.of_floor(fair).math()
}

pub fn handle_buyback_burn(mut ctx: Context<BuybackBurn>, usdc_spent: u64, io_amount: u64) -> Result<()> {
    require!(usdc_spent > 0 && io_amount > 0, EscrowError::ZeroAmount);
    let ts = now()?;
    let a = &ctx.accounts;
    let feed = &a.price_feed;
    let fresh =
        feed.usdc_per_io > 0 && ts.saturating_sub(feed.updated_ts) <= a.config.params.max_price_age_secs;
    require!(fresh, EscrowError::PriceStale);
    let min_io = min_io_for(
        usdc_spent,
        feed.usdc_per_io,
        a.io_mint.decimals,
        a.config.params.max_buyback_slippage_bps,
    )?;
    require!(io_amount >= min_io, EscrowError::BuybackBelowPrice);

    // $IO a third party sent into the buyback vault is burned with the buyback (the vault exists
    // only to burn from), so nothing is left behind in it.
    let donation = a.buyback_vault.amount;
    let burn = add(io_amount, donation).math()?;
    pay_out(&a.token_program, &a.config, &a.treasury_usdc, &a.authority_usdc, &a.usdc_mint, usdc_spent)?;
    pay_in(
        &a.token_program,
        &a.authority_io,
        &a.buyback_vault.to_account_info(),
        &a.io_mint,
        &a.treasury_authority,
        io_amount,
    )?;
    let seeds = a.config.signer_seeds();
    io_token::cpi::burn(
        CpiContext::new_with_signer(
            io_token::ID,
            io_token::cpi::accounts::Burn {
                authority: a.config.to_account_info(),
                config: a.token_config.to_account_info(),
                io_mint: a.io_mint.to_account_info(),
                from: a.buyback_vault.to_account_info(),
                token_program: a.token_program.to_account_info(),
                event_authority: a.token_event_authority.to_account_info(),
                program: a.io_token_program.to_account_info(),
            },
            &[&seeds],
        ),
        burn,
        io_token::BurnReason::Buyback,
    )?;

    let price = feed.usdc_per_io;
    let a = &mut ctx.accounts;
    let config = &mut a.config;
    config.buyback_usdc_spent = add(config.buyback_usdc_spent, usdc_spent).math()?;
    config.buyback_io_burned = add(config.buyback_io_burned, burn).math()?;
    config.buyback_count = config.buyback_count.checked_add(1).ok_or(EscrowError::MathOverflow)?;
    config.invariant()?;
    let ev = BuybackBurned {
        usdc_spent,
        io_burned: burn,
        usdc_per_io: price,
        min_io,
        total_usdc_spent: config.buyback_usdc_spent,
        total_io_burned: config.buyback_io_burned,
        buyback_count: config.buyback_count,
        donation_burned: donation,
    };
    emit_cpi!(ev);
    Ok(())
}
