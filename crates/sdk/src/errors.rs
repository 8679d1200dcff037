//! Every error a client meets, in plain words: the four programs' own tables, the Anchor
//! framework's account and constraint checks, and the SPL Token errors our transfers surface.
//!
//! A custom error code means something different in each program, so the program that raised it
//! picks the table. A program's table lists every variant in declaration order (code = 6000 +
//! position, checked by a test); its sentence is the variant's `#[msg]` and its name the variant's
//! identifier, both taken from the program crate, never retyped.
use crate::Program;
use anchor_lang::{error::ErrorCode as Anchor, prelude::Pubkey};
use io_escrow::error::EscrowError as E;
use io_oracle::error::OracleError as O;
use io_staking::error::StakingError as S;
use io_token::error::TokenError as T;
use serde::Serialize;
use solana_instruction::{error::InstructionError, Instruction};
use solana_transaction_error::TransactionError;

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
    S::InvalidWorkerKey,
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

/// The Anchor framework errors clients meet from our programs (account and constraint checks,
/// instruction decoding), with a sentence a user can act on where the framework's own message
/// is too terse; `None` keeps Anchor's `#[msg]`.
pub const FRAMEWORK: &[(Anchor, Option<&str>)] = &[
    (Anchor::InstructionMissing, None),
    (
        Anchor::InstructionFallbackNotFound,
        Some("the program has no such instruction (a client built for another version?)"),
    ),
    (
        Anchor::InstructionDidNotDeserialize,
        Some("the instruction's arguments could not be read (a client built for another version?)"),
    ),
    (Anchor::ConstraintMut, None),
    (Anchor::ConstraintHasOne, Some("this wallet is not the authority of that account")),
    (Anchor::ConstraintSigner, Some("a required signature is missing")),
    (Anchor::ConstraintRaw, None),
    (Anchor::ConstraintOwner, Some("an address is not the kind of account expected here")),
    (
        Anchor::ConstraintSeeds,
        Some("an account is not the one expected here (another wallet's operator, position or lease?)"),
    ),
    (Anchor::ConstraintAddress, Some("an account is not the one expected here")),
    (Anchor::ConstraintTokenMint, Some("a token account of the wrong mint")),
    (Anchor::ConstraintTokenOwner, Some("a token account that belongs to someone else")),
    (Anchor::ConstraintMintMintAuthority, None),
    (Anchor::ConstraintMintDecimals, None),
    (Anchor::ConstraintAssociated, None),
    // io-program-kit refuses to create an account that already exists with this code.
    (
        Anchor::AccountDiscriminatorAlreadySet,
        Some("that account already exists (the same lease nonce, evidence or id used twice?)"),
    ),
    (Anchor::AccountDiscriminatorNotFound, Some("an address is not the kind of account expected here")),
    (Anchor::AccountDiscriminatorMismatch, Some("an address is not the kind of account expected here")),
    (Anchor::AccountDidNotDeserialize, Some("an address is not the kind of account expected here")),
    (
        Anchor::AccountNotEnoughKeys,
        Some("the instruction lacks accounts (a client built for another version?)"),
    ),
    (Anchor::AccountNotMutable, None),
    (Anchor::AccountOwnedByWrongProgram, Some("an address is not the kind of account expected here")),
    (Anchor::InvalidProgramId, Some("a program account is not the program expected here")),
    (Anchor::AccountNotSigner, Some("a required signature is missing")),
    (Anchor::AccountNotSystemOwned, None),
    (
        Anchor::AccountNotInitialized,
        Some("an account does not exist (unknown operator, device, offer or lease?)"),
    ),
    (Anchor::AccountNotProgramData, None),
    (
        Anchor::AccountNotAssociatedTokenAccount,
        Some("a token account is not the owner's associated token account"),
    ),
    (Anchor::AccountSysvarMismatch, None),
    (Anchor::RequireViolated, None),
    (Anchor::DeclaredProgramIdMismatch, None),
];

/// The SPL Token errors our instructions surface when a transfer fails, in plain words.
const SPL_TOKEN: &[(u32, &str)] = &[
    (1, "not enough tokens in the account"),
    (3, "the token accounts are of different mints"),
    (4, "the token account's owner did not sign"),
    (17, "the token account is frozen"),
];

/// What a custom error code means, as the CLI prints it and the indexer's transaction endpoint
/// serves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgramErrorInfo {
    /// The program's name (`io_staking`, `spl_token`), or its address when it is not ours.
    pub program: String,
    pub code: u32,
    /// The error's identifier (`BelowMinimumStake`, `ConstraintSeeds`); `unknown` when no table
    /// has the code.
    pub name: String,
    /// The sentence for people.
    pub message: String,
}

fn from_table<X: Copy + std::fmt::Display + NameOf>(table: &[X], code: u32) -> Option<(String, String)> {
    let i = code.checked_sub(anchor_lang::error::ERROR_CODE_OFFSET)?;
    table.get(usize::try_from(i).ok()?).map(|e| (e.error_name(), e.to_string()))
}

