//! Hourly reports: a relayer posts the body (`post_report`), then a quorum's signatures over its
//! digest certify it (`certify_report`). Two steps because eight signatures and their keys fill a
//! transaction: the certifying transaction carries only the 32-byte digest as the signed message.
use crate::{constants::*, ed25519, error::OracleError, events::*, report_digest, state::*};
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
#[instruction(body: ReportBody)]
pub struct PostReport<'info> {
    #[account(mut)]
    pub relayer: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    /// CHECK: created here through io-program-kit (a pre-funded address cannot block it).
    #[account(mut, seeds = [REPORT_SEED, &body.period.to_le_bytes(), &report_digest(&config.cluster_id, &body)], bump)]
    pub report: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Posts a report candidate. Anyone may post; only a quorum can certify, and candidates with
/// other content live at other addresses, so posting junk blocks nothing. The same body posted
/// twice is refused (3000): the first candidate serves.
pub fn handle_post_report(ctx: Context<PostReport>, body: ReportBody) -> Result<()> {
    let a = &ctx.accounts;
    require!(body.period > a.config.last_period, OracleError::PeriodNotAfterLast);
    let digest = report_digest(&a.config.cluster_id, &body);
    let value = Report {
        body,
        digest,
        status: ReportStatus::Posted,
        signers: 0,
        posted_by: a.relayer.key(),
        certified_slot: 0,
        bump: ctx.bumps.report,
    };
    io_program_kit::create_program_account(
        &a.relayer.to_account_info(),
        &a.report.to_account_info(),
        &a.system_program.to_account_info(),
        &crate::ID,
        8 + Report::INIT_SPACE,
        &[REPORT_SEED, &body.period.to_le_bytes(), &digest, &[ctx.bumps.report]],
        &value,
    )?;
    let report = a.report.key();
    emit_cpi!(ReportPosted { report, digest, body });
    Ok(())
}

#[derive(Accounts)]
pub struct CertifyReport<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(mut, seeds = [REPORT_SEED, &report.body.period.to_le_bytes(), &report.digest], bump = report.bump)]
    pub report: Box<Account<'info, Report>>,
    /// CHECK: the instructions sysvar, by address (and again by the `*_checked` loaders).
    #[account(address = solana_sdk_ids::sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
}

/// Certifies a posted report. The Ed25519 instruction right before this one must carry at least
/// `threshold` signatures, by distinct members of the set the report names (the current set, or
/// the previous one inside its grace period for a period started before its rotation), over the
/// report's digest, all inside that
/// instruction. The period must be after the last certified one and already started, and the
/// report not expired.
///
/// No event: the event authority account would push an 8-signature transaction past 1,232
/// bytes. The report account's status (Certified) and `signers` are the record.
pub fn handle_certify_report(ctx: Context<CertifyReport>) -> Result<()> {
    let clock = Clock::get()?;
    let config = &mut ctx.accounts.config;
    let report = &mut ctx.accounts.report;
    require!(report.status == ReportStatus::Posted, OracleError::AlreadyCertified);
    let body = report.body;
    require!(body.period > config.last_period, OracleError::PeriodNotAfterLast);
    require!(body.period <= period_at(clock.unix_timestamp)?, OracleError::FuturePeriod);
    require!(clock.slot <= body.expiry_slot, OracleError::ReportExpired);
    let set = *config.set_for_epoch(body.set_epoch, body.period, clock.unix_timestamp)?;
    let data = ed25519::preceding_ed25519_data(&ctx.accounts.instructions)?;
    let signers = ed25519::signers_over(&data, &report.digest)?;
    let bitmap = ed25519::member_bitmap(&signers, set.keys())?;
    require!(bitmap.count_ones() >= u32::from(set.threshold), OracleError::QuorumNotReached);
    report.status = ReportStatus::Certified;
    report.signers = bitmap;
    report.certified_slot = clock.slot;
    config.last_period = body.period;
    config.reports_certified = config.reports_certified.checked_add(1).ok_or(OracleError::MathOverflow)?;
    Ok(())
}
