//! Slashing: proposed by the oracle authority with an evidence hash, cancellable by the admin
//! during the appeal window, executed by anyone after it. Execution takes from the operator's
//! bond first (active, then withdrawing), then from the delegators' active and unbonding pools
//! pro rata, and burns what it takes through io_token (reason `Slash`), so the supply ledger
//! counts every slashed unit.
use super::{now, require_vault_covers};
use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, add_i64, sub};

#[event_cpi]
#[derive(Accounts)]
#[instruction(amount: u64, evidence_hash: [u8; 32])]
pub struct ProposeSlash<'info> {
    #[account(mut)]
    pub oracle_authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = oracle_authority,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    /// CHECK: the slash PDA, created here through io-program-kit so that lamports sent to the
    /// address beforehand cannot block it (F-6); a second creation fails with 3000.
    #[account(mut, seeds = [SLASH_SEED, operator.key().as_ref(), evidence_hash.as_ref()], bump)]
    pub slash: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handle_propose_slash(ctx: Context<ProposeSlash>, amount: u64, evidence_hash: [u8; 32]) -> Result<()> {
    let payer = ctx.accounts.oracle_authority.to_account_info();
    let slash = ctx.accounts.slash.to_account_info();
    let system_program = ctx.accounts.system_program.to_account_info();
    let params = ctx.accounts.config.params;
    let ev = open_slash(
        &params,
        &mut ctx.accounts.operator,
        SlashTarget { payer: &payer, slash: &slash, system_program: &system_program, bump: ctx.bumps.slash },
        amount,
        evidence_hash,
    )?;
    emit_cpi!(ev);
    Ok(())
}

/// Where and by whom a new slash account is created.
struct SlashTarget<'a, 'info> {
    payer: &'a AccountInfo<'info>,
    slash: &'a AccountInfo<'info>,
    system_program: &'a AccountInfo<'info>,
    bump: u8,
}

/// Creates the slash account, opens its appeal window and counts it as pending on the operator
/// (which freezes the operator's bond and its delegators' tickets until it is cancelled or
/// executed).
fn open_slash(
    params: &Params,
    op: &mut Account<Operator>,
    target: SlashTarget,
    amount: u64,
    evidence_hash: [u8; 32],
) -> Result<SlashProposed> {
    require!(amount > 0, StakingError::ZeroAmount);
    let ts = now()?;
    let executable_ts = add_i64(ts, params.slash_appeal_secs).math()?;
    let index = op.slash_count;
    op.slash_count = index.checked_add(1).ok_or(StakingError::MathOverflow)?;
    op.pending_slashes = op.pending_slashes.checked_add(1).ok_or(StakingError::MathOverflow)?;
    let operator = op.key();
    let slash = Slash {
        operator,
        index,
        amount,
        evidence_hash,
        proposed_ts: ts,
        executable_ts,
        status: SlashStatus::Pending,
        from_bond: 0,
        from_stake: 0,
        from_unbonding: 0,
        bump: target.bump,
    };
    slash.invariant()?;
    io_program_kit::create_program_account(
        target.payer,
        target.slash,
        target.system_program,
        &crate::ID,
        8 + Slash::INIT_SPACE,
        &[SLASH_SEED, operator.as_ref(), evidence_hash.as_ref(), &[target.bump]],
        &slash,
    )?;
    op.invariant(params)?;
    Ok(SlashProposed { slash: target.slash.key(), operator, index, amount, evidence_hash, executable_ts })
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(amount: u64, evidence_hash: [u8; 32])]
pub struct ProposeSlashFromReport<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    /// A certified io_oracle report.
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ StakingError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
    /// CHECK: the slash PDA, created here through io-program-kit (see `ProposeSlash::slash`).
    #[account(mut, seeds = [SLASH_SEED, operator.key().as_ref(), evidence_hash.as_ref()], bump)]
    pub slash: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Anyone: opens the slash `(operator, amount, evidence_hash)` found in a certified report's
/// slashes tree. The appeal window then runs as for any slash.
pub fn handle_propose_slash_from_report(
    ctx: Context<ProposeSlashFromReport>,
    amount: u64,
    evidence_hash: [u8; 32],
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let leaf = io_oracle::leaves::slash_leaf(&ctx.accounts.operator.key(), amount, &evidence_hash);
    require!(
        io_merkle::verify(&proof, &ctx.accounts.report.body.slashes_root, &leaf),
        StakingError::InvalidProof
    );
    let payer = ctx.accounts.payer.to_account_info();
    let slash = ctx.accounts.slash.to_account_info();
    let system_program = ctx.accounts.system_program.to_account_info();
    let params = ctx.accounts.config.params;
    let ev = open_slash(
        &params,
        &mut ctx.accounts.operator,
        SlashTarget { payer: &payer, slash: &slash, system_program: &system_program, bump: ctx.bumps.slash },
        amount,
        evidence_hash,
    )?;
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct CancelSlash<'info> {
    pub admin: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = admin)]
    pub config: Box<Account<'info, Config>>,
    /// The slashed operator: its pending-slash count drops, releasing the freeze when it was the
    /// last one.
    #[account(mut, address = slash.operator)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [SLASH_SEED, slash.operator.as_ref(), slash.evidence_hash.as_ref()],
        bump = slash.bump)]
    pub slash: Box<Account<'info, Slash>>,
}