/// The identifier of an `#[error_code]` variant (Anchor generates an inherent `name()`).
trait NameOf {
    fn error_name(&self) -> String;
}

macro_rules! name_of {
    ($($t:ty),*) => {$(
        impl NameOf for $t {
            fn error_name(&self) -> String {
                self.name()
            }
        }
    )*};
}
name_of!(S, E, T, O);

fn framework(code: u32) -> Option<(String, String)> {
    FRAMEWORK
        .iter()
        .find(|(e, _)| u32::from(*e) == code)
        .map(|(e, hint)| (e.name(), hint.map_or_else(|| e.to_string(), str::to_owned)))
}

/// The SPL Token error `code`: its name, and our sentence or else the token program's own message.
fn spl_token(code: u32) -> Option<(String, String)> {
    use anchor_spl::token::spl_token::error::TokenError;
    let e = TokenError::try_from(code).ok()?;
    let sentence =
        SPL_TOKEN.iter().find(|(c, _)| *c == code).map_or_else(|| e.to_string(), |(_, s)| (*s).to_owned());
    Some((format!("{e:?}"), sentence))
}

/// The meaning of custom error `code` raised by the program at `program_id`.
pub fn describe(program_id: &Pubkey, code: u32) -> ProgramErrorInfo {
    let program = Program::from_id(program_id);
    let own = match program {
        Some(Program::Staking) => from_table(STAKING, code),
        Some(Program::Escrow) => from_table(ESCROW, code),
        Some(Program::Oracle) => from_table(ORACLE, code),
        Some(Program::Token) => from_table(TOKEN, code),
        None if *program_id == anchor_spl::token::ID => spl_token(code),
        None => None,
    };
    // Framework codes are below 6000 and only Anchor programs raise them.
    let found = own.or_else(|| program.and_then(|_| framework(code)));
    let program_name = match program {
        Some(p) => p.name().to_owned(),
        None if *program_id == anchor_spl::token::ID => "spl_token".to_owned(),
        None => program_id.to_string(),
    };
    let (name, message) =
        found.unwrap_or_else(|| ("unknown".to_owned(), format!("the program refused it (error {code})")));
    ProgramErrorInfo { program: program_name, code, name, message }
}

/// The program error behind a failed transaction, when it is a custom code: `programs[i]` is
/// the program id of the transaction's instruction `i` (what the indexer's transaction endpoint
/// has from the stored transaction). `None` for any other failure.
pub fn describe_failure(err: &TransactionError, programs: &[Pubkey]) -> Option<ProgramErrorInfo> {
    match err {
        TransactionError::InstructionError(i, InstructionError::Custom(code)) => {
            let program = programs.get(usize::from(*i)).copied().unwrap_or_default();
            Some(describe(&program, *code))
        }
        _ => None,
    }
}

/// [`describe_failure`] for a transaction error as the RPC node serialises it
/// (`{"InstructionError":[1,{"Custom":6010}]}`), which is how the indexer stores it.
pub fn describe_failure_json(err: &serde_json::Value, programs: &[Pubkey]) -> Option<ProgramErrorInfo> {
    let pair = err.get("InstructionError")?.as_array()?;
    let index = u8::try_from(pair.first()?.as_u64()?).ok()?;
    let code = u32::try_from(pair.get(1)?.get("Custom")?.as_u64()?).ok()?;
    describe_failure(&TransactionError::InstructionError(index, InstructionError::Custom(code)), programs)
}

