//! Leases: a renter opens a lease over 1..=8 devices (a cluster may span operators), deposits
//! Σ rate × hours plus the fee reserve, tops it up to extend it, and closes it at any time;
//! `finalize_lease` refunds the rest once the settlement grace period after its end has passed.
use super::{now, pay_in, pay_out, token_amount};
use crate::{
    constants::*,
    error::{EscrowError, MathResultExt},
    events::*,
    math,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, add_i64, mul, sub, Bps};
use io_staking::{Device, DeviceStatus};

fn hours_secs(hours: u32) -> Result<i64> {
    i64::try_from(mul(u64::from(hours), SECONDS_PER_HOUR).math()?)
        .map_err(|_| error!(EscrowError::MathOverflow))
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(nonce: u64)]
pub struct OpenLease<'info> {
    #[account(mut)]
    pub renter: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(constraint = payment_mint.key() == config.usdc_mint || payment_mint.key() == config.io_mint
        @ EscrowError::UnlistedMint)]
    pub payment_mint: Box<Account<'info, Mint>>,
    /// CHECK: created here by `io_program_kit` (a pre-funded address cannot block it).
    #[account(mut, seeds = [LEASE_SEED, renter.key().as_ref(), &nonce.to_le_bytes()], bump)]
    pub lease: UncheckedAccount<'info>,
    /// CHECK: created here as the lease's token vault of the payment mint, owned by the config.
    #[account(mut, seeds = [LEASE_VAULT_SEED, lease.key().as_ref()], bump)]
    pub vault: UncheckedAccount<'info>,
    #[account(mut, token::mint = payment_mint, token::authority = renter)]
    pub renter_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Opens a lease of `hours` hours over the devices given as remaining accounts, in pairs
