//! Settlement per (lease, device): pays the provider for attested service seconds. The attested
//! seconds come from the usage authority now; the oracle issue replaces it with a Merkle proof
//! against the hourly report's usage root.
use super::{now, pay_out};
use crate::{
    constants::*,
    error::{EscrowError, MathResultExt},
    events::*,
    math,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, sub, Bps};

#[event_cpi]
#[derive(Accounts)]
pub struct SettleLease<'info> {
    pub usage_authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = usage_authority,
        constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [LEASE_SEED, lease.renter.as_ref(), &lease.nonce.to_le_bytes()], bump = lease.bump,
        has_one = vault, has_one = payment_mint)]
    pub lease: Box<Account<'info, Lease>>,
    pub payment_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// The provider's account of the payment mint, owned by the device's operator wallet.
    #[account(mut, token::mint = payment_mint)]
    pub provider_token: Box<Account<'info, TokenAccount>>,
    /// The treasury of the payment mint.
    #[account(mut, constraint = treasury.key() == config.treasury(&lease.payment_mint)? @ EscrowError::UnlistedMint)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Usage authority: pays device `device_index` of the lease for `attested_seconds` (see
/// [`settle_device`]). Setting the usage authority to the zero key leaves proofs as the only way.
pub fn handle_settle(mut ctx: Context<SettleLease>, device_index: u8, attested_seconds: u64) -> Result<()> {
    let a = &mut ctx.accounts;
    let ev = settle_device(
        &mut a.config,
        &mut a.lease,
        &a.payment_mint,
        &mut a.vault,
        &a.provider_token,
        &a.treasury,
        &a.token_program,
        device_index,
        attested_seconds,
    )?;
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct SettleAttested<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [LEASE_SEED, lease.renter.as_ref(), &lease.nonce.to_le_bytes()], bump = lease.bump,
        has_one = vault, has_one = payment_mint)]
    pub lease: Box<Account<'info, Lease>>,
    pub payment_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = payment_mint)]
    pub provider_token: Box<Account<'info, TokenAccount>>,
    #[account(mut, constraint = treasury.key() == config.treasury(&lease.payment_mint)? @ EscrowError::UnlistedMint)]
    pub treasury: Box<Account<'info, TokenAccount>>,
    /// A certified io_oracle report whose usage tree holds the leaf.
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ EscrowError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
    pub token_program: Program<'info, Token>,
}

/// Anyone: pays device `device_index` of the lease for `attested_seconds`, proven by the leaf
/// `(lease, device, attested_seconds)` of a certified report's usage tree.
pub fn handle_settle_attested(
    mut ctx: Context<SettleAttested>,
    device_index: u8,
    attested_seconds: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let a = &mut ctx.accounts;
    let device =
        a.lease.devices.get(usize::from(device_index)).ok_or(EscrowError::InvalidDeviceIndex)?.device;
    let leaf = io_oracle::leaves::usage_leaf(&a.lease.key(), &device, attested_seconds);
    require!(io_merkle::verify(&proof, &a.report.body.usage_root, &leaf), EscrowError::InvalidProof);
    let ev = settle_device(
        &mut a.config,
        &mut a.lease,
        &a.payment_mint,
        &mut a.vault,
        &a.provider_token,
        &a.treasury,
        &a.token_program,
        device_index,
        attested_seconds,
    )?;
    emit_cpi!(ev);
    Ok(())
}

/// Pays device `device_index` of the lease for `attested_seconds` — cumulative attested service
/// seconds of that device in that lease — minus what it was already paid, at one-second
/// granularity, rounded down, never beyond its share of the deposit. The fee on the payout
/// (rounded up, cumulative) goes to the treasury.
#[allow(clippy::too_many_arguments)]
fn settle_device<'info>(
    config: &mut Account<'info, EscrowConfig>,
    lease: &mut Account<'info, Lease>,
    payment_mint: &Account<'info, Mint>,
    vault: &mut Account<'info, TokenAccount>,
    provider_token: &Account<'info, TokenAccount>,
    treasury: &Account<'info, TokenAccount>,
    token_program: &Program<'info, Token>,
    device_index: u8,
    attested_seconds: u64,
) -> Result<LeaseSettled> {
    let ts = now()?;
    require!(lease.status != LeaseStatus::Closed, EscrowError::LeaseClosed);
    let i = usize::from(device_index);
    let d = *lease.devices.get(i).ok_or(EscrowError::InvalidDeviceIndex)?;
    require_keys_eq!(provider_token.owner, d.operator_authority, EscrowError::WrongPayee);
    require!(attested_seconds <= lease.elapsed(ts), EscrowError::AttestedBeyondElapsed);
    require!(attested_seconds > d.attested_seconds, EscrowError::NothingToSettle);
    let owed = math::device_owed_floor(attested_seconds, d.rate_per_hour, lease.hours).math()?;
    let pay = sub(owed, d.paid).math()?;
    let fee = math::fee_due_ceil(lease.paid, pay, lease.fees, Bps::new(lease.fee_bps).math()?).math()?;

    pay_out(token_program, config, vault, provider_token, payment_mint, pay)?;
    pay_out(token_program, config, vault, treasury, payment_mint, fee)?;

    if lease.payment_mint == config.usdc_mint {
        config.paid_usdc = add(config.paid_usdc, pay).math()?;
        config.fees_usdc = add(config.fees_usdc, fee).math()?;
    } else {
        config.paid_io = add(config.paid_io, pay).math()?;
        config.fees_io = add(config.fees_io, fee).math()?;
    }
    let dev = &mut lease.devices[i];
    let attested_before = dev.attested_seconds;
    dev.attested_seconds = attested_seconds;
    dev.paid = add(dev.paid, pay).math()?;
    let device = dev.device;
    lease.paid = add(lease.paid, pay).math()?;
    lease.fees = add(lease.fees, fee).math()?;
    vault.reload()?;
    lease.invariant(vault.amount)?;
    config.invariant()?;
    Ok(LeaseSettled {
        lease: lease.key(),
        device,
        device_index,
        attested_before,
        attested_after: attested_seconds,
        paid: pay,
        fee,
        lease_paid_after: lease.paid,
        lease_fees_after: lease.fees,
        held_after: lease.held()?,
    })
}
