//! Events, emitted with `emit_cpi!` after each state change, carrying before/after values and the
//! inputs of every amount (rates, hours, fee rate, price) so an indexer never re-reads accounts.
use crate::state::EscrowParams;
use anchor_lang::prelude::*;

#[event]
pub struct EscrowInitialized {
    pub admin: Pubkey,
    pub usdc_mint: Pubkey,
    pub io_mint: Pubkey,
    pub usage_authority: Pubkey,
    pub price_authority: Pubkey,
    pub treasury_authority: Pubkey,
    pub params: EscrowParams,
}

#[event]
pub struct AdminProposed {
    pub admin: Pubkey,
    pub pending_admin: Pubkey,
}

#[event]
pub struct AdminAccepted {
    pub old_admin: Pubkey,
    pub new_admin: Pubkey,
}

#[event]
pub struct PausedSet {
    pub paused_before: bool,
    pub paused_after: bool,
}

#[event]
pub struct ParamsUpdated {
    pub before: EscrowParams,
    pub after: EscrowParams,
}

#[event]
pub struct AuthoritiesSet {
    pub usage_authority: Pubkey,
    pub price_authority: Pubkey,
    pub treasury_authority: Pubkey,
}

#[event]
pub struct PriceSet {
    pub usdc_per_io_before: u64,
    pub usdc_per_io_after: u64,
    pub ts: i64,
    /// The oracle report's period, 0 when written by the price authority.
    pub period: u64,
}

#[event]
pub struct OfferPosted {
    pub offer: Pubkey,
    pub operator: Pubkey,
    pub device: Pubkey,
    pub price_usdc_per_hour: u64,
    pub price_io_per_hour: u64,
    pub min_hours: u32,
    pub max_hours: u32,
}

#[event]
pub struct OfferWithdrawn {
    pub offer: Pubkey,
    pub device: Pubkey,
}

#[event]
pub struct LeaseOpened {
    pub lease: Pubkey,
    pub renter: Pubkey,
    pub payment_mint: Pubkey,
    pub devices: Vec<Pubkey>,
    pub rates_per_hour: Vec<u64>,
    pub hours: u32,
    /// Σ rate × hours.
    pub base: u64,
    /// ⌈base × fee_bps / 10_000⌉.
    pub fee_reserve: u64,
    pub deposit: u64,
    pub fee_bps: u16,
    pub start_ts: i64,
    pub end_ts: i64,
}

#[event]
pub struct LeaseToppedUp {
    pub lease: Pubkey,
    pub hours: u32,
    pub amount: u64,
    pub deposit_after: u64,
    pub end_before: i64,
    pub end_after: i64,
}

#[event]
pub struct LeaseSettled {
    pub lease: Pubkey,
    pub device: Pubkey,
    pub device_index: u8,
    pub attested_before: u64,
    pub attested_after: u64,
    pub paid: u64,
    pub fee: u64,
    pub lease_paid_after: u64,
    pub lease_fees_after: u64,
    pub held_after: u64,
}

#[event]
pub struct LeaseEnded {
    pub lease: Pubkey,
    pub end_before: i64,
    pub end_after: i64,
    pub refund: u64,
    pub held_after: u64,
    /// Tokens a third party had sent into the vault, passed on to the renter with the refund.
    pub excess_swept: u64,
}

#[event]
pub struct LeaseClosed {
    pub lease: Pubkey,
    pub deposit: u64,
    pub paid: u64,
    pub fees: u64,
    pub refunded: u64,
    pub final_refund: u64,
    /// Tokens a third party had sent into the vault, passed on to the renter with the refund.
    pub excess_swept: u64,
}

#[event]
pub struct BuybackBurned {
    pub usdc_spent: u64,
    /// $IO burned: the amount bought plus `donation_burned`.
    pub io_burned: u64,
    /// The feed's price used for the bound: USDC base units per whole $IO.
    pub usdc_per_io: u64,
    /// The least $IO the USDC had to buy.
    pub min_io: u64,
    pub total_usdc_spent: u64,
    pub total_io_burned: u64,
    pub buyback_count: u64,
    /// Of `io_burned`, the $IO a third party had sent into the buyback vault beforehand (burned
    /// with the buyback so that nothing stays behind in the vault; 0 normally).
    pub donation_burned: u64,
}
