//! Program errors in plain sentences. A failed simulation names the instruction and a custom code;
//! the code means something different in each program, so the program of that instruction picks
//! the table. Tables list every variant in declaration order (code = 6000 + position, checked by a
//! test), and the sentence is the variant's `#[msg]`.
use anchor_lang::prelude::Pubkey;
use io_escrow::error::EscrowError as E;
use io_oracle::error::OracleError as O;
use io_staking::error::StakingError as S;
use io_token::error::TokenError as T;

pub const STAKING: &[S] = &[
    S::Paused,
    S::NotPendingAdmin,
    S::InvalidParams,
    S::InvalidName,
    S::InvalidRegion,
    S::UrlTooLong,
    S::CommissionAboveCap,
    S::CommissionChangeTooLarge,
    S::CommissionChangeTooSoon,
    S::ZeroAmount,
    S::BelowMinimumStake,
    S::UnstakeLeavesBelowMinimum,
    S::InsufficientStake,
    S::TooManyPendingUnstakes,
    S::CooldownNotElapsed,
    S::NothingToWithdraw,
    S::NothingToClaim,
    S::BondBelowRequired,
    S::InsufficientBond,
    S::InsufficientBondBalance,
    S::NoBondWithdrawalPending,
    S::InvalidDeviceSpec,
    S::InvalidDeviceStatus,
    S::AppealWindowOpen,
    S::AppealWindowClosed,
    S::SlashNotPending,
    S::PoolDepleted,
    S::MathOverflow,
    S::ReportNotCertified,
    S::InvalidProof,
    S::StaleReport,
    S::ClassMismatch,
    S::SlashPending,
    S::VaultBelowLedger,
    S::InvalidPosition,
];

pub const ESCROW: &[E] = &[
    E::Paused,
    E::NotPendingAdmin,
    E::InvalidParams,
    E::UnlistedMint,
    E::DeviceNotActive,
    E::DeviceOperatorMismatch,
    E::InvalidHours,
    E::NoPrice,
    E::OfferInactive,
    E::DeviceBusy,
    E::MintNotOffered,
    E::HoursOutsideOffer,
    E::InvalidDeviceList,
    E::InvalidRemainingAccounts,
    E::DepositBelowMinimum,
    E::LeaseNotOpen,
    E::LeaseEnded,
    E::LeaseClosed,
    E::GraceNotElapsed,
    E::InvalidDeviceIndex,
    E::AttestedBeyondElapsed,
    E::NothingToSettle,
    E::WrongPayee,
    E::PriceStale,
    E::BuybackBelowPrice,
    E::ZeroAmount,
    E::MathOverflow,
    E::ReportNotCertified,
    E::InvalidProof,
    E::StaleReport,
    E::DepositAboveMaximum,
    E::PriceChangeTooLarge,
    E::LeaseOffersMissing,
];

pub const TOKEN: &[T] = &[
    T::Paused,
    T::NotPendingAdmin,
    T::InvalidParams,
    T::ZeroAmount,
    T::GenesisDone,
    T::GenesisNotDone,
    T::SupplyCapExceeded,
    T::NothingToEmit,
    T::NotVestingBucket,
    T::InvalidSchedule,
    T::BucketExhausted,
    T::NothingVested,
    T::InvalidExpiry,
    T::AirdropExpired,
    T::AirdropNotExpired,
    T::AirdropClosed,
    T::AlreadyClaimed,
    T::InvalidProof,
    T::ClaimIndexOutOfRange,
    T::CampaignExhausted,
    T::UnauthorizedBurnReason,
    T::BurnReasonNotReserved,
    T::InsufficientRewards,
    T::MathOverflow,
];

pub const ORACLE: &[O] = &[
    O::Paused,
    O::NotPendingAdmin,
    O::InvalidParams,
    O::InvalidSet,
    O::MissingEd25519Instruction,
    O::MalformedEd25519,
    O::ForeignOffsets,
    O::MessageMismatch,
    O::DuplicateSigner,
    O::NotAMember,
    O::QuorumNotReached,
    O::StaleSetEpoch,
    O::ReportExpired,
    O::PeriodNotAfterLast,
    O::FuturePeriod,
    O::AlreadyCertified,
    O::TimelockNotElapsed,
    O::NoPendingRotation,
    O::NotEquivocation,
    O::StillInSet,
    O::CooldownNotElapsed,
    O::NothingToWithdraw,
    O::BondSlashed,
    O::ZeroAmount,
    O::MathOverflow,
    O::BondBelowMinimum,
    O::VaultBelowLedger,
    O::SetRevoked,
];

