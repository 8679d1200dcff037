//! F-8 / S-2: while a slash is pending against an operator, neither its bond nor its delegators'
//! unstake tickets can leave; cancelling or executing the last pending slash releases them.
use crate::common::*;

const DAY: i64 = 24 * 3600;

/// The attack of F-8: bond withdrawal requested on day 0, misbehaviour and slash on day 14,
/// withdrawal on day 21 (the unbonding period), slash executable on day 21 too. The withdrawal is
/// now refused until the slash is executed, and the slash takes the bond, not the delegators.
#[tokio::test]
async fn a_bond_cannot_leave_while_a_slash_is_pending() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 5_000 * IO).await;
    f.add_bond(&op, 3_000 * IO).await.unwrap();
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 1_000 * IO).await.unwrap();
    f.request_bond_withdrawal(&op, 3_000 * IO).await.unwrap();
    f.h.warp_seconds(14 * DAY).await;
    let slash = f.propose_slash(&op.address, 3_000 * IO).await.unwrap();
    f.h.warp_seconds(7 * DAY).await; // unbonding over, appeal window over
    assert_error(f.withdraw_bond(&op).await, code(StakingError::SlashPending));
    f.execute_slash(&op.address, &slash).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!((sl.from_bond, sl.from_stake, sl.from_unbonding), (3_000 * IO, 0, 0));
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.bond_withdrawing, o.stake_tokens, o.pending_slashes), (0, 1_000 * IO, 0));
    // Released: nothing is left to withdraw, which is the ordinary answer again.
    assert_error(f.withdraw_bond(&op).await, code(StakingError::NoBondWithdrawalPending));
}

#[tokio::test]
async fn cancelling_the_last_pending_slash_releases_the_bond() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 5_000 * IO).await;
    f.add_bond(&op, 3_000 * IO).await.unwrap();
    f.request_bond_withdrawal(&op, 1_000 * IO).await.unwrap();
    let first = f.propose_slash(&op.address, 10 * IO).await.unwrap();
    let second = f.propose_slash(&op.address, 20 * IO).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.pending_slashes, 2);
    f.cancel_slash(&op.address, &first).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.pending_slashes, 1);
    f.h.warp_seconds(f.params.bond_unbonding_secs).await;
    // One slash still pending: frozen.
    assert_error(f.withdraw_bond(&op).await, code(StakingError::SlashPending));
    f.execute_slash(&op.address, &second).await.unwrap();
    let before = f.h.token_balance(&op.token).await;
    f.withdraw_bond(&op).await.unwrap();
    assert_eq!(f.h.token_balance(&op.token).await - before, 1_000 * IO);
    // A cancelled or executed slash is counted once: neither can be cancelled or run again.
    assert_error(f.cancel_slash(&op.address, &first).await, code(StakingError::SlashNotPending));
    assert_error(f.execute_slash(&op.address, &second).await, code(StakingError::SlashNotPending));
    assert_eq!(f.operator_state(&op.address).await.pending_slashes, 0);
}

/// S-2: a delegator whose ticket matures inside the appeal window cannot escape: its withdrawal
/// waits, the slash reaches the ticket pro rata with those who stayed, then it withdraws the rest.
#[tokio::test]
async fn unstake_tickets_cannot_leave_while_a_slash_is_pending() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let leaver = f.staker(1_000 * IO).await;
    let stayer = f.staker(1_000 * IO).await;
    f.stake(&leaver, &op.address, 1_000 * IO).await.unwrap();
    f.stake(&stayer, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&leaver, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs - DAY).await;
    let slash = f.propose_slash(&op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(DAY).await; // the ticket matures inside the appeal window
    assert_error(f.withdraw(&leaver, &op.address).await, code(StakingError::SlashPending));
    // Cancelled: the ticket leaves whole.
    f.cancel_slash(&op.address, &slash).await.unwrap();
    let before = f.h.token_balance(&leaver.token).await;
    f.withdraw(&leaver, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&leaver.token).await - before, 1_000 * IO);

    // Again, executed this time: both delegators pay half each.
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&stayer, &op.address, 400 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, 500 * IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    assert_error(f.withdraw(&stayer, &op.address).await, code(StakingError::SlashPending));
    f.execute_slash(&op.address, &slash).await.unwrap();
    let sl: Slash = f.h.account(&slash).await;
    assert_eq!((sl.from_stake, sl.from_unbonding), (300 * IO, 200 * IO));
    let before = f.h.token_balance(&stayer.token).await;
    f.withdraw(&stayer, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&stayer.token).await - before, 200 * IO);
}

#[tokio::test]
async fn a_freeze_on_one_operator_leaves_the_others_free() {
    let mut f = StakingFixture::new().await;
    let bad = f.operator(0, 0).await;
    let good = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &good.address, 500 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&s, &good.address, 500 * IO).await.unwrap();
    f.propose_slash(&bad.address, IO).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    f.withdraw(&s, &good.address).await.unwrap();
    // Cancelling through another operator's account is refused.
    let slash = sdk::slash(&bad.address, &{
        let mut e = [7u8; 32];
        e[..4].copy_from_slice(&0u32.to_le_bytes());
        e
    });
    assert_error(f.cancel_slash(&good.address, &slash).await, anchor_code(AnchorError::ConstraintAddress));
}

/// Stake made this hour may leave at once (it never earned), but it sits in the slashable pool:
/// while a slash is pending it stays like a ticket would, and leaves once the slash is settled.
#[tokio::test]
async fn stake_made_this_hour_cannot_leave_while_a_slash_is_pending() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 500 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, IO).await.unwrap();
    assert_error(f.unstake(&s, &op.address, 500 * IO).await, code(StakingError::SlashPending));
    f.cancel_slash(&op.address, &slash).await.unwrap();
    let before = f.h.token_balance(&s.token).await;
    f.unstake(&s, &op.address, 500 * IO).await.unwrap();
    assert_eq!(f.h.token_balance(&s.token).await - before, 500 * IO, "left at once, no ticket");
}
