//! Rewards: funded per operator by the rewards authority (replaced by oracle-report claims
//! later); the operator's commission is set aside, the rest feeds the reward-per-share
//! accumulator from which every delegator claims in O(1).
use super::{now, pay_in, pay_out};
use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use anchor_spl::token::{Mint, Token, TokenAccount};
use io_math::{add, sub, Bps};

#[event_cpi]
#[derive(Accounts)]
pub struct FundOperatorRewards<'info> {
    pub rewards_authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = rewards_authority,
        has_one = io_mint, has_one = reward_vault, constraint = !config.paused @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint, token::authority = rewards_authority)]
    pub source: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Funds `amount` of rewards for the operator. Commission (rounded up, in the operator's favour
/// as a fee) goes to the operator's claimable balance; the rest is spread over the active
/// shares, rounded down, the dust staying in the vault. With no active stake everything is
/// commission.
pub fn handle_fund_operator_rewards(ctx: Context<FundOperatorRewards>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let a = &ctx.accounts;
    pay_in(&a.token_program, &a.source, &a.reward_vault, &a.io_mint, &a.rewards_authority, amount)?;
    let config = &mut ctx.accounts.config;
    let op = &mut ctx.accounts.operator;
    op.apply_due_commission(now()?);
    let before = op.reward_per_share;
    let (commission, to_delegators) = if op.stake_shares == 0 {
        (amount, 0)
    } else {
        let commission = Bps::new(op.commission_bps).math()?.of_ceil(amount).math()?;
        let rest = sub(amount, commission).math()?;
        let mut acc = op.accumulator();
        let attributed = acc.distribute_floor(rest, op.stake_shares).math()?;
        op.reward_per_share = acc.per_share;
        (commission, attributed)
    };
    op.commission_claimable = add(op.commission_claimable, commission).math()?;
    config.rewards_funded = add(config.rewards_funded, amount).math()?;
    op.invariant(&config.params)?;
    config.invariant()?;
    emit_cpi!(RewardsFunded {
        operator: op.key(),
        amount,
        commission,
        to_delegators,
        commission_bps: op.commission_bps,
        pool_shares: op.stake_shares,
        reward_per_share_before: before,
        reward_per_share_after: op.reward_per_share,
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimCommission<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        has_one = reward_vault, constraint = !config.paused @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    #[account(mut, token::mint = io_mint)]
    pub destination: Box<Account<'info, TokenAccount>>,
    pub token_program: Program<'info, Token>,
}

/// Pays the operator its accumulated commission.
pub fn handle_claim_commission(ctx: Context<ClaimCommission>) -> Result<()> {
    let amount = ctx.accounts.operator.commission_claimable;
    require!(amount > 0, StakingError::NothingToClaim);
    let a = &ctx.accounts;
    pay_out(&a.token_program, &a.config, &a.reward_vault, &a.destination, &a.io_mint, amount)?;
    let config = &mut ctx.accounts.config;
    let op = &mut ctx.accounts.operator;
    op.commission_claimable = 0;
    config.rewards_paid = add(config.rewards_paid, amount).math()?;
    op.invariant(&config.params)?;
    config.invariant()?;
    emit_cpi!(CommissionClaimed { operator: op.key(), amount });
    Ok(())
}