/// `(offer [writable], device)`. Each offer must be active, accept the payment mint, allow
/// `hours`, and its device must be active and not held by another running lease. The deposit
/// (`Σ rate × hours` plus the fee reserve) may not exceed `max_deposit`, the renter's signed
/// bound from the quote it was shown: an operator re-pricing in between cannot take more.
pub fn handle_open_lease<'info>(
    ctx: Context<'info, OpenLease<'info>>,
    nonce: u64,
    hours: u32,
    max_deposit: u64,
) -> Result<()> {
    let ts = now()?;
    let mint = ctx.accounts.payment_mint.key();
    let is_usdc = mint == ctx.accounts.config.usdc_mint;
    let fee_bps = ctx.accounts.config.fee_bps(&mint)?;
    let rest = ctx.remaining_accounts;
    require!(rest.len().is_multiple_of(2), EscrowError::InvalidRemainingAccounts);
    let n = rest.len() / 2;
    require!((1..=MAX_LEASE_DEVICES).contains(&n), EscrowError::InvalidDeviceList);
    require!((1..=MAX_LEASE_HOURS).contains(&hours), EscrowError::HoursOutsideOffer);
    let lease_key = ctx.accounts.lease.key();
    let end_ts = add_i64(ts, hours_secs(hours)?).math()?;

    let mut devices: Vec<LeaseDevice> = Vec::with_capacity(n);
    let mut max_hours = u32::MAX;
    for pair in rest.chunks(2) {
        let (offer_info, device_info) = (&pair[0], &pair[1]);
        require!(offer_info.is_writable, EscrowError::InvalidRemainingAccounts);
        // `Account::try_from` checks owner and discriminator: a forged or foreign account fails.
        let mut offer: Account<Offer> = Account::try_from(offer_info)?;
        let device: Account<Device> = Account::try_from(device_info)?;
        require_keys_eq!(offer.device, device.key(), EscrowError::InvalidRemainingAccounts);
        require!(devices.iter().all(|d| d.device != device.key()), EscrowError::InvalidDeviceList);
        require!(device.status == DeviceStatus::Active, EscrowError::DeviceNotActive);
        require!(offer.active, EscrowError::OfferInactive);
        require!(offer.lease == Pubkey::default() || offer.leased_until <= ts, EscrowError::DeviceBusy);
        let rate = if is_usdc { offer.price_usdc_per_hour } else { offer.price_io_per_hour };
        require!(rate > 0, EscrowError::MintNotOffered);
        require!(hours >= offer.min_hours && hours <= offer.max_hours, EscrowError::HoursOutsideOffer);
        max_hours = max_hours.min(offer.max_hours);
        devices.push(LeaseDevice {
            device: device.key(),
            offer: offer.key(),
            operator_authority: offer.operator_authority,
            rate_per_hour: rate,
            attested_seconds: 0,
            paid: 0,
        });
        offer.lease = lease_key;
        offer.leased_until = end_ts;
        offer.exit(&crate::ID)?;
    }

    let rates: Vec<u64> = devices.iter().map(|d| d.rate_per_hour).collect();
    let (base, fee_reserve) = math::deposit_for(&rates, hours, Bps::new(fee_bps).math()?).math()?;
    let deposit = add(base, fee_reserve).math()?;
    require!(deposit >= ctx.accounts.config.min_deposit(&mint)?, EscrowError::DepositBelowMinimum);
    require!(deposit <= max_deposit, EscrowError::DepositAboveMaximum);

    let a = &ctx.accounts;
    let (payer, system) = (a.renter.to_account_info(), a.system_program.to_account_info());
    let renter_key = a.renter.key();
    let nonce_bytes = nonce.to_le_bytes();
    let vault_info = a.vault.to_account_info();
    io_program_kit::create_token_vault(
        &payer,
        &vault_info,
        &a.payment_mint.to_account_info(),
        &a.config.to_account_info(),
        &system,
        &a.token_program.to_account_info(),
        &[LEASE_VAULT_SEED, lease_key.as_ref(), &[ctx.bumps.vault]],
    )?;
    pay_in(&a.token_program, &a.renter_token, &vault_info, &a.payment_mint, &a.renter, deposit)?;
    let lease = Lease {
        renter: renter_key,
        nonce,
        payment_mint: mint,
        vault: a.vault.key(),
        fee_bps,
        start_ts: ts,
        end_ts,
        hours,
        max_hours,
        devices: devices.clone(),
        deposit,
        paid: 0,
        fees: 0,
        refunded: 0,
        status: LeaseStatus::Open,
        bump: ctx.bumps.lease,
        vault_bump: ctx.bumps.vault,
    };
    lease.invariant(token_amount(&vault_info)?)?;
    io_program_kit::create_program_account(
        &payer,
        &a.lease.to_account_info(),
        &system,
        &crate::ID,
        8 + Lease::INIT_SPACE,
        &[LEASE_SEED, renter_key.as_ref(), &nonce_bytes, &[ctx.bumps.lease]],
        &lease,
    )?;
    let config = &mut ctx.accounts.config;
    config.leases_opened = config.leases_opened.checked_add(1).ok_or(EscrowError::MathOverflow)?;
    config.invariant()?;
    let ev = LeaseOpened {
        lease: lease_key,
        renter: renter_key,
        payment_mint: mint,
        devices: devices.iter().map(|d| d.device).collect(),
        rates_per_hour: rates,
        hours,
        base,
        fee_reserve,
        deposit,
        fee_bps,
        start_ts: ts,
        end_ts,
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct TopUpLease<'info> {
    pub renter: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [LEASE_SEED, renter.key().as_ref(), &lease.nonce.to_le_bytes()], bump = lease.bump,
        has_one = renter, has_one = vault, has_one = payment_mint)]
    pub lease: Box<Account<'info, Lease>>,
    pub payment_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = payment_mint, token::authority = renter)]
    pub renter_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Extends an open lease by `hours`, depositing Σ rate × hours plus its fee reserve. The lease's
