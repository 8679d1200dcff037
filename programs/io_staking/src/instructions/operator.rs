//! Operator (provider) instructions: registration, metadata, commission, bond.
use super::{now, pay_in, pay_out, require_vault_covers};
use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, add_i64, sub};

fn check_name_region_url(name: &str, region: &str, url: &str) -> Result<()> {
    require!(!name.is_empty() && name.len() <= MAX_NAME_LEN, StakingError::InvalidName);
    require!(!region.is_empty() && region.len() <= MAX_REGION_LEN, StakingError::InvalidRegion);
    require!(url.len() <= MAX_URL_LEN, StakingError::UrlTooLong);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct RegisterOperator<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    /// CHECK: the operator PDA, created here through io-program-kit so that lamports sent to
    /// the address beforehand cannot block a registration (S-1); a second one fails with 3000.
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump)]
    pub operator: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handle_register_operator(
    ctx: Context<RegisterOperator>,
    name: String,
    region: String,
    metadata_url: String,
    commission_bps: u16,
) -> Result<()> {
    check_name_region_url(&name, &region, &metadata_url)?;
    let config = &mut ctx.accounts.config;
    require!(commission_bps <= config.params.commission_cap_bps, StakingError::CommissionAboveCap);
    let ts = now()?;
    let authority = ctx.accounts.authority.key();
    let bump = ctx.bumps.operator;
    let operator = Operator {
        authority,
        name: name.clone(),
        region: region.clone(),
        metadata_url: metadata_url.clone(),
        commission_bps,
        pending_commission_bps: commission_bps,
        commission_effective_ts: 0,
        last_commission_epoch: 0,
        bond: 0,
        bond_withdrawing: 0,
        bond_unlock_ts: 0,
        required_bond: 0,
        devices_registered: 0,
        devices_active: 0,
        stake_shares: 0,
        stake_tokens: 0,
        unbonding_shares: 0,
        unbonding_tokens: 0,
        reward_per_share: 0,
        commission_claimable: 0,
        rewards_claimed_cumulative: 0,
        delegator_count: 0,
        slash_count: 0,
        pending_slashes: 0,
        unbonding_era: 0,
        total_slashed: 0,
        registered_ts: ts,
        rewards_period: period_of(ts)?,
        activating_shares: 0,
        bump,
    };
    operator.invariant(&config.params)?;
    io_program_kit::create_program_account(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.operator.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        8 + Operator::INIT_SPACE,
        &[OPERATOR_SEED, authority.as_ref(), &[bump]],
        &operator,
    )?;
    config.operator_count = config.operator_count.checked_add(1).ok_or(StakingError::MathOverflow)?;
    config.invariant()?;
    emit_cpi!(OperatorRegistered {
        operator: ctx.accounts.operator.key(),
        authority,
        name,
        region,
        metadata_url,
        commission_bps,
        ts,
    });
    Ok(())
}

/// Accounts for instructions signed by an operator's authority that touch only the operator.
#[event_cpi]
#[derive(Accounts)]
pub struct OperatorOnly<'info> {
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
}

pub fn handle_update_operator(
    ctx: Context<OperatorOnly>,
    name: String,
    region: String,
    metadata_url: String,
) -> Result<()> {
    check_name_region_url(&name, &region, &metadata_url)?;
    let op = &mut ctx.accounts.operator;
    op.name = name.clone();
    op.region = region.clone();
    op.metadata_url = metadata_url.clone();
    op.invariant(&ctx.accounts.config.params)?;
    emit_cpi!(OperatorUpdated { operator: op.key(), name, region, metadata_url });
    Ok(())
}

/// Requests a new commission. At most one request per reward epoch, at most
/// `max_commission_change_bps` away from the current rate, never above the cap; it applies
/// `commission_delay_secs` later, so delegators see it coming and can leave.
pub fn handle_request_commission_change(ctx: Context<OperatorOnly>, new_bps: u16) -> Result<()> {
    let params = ctx.accounts.config.params;
    let ts = now()?;
    let op = &mut ctx.accounts.operator;
    op.apply_due_commission(ts);
    require!(new_bps <= params.commission_cap_bps, StakingError::CommissionAboveCap);
    require!(
        new_bps.abs_diff(op.commission_bps) <= params.max_commission_change_bps,
        StakingError::CommissionChangeTooLarge
    );
    // Epochs are counted from one so that 0 can mean "never requested".
    let epoch =
        u64::try_from(ts.checked_div(params.commission_epoch_secs).ok_or(StakingError::MathOverflow)?)
            .map_err(|_| StakingError::MathOverflow)?
            .checked_add(1)
            .ok_or(StakingError::MathOverflow)?;
    require!(op.last_commission_epoch < epoch, StakingError::CommissionChangeTooSoon);
    op.last_commission_epoch = epoch;
    op.pending_commission_bps = new_bps;
    op.commission_effective_ts = add_i64(ts, params.commission_delay_secs).math()?;
    op.invariant(&params)?;
    emit_cpi!(CommissionChangeRequested {
        operator: op.key(),
        commission_bps: op.commission_bps,
        requested_bps: new_bps,
        effective_ts: op.commission_effective_ts,
    });
    Ok(())
}

