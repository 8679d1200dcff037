use crate::{constants::*, error::EscrowError};
use anchor_lang::prelude::*;

/// Tunable parameters. Fees in bps, deposits in base units of their mint, durations in seconds.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct EscrowParams {
    /// Fee on what USDC leases pay providers (200 = 2%).
    pub usdc_fee_bps: u16,
    /// Fee on what $IO leases pay providers (0: $IO payments pay no fee).
    pub io_fee_bps: u16,
    /// Smallest deposit a USDC lease may open or top up with.
    pub min_deposit_usdc: u64,
    /// Smallest deposit an $IO lease may open or top up with.
    pub min_deposit_io: u64,
    /// Worst price a buyback may get, below the feed's price, in bps.
    pub max_buyback_slippage_bps: u16,
    /// Oldest price a buyback accepts.
    pub max_price_age_secs: i64,
    /// Time after a lease's end during which attested usage may still be settled before the
    /// rest of the deposit is refunded by `finalize_lease`; at least
    /// [`MIN_SETTLEMENT_GRACE_SECS`] so that the report covering the end can land first.
    pub settlement_grace_secs: i64,
}

impl EscrowParams {
    /// Defaults for the given mints' decimals: 2% USDC fee, no $IO fee, deposits of at least one
    /// whole token, 3% buyback slippage, 2-hour price age, 4-hour settlement grace (the report
    /// period holding the lease's end plus up to three hours of report lag). (Saturating: a
    /// client-side default, not consensus math.)
    pub fn defaults(io_decimals: u8, usdc_decimals: u8) -> EscrowParams {
        EscrowParams {
            usdc_fee_bps: 200,
            io_fee_bps: 0,
            min_deposit_usdc: 10u64.saturating_pow(u32::from(usdc_decimals)),
            min_deposit_io: 10u64.saturating_pow(u32::from(io_decimals)),
            max_buyback_slippage_bps: 300,
            max_price_age_secs: 2 * 3600,
            settlement_grace_secs: 4 * 3600,
        }
    }

    pub fn validate(&self) -> Result<()> {
        let dur = |d: i64| d > 0 && d <= MAX_DURATION_SECS;
        require!(
            self.usdc_fee_bps <= io_math::MAX_BPS
                && self.io_fee_bps <= io_math::MAX_BPS
                && self.max_buyback_slippage_bps <= io_math::MAX_BPS
                && self.min_deposit_usdc > 0
                && self.min_deposit_io > 0
                && dur(self.max_price_age_secs)
                && dur(self.settlement_grace_secs)
                && self.settlement_grace_secs >= MIN_SETTLEMENT_GRACE_SECS,
            EscrowError::InvalidParams
        );
        Ok(())
    }
}

/// The program's singleton, PDA `["escrow_config"]`: authority of every vault it keeps.
#[account]
#[derive(InitSpace, Debug)]
pub struct EscrowConfig {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
    pub paused: bool,
    /// The two payment mints: leases pay in one of them.
    pub usdc_mint: Pubkey,
    pub io_mint: Pubkey,
    /// Treasury vaults, PDA `["treasury", mint]`: fees collect here.
    pub treasury_usdc: Pubkey,
    pub treasury_io: Pubkey,
    /// $IO account of the config, PDA `["buyback_vault"]`, from which buybacks burn.
    pub buyback_vault: Pubkey,
    /// Attests lease usage (cumulative seconds per lease and device); the oracle quorum later.
    pub usage_authority: Pubkey,
    /// Writes the IO/USDC price feed; the oracle report later.
    pub price_authority: Pubkey,
    /// Spends treasury USDC on buybacks.
    pub treasury_authority: Pubkey,
    pub params: EscrowParams,
    pub leases_opened: u64,
    /// Σ fees charged, USDC base units (equals the USDC treasury's inflow).
    pub fees_usdc: u64,
    /// Σ fees charged on $IO leases (0 while the $IO fee is 0).
    pub fees_io: u64,
    /// Σ paid to providers, per mint.
    pub paid_usdc: u64,
    pub paid_io: u64,
    /// Σ refunded to renters, per mint.
    pub refunded_usdc: u64,
    pub refunded_io: u64,
    /// The public buyback ledger: Σ USDC spent, Σ $IO burned, number of buybacks.
    pub buyback_usdc_spent: u64,
    pub buyback_io_burned: u64,
    pub buyback_count: u64,
    pub bump: u8,
}

impl EscrowConfig {
    pub fn invariant(&self) -> Result<()> {
        self.params.validate()?;
        require!(self.usdc_mint != self.io_mint, EscrowError::InvalidParams);
        Ok(())
    }

    /// The fee of `mint`, or `UnlistedMint`.
    pub fn fee_bps(&self, mint: &Pubkey) -> Result<u16> {
        if *mint == self.usdc_mint {
            Ok(self.params.usdc_fee_bps)
        } else if *mint == self.io_mint {
            Ok(self.params.io_fee_bps)
        } else {
            err!(EscrowError::UnlistedMint)
        }
    }

    pub fn min_deposit(&self, mint: &Pubkey) -> Result<u64> {
        if *mint == self.usdc_mint {
            Ok(self.params.min_deposit_usdc)
        } else if *mint == self.io_mint {
            Ok(self.params.min_deposit_io)
        } else {
            err!(EscrowError::UnlistedMint)
        }
    }

    /// Adds a refund to the ledger of its mint.
    pub fn add_refund(&mut self, is_usdc: bool, amount: u64) -> Result<()> {
        let c = if is_usdc { &mut self.refunded_usdc } else { &mut self.refunded_io };
        *c = c.checked_add(amount).ok_or(EscrowError::MathOverflow)?;
        Ok(())
    }

    pub fn treasury(&self, mint: &Pubkey) -> Result<Pubkey> {
        if *mint == self.usdc_mint {
            Ok(self.treasury_usdc)
        } else if *mint == self.io_mint {
            Ok(self.treasury_io)
        } else {
            err!(EscrowError::UnlistedMint)
        }
    }
}

// The config PDA signs for every vault; its admin and pause rules are the kit's.
io_program_kit::program_config!(EscrowConfig, CONFIG_SEED);
