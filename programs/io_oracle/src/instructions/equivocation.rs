//! Equivocation: one oracle key signing two reports with different contents for the same period
//! is provable from the signatures alone. Anyone who presents both (in one Ed25519 instruction)
//! gets that oracle's whole bond burned and the key removed from every set.
//!
//! Works while paused: the proof rests on the cheater's own signatures, it can only take a
//! cheater's bond and seat, and a pause must never be a window in which a cheater stays in a set
//! or keeps its bond.
use super::{
    bonds::{read_bond, write_bond},
    now,
};
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
    /// CHECK: the oracle's bond, read as an `OracleBond`; if the key never bonded (a bootstrap
    /// member) it is created here, slashed, so the key can never bond and join a set later.
    #[account(mut, seeds = [BOND_SEED, oracle.as_ref()], bump)]
    pub bond: UncheckedAccount<'info>,
    /// CHECK: created here through io-program-kit (a pre-funded address cannot block it); its
    /// existence refuses a second proof for the same oracle and period.
    #[account(mut, seeds = [EQUIVOCATION_SEED, oracle.as_ref(), &body_a.period.to_le_bytes()], bump)]
    pub evidence: UncheckedAccount<'info>,
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
    // Proven once per oracle and period: a second proof is refused before anything else.
    io_program_kit::ensure_uninitialized(&ctx.accounts.evidence)?;
    let cluster = ctx.accounts.config.cluster_id;
    let (da, db) = (report_digest(&cluster, &body_a), report_digest(&cluster, &body_b));
    // Two contents for one period; a re-signature of the same content with another expiry or set
    // epoch is not an offence.
    require!(body_a.period == body_b.period && !body_a.same_content(&body_b), OracleError::NotEquivocation);
    let data = ed25519::preceding_ed25519_data(&ctx.accounts.instructions)?;
    let signed = ed25519::parse(&data)?;
    let signed_by = |d: &[u8; 32]| signed.iter().any(|(k, m)| *k == oracle && *m == d.as_slice());
    require!(signed_by(&da) && signed_by(&db), OracleError::NotEquivocation);

    let bond_info = ctx.accounts.bond.to_account_info();
    let (mut bond, create_bond) = read_bond(&bond_info, oracle, ctx.bumps.bond)?;
    require!(!bond.slashed, OracleError::BondSlashed);
    let amount = bond.amount.checked_add(bond.withdrawing).ok_or(OracleError::MathOverflow)?;
    let a = &ctx.accounts;
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
    bond.amount = 0;
    bond.withdrawing = 0;
    bond.slashed = true;
    let (payer, system) = (a.reporter.to_account_info(), a.system_program.to_account_info());
    write_bond(&bond_info, &payer, &system, &bond, create_bond)?;
    let config = &mut a.config;
    config.total_bonded = config.total_bonded.checked_sub(amount).ok_or(OracleError::MathOverflow)?;
    config.total_slashed = config.total_slashed.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    // Out of the set: a new epoch without the key.
    let in_current = config.set.position(&oracle).is_some();
    let removed = in_current && config.set.count > 1;
    if removed {
        let rest: Vec<Pubkey> = config.set.keys().iter().copied().filter(|k| *k != oracle).collect();
        config.rotate(&rest, OracleSet::default_threshold(rest.len()), ts)?;
    }
    // Every earlier set that holds the key stops counting now — also when the key sat only in
    // the previous set, whose grace would otherwise let it keep signing.
    if config.prev_set.position(&oracle).is_some() {
        config.prev_valid_until = config.prev_valid_until.min(ts);
    }
    // A set of one cannot lose its only key: the set is revoked (it certifies and rotates nothing
    // more) until the admin's rotation replaces it.
    if in_current && !removed {
        config.set_revoked = true;
    }
    config.invariant()?;
    a.bond_vault.reload()?;
    a.config.check_vault(a.bond_vault.amount)?;
    let evidence = Equivocation {
        oracle,
        period: body_a.period,
        digest_a: da,
        digest_b: db,
        slashed: amount,
        reporter: a.reporter.key(),
    };
    io_program_kit::create_program_account(
        &payer,
        &a.evidence.to_account_info(),
        &system,
        &crate::ID,
        8 + Equivocation::INIT_SPACE,
        &[EQUIVOCATION_SEED, oracle.as_ref(), &body_a.period.to_le_bytes(), &[ctx.bumps.evidence]],
        &evidence,
    )?;
    let epoch = a.config.set.epoch;
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
