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
use io_math::add;

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
    let (commission, to_delegators, before) = op.accrue_rewards(amount, now()?)?;
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

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimOperatorRewards<'info> {
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint, has_one = reward_vault,
        constraint = !config.paused @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    /// A certified io_oracle report whose rewards tree holds the operator's leaf.
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ StakingError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
    pub io_mint: Box<Account<'info, Mint>>,
    #[account(mut)]
    pub reward_vault: Box<Account<'info, TokenAccount>>,
    /// CHECK: io_token's config; io_token checks it (and that this program's config is its
    /// rewards distributor).
    #[account(mut)]
    pub token_config: UncheckedAccount<'info>,
    /// CHECK: io_token's emissions vault; io_token checks it against its config.
    #[account(mut)]
    pub emissions_vault: UncheckedAccount<'info>,
    /// CHECK: io_token's event authority; io_token checks it.
    pub token_event_authority: UncheckedAccount<'info>,
    /// CHECK: the io_token program, by address.
    #[account(address = io_token::ID)]
    pub io_token_program: UncheckedAccount<'info>,
    pub token_program: Program<'info, Token>,
}

/// Anyone (for the operator): claims the operator's rewards proven by the leaf
/// `(operator, cumulative)` of a certified report's rewards tree. The tree holds cumulative
/// amounts, so the claim pays `cumulative − already claimed`, drawn from io_token's emissions
/// vault into the reward vault, then split into commission and the delegators' accumulator
/// exactly as funded rewards are. The same or an older cumulative amount pays nothing.
pub fn handle_claim_operator_rewards(
    mut ctx: Context<ClaimOperatorRewards>,
    cumulative: u64,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let a = &mut ctx.accounts;
    let leaf = io_oracle::leaves::rewards_leaf(&a.operator.key(), cumulative);
    require!(io_merkle::verify(&proof, &a.report.body.rewards_root, &leaf), StakingError::InvalidProof);
    let claimed_before = a.operator.rewards_claimed_cumulative;
    require!(cumulative > claimed_before, StakingError::NothingToClaim);
    let amount = io_math::sub(cumulative, claimed_before).math()?;

    let seeds = a.config.signer_seeds();
    io_token::cpi::withdraw_rewards(
        CpiContext::new_with_signer(
            io_token::ID,
            io_token::cpi::accounts::WithdrawRewards {
                rewards_distributor: a.config.to_account_info(),
                config: a.token_config.to_account_info(),
                io_mint: a.io_mint.to_account_info(),
                rewards_vault: a.emissions_vault.to_account_info(),
                destination: a.reward_vault.to_account_info(),
                token_program: a.token_program.to_account_info(),
                event_authority: a.token_event_authority.to_account_info(),
                program: a.io_token_program.to_account_info(),
            },
            &[&seeds],
        ),
        amount,
    )?;

    let op = &mut a.operator;
    op.rewards_claimed_cumulative = cumulative;
    let (commission, to_delegators, before) = op.accrue_rewards(amount, now()?)?;
    a.config.rewards_funded = add(a.config.rewards_funded, amount).math()?;
    op.invariant(&a.config.params)?;
    a.config.invariant()?;
    let ev = OperatorRewardsClaimed {
        operator: op.key(),
        period: a.report.body.period,
        cumulative,
        amount,
        commission,
        to_delegators,
        commission_bps: op.commission_bps,
        pool_shares: op.stake_shares,
        reward_per_share_before: before,
        reward_per_share_after: op.reward_per_share,
    };
    emit_cpi!(ev);
    Ok(())
}
