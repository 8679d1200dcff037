use crate::{constants::*, error::EscrowError};
use anchor_lang::prelude::*;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum LeaseStatus {
    /// Running: usage accrues, settlements pay, top-ups extend.
    Open,
    /// Ended early by the renter: the never-usable part was refunded; settlements for the time
    /// that did elapse may still arrive until `finalize_lease`.
    Ended,
    /// Finalized: payouts + fees + refunds == deposit, nothing more moves.
    Closed,
}

/// One device of a lease, with its rate snapshotted from the offer at opening.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct LeaseDevice {
    pub device: Pubkey,
    pub offer: Pubkey,
    /// Payee: the operator's wallet.
    pub operator_authority: Pubkey,
    /// Base units of the payment mint per device-hour.
    pub rate_per_hour: u64,
    /// Cumulative attested service seconds settled so far.
    pub attested_seconds: u64,
    /// Cumulative amount paid to the provider for this device.
    pub paid: u64,
}

/// A renter's lease over 1..=8 devices, PDA `["lease", renter, nonce (u64 LE)]`; its deposit sits
/// in the vault PDA `["lease_vault", lease]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Lease {
    pub renter: Pubkey,
    /// Chosen by the renter, so that two of its leases have two addresses.
    pub nonce: u64,
    pub payment_mint: Pubkey,
    pub vault: Pubkey,
    /// Fee rate snapshotted at opening, in bps.
    pub fee_bps: u16,
    pub start_ts: i64,
    /// When service ends: start + hours, later by top-ups, earlier by a close.
    pub end_ts: i64,
    /// Hours paid for in total (opening plus top-ups).
    pub hours: u32,
    /// The smallest `max_hours` of the offers at opening: top-ups may not pass it.
    pub max_hours: u32,
    #[max_len(MAX_LEASE_DEVICES)]
    pub devices: Vec<LeaseDevice>,
    /// Σ deposits (opening plus top-ups).
    pub deposit: u64,
    /// Σ paid to providers.
    pub paid: u64,
    /// Σ fees charged (to the treasury).
    pub fees: u64,
    /// Σ refunded to the renter.
    pub refunded: u64,
    pub status: LeaseStatus,
    pub bump: u8,
    pub vault_bump: u8,
}

impl Lease {
    /// What the vault must hold: deposits − paid − fees − refunded.
    pub fn held(&self) -> Result<u64> {
        self.deposit
            .checked_sub(self.paid)
            .and_then(|v| v.checked_sub(self.fees))
            .and_then(|v| v.checked_sub(self.refunded))
            .ok_or_else(|| error!(EscrowError::MathOverflow))
    }

    /// Seconds of service the lease has run at `now` (never past its end).
    pub fn elapsed(&self, now: i64) -> u64 {
        let until = now.min(self.end_ts);
        u64::try_from(until.saturating_sub(self.start_ts)).unwrap_or(0)
    }

    /// The vault holds at least [`Self::held`] (checked by handlers after every transfer): anyone
    /// can transfer tokens into it, so more is allowed, and that excess goes to the renter at
    /// close and finalization. The ledger never goes negative; a closed lease balances exactly.
    pub fn invariant(&self, vault_amount: u64) -> Result<()> {
        let held = self.held()?;
        require!(vault_amount >= held, EscrowError::MathOverflow);
        require!(
            !self.devices.is_empty()
                && self.devices.len() <= MAX_LEASE_DEVICES
                && self.end_ts >= self.start_ts,
            EscrowError::InvalidDeviceList
        );
        let paid: Option<u64> = self.devices.iter().try_fold(0u64, |acc, d| acc.checked_add(d.paid));
        require!(paid == Some(self.paid), EscrowError::MathOverflow);
        if self.status == LeaseStatus::Closed {
            require!(held == 0, EscrowError::MathOverflow);
        }
        Ok(())
    }
}