/// The admin upholds an appeal: only while the slash is pending and inside its window.
pub fn handle_cancel_slash(ctx: Context<CancelSlash>) -> Result<()> {
    let slash = &mut ctx.accounts.slash;
    require!(slash.status == SlashStatus::Pending, StakingError::SlashNotPending);
    require!(now()? < slash.executable_ts, StakingError::AppealWindowClosed);
    slash.status = SlashStatus::Cancelled;
    slash.invariant()?;
    let op = &mut ctx.accounts.operator;
    op.pending_slashes = op.pending_slashes.checked_sub(1).ok_or(StakingError::MathOverflow)?;
    op.invariant(&ctx.accounts.config.params)?;
    emit_cpi!(SlashCancelled { slash: slash.key(), operator: slash.operator, index: slash.index });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ExecuteSlash<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        has_one = stake_vault, has_one = bond_vault, constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, address = slash.operator)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [SLASH_SEED, slash.operator.as_ref(), slash.evidence_hash.as_ref()],
        bump = slash.bump)]
    pub slash: Box<Account<'info, Slash>>,
    #[account(mut)]
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub stake_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: io_token's config; io_token checks it (and that this program's config may burn with
    /// reason `Slash`).
    #[account(mut)]
    pub token_config: UncheckedAccount<'info>,
    /// CHECK: io_token's event authority; io_token checks it.
    pub token_event_authority: UncheckedAccount<'info>,
    /// CHECK: the io_token program, by address.
    #[account(address = io_token::ID)]
    pub io_token_program: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Burns `amount` from `vault` through io_token with reason `Slash`, signed by the config PDA, so
/// the supply ledger counts it.
fn burn_slashed<'info>(
    a: &ExecuteSlash<'info>,
    vault: &Account<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let seeds = a.config.signer_seeds();
    io_token::cpi::burn(
        CpiContext::new_with_signer(
            io_token::ID,
            io_token::cpi::accounts::Burn {
                authority: a.config.to_account_info(),
                config: a.token_config.to_account_info(),
                io_mint: a.io_mint.to_account_info(),
                from: vault.to_account_info(),
                token_program: a.token_program.to_account_info(),
                event_authority: a.token_event_authority.to_account_info(),
                program: a.io_token_program.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
        io_token::BurnReason::Slash,
    )
}

/// Permissionless once the appeal window has passed. Takes up to `amount`: what the bond and
/// pools cannot cover is not carried over.
pub fn handle_execute_slash(ctx: Context<ExecuteSlash>) -> Result<()> {
    let slash = &ctx.accounts.slash;
    require!(slash.status == SlashStatus::Pending, StakingError::SlashNotPending);
    require!(now()? >= slash.executable_ts, StakingError::AppealWindowOpen);
    let amount = slash.amount;
    let op = &mut ctx.accounts.operator;
    // Bond first: active bond, then bond on its way out.
    let from_active_bond = amount.min(op.bond);
    let rest = sub(amount, from_active_bond).math()?;
    let from_withdrawing = rest.min(op.bond_withdrawing);
    let from_bond = add(from_active_bond, from_withdrawing).math()?;
    op.bond = sub(op.bond, from_active_bond).math()?;
    op.bond_withdrawing = sub(op.bond_withdrawing, from_withdrawing).math()?;
    // Then the delegators, active and unbonding alike, in proportion to what each pool holds,
    // each share rounded down (F-7: a 1-unit ticket cannot get its pool emptied by rounding).
    let rest = sub(rest, from_withdrawing).math()?;
    let (from_stake, from_unbonding) = op.slash_delegators_floor(rest)?;
    let take = add(from_stake, from_unbonding).math()?;
    op.pending_slashes = op.pending_slashes.checked_sub(1).ok_or(StakingError::MathOverflow)?;
    let burned = add(from_bond, take).math()?;
    op.total_slashed = add(op.total_slashed, burned).math()?;

    let config = &mut ctx.accounts.config;
    config.total_bonded = sub(config.total_bonded, from_bond).math()?;
    config.total_staked = sub(config.total_staked, take).math()?;
    config.total_slashed = add(config.total_slashed, burned).math()?;

    let slash = &mut ctx.accounts.slash;
    slash.status = SlashStatus::Executed;
    slash.from_bond = from_bond;
    slash.from_stake = from_stake;
    slash.from_unbonding = from_unbonding;

    let a = &ctx.accounts;
    burn_slashed(a, &a.bond_vault, from_bond)?;
    burn_slashed(a, &a.stake_vault, take)?;
    require_vault_covers(&a.bond_vault.to_account_info(), a.config.total_bonded)?;
    require_vault_covers(&a.stake_vault.to_account_info(), a.config.total_staked)?;
    a.slash.invariant()?;
    a.operator.invariant(&a.config.params)?;
    a.config.invariant()?;
    emit_cpi!(SlashExecuted {
        slash: a.slash.key(),
        operator: a.operator.key(),
        index: a.slash.index,
        amount,
        from_bond,
        from_stake,
        from_unbonding,
        bond_after: a.operator.bond,
        bond_withdrawing_after: a.operator.bond_withdrawing,
        stake_tokens_after: a.operator.stake_tokens,
        unbonding_tokens_after: a.operator.unbonding_tokens,
    });
    Ok(())
}
