use anchor_lang::prelude::*;
use io_math::MathError;

/// Every rejection of io_staking. Codes are stable (6000 + position): clients map them to text.
#[error_code]
pub enum StakingError {
    #[msg("the staking program is paused")]
    Paused,
    #[msg("only the pending admin can accept the admin role")]
    NotPendingAdmin,
    #[msg("a parameter is out of range")]
    InvalidParams,
    #[msg("name must be 1 to 32 bytes")]
    InvalidName,
    #[msg("region must be 1 to 16 bytes")]
    InvalidRegion,
    #[msg("metadata URL must be at most 128 bytes")]
    UrlTooLong,
    #[msg("commission is above the cap")]
    CommissionAboveCap,
    #[msg("commission change is larger than allowed per epoch")]
    CommissionChangeTooLarge,
    #[msg("a commission change was already requested this epoch")]
    CommissionChangeTooSoon,
    #[msg("amount must be greater than zero")]
    ZeroAmount,
    #[msg("a stake position must be at least the minimum stake")]
    BelowMinimumStake,
    #[msg("an unstake must leave zero or at least the minimum stake")]
    UnstakeLeavesBelowMinimum,
    #[msg("amount is more than the position holds")]
    InsufficientStake,
    #[msg("the position already has the maximum number of pending unstakes")]
    TooManyPendingUnstakes,
    #[msg("the cooldown has not elapsed")]
    CooldownNotElapsed,
    #[msg("nothing to withdraw")]
    NothingToWithdraw,
    #[msg("nothing to claim")]
    NothingToClaim,
    #[msg("the bond left would be below what the active devices require")]
    BondBelowRequired,
    #[msg("the operator's bond does not cover this device")]
    InsufficientBond,
    #[msg("amount is more than the bond holds")]
    InsufficientBondBalance,
    #[msg("no bond withdrawal is pending")]
    NoBondWithdrawalPending,
    #[msg("device specification is invalid for its hardware class")]
    InvalidDeviceSpec,
    #[msg("the device is not in a status that allows this")]
    InvalidDeviceStatus,
    #[msg("the slash is still inside its appeal window")]
    AppealWindowOpen,
    #[msg("the slash's appeal window has closed")]
    AppealWindowClosed,
    #[msg("the slash is not pending")]
    SlashNotPending,
    #[msg("the operator's pool was slashed to zero and takes no new stake")]
    PoolDepleted,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("the oracle report is not certified")]
    ReportNotCertified,
    #[msg("the Merkle proof does not match the report's root")]
    InvalidProof,
    #[msg("a newer report was already applied")]
    StaleReport,
    #[msg("the attested hardware class differs from the declared one")]
    ClassMismatch,
    #[msg("a slash is pending against the operator: its bond and unstaked $IO stay until it is cancelled or executed")]
    SlashPending,
    #[msg("a vault holds less than its ledger says")]
    VaultBelowLedger,
    #[msg("a listed position is not a writable position of this operator, or is listed twice")]
    InvalidPosition,
    #[msg("the worker key must be a real key, not the default address")]
    InvalidWorkerKey,
}

impl From<MathError> for StakingError {
    fn from(e: MathError) -> Self {
        match e {
            MathError::EmptyPool => StakingError::PoolDepleted,
            _ => StakingError::MathOverflow,
        }
    }
}

/// Lifts a [`MathError`] into this program's error.
pub trait MathResultExt<T> {
    fn math(self) -> Result<T>;
}

impl<T> MathResultExt<T> for core::result::Result<T, MathError> {
    fn math(self) -> Result<T> {
        self.map_err(|e| anchor_lang::error::Error::from(StakingError::from(e)))
    }
}
