use anchor_lang::prelude::*;
use io_math::MathError;

/// Every rejection of io_escrow. Codes are stable (6000 + position).
#[error_code]
pub enum EscrowError {
    #[msg("the escrow program is paused")]
    Paused,
    #[msg("only the pending admin can accept the admin role")]
    NotPendingAdmin,
    #[msg("a parameter is out of range")]
    InvalidParams,
    #[msg("this mint is not accepted for payment")]
    UnlistedMint,
    #[msg("the device is not active")]
    DeviceNotActive,
    #[msg("the device does not belong to this operator")]
    DeviceOperatorMismatch,
    #[msg("offer hours must satisfy 1 <= min <= max <= 8760")]
    InvalidHours,
    #[msg("an offer needs a price in at least one payment mint")]
    NoPrice,
    #[msg("the offer is withdrawn")]
    OfferInactive,
    #[msg("the device is leased until its current lease ends")]
    DeviceBusy,
    #[msg("the offer does not accept this payment mint")]
    MintNotOffered,
    #[msg("the lease hours are outside the offer's minimum and maximum")]
    HoursOutsideOffer,
    #[msg("a lease takes 1 to 8 devices, each once")]
    InvalidDeviceList,
    #[msg("remaining accounts must be (offer, device) pairs of this program's offers")]
    InvalidRemainingAccounts,
    #[msg("the deposit is below the minimum lease deposit")]
    DepositBelowMinimum,
    #[msg("the lease is not open")]
    LeaseNotOpen,
    #[msg("the lease has ended")]
    LeaseEnded,
    #[msg("the lease is already closed")]
    LeaseClosed,
    #[msg("the settlement grace period after the lease end has not passed")]
    GraceNotElapsed,
    #[msg("device index is outside the lease")]
    InvalidDeviceIndex,
    #[msg("attested seconds exceed the seconds elapsed in the lease")]
    AttestedBeyondElapsed,
    #[msg("nothing to settle: no new attested seconds")]
    NothingToSettle,
    #[msg("the payee account does not belong to the device's operator")]
    WrongPayee,
    #[msg("the price feed has no price or is stale")]
    PriceStale,
    #[msg("the $IO burned is below what the USDC buys at the attested price less slippage")]
    BuybackBelowPrice,
    #[msg("amount must be greater than zero")]
    ZeroAmount,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("the oracle report is not certified")]
    ReportNotCertified,
    #[msg("the Merkle proof does not match the report's root")]
    InvalidProof,
    #[msg("the price feed already holds a price as new as this one or newer")]
    StaleReport,
    #[msg("the deposit exceeds the maximum the renter signed for")]
    DepositAboveMaximum,
    #[msg("the price moves more than the price authority may move it in the time since the last price")]
    PriceChangeTooLarge,
    #[msg("the lease's offers must all be passed, writable, in lease order")]
    LeaseOffersMissing,
}

impl From<MathError> for EscrowError {
    fn from(_: MathError) -> Self {
        EscrowError::MathOverflow
    }
}

pub trait MathResultExt<T> {
    fn math(self) -> Result<T>;
}

impl<T> MathResultExt<T> for core::result::Result<T, MathError> {
    fn math(self) -> Result<T> {
        self.map_err(|e| anchor_lang::error::Error::from(EscrowError::from(e)))
    }
}
