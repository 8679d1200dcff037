//! Rewards: funded per operator by the rewards authority, or claimed from oracle reports; the
//! operator's commission is set aside, the rest is time-weighted (F-10): it pays for the periods
//! since the last reward, to the earning shares (through the reward-per-share accumulator, from
//! which every delegator claims in O(1)) and to the warming-up positions listed after the
//! instruction's accounts, each for the periods of the window it was active in.
use super::{
    now, pay_in, pay_out,
    staker::{load_position, store_position},
};
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
        has_one = io_mint, has_one = reward_vault, constraint = config.is_live() @ StakingError::Paused)]
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

/// Reads the warming-up positions listed in `remaining`: each must be a writable position of
/// `operator`, listed once.
fn listed_positions<'a, 'info>(
    operator: &Pubkey,
    remaining: &'a [AccountInfo<'info>],
) -> Result<Vec<(&'a AccountInfo<'info>, Position)>> {
    let mut out = Vec::with_capacity(remaining.len());
    for (i, info) in remaining.iter().enumerate() {
        require!(info.is_writable, StakingError::InvalidPosition);
        require!(remaining[..i].iter().all(|o| o.key != info.key), StakingError::InvalidPosition);
        let pos = load_position(info)?.ok_or(StakingError::InvalidPosition)?;
        require_keys_eq!(pos.operator, *operator, StakingError::InvalidPosition);
        out.push((info, pos));
    }
    Ok(out)
}

/// Splits `amount` of rewards for `period` (see [`Operator::accrue_rewards`]) and pays each
/// listed position its part; those active in the window start earning.
fn distribute(
    op: &mut Account<Operator>,
    remaining: &[AccountInfo],
    amount: u64,
    period: u64,
) -> Result<Accrual> {
    let mut listed = listed_positions(&op.key(), remaining)?;
    let warming: Vec<(u64, u64)> =
        listed.iter().map(|(_, p)| (p.activating_shares, p.activation_period)).collect();
    let accrual = op.accrue_rewards(amount, now()?, period, &warming)?;
    for ((info, pos), credit) in listed.iter_mut().zip(&accrual.credits) {
        pos.settle(op)?;
        pos.rewards_owed = add(pos.rewards_owed, *credit).math()?;
        pos.invariant(op)?;
        store_position(info, pos)?;
    }
    Ok(accrual)
}

/// Funds `amount` of rewards for the operator, as rewards for the current period: they pay for
/// the periods since the last reward up to this one (see [`Operator::accrue_rewards`]).
/// Commission (rounded up, a fee) goes to the operator's claimable balance; the rest to the
/// delegators by share-periods, rounded down, the dust staying in the vault. With no stake
/// active in the window everything is commission. Warming-up positions to pay (and activate)
/// follow the instruction's accounts, writable.
pub fn handle_fund_operator_rewards(ctx: Context<FundOperatorRewards>, amount: u64) -> Result<()> {
    require!(amount > 0, StakingError::ZeroAmount);
    let a = &ctx.accounts;
    pay_in(
        &a.token_program,
        &a.source,
        &a.reward_vault.to_account_info(),
        &a.io_mint,
        &a.rewards_authority,
        amount,
    )?;
    let period = period_of(now()?)?;
    let accrual = distribute(&mut ctx.accounts.operator, ctx.remaining_accounts, amount, period)?;
    let config = &mut ctx.accounts.config;
    let op = &ctx.accounts.operator;
    config.rewards_funded = add(config.rewards_funded, amount).math()?;
    op.invariant(&config.params)?;
    config.invariant()?;
    emit_cpi!(RewardsFunded {
        operator: op.key(),
        amount,
        commission: accrual.commission,
        to_delegators: accrual.to_delegators,
        commission_bps: op.commission_bps,
        pool_shares: accrual.earning_shares,
        reward_per_share_before: accrual.before,
        reward_per_share_after: op.reward_per_share,
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct ClaimCommission<'info> {
    pub authority: Signer<'info>,
    #[account(mut, seeds = [CONFIG_SEED], bump = config.bump, has_one = io_mint,
        has_one = reward_vault, constraint = config.is_live() @ StakingError::Paused)]
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
        constraint = config.is_live() @ StakingError::Paused)]
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
/// exactly as funded rewards are, as rewards for the report's period (time-weighted: stake that
/// was not active in that period gets none of it, however late the claim). The same or an older
/// cumulative amount pays nothing. Warming-up positions to pay (and activate) follow the
/// instruction's accounts, writable.
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

    a.operator.rewards_claimed_cumulative = cumulative;
    let period = a.report.body.period;
    let accrual = distribute(&mut a.operator, ctx.remaining_accounts, amount, period)?;
    let op = &a.operator;
    a.config.rewards_funded = add(a.config.rewards_funded, amount).math()?;
    op.invariant(&a.config.params)?;
    a.config.invariant()?;
    let ev = OperatorRewardsClaimed {
        operator: op.key(),
        period,
        cumulative,
        amount,
        commission: accrual.commission,
        to_delegators: accrual.to_delegators,
        commission_bps: op.commission_bps,
        pool_shares: accrual.earning_shares,
        reward_per_share_before: accrual.before,
        reward_per_share_after: op.reward_per_share,
    };
    emit_cpi!(ev);
    Ok(())
}