/// Accounts for bond movements between the operator's token account and the bond vault.
#[event_cpi]
#[derive(Accounts)]
pub struct BondTransfer<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = bond_vault,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub bond_vault: Box<Account<'info, TokenAccount>>,
    /// The operator's $IO account: source of `add_bond`, destination of `withdraw_bond`.
    #[account(mut, token::mint = io_mint)]
    pub operator_token: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

pub fn handle_add_bond(ctx: Context<BondTransfer>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let a = &ctx.accounts;
    pay_in(
        &a.token_program,
        &a.operator_token,
        &a.bond_vault.to_account_info(),
        &a.io_mint,
        &a.authority,
        amount,
    )?;
    let config = &mut ctx.accounts.config;
    let op = &mut ctx.accounts.operator;
    let bond_before = op.bond;
    op.bond = add(op.bond, amount).math()?;
    config.total_bonded = add(config.total_bonded, amount).math()?;
    op.invariant(&config.params)?;
    config.invariant()?;
    require_vault_covers(&ctx.accounts.bond_vault.to_account_info(), config.total_bonded)?;
    emit_cpi!(BondChanged {
        operator: op.key(),
        action: BondAction::Add,
        amount,
        bond_before,
        bond_after: op.bond,
        withdrawing_before: op.bond_withdrawing,
        withdrawing_after: op.bond_withdrawing,
        unlock_ts: op.bond_unlock_ts,
        required_bond: op.required_bond,
    });
    Ok(())
}

/// Moves `amount` of bond into withdrawal; it stays slashable until withdrawn after
/// `bond_unbonding_secs`. A second request adds to the first and restarts the clock.
pub fn handle_request_bond_withdrawal(ctx: Context<OperatorOnly>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let params = ctx.accounts.config.params;
    let op = &mut ctx.accounts.operator;
    require!(amount <= op.bond, StakingError::InsufficientBondBalance);
    let bond_after = sub(op.bond, amount).math()?;
    require!(bond_after >= op.required_bond, StakingError::BondBelowRequired);
    let (bond_before, withdrawing_before) = (op.bond, op.bond_withdrawing);
    op.bond = bond_after;
    op.bond_withdrawing = add(op.bond_withdrawing, amount).math()?;
    op.bond_unlock_ts = add_i64(now()?, params.bond_unbonding_secs).math()?;
    op.invariant(&params)?;
    emit_cpi!(BondChanged {
        operator: op.key(),
        action: BondAction::RequestWithdrawal,
        amount,
        bond_before,
        bond_after,
        withdrawing_before,
        withdrawing_after: op.bond_withdrawing,
        unlock_ts: op.bond_unlock_ts,
        required_bond: op.required_bond,
    });
    Ok(())
}

/// Withdraws the whole pending bond withdrawal once its unbonding period has passed, and only
/// while no slash is pending against the operator (F-8: a bond must not leave between the
/// proposal of a slash and its execution or cancellation).
pub fn handle_withdraw_bond(ctx: Context<BondTransfer>) -> Result<()> {
    let op = &ctx.accounts.operator;
    require!(op.bond_withdrawing > 0, StakingError::NoBondWithdrawalPending);
    require!(now()? >= op.bond_unlock_ts, StakingError::CooldownNotElapsed);
    op.require_no_pending_slash()?;
    let amount = op.bond_withdrawing;
    let a = &ctx.accounts;
    pay_out(&a.token_program, &a.config, &a.bond_vault, &a.operator_token, &a.io_mint, amount)?;
    let config = &mut ctx.accounts.config;
    let op = &mut ctx.accounts.operator;
    op.bond_withdrawing = 0;
    config.total_bonded = sub(config.total_bonded, amount).math()?;
    op.invariant(&config.params)?;
    config.invariant()?;
    require_vault_covers(&ctx.accounts.bond_vault.to_account_info(), config.total_bonded)?;
    emit_cpi!(BondChanged {
        operator: op.key(),
        action: BondAction::Withdraw,
        amount,
        bond_before: op.bond,
        bond_after: op.bond,
        withdrawing_before: amount,
        withdrawing_after: 0,
        unlock_ts: op.bond_unlock_ts,
        required_bond: op.required_bond,
    });
    Ok(())
}
