use crate::error::EscrowError;
use anchor_lang::prelude::*;

/// An operator's standing offer for one active device, PDA `["offer", device]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Offer {
    /// The io_staking operator account.
    pub operator: Pubkey,
    /// The operator's wallet: payouts go to its token accounts.
    pub operator_authority: Pubkey,
    /// The io_staking device account.
    pub device: Pubkey,
    /// Price per device-hour in USDC base units; 0 = USDC not accepted.
    pub price_usdc_per_hour: u64,
    /// Price per device-hour in $IO base units; 0 = $IO not accepted.
    pub price_io_per_hour: u64,
    pub min_hours: u32,
    pub max_hours: u32,
    /// False once withdrawn: no new lease; a running lease is unaffected.
    pub active: bool,
    /// The lease holding the device, `Pubkey::default()` when none ever did.
    pub lease: Pubkey,
    /// The device is exclusive to `lease` until this time.
    pub leased_until: i64,
    pub updated_ts: i64,
    pub bump: u8,
}

impl Offer {
    pub fn invariant(&self) -> Result<()> {
        require!(
            self.min_hours >= 1
                && self.min_hours <= self.max_hours
                && self.max_hours <= crate::MAX_LEASE_HOURS,
            EscrowError::InvalidHours
        );
        require!(self.price_usdc_per_hour > 0 || self.price_io_per_hour > 0, EscrowError::NoPrice);
        Ok(())
    }
}
