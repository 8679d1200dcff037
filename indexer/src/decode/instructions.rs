//! The instruction table: every instruction of the four programs by (program, Anchor
//! discriminator), named as in the program (`stake`, `open_lease`, …). The discriminators come
//! from the program crates' own `instruction` types, so a renamed instruction fails to compile
//! here; a test checks the table against the `#[program]` modules.
use super::Program;
use anchor_lang::Discriminator;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One instruction of one of our programs, found in a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedInstruction {
    /// `"{outer}"` for an outer instruction, `"{outer}.{inner}"` for an inner one.
    pub ix_path: String,
    pub program: Program,
    /// The instruction's name; `None` when the data carries no known discriminator.
    pub name: Option<&'static str>,
}

impl DecodedInstruction {
    /// `{"path": "0.1", "program": "io_token", "name": "burn"}` (`name` null when unknown).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "path": self.ix_path, "program": self.program.name(), "name": self.name })
    }
}

/// The stored form of a transaction's instructions: a JSON array of [`DecodedInstruction::to_json`].
pub fn list_json(list: &[DecodedInstruction]) -> String {
    serde_json::Value::Array(list.iter().map(DecodedInstruction::to_json).collect()).to_string()
}

macro_rules! instruction_table {
    ($($prog:ident => $variant:ident [ $($ix:ident),* $(,)? ];)*) => {
        /// (program, type name, discriminator) of every instruction.
        static RAW: &[(Program, &str, &[u8])] = &[
            $($((Program::$variant, stringify!($ix), <$prog::instruction::$ix as Discriminator>::DISCRIMINATOR),)*)*
        ];
    };
}

instruction_table! {
io_staking => Staking [
    Initialize, ProposeAdmin, AcceptAdmin, SetPaused, UpdateParams, SetAuthorities, RegisterOperator,
    UpdateOperator, RequestCommissionChange, AddBond, RequestBondWithdrawal, WithdrawBond, ClaimCommission,
    RegisterDevice, DeregisterDevice, BindWorker, ActivateDevice, JailDevice, ApplyDeviceReport, Stake, Unstake, Withdraw,
    ClaimRewards, FundOperatorRewards, ClaimOperatorRewards, ProposeSlash, ProposeSlashFromReport, CancelSlash,
    ExecuteSlash,
];
io_token => Token [
    Initialize, ProposeAdmin, AcceptAdmin, SetPaused, SetBurnAuthority, SetRewardsDistributor, Genesis,
    CreateVesting, CreateAirdrop, ClaimVested, ClaimAirdrop, CloseAirdrop, Emit, Burn, WithdrawRewards,
];
io_escrow => Escrow [
    Initialize, ProposeAdmin, AcceptAdmin, SetPaused, UpdateParams, SetAuthorities, SetPrice, PostOffer,
    WithdrawOffer, OpenLease, TopUpLease, CloseLease, FinalizeLease, Settle, SettleAttested, PriceFromReport,
    BuybackBurn,
];
io_oracle => Oracle [
    Initialize, ProposeAdmin, AcceptAdmin, SetPaused, UpdateParams, ProposeRotation, CancelRotation,
    ExecuteRotation, RotateByQuorum, PostBond, RequestBondWithdrawal, WithdrawBond, PostReport, CertifyReport, ProveEquivocation,
];
}

static TABLE: LazyLock<HashMap<(Program, [u8; 8]), &'static str>> = LazyLock::new(|| {
    RAW.iter()
        .filter_map(|&(program, name, disc)| {
            let disc = <[u8; 8]>::try_from(disc).ok()?;
            // Leaked once per instruction type (76 short strings) for `&'static` names.
            Some(((program, disc), &*Box::leak(super::json::snake_case(name).into_boxed_str())))
        })
        .collect()
});

/// The name of the instruction `data` of `program` calls.
pub fn name(program: Program, data: &[u8]) -> Option<&'static str> {
    let disc = <[u8; 8]>::try_from(data.get(..8)?).ok()?;
    TABLE.get(&(program, disc)).copied()
}

/// Every instruction name of `program`.
pub fn names(program: Program) -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter(move |((p, _), _)| *p == program).map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `pub fn` names of a `#[program]` module.
    fn program_fns(src: &str) -> Vec<String> {
        let body = &src[src.find("#[program]").expect("#[program] module")..];
        body.lines()
            .filter_map(|l| l.trim().strip_prefix("pub fn "))
            .map(|rest| rest.split(['(', '<']).next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn every_instruction_of_every_program_has_an_entry() {
        for (program, src) in [
            (Program::Staking, include_str!("../../../programs/io_staking/src/lib.rs")),
            (Program::Token, include_str!("../../../programs/io_token/src/lib.rs")),
            (Program::Escrow, include_str!("../../../programs/io_escrow/src/lib.rs")),
            (Program::Oracle, include_str!("../../../programs/io_oracle/src/lib.rs")),
        ] {
            let mut want = program_fns(src);
            let mut have: Vec<String> = names(program).map(str::to_owned).collect();
            want.sort();
            have.sort();
            assert_eq!(have, want, "{}", program.name());
        }
    }

    #[test]
    fn names_come_from_the_discriminator() {
        let data = io_sdk::staking::stake(
            &io_sdk::Pubkey::new_unique(),
            &io_sdk::Pubkey::new_unique(),
            &io_sdk::Pubkey::new_unique(),
            &io_sdk::Pubkey::new_unique(),
            1,
        )
        .data;
        assert_eq!(name(Program::Staking, &data), Some("stake"));
        assert_eq!(name(Program::Escrow, &data), None, "another program's discriminator");
        assert_eq!(name(Program::Staking, &data[..4]), None);
    }
}