fn from_table<T: Copy + std::fmt::Display>(table: &[T], code: u32) -> Option<String> {
    let i = code.checked_sub(anchor_lang::error::ERROR_CODE_OFFSET)?;
    table.get(i as usize).map(|e| e.to_string())
}

/// The sentence for custom error `code` raised by `program`.
pub fn describe(program: &Pubkey, code: u32) -> String {
    let from_program = if *program == io_staking::ID {
        from_table(STAKING, code)
    } else if *program == io_escrow::ID {
        from_table(ESCROW, code)
    } else if *program == io_oracle::ID {
        from_table(ORACLE, code)
    } else if *program == io_token::ID {
        from_table(TOKEN, code)
    } else if *program == anchor_spl::token::ID {
        spl_token_error(code)
    } else {
        None
    };
    from_program
        .or_else(|| framework_error(code))
        .unwrap_or_else(|| format!("the program refused it (error {code})"))
}

fn spl_token_error(code: u32) -> Option<String> {
    Some(
        match code {
            1 => "not enough tokens in the account",
            3 => "the token accounts are of different mints",
            4 => "the token account's owner did not sign",
            17 => "the token account is frozen",
            _ => return None,
        }
        .to_string(),
    )
}

/// Anchor's own account and constraint checks, in the words a user can act on.
fn framework_error(code: u32) -> Option<String> {
    use anchor_lang::error::ErrorCode as A;
    let s = match code {
        c if c == u32::from(A::ConstraintHasOne) => "this wallet is not the authority of that account",
        c if c == u32::from(A::ConstraintSeeds) => {
            "an account is not the one expected here (another wallet's operator, position or lease?)"
        }
        c if c == u32::from(A::AccountNotInitialized) => {
            "an account does not exist (unknown operator, device, offer or lease?)"
        }
        c if c == u32::from(A::AccountDiscriminatorMismatch)
            || c == u32::from(A::AccountOwnedByWrongProgram) =>
        {
            "an address is not the kind of account expected here"
        }
        c if c == u32::from(A::ConstraintTokenMint) => "a token account of the wrong mint",
        c if c == u32::from(A::ConstraintTokenOwner) => "a token account that belongs to someone else",
        c if c == u32::from(A::AccountNotSigner) => "a required signature is missing",
        // io-program-kit refuses to create an account that already exists with this code.
        c if c == u32::from(A::AccountDiscriminatorAlreadySet) => {
            "that account already exists (the same lease nonce, evidence or id used twice?)"
        }
        _ => return None,
    };
    Some(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_order<T: Copy + Into<u32>>(table: &[T]) {
        for (i, e) in table.iter().enumerate() {
            assert_eq!(
                (*e).into(),
                anchor_lang::error::ERROR_CODE_OFFSET + i as u32,
                "entry {i} out of order"
            );
        }
    }

    #[test]
    fn tables_follow_declaration_order() {
        in_order(STAKING);
        in_order(ESCROW);
        in_order(ORACLE);
        in_order(TOKEN);
    }

    #[test]
    fn sentences() {
        assert_eq!(describe(&io_staking::ID, 6010), "a stake position must be at least the minimum stake");
        assert_eq!(describe(&anchor_spl::token::ID, 1), "not enough tokens in the account");
        assert!(describe(&io_staking::ID, 2006).contains("not the one expected"));
        // The errors the hardening appended have their sentences too.
        assert_eq!(describe(&io_staking::ID, 6034), S::InvalidPosition.to_string());
        assert_eq!(describe(&io_escrow::ID, 6032), E::LeaseOffersMissing.to_string());
        assert_eq!(describe(&io_oracle::ID, 6027), O::SetRevoked.to_string());
        assert!(describe(&io_escrow::ID, 3000).contains("already exists"));
    }
}
