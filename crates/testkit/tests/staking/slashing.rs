use crate::common::*;

#[tokio::test]
async fn appeal_window_edges_and_admin_cancel() {
    let mut f = StakingFixture::new().await;
    let (op, _) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    // Only the oracle authority proposes.
    let a = op.authority.insecure_clone();
    assert_error(
        f.h.send_one(sdk::propose_slash(&a.pubkey(), &op.address, IO, [0; 32]), &[&a]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(f.propose_slash(&op.address, 0).await, code(StakingError::ZeroAmount));
    let slash = f.propose_slash(&op.address, 100 * IO).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!(sl.executable_ts, sl.proposed_ts + f.params.slash_appeal_secs);
    f.h.set_time(sl.executable_ts - 1).await;
    assert_error(f.execute_slash(&op.address, &slash).await, code(StakingError::AppealWindowOpen));
    // The admin cancels inside the window; only the admin.
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.h.send_one(sdk::cancel_slash(&stranger.pubkey(), &op.address, &slash), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::cancel_slash(&admin.pubkey(), &op.address, &slash), &[&admin]).await.unwrap();
    f.h.set_time(sl.executable_ts).await;
    assert_error(f.execute_slash(&op.address, &slash).await, code(StakingError::SlashNotPending));

    // A second slash: the window closes on time, the cancel comes too late.
    let slash2 = f.propose_slash(&op.address, 100 * IO).await.unwrap();
    let sl2: Slash = f.h.account(&slash2).await;
    assert_eq!(sl2.index, 1);
    f.h.set_time(sl2.executable_ts).await;
    assert_error(
        f.h.send_one(sdk::cancel_slash(&admin.pubkey(), &op.address, &slash2), &[&admin]).await,
        code(StakingError::AppealWindowClosed),
    );
    // Executing against another operator's account.
    let other = f.operator(0, 0).await;
    assert_error(f.execute_slash(&other.address, &slash2).await, anchor_code(AnchorError::ConstraintAddress));
    f.execute_slash(&op.address, &slash2).await.unwrap();
    assert_error(f.execute_slash(&op.address, &slash2).await, code(StakingError::SlashNotPending));
}

#[tokio::test]
async fn execution_takes_bond_first_then_delegators_pro_rata_and_burns() {
    let mut f = StakingFixture::new().await;
    let (op, _) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let a = f.staker(10_000 * IO).await;
    let b = f.staker(10_000 * IO).await;
    f.stake(&a, &op.address, 3_000 * IO).await.unwrap();
    f.stake(&b, &op.address, 2_000 * IO).await.unwrap();
    // An hour later (stake unstaked in the period it was made leaves at once, without cooldown).
    f.h.warp_seconds(3600).await;
    // b's 1,000 unstaked $IO still answers for the slash during its cooldown.
    f.unstake(&b, &op.address, 1_000 * IO).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!(o.required_bond, 2_000 * IO);

    let supply_before = f.h.mint_supply(&f.io_mint()).await;
    let slash = f.propose_slash(&op.address, 4_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    // 2,000 from the bond, the other 2,000 from 5,000 delegated: 4,000 active, 1,000 unbonding.
    assert_eq!((sl.from_bond, sl.from_stake, sl.from_unbonding), (2_000 * IO, 1_600 * IO, 400 * IO));
    assert_eq!(sl.status, SlashStatus::Executed);
    assert_eq!(f.h.mint_supply(&f.io_mint()).await, supply_before - 4_000 * IO);
    let o = f.operator_state(&op.address).await;
    assert_eq!(
        (o.bond, o.stake_tokens, o.unbonding_tokens, o.total_slashed),
        (0, 2_400 * IO, 600 * IO, 4_000 * IO)
    );
    assert_eq!(f.h.token_balance(&sdk::stake_vault()).await, 3_000 * IO);
    assert_eq!(f.h.token_balance(&sdk::bond_vault()).await, 0);
    let c = f.config().await;
    assert_eq!((c.total_staked, c.total_bonded, c.total_slashed), (3_000 * IO, 0, 4_000 * IO));
    // Each delegator lost 40%: a holds 1,800, b's active 600 and its ticket 600.
    f.unstake(&a, &op.address, 1_800 * IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    let (ba, bb) = (f.h.token_balance(&a.token).await, f.h.token_balance(&b.token).await);
    f.withdraw(&a, &op.address).await.unwrap();
    f.withdraw(&b, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&a.token).await - ba, 1_800 * IO);
    assert_eq!(f.h.token_balance(&b.token).await - bb, 600 * IO);
}

#[tokio::test]
async fn a_pending_bond_withdrawal_cannot_escape_a_slash() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 5_000 * IO).await;
    f.add_bond(&op, 3_000 * IO).await.unwrap();
    let auth = op.authority.insecure_clone();
    f.h.send_one(sdk::request_bond_withdrawal(&auth.pubkey(), 2_000 * IO), &[&auth]).await.unwrap();
    let slash = f.propose_slash(&op.address, 2_500 * IO).await.unwrap();
    // The appeal window ends before the unbonding period.
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.bond, o.bond_withdrawing), (0, 500 * IO));
    f.h.warp_seconds(f.params.bond_unbonding_secs).await;
    let mint = f.io_mint();
    let before = f.h.token_balance(&op.token).await;
    f.h.send_one(sdk::withdraw_bond(&auth.pubkey(), &mint, &op.token), &[&auth]).await.unwrap();
    assert_eq!(f.h.token_balance(&op.token).await - before, 500 * IO);
}