/// A refused transaction in plain words: the failing instruction's program picks the error
/// table.
pub fn explain(err: &TransactionError, ixs: &[Instruction]) -> String {
    let programs: Vec<Pubkey> = ixs.iter().map(|ix| ix.program_id).collect();
    if let Some(info) = describe_failure(err, &programs) {
        return info.message;
    }
    match err {
        TransactionError::InstructionError(_, InstructionError::InsufficientFunds) => {
            "not enough funds".into()
        }
        TransactionError::InstructionError(_, e) => format!("the program refused it: {e}"),
        TransactionError::InsufficientFundsForFee | TransactionError::AccountNotFound => {
            "the wallet has no SOL to pay the transaction fee".into()
        }
        e => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_order<X: Copy + Into<u32>>(table: &[X]) {
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

    /// The variants of the program's error enum, in declaration order, read from its source: the
    /// table must list exactly these, so a variant added to a program fails here until its table
    /// has it.
    fn declared(source: &str, enum_name: &str) -> Vec<String> {
        let body = source.split(&format!("pub enum {enum_name} {{")).nth(1).expect("the enum");
        let body = body.split("\n}").next().expect("its end");
        body.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("#[") && !l.starts_with("//") && !l.is_empty())
            .map(|l| l.trim_end_matches(',').to_owned())
            .collect()
    }

    fn names<X: NameOf>(table: &[X]) -> Vec<String> {
        table.iter().map(NameOf::error_name).collect()
    }

    #[test]
    fn tables_list_every_variant_of_the_program_source() {
        let staking = include_str!("../../../programs/io_staking/src/error.rs");
        let escrow = include_str!("../../../programs/io_escrow/src/error.rs");
        let oracle = include_str!("../../../programs/io_oracle/src/error.rs");
        let token = include_str!("../../../programs/io_token/src/error.rs");
        assert_eq!(names(STAKING), declared(staking, "StakingError"));
        assert_eq!(names(ESCROW), declared(escrow, "EscrowError"));
        assert_eq!(names(ORACLE), declared(oracle, "OracleError"));
        assert_eq!(names(TOKEN), declared(token, "TokenError"));
        for (p, len) in [
            (Program::Staking, STAKING.len()),
            (Program::Escrow, ESCROW.len()),
            (Program::Oracle, ORACLE.len()),
            (Program::Token, TOKEN.len()),
        ] {
            let past = 6000 + len as u32;
            assert_eq!(describe(&p.id(), past).name, "unknown", "{p}");
        }
    }

    #[test]
    fn program_errors_carry_name_and_msg() {
        let i = describe(&io_staking::ID, 6010);
        assert_eq!(
            i,
            ProgramErrorInfo {
                program: "io_staking".into(),
                code: 6010,
                name: "BelowMinimumStake".into(),
                message: "a stake position must be at least the minimum stake".into(),
            }
        );
        assert_eq!(describe(&io_staking::ID, 6034).message, S::InvalidPosition.to_string());
        assert_eq!(describe(&io_escrow::ID, 6032).name, "LeaseOffersMissing");
        assert_eq!(describe(&io_oracle::ID, 6027).message, O::SetRevoked.to_string());
        assert_eq!(describe(&io_token::ID, 6000).message, T::Paused.to_string());
        let json = serde_json::to_value(describe(&io_escrow::ID, 6000)).unwrap();
        assert_eq!(json["program"], "io_escrow");
        assert_eq!(json["name"], "Paused");
        assert_eq!(json["code"], 6000);
    }

    #[test]
    fn framework_codes_our_programs_raise() {
        let seeds = describe(&io_staking::ID, 2006);
        assert_eq!(seeds.name, "ConstraintSeeds");
        assert!(seeds.message.contains("not the one expected"));
        let exists = describe(&io_escrow::ID, 3000);
        assert_eq!(exists.name, "AccountDiscriminatorAlreadySet");
        assert!(exists.message.contains("already exists"));
        assert_eq!(describe(&io_token::ID, 3012).name, "AccountNotInitialized");
        // Without a hint the sentence is Anchor's own message.
        assert_eq!(describe(&io_oracle::ID, 2000).message, Anchor::ConstraintMut.to_string());
        let mut codes: Vec<u32> = FRAMEWORK.iter().map(|(e, _)| u32::from(*e)).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), FRAMEWORK.len(), "a framework code listed twice");
        assert!(codes.iter().all(|c| *c < 6000));
    }

    #[test]
    fn spl_token_and_foreign_programs() {
        let i = describe(&anchor_spl::token::ID, 1);
        assert_eq!((i.program.as_str(), i.name.as_str()), ("spl_token", "InsufficientFunds"));
        assert_eq!(i.message, "not enough tokens in the account");
        let other = describe(&anchor_spl::token::ID, 2);
        assert_eq!(other.name, "InvalidMint");
        assert!(!other.message.is_empty() && !other.message.contains("refused it"), "{}", other.message);
        let other = Pubkey::new_unique();
        let u = describe(&other, 2006);
        assert_eq!(u.program, other.to_string());
        assert_eq!(u.name, "unknown");
        assert_eq!(u.message, "the program refused it (error 2006)");
    }

    #[test]
    fn explains_a_refusal() {
        let ix = crate::oracle::set_paused(&Pubkey::new_unique(), true);
        let other = Instruction::new_with_bytes(Pubkey::new_unique(), &[], vec![]);
        let err = TransactionError::InstructionError(1, InstructionError::Custom(6000));
        assert_eq!(explain(&err, &[other.clone(), ix]), O::Paused.to_string());
        let fee = TransactionError::InsufficientFundsForFee;
        assert!(explain(&fee, &[]).contains("no SOL"));
        let gone = TransactionError::InstructionError(0, InstructionError::InsufficientFunds);
        assert_eq!(explain(&gone, &[other]), "not enough funds");
        let info = describe_failure(&err, &[Pubkey::new_unique(), io_oracle::ID]).unwrap();
        assert_eq!((info.program.as_str(), info.name.as_str()), ("io_oracle", "Paused"));
        assert_eq!(describe_failure(&TransactionError::AccountNotFound, &[]), None);
        let json: serde_json::Value =
            serde_json::from_str(r#"{"InstructionError":[1,{"Custom":6000}]}"#).unwrap();
        assert_eq!(describe_failure_json(&json, &[Pubkey::new_unique(), io_oracle::ID]), Some(info));
        let other: serde_json::Value =
            serde_json::from_str(r#"{"InstructionError":[0,"InvalidArgument"]}"#).unwrap();
        assert_eq!(describe_failure_json(&other, &[io_oracle::ID]), None);
        assert_eq!(describe_failure_json(&serde_json::json!("AccountNotFound"), &[]), None);
    }
}
