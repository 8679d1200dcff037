//! Equivocation: one oracle key signing two different reports for the same period is provable
//! from the signatures alone. Anyone who presents both (in one Ed25519 instruction) gets that
//! oracle's whole bond burned and the key removed from the set.
use super::now;
use crate::{constants::*, ed25519, error::OracleError, events::*, report_digest, state::*};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};

#[event_cpi]
#[derive(Accounts)]
#[instruction(oracle: Pubkey, body_a: ReportBody)]
pub struct ProveEquivocation<'info> {
    #[account(mut)]
    pub reporter: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = bond_vault)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(mut, seeds = [BOND_SEED, oracle.as_ref()], bump = bond.bump)]
    pub bond: Box<Account<'info, OracleBond>>,
    #[account(init, payer = reporter, space = 8 + Equivocation::INIT_SPACE,
        seeds = [EQUIVOCATION_SEED, oracle.as_ref(), &body_a.period.to_le_bytes()], bump)]
    pub evidence: Box<Account<'info, Equivocation>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: io_token's config; io_token checks it.
    #[account(mut)]
    pub token_config: UncheckedAccount<'info>,
    /// CHECK: io_token's event authority; io_token checks it.
    pub token_event_authority: UncheckedAccount<'info>,
    /// CHECK: the io_token program, by address.
    #[account(address = io_token::ID)]
    pub io_token_program: UncheckedAccount<'info>,
    /// CHECK: the instructions sysvar, by address.
    #[account(address = solana_sdk_ids::sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

pub fn handle_prove_equivocation(
    mut ctx: Context<ProveEquivocation>,
    oracle: Pubkey,
    body_a: ReportBody,
    body_b: ReportBody,
) -> Result<()> {
    let (da, db) = (report_digest(&body_a), report_digest(&body_b));
    require!(body_a.period == body_b.period && da != db, OracleError::NotEquivocation);
    let data = ed25519::preceding_ed25519_data(&ctx.accounts.instructions)?;
    let signed = ed25519::parse(&data)?;
    let signed_by = |d: &[u8; 32]| signed.iter().any(|(k, m)| *k == oracle && *m == d.as_slice());
    require!(signed_by(&da) && signed_by(&db), OracleError::NotEquivocation);

    let a = &ctx.accounts;
    require!(!a.bond.slashed, OracleError::BondSlashed);
    let amount = a.bond.amount.checked_add(a.bond.withdrawing).ok_or(OracleError::MathOverflow)?;
    if amount > 0 {
        // `Other`: the `Slash` reason is reserved to io_staking's slashes.
        let seeds = a.config.signer_seeds();
        io_token::cpi::burn(
            CpiContext::new_with_signer(
                io_token::ID,
                io_token::cpi::accounts::Burn {
                    authority: a.config.to_account_info(),
                    config: a.token_config.to_account_info(),
                    io_mint: a.io_mint.to_account_info(),
                    from: a.bond_vault.to_account_info(),
                    token_program: a.token_program.to_account_info(),
                    event_authority: a.token_event_authority.to_account_info(),
                    program: a.io_token_program.to_account_info(),
                },
                &[&seeds],
            ),
            amount,
            io_token::BurnReason::Other,
        )?;
    }

    let ts = now()?;
    let a = &mut ctx.accounts;
    a.bond.amount = 0;
    a.bond.withdrawing = 0;
    a.bond.slashed = true;
    let config = &mut a.config;
    config.total_bonded = config.total_bonded.checked_sub(amount).ok_or(OracleError::MathOverflow)?;
    config.total_slashed = config.total_slashed.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    // Out of the set: a new epoch without the key; the old set, which has it, stops counting now.
    let removed = config.set.position(&oracle).is_some() && config.set.count > 1;
    if removed {
        let rest: Vec<Pubkey> = config.set.keys().iter().copied().filter(|k| *k != oracle).collect();
        config.rotate(&rest, OracleSet::default_threshold(rest.len()), ts)?;
        config.prev_valid_until = ts;
    }
    config.invariant()?;
    a.evidence.set_inner(Equivocation {
        oracle,
        period: body_a.period,
        digest_a: da,
        digest_b: db,
        slashed: amount,
        reporter: a.reporter.key(),
    });
    let epoch = config.set.epoch;
    emit_cpi!(OracleSlashed {
        oracle,
        period: body_a.period,
        digest_a: da,
        digest_b: db,
        amount,
        removed,
        epoch_after: epoch
    });
    Ok(())
}