/// offers are passed as writable remaining accounts, in lease order, so the devices stay reserved.
pub fn handle_top_up_lease<'info>(mut ctx: Context<'info, TopUpLease<'info>>, hours: u32) -> Result<()> {
    let ts = now()?;
    let lease = &ctx.accounts.lease;
    require!(lease.status == LeaseStatus::Open, EscrowError::LeaseNotOpen);
    require!(ts < lease.end_ts, EscrowError::LeaseEnded);
    let total_hours = lease.hours.checked_add(hours).ok_or(EscrowError::MathOverflow)?;
    require!(hours >= 1 && total_hours <= lease.max_hours, EscrowError::HoursOutsideOffer);
    let rest = ctx.remaining_accounts;
    require!(rest.len() == lease.devices.len(), EscrowError::InvalidRemainingAccounts);
    let end_ts = add_i64(lease.end_ts, hours_secs(hours)?).math()?;
    let lease_key = lease.key();
    for (info, d) in rest.iter().zip(lease.devices.iter()) {
        require!(info.is_writable && info.key() == d.offer, EscrowError::InvalidRemainingAccounts);
        let mut offer: Account<Offer> = Account::try_from(info)?;
        require_keys_eq!(offer.lease, lease_key, EscrowError::DeviceBusy);
        offer.leased_until = end_ts;
        offer.exit(&crate::ID)?;
    }
    let rates: Vec<u64> = lease.devices.iter().map(|d| d.rate_per_hour).collect();
    let amount = math::deposit_total(&rates, hours, lease.fee_bps).math()?;
    require!(
        amount >= ctx.accounts.config.min_deposit(&lease.payment_mint)?,
        EscrowError::DepositBelowMinimum
    );
    let a = &ctx.accounts;
    let vault = a.vault.to_account_info();
    pay_in(&a.token_program, &a.renter_token, &vault, &a.payment_mint, &a.renter, amount)?;
    let a = &mut ctx.accounts;
    let lease = &mut a.lease;
    let end_before = lease.end_ts;
    lease.deposit = add(lease.deposit, amount).math()?;
    lease.hours = total_hours;
    lease.end_ts = end_ts;
    a.vault.reload()?;
    lease.invariant(a.vault.amount)?;
    let ev = LeaseToppedUp {
        lease: lease_key,
        hours,
        amount,
        deposit_after: lease.deposit,
        end_before,
        end_after: end_ts,
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct CloseLease<'info> {
    pub renter: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [LEASE_SEED, renter.key().as_ref(), &lease.nonce.to_le_bytes()], bump = lease.bump,
        has_one = renter, has_one = vault, has_one = payment_mint)]
    pub lease: Box<Account<'info, Lease>>,
    pub payment_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = payment_mint, token::authority = renter)]
    pub renter_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Ends an open lease now. What can no longer be owed — the unused time and its fee reserve — is
/// refunded at once, with anything a third party sent into the vault; what the elapsed time may
/// still owe stays until usage is settled and `finalize_lease` refunds the rest. Every offer of
/// the lease must be passed (writable, in lease order): each one this lease still holds is freed
/// now, so closing can never leave a device reserved for a lease that no longer runs.
pub fn handle_close_lease<'info>(mut ctx: Context<'info, CloseLease<'info>>) -> Result<()> {
    let ts = now()?;
    let lease_key = ctx.accounts.lease.key();
    let lease = &ctx.accounts.lease;
    require!(lease.status == LeaseStatus::Open, EscrowError::LeaseNotOpen);
    let end_ts = ts.clamp(lease.start_ts, lease.end_ts);
    let elapsed =
        u64::try_from(end_ts.saturating_sub(lease.start_ts)).map_err(|_| EscrowError::MathOverflow)?;
    // The most that can still be paid for the elapsed time, and the fee on it.
    let mut reserve_pay = 0u64;
    for d in &lease.devices {
        let max_owed = math::device_owed_floor(elapsed, d.rate_per_hour, lease.hours).math()?;
        reserve_pay = add(reserve_pay, max_owed.saturating_sub(d.paid)).math()?;
    }
    let fee = Bps::new(lease.fee_bps).math()?;
    let reserve_fee = math::fee_due_ceil(lease.paid, reserve_pay, lease.fees, fee).math()?;
    let held = lease.held()?;
    let refund = sub(held, add(reserve_pay, reserve_fee).math()?).math()?;
    free_offers(ctx.remaining_accounts, lease, &lease_key, end_ts)?;
    // A donation to the vault is the renter's: it leaves with the refund.
    let excess = sub(ctx.accounts.vault.amount, held).math()?;
    let a = &ctx.accounts;
    let out = add(refund, excess).math()?;
    pay_out(&a.token_program, &a.config, &a.vault, &a.renter_token, &a.payment_mint, out)?;
    let a = &mut ctx.accounts;
    let is_usdc = a.lease.payment_mint == a.config.usdc_mint;
    let config = &mut a.config;
    config.add_refund(is_usdc, refund)?;
    let lease = &mut a.lease;
    let end_before = lease.end_ts;
    lease.end_ts = end_ts;
    lease.refunded = add(lease.refunded, refund).math()?;
    lease.status = LeaseStatus::Ended;
    a.vault.reload()?;
    lease.invariant(a.vault.amount)?;
    let ev = LeaseEnded {
        lease: lease_key,
        end_before,
        end_after: end_ts,
        refund,
        held_after: lease.held()?,
        excess_swept: excess,
    };
    emit_cpi!(ev);
    Ok(())
}

