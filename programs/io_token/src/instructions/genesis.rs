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
use anchor_spl::token::{Mint, Token};
use io_math::{add, mul_div_floor, MAX_BPS};

// The six vaults are created here through `io_program_kit`, so that lamports sent to their
// predictable addresses beforehand cannot block genesis. Each slot is pinned to its own PDA by its
// seeds, so no two slots can alias. A second genesis stops at the config's `GenesisDone` check,
// before any account is touched.
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
    /// CHECK: created here as the community bucket's token vault (owner the config).
    #[account(mut, seeds = [VAULT_SEED, &Bucket::Community.seed()], bump)]
    pub community_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the R&D bucket's token vault (owner the config).
    #[account(mut, seeds = [VAULT_SEED, &Bucket::RnD.seed()], bump)]
    pub rnd_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the early contributors bucket's token vault (owner the config).
    #[account(mut, seeds = [VAULT_SEED, &Bucket::EarlyContributors.seed()], bump)]
    pub early_contributors_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the series A bucket's token vault (owner the config).
    #[account(mut, seeds = [VAULT_SEED, &Bucket::SeriesA.seed()], bump)]
    pub series_a_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the seed bucket's token vault (owner the config).
    #[account(mut, seeds = [VAULT_SEED, &Bucket::Seed.seed()], bump)]
    pub seed_vault: UncheckedAccount<'info>,
    /// CHECK: created here as the rewards vault (owner the config), where emissions land.
    #[account(mut, seeds = [REWARDS_VAULT_SEED], bump)]
    pub rewards_vault: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

impl<'info> Genesis<'info> {
    /// Creates the $IO token vault `vault` (owner the config) at its PDA `seeds` + `bump`.
    fn create_vault(&self, vault: &UncheckedAccount<'info>, seeds: &[&[u8]], bump: u8) -> Result<()> {
        let bump = [bump];
        let mut signer: Vec<&[u8]> = seeds.to_vec();
        signer.push(&bump);
        io_program_kit::create_token_vault(
            &self.admin,
            vault,
            &self.io_mint.to_account_info(),
            &self.config.to_account_info(),
            &self.system_program,
            &self.token_program,
            &signer,
        )
    }
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
    let b = &ctx.bumps;
    let genesis_supply = whole_io(GENESIS_SUPPLY_IO, a.config.decimals)?;
    let allocations = allocations_for(genesis_supply)?;
    a.create_vault(&a.community_vault, &[VAULT_SEED, &Bucket::Community.seed()], b.community_vault)?;
    a.create_vault(&a.rnd_vault, &[VAULT_SEED, &Bucket::RnD.seed()], b.rnd_vault)?;
    a.create_vault(
        &a.early_contributors_vault,
        &[VAULT_SEED, &Bucket::EarlyContributors.seed()],
        b.early_contributors_vault,
    )?;
    a.create_vault(&a.series_a_vault, &[VAULT_SEED, &Bucket::SeriesA.seed()], b.series_a_vault)?;
    a.create_vault(&a.seed_vault, &[VAULT_SEED, &Bucket::Seed.seed()], b.seed_vault)?;
    a.create_vault(&a.rewards_vault, &[REWARDS_VAULT_SEED], b.rewards_vault)?;
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
