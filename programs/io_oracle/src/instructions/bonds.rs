//! Oracle bonds: posted by each oracle key, withdrawn after a cooldown once the key is in
//! neither the current set nor the previous one in its grace period. A key that may still sign
//! can neither request nor complete a withdrawal, so a member always has its bond at stake.
use super::{load, now, pay_in, pay_out, store};
use crate::{constants::*, error::OracleError, events::*, state::*};
use anchor_lang::{prelude::*, solana_program::system_program};
use anchor_spl::token::{Mint, Token, TokenAccount};

/// `post_bond`: the same accounts as [`BondAction`], but the bond account may not exist yet.
#[event_cpi]
#[derive(Accounts)]
pub struct PostBond<'info> {
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = bond_vault,
        constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    /// CHECK: the oracle's bond; created here through io-program-kit on first use (a pre-funded
    /// address cannot block it), otherwise read as an `OracleBond` (owner and discriminator).
    #[account(mut, seeds = [BOND_SEED, oracle.key().as_ref()], bump)]
    pub bond: UncheckedAccount<'info>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub oracle_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// `request_bond_withdrawal` and `withdraw_bond`. The system program is unused here; it is kept
/// so that the three bond instructions take one account list.
#[event_cpi]
#[derive(Accounts)]
pub struct BondAction<'info> {
    #[account(mut)]
    pub oracle: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = bond_vault,
        constraint = config.is_live() @ OracleError::Paused)]
    pub config: Box<Account<'info, OracleConfig>>,
    #[account(mut, seeds = [BOND_SEED, oracle.key().as_ref()], bump = bond.bump)]
    pub bond: Box<Account<'info, OracleBond>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub oracle_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
}

/// Reads the bond at `info`, or returns a fresh one (`None` for "to be created") when the address
/// is still an empty system account, pre-funded or not.
pub(crate) fn read_bond<'info>(
    info: &AccountInfo<'info>,
    oracle: Pubkey,
    bump: u8,
) -> Result<(OracleBond, bool)> {
    if *info.owner == system_program::ID && info.data_is_empty() {
        let fresh = OracleBond { oracle, amount: 0, withdrawing: 0, unlock_ts: 0, slashed: false, bump };
        return Ok((fresh, true));
    }
    // What `Account<OracleBond>` checks: the owner, then the discriminator.
    Ok((load(info)?, false))
}

/// Stores `bond` at `info`: creates the account (paid by `payer`) if `create`, else overwrites it.
pub(crate) fn write_bond<'info>(
    info: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    bond: &OracleBond,
    create: bool,
) -> Result<()> {
    if create {
        return io_program_kit::create_program_account(
            payer,
            info,
            system,
            &crate::ID,
            8 + OracleBond::INIT_SPACE,
            &[BOND_SEED, bond.oracle.as_ref(), &[bond.bump]],
            bond,
        );
    }
    store(info, bond)
}

pub fn handle_post_bond(mut ctx: Context<PostBond>, amount: u64) -> Result<()> {
    require!(amount > 0, OracleError::ZeroAmount);
    let a = &mut ctx.accounts;
    let key = a.oracle.key();
    let bond_info = a.bond.to_account_info();
    let (mut bond, create) = read_bond(&bond_info, key, ctx.bumps.bond)?;
    require!(!bond.slashed, OracleError::BondSlashed);
    pay_in(
        &a.token_program,
        &a.oracle_token,
        &a.bond_vault.to_account_info(),
        &a.io_mint,
        &a.oracle,
        amount,
    )?;
    bond.amount = bond.amount.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    a.config.total_bonded = a.config.total_bonded.checked_add(amount).ok_or(OracleError::MathOverflow)?;
    // What the vault holds after the transfer, not before.
    a.bond_vault.reload()?;
    a.config.check_vault(a.bond_vault.amount)?;
    write_bond(&bond_info, &a.oracle.to_account_info(), &a.system_program.to_account_info(), &bond, create)?;
    let (after, withdrawing) = (bond.amount, bond.withdrawing);
    emit_cpi!(OracleBondChanged {
        oracle: key,
        amount,
        bond_after: after,
        withdrawing_after: withdrawing,
        unlock_ts: 0
    });
    Ok(())
}

/// Starts the cooldown for the whole bond. Refused while the key may still sign for a set.
pub fn handle_request_bond_withdrawal(mut ctx: Context<BondAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    let key = a.oracle.key();
    let config = &a.config;
    require!(!config.may_sign(&key, ts), OracleError::StillInSet);
    require!(!a.bond.slashed, OracleError::BondSlashed);
    require!(a.bond.amount > 0, OracleError::NothingToWithdraw);
    a.bond.withdrawing = a.bond.withdrawing.checked_add(a.bond.amount).ok_or(OracleError::MathOverflow)?;
    a.bond.amount = 0;
    a.bond.unlock_ts = ts.checked_add(config.params.bond_cooldown_secs).ok_or(OracleError::MathOverflow)?;
    let (withdrawing, unlock_ts) = (a.bond.withdrawing, a.bond.unlock_ts);
    emit_cpi!(OracleBondChanged {
        oracle: key,
        amount: withdrawing,
        bond_after: 0,
        withdrawing_after: withdrawing,
        unlock_ts
    });
    Ok(())
}

/// Pays out the requested amount after the cooldown. Refused while the key may still sign: a key
/// that asked for its bond back and was then installed in a set (or is in the previous set during
/// its grace) keeps it at stake until it can sign no more.
pub fn handle_withdraw_bond(mut ctx: Context<BondAction>) -> Result<()> {
    let ts = now()?;
    let a = &mut ctx.accounts;
    require!(!a.config.may_sign(&a.oracle.key(), ts), OracleError::StillInSet);
    require!(!a.bond.slashed, OracleError::BondSlashed);
    let amount = a.bond.withdrawing;
    require!(amount > 0, OracleError::NothingToWithdraw);
    require!(ts >= a.bond.unlock_ts, OracleError::CooldownNotElapsed);
    pay_out(&a.token_program, &a.config, &a.bond_vault, &a.oracle_token, &a.io_mint, amount)?;
    a.bond.withdrawing = 0;
    a.config.total_bonded = a.config.total_bonded.checked_sub(amount).ok_or(OracleError::MathOverflow)?;
    a.bond_vault.reload()?;
    a.config.check_vault(a.bond_vault.amount)?;
    let (oracle, after) = (a.oracle.key(), a.bond.amount);
    emit_cpi!(OracleBondChanged { oracle, amount, bond_after: after, withdrawing_after: 0, unlock_ts: 0 });
    Ok(())
}
