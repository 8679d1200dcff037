//! Offers: an operator posts, updates and withdraws offers for its active devices.
use super::now;
use crate::{constants::*, error::EscrowError, events::*, state::*};
use anchor_lang::prelude::*;
use io_staking::{Device, DeviceStatus, Operator};

#[event_cpi]
#[derive(Accounts)]
pub struct PostOffer<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    /// The io_staking operator of the signer (owner and discriminator checked by `Account`).
    #[account(has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(constraint = device.operator == operator.key() @ EscrowError::DeviceOperatorMismatch)]
    pub device: Box<Account<'info, Device>>,
    /// CHECK: the device's offer PDA: created here by `io_program_kit` on the first post (a
    /// pre-funded address cannot block it), read and rewritten as an `Offer` afterwards.
    #[account(mut, seeds = [OFFER_SEED, device.key().as_ref()], bump)]
    pub offer: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Posts or replaces the offer for an active device: price per device-hour in USDC and/or $IO
/// base units (0 = that mint not accepted), minimum and maximum hours. A running lease keeps the
/// rate it opened with.
pub fn handle_post_offer(
    ctx: Context<PostOffer>,
    price_usdc_per_hour: u64,
    price_io_per_hour: u64,
    min_hours: u32,
    max_hours: u32,
) -> Result<()> {
    let a = &ctx.accounts;
    require!(a.device.status == DeviceStatus::Active, EscrowError::DeviceNotActive);
    require!(
        min_hours >= 1 && min_hours <= max_hours && max_hours <= MAX_LEASE_HOURS,
        EscrowError::InvalidHours
    );
    require!(price_usdc_per_hour > 0 || price_io_per_hour > 0, EscrowError::NoPrice);
    let info = a.offer.to_account_info();
    let existing = super::load_if_owned::<Offer>(&info)?;
    let exists = existing.is_some();
    let mut offer = if let Some(offer) = existing {
        offer
    } else {
        Offer {
            operator: a.operator.key(),
            operator_authority: a.authority.key(),
            device: a.device.key(),
            price_usdc_per_hour: 0,
            price_io_per_hour: 0,
            min_hours: 0,
            max_hours: 0,
            active: false,
            lease: Pubkey::default(),
            leased_until: 0,
            updated_ts: 0,
            bump: ctx.bumps.offer,
        }
    };
    offer.operator_authority = a.authority.key();
    offer.price_usdc_per_hour = price_usdc_per_hour;
    offer.price_io_per_hour = price_io_per_hour;
    offer.min_hours = min_hours;
    offer.max_hours = max_hours;
    offer.active = true;
    offer.updated_ts = now()?;
    offer.invariant()?;
    if exists {
        super::store(&info, &offer)?;
    } else {
        let device = a.device.key();
        io_program_kit::create_program_account(
            &a.authority.to_account_info(),
            &info,
            &a.system_program.to_account_info(),
            &crate::ID,
            8 + Offer::INIT_SPACE,
            &[OFFER_SEED, device.as_ref(), &[ctx.bumps.offer]],
            &offer,
        )?;
    }
    let ev = OfferPosted {
        offer: info.key(),
        operator: offer.operator,
        device: offer.device,
        price_usdc_per_hour,
        price_io_per_hour,
        min_hours,
        max_hours,
    };
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct WithdrawOffer<'info> {
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ EscrowError::Paused)]
    pub config: Box<Account<'info, EscrowConfig>>,
    #[account(mut, seeds = [OFFER_SEED, offer.device.as_ref()], bump = offer.bump,
        constraint = offer.operator_authority == authority.key() @ EscrowError::DeviceOperatorMismatch)]
    pub offer: Box<Account<'info, Offer>>,
}

/// Stops new leases on the device; a running lease runs on.
pub fn handle_withdraw_offer(ctx: Context<WithdrawOffer>) -> Result<()> {
    let offer = &mut ctx.accounts.offer;
    require!(offer.active, EscrowError::OfferInactive);
    offer.active = false;
    offer.updated_ts = now()?;
    offer.invariant()?;
    emit_cpi!(OfferWithdrawn { offer: offer.key(), device: offer.device });
    Ok(())
}
