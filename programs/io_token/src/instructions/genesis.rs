//! Genesis: once, by the admin. Mints exactly 500M $IO into the five allocation vaults and
//! creates the rewards vault; the emission clock starts now.
use super::{mint_to_vault, now};
use crate::{
    constants::*,
    error::{MathResultExt, TokenError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, mul_div_floor, MAX_BPS};

// The vaults are `init_if_needed` so that a second genesis reaches the config's `GenesisDone`
// check (Anchor creates `init` accounts before it checks the others) instead of failing inside the
// system program; an existing vault must still be a token account of the $IO mint owned by the
// config.
#[event_cpi]
#[derive(Accounts)]
pub struct Genesis<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = admin, has_one = io_mint,
        constraint = !config.genesis_done @ TokenError::GenesisDone)]
    pub config: Box<Account<'info, TokenConfig>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(init_if_needed, payer = admin, seeds = [VAULT_SEED, &Bucket::Community.seed()], bump,
        token::mint = io_mint, token::authority = config)]
    pub community_vault: Box<Account<'info, TokenAccount>>,
    #[account(init_if_needed, payer = admin, seeds = [VAULT_SEED, &Bucket::RnD.seed()], bump,
        token::mint = io_mint, token::authority = config)]
    pub rnd_vault: Box<Account<'info, TokenAccount>>,
    #[account(init_if_needed, payer = admin, seeds = [VAULT_SEED, &Bucket::EarlyContributors.seed()],
        bump, token::mint = io_mint, token::authority = config)]
    pub early_contributors_vault: Box<Account<'info, TokenAccount>>,
    #[account(init_if_needed, payer = admin, seeds = [VAULT_SEED, &Bucket::SeriesA.seed()], bump,
        token::mint = io_mint, token::authority = config)]
    pub series_a_vault: Box<Account<'info, TokenAccount>>,
    #[account(init_if_needed, payer = admin, seeds = [VAULT_SEED, &Bucket::Seed.seed()], bump,
        token::mint = io_mint, token::authority = config)]
    pub seed_vault: Box<Account<'info, TokenAccount>>,
    #[account(init_if_needed, payer = admin, seeds = [REWARDS_VAULT_SEED], bump,
        token::mint = io_mint, token::authority = config)]
    pub rewards_vault: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// The genesis amount of each bucket for a genesis supply of `genesis_supply` base units:
/// `genesis_supply × bps / 10,000`, exact (the supply is a multiple of 10,000).
pub fn allocations_for(genesis_supply: u64) -> Result<[u64; BUCKET_COUNT]> {
    let mut out = [0u64; BUCKET_COUNT];
    let mut sum = 0u64;
    for (slot, bps) in out.iter_mut().zip(ALLOCATION_BPS) {
        *slot = mul_div_floor(genesis_supply, u64::from(bps), u64::from(MAX_BPS)).math()?;
        sum = add(sum, *slot).math()?;
    }
    require!(sum == genesis_supply, TokenError::MathOverflow);
    Ok(out)
}

pub fn handle_genesis(mut ctx: Context<Genesis>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let genesis_supply = whole_io(GENESIS_SUPPLY_IO, a.config.decimals)?;
    let allocations = allocations_for(genesis_supply)?;
    let vaults = [
        a.community_vault.key(),
        a.rnd_vault.key(),
        a.early_contributors_vault.key(),
        a.series_a_vault.key(),
        a.seed_vault.key(),
    ];
    let mut supply = a.io_mint.supply;
    let mut minted = Vec::with_capacity(BUCKET_COUNT);
    for (i, amount) in allocations.iter().copied().enumerate() {
        let before = a.config.record_mint(amount)?;
        let vault = match i {
            0 => &a.community_vault,
            1 => &a.rnd_vault,
            2 => &a.early_contributors_vault,
            3 => &a.series_a_vault,
            _ => &a.seed_vault,
        };
        mint_to_vault(&a.token_program, &a.config, &a.io_mint, vault, amount)?;
        supply = add(supply, amount).math()?;
        minted.push(Minted {
            reason: MintReason::Genesis,
            destination: vaults[i],
            amount,
            total_minted_before: before,
            total_minted_after: a.config.total_minted,
            supply_after: supply,
        });
    }
    let config = &mut a.config;
    config.genesis_done = true;
    config.genesis_minted = genesis_supply;
    config.allocations = allocations;
    config.vaults = vaults;
    config.rewards_vault = a.rewards_vault.key();
    config.emission = EmissionState {
        start_ts: ts,
        next_hour: 0,
        month_amount: config.params.first_month_emission,
        emitted: 0,
    };
    a.io_mint.reload()?;
    require!(a.io_mint.supply == supply, TokenError::MathOverflow);
    a.config.check_supply(a.io_mint.supply)?;
    a.config.invariant()?;
    let done =
        GenesisCompleted { allocations, vaults, rewards_vault: a.rewards_vault.key(), emission_start_ts: ts };
    for ev in minted {
        emit_cpi!(ev);
    }
    emit_cpi!(done);
    Ok(())
}