#[tokio::test]
async fn a_pool_slashed_to_zero_refuses_new_stake() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!((sl.from_bond, sl.from_stake), (0, 100 * IO), "capped at what exists");
    assert_error(f.stake(&s, &op.address, 100 * IO).await, code(StakingError::PoolDepleted));
}

/// F-7: an attacker leaves a 1-base-unit unstake ticket. The unbonding pool's share of a slash
/// is rounded down, so it keeps its unit instead of being emptied with its shares outstanding, and
/// every other delegator can still unstake.
#[tokio::test]
async fn a_one_unit_ticket_cannot_get_the_unbonding_pool_emptied() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let honest = f.staker(10_000 * IO).await;
    let attacker = f.staker(1_000 * IO).await;
    f.stake(&honest, &op.address, 5_000 * IO).await.unwrap();
    f.stake(&attacker, &op.address, 100 * IO + 1).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&attacker, &op.address, 1).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.unbonding_tokens, 1);
    let slash = f.propose_slash(&op.address, 7).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!((sl.from_stake, sl.from_unbonding), (6, 0), "the 1-unit pool's share rounds to 0");
    let o = f.operator_state(&op.address).await;
    assert_eq!(o.unbonding_tokens, 1);
    // The honest delegator unstakes and withdraws as usual.
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&honest, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    f.withdraw(&honest, &op.address).await.unwrap();
    f.withdraw(&attacker, &op.address).await.unwrap();
    // Conservation: the vault still holds what the ledger says.
    assert_eq!(f.h.token_balance(&sdk::stake_vault()).await, f.config().await.total_staked);
}

/// A slash never takes a pool's last token by rounding: a pool is emptied only when the slash
/// takes everything delegated (then both are, together).
#[tokio::test]
async fn a_pool_is_emptied_only_by_a_slash_of_everything_delegated() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let a = f.staker(10_000 * IO).await;
    f.stake(&a, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&a, &op.address, 300 * IO).await.unwrap();
    let delegated = 1_000 * IO;
    // One unit short of everything: both pools keep something.
    let slash = f.propose_slash(&op.address, delegated - 1).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert!(o.stake_tokens > 0 && o.unbonding_tokens > 0, "{} / {}", o.stake_tokens, o.unbonding_tokens);
    let sl: Slash = f.h.account(&slash).await;
    assert!(sl.from_stake + sl.from_unbonding < delegated);
    assert!(delegated - 1 - (sl.from_stake + sl.from_unbonding) <= 1, "at most one unit is not taken");
}

/// F-7, the rest: a slash that empties the unbonding pool while tickets are outstanding (here the
/// active pool is empty, so the slash takes everything delegated) leaves those tickets worth
/// nothing, and the pool restarts in a new era: later delegators unstake and withdraw in full,
/// and the old tickets take none of it.
#[tokio::test]
async fn an_emptied_unbonding_pool_takes_new_unstakes_again() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let early = f.staker(1_000 * IO).await;
    f.stake(&early, &op.address, 500 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&early, &op.address, 500 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, 10_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.unbonding_shares, o.unbonding_tokens, o.unbonding_era), (0, 0, 1));
    let late = f.staker(1_000 * IO).await;
    f.stake(&late, &op.address, 300 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&late, &op.address, 300 * IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    let before_early = f.h.token_balance(&early.token).await;
    f.withdraw(&early, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&early.token).await, before_early, "a ticket of the old era is worth 0");
    assert_eq!(f.position(&op.address, &early.wallet.pubkey()).await.unwrap().pending_tickets(), 0);
    let before = f.h.token_balance(&late.token).await;
    f.withdraw(&late, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&late.token).await - before, 300 * IO);
    assert_eq!(f.h.token_balance(&sdk::stake_vault()).await, f.config().await.total_staked);
}