/// Frees every device of `lease` at `until`: `offers` must be exactly the lease's offers, writable,
/// in lease order (`LeaseOffersMissing` otherwise). An offer already re-leased to another lease is
/// left as it is.
fn free_offers<'info>(
    offers: &'info [AccountInfo<'info>],
    lease: &Lease,
    lease_key: &Pubkey,
    until: i64,
) -> Result<()> {
    require!(offers.len() == lease.devices.len(), EscrowError::LeaseOffersMissing);
    for (info, d) in offers.iter().zip(lease.devices.iter()) {
        require!(info.is_writable && info.key() == d.offer, EscrowError::LeaseOffersMissing);
        let mut offer: Account<Offer> = Account::try_from(info)?;
        if offer.lease == *lease_key {
            offer.leased_until = offer.leased_until.min(until);
            offer.exit(&crate::ID)?;
        }
    }
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct FinalizeLease<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [LEASE_SEED, lease.renter.as_ref(), &lease.nonce.to_le_bytes()], bump = lease.bump,
        has_one = vault, has_one = payment_mint)]
    pub lease: Box<Account<'info, Lease>>,
    pub payment_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub vault: Box<Account<'info, TokenAccount>>,
    /// The renter's account of the payment mint: the refund can go nowhere else.
    #[account(mut, token::mint = payment_mint, token::authority = lease.renter)]
    pub renter_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Permissionless once `settlement_grace_secs` have passed since the lease's end: refunds what is
/// left, and anything a third party sent into the vault, and closes the lease for good
/// (payouts + fees + refunds == deposit). No device is still held by it: its offers were reserved
/// until its end (kept in step by top-ups), and a close freed every one of them.
pub fn handle_finalize_lease(mut ctx: Context<FinalizeLease>) -> Result<()> {
    let ts = now()?;
    let lease = &ctx.accounts.lease;
    require!(lease.status != LeaseStatus::Closed, EscrowError::LeaseClosed);
    let due = add_i64(lease.end_ts, ctx.accounts.config.params.settlement_grace_secs).math()?;
    require!(ts >= due, EscrowError::GraceNotElapsed);
    let refund = lease.held()?;
    let excess = sub(ctx.accounts.vault.amount, refund).math()?;
    let a = &ctx.accounts;
    let out = add(refund, excess).math()?;
    pay_out(&a.token_program, &a.config, &a.vault, &a.renter_token, &a.payment_mint, out)?;
    let a = &mut ctx.accounts;
    let is_usdc = a.lease.payment_mint == a.config.usdc_mint;
    let config = &mut a.config;
    config.add_refund(is_usdc, refund)?;
    let lease = &mut a.lease;
    lease.refunded = add(lease.refunded, refund).math()?;
    lease.status = LeaseStatus::Closed;
    a.vault.reload()?;
    lease.invariant(a.vault.amount)?;
    let ev = LeaseClosed {
        lease: lease.key(),
        deposit: lease.deposit,
        paid: lease.paid,
        fees: lease.fees,
        refunded: lease.refunded,
        final_refund: refund,
        excess_swept: excess,
    };
    emit_cpi!(ev);
    Ok(())
}
