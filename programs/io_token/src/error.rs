use anchor_lang::prelude::*;
use io_math::MathError;

/// Every rejection of io_token. Codes are stable (6000 + position): clients map them to text.
#[error_code]
pub enum TokenError {
    #[msg("the token program is paused")]
    Paused,
    #[msg("only the pending admin can accept the admin role")]
    NotPendingAdmin,
    #[msg("a parameter is out of range")]
    InvalidParams,
    #[msg("amount must be greater than zero")]
    ZeroAmount,
    #[msg("genesis has already been minted")]
    GenesisDone,
    #[msg("genesis has not been minted yet")]
    GenesisNotDone,
    #[msg("the mint would pass the maximum supply")]
    SupplyCapExceeded,
    #[msg("no full emission hour is due")]
    NothingToEmit,
    #[msg("this bucket does not vest")]
    NotVestingBucket,
    #[msg("vesting schedule times are invalid")]
    InvalidSchedule,
    #[msg("the bucket does not hold that much unallocated")]
    BucketExhausted,
    #[msg("nothing has vested beyond what was claimed")]
    NothingVested,
    #[msg("the expiry must be in the future")]
    InvalidExpiry,
    #[msg("the airdrop campaign has expired")]
    AirdropExpired,
    #[msg("the airdrop campaign has not expired yet")]
    AirdropNotExpired,
    #[msg("the airdrop campaign is already closed")]
    AirdropClosed,
    #[msg("this airdrop leaf was already claimed")]
    AlreadyClaimed,
    #[msg("the Merkle proof does not match the campaign root")]
    InvalidProof,
    #[msg("claim index is beyond the campaign's bitmap")]
    ClaimIndexOutOfRange,
    #[msg("claims would pass the campaign's total")]
    CampaignExhausted,
    #[msg("this burn reason is reserved to its burn authority")]
    UnauthorizedBurnReason,
    #[msg("this burn reason has no authority to set")]
    BurnReasonNotReserved,
    #[msg("the rewards vault does not hold that much")]
    InsufficientRewards,
    #[msg("arithmetic overflow")]
    MathOverflow,
}

impl From<MathError> for TokenError {
    fn from(_: MathError) -> Self {
        TokenError::MathOverflow
    }
}

/// Lifts a [`MathError`] into this program's error.
pub trait MathResultExt<T> {
    fn math(self) -> Result<T>;
}

impl<T> MathResultExt<T> for core::result::Result<T, MathError> {
    fn math(self) -> Result<T> {
        self.map_err(|e| anchor_lang::error::Error::from(TokenError::from(e)))
    }
}
