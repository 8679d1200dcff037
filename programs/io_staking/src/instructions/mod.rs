//! Instruction handlers, grouped by the actor that signs them.
pub mod admin;
pub mod device;
pub mod operator;
pub mod rewards;
pub mod slash;
pub mod staker;

pub use admin::*;
pub use device::*;
pub use operator::*;
pub use rewards::*;
pub use slash::*;
pub use staker::*;

// The vault transfers every program shares (zero amounts move nothing).
pub(crate) use io_program_kit::{now, pay_in, pay_out};

use anchor_lang::prelude::*;

/// F-11: a vault must hold at least what its ledger owes. Reads the balance from the account's
/// current data (after this instruction's transfers and burns, which a deserialized `Account`
/// would not show). More is fine: a third party's donation stays in the vault as surplus that no
/// ledger counts and no instruction pays out, so it can never block or skew anything.
pub(crate) fn require_vault_covers(vault: &AccountInfo, ledger: u64) -> Result<()> {
    let held = io_program_kit::token_amount(vault)?;
    require!(held >= ledger, crate::error::StakingError::VaultBelowLedger);
    Ok(())
}
