use anchor_lang::prelude::*;

/// Every rejection of io_oracle. Codes are stable (6000 + position).
#[error_code]
pub enum OracleError {
    #[msg("the oracle program is paused")]
    Paused,
    #[msg("only the pending admin can accept the admin role")]
    NotPendingAdmin,
    #[msg("a parameter is out of range")]
    InvalidParams,
    #[msg("a set needs 1 to 8 distinct keys and a threshold above half of them")]
    InvalidSet,
    #[msg("the instruction before this one is not an Ed25519 signature check")]
    MissingEd25519Instruction,
    #[msg("the Ed25519 instruction data is malformed")]
    MalformedEd25519,
    #[msg("an Ed25519 signature's offsets point outside its own instruction")]
    ForeignOffsets,
    #[msg("a signature is over a different message")]
    MessageMismatch,
    #[msg("a signer is counted twice")]
    DuplicateSigner,
    #[msg("a signer is not a member of the oracle set")]
    NotAMember,
    #[msg("fewer valid signatures than the threshold")]
    QuorumNotReached,
    #[msg("the report names a set epoch that is neither current nor in its grace period")]
    StaleSetEpoch,
    #[msg("the report has expired")]
    ReportExpired,
    #[msg("the period is not after the last certified one")]
    PeriodNotAfterLast,
    #[msg("the period has not started yet")]
    FuturePeriod,
    #[msg("the report is already certified")]
    AlreadyCertified,
    #[msg("the rotation's timelock has not passed")]
    TimelockNotElapsed,
    #[msg("no rotation is pending")]
    NoPendingRotation,
    #[msg("the two messages are not a provable equivocation")]
    NotEquivocation,
    #[msg("the oracle is in the current or grace set: its bond cannot leave")]
    StillInSet,
    #[msg("the bond cooldown has not elapsed")]
    CooldownNotElapsed,
    #[msg("nothing to withdraw")]
    NothingToWithdraw,
    #[msg("the bond was slashed")]
    BondSlashed,
    #[msg("amount must be greater than zero")]
    ZeroAmount,
    #[msg("arithmetic overflow")]
    MathOverflow,
    #[msg("a member's live bond is below the minimum bond")]
    BondBelowMinimum,
    #[msg("the bond vault holds less than the bonds on the ledger")]
    VaultBelowLedger,
    #[msg("the current set holds a proven equivocator: only an admin rotation can replace it")]
    SetRevoked,
}
