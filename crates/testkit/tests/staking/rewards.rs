use crate::common::*;

#[tokio::test]
async fn commission_then_pro_rata_delegator_rewards() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(1_000, 0).await; // 10% commission
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    f.stake(&a, &op.address, 300 * IO).await.unwrap();
    f.stake(&b, &op.address, 100 * IO).await.unwrap();
    // New stake earns from the next reward period on.
    f.h.warp_seconds(3600).await;
    f.fund(&op.address, 1_000 * IO).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!(o.commission_claimable, 100 * IO);
    let (ba, bb) = (f.h.token_balance(&a.token).await, f.h.token_balance(&b.token).await);
    f.claim(&a, &op.address).await.unwrap();
    f.claim(&b, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&a.token).await - ba, 675 * IO);
    assert_eq!(f.h.token_balance(&b.token).await - bb, 225 * IO);
    // A second claim with nothing new.
    assert_error(f.claim(&a, &op.address).await, code(StakingError::NothingToClaim));
    // The operator claims its commission, once.
    let auth = op.authority.insecure_clone();
    let mint = f.io_mint();
    let before = f.h.token_balance(&op.token).await;
    f.h.send_one(sdk::claim_commission(&auth.pubkey(), &mint, &op.token), &[&auth]).await.unwrap();
    assert_eq!(f.h.token_balance(&op.token).await - before, 100 * IO);
    assert_error(
        f.h.send_one(sdk::claim_commission(&auth.pubkey(), &mint, &op.token), &[&auth]).await,
        code(StakingError::NothingToClaim),
    );
    let c = f.config().await;
    assert_eq!((c.rewards_funded, c.rewards_paid), (1_000 * IO, 1_000 * IO));
    assert_eq!(f.h.token_balance(&sdk::reward_vault()).await, 0);
}

#[tokio::test]
async fn late_stakers_earn_only_after_they_join_and_unstaked_value_stops_earning() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    // One reward per hour: a alone, then a and b, then b alone.
    f.stake(&a, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    f.fund(&op.address, 50 * IO).await.unwrap();
    f.stake(&b, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    f.fund(&op.address, 50 * IO).await.unwrap();
    f.unstake(&a, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    f.fund(&op.address, 50 * IO).await.unwrap();
    let (ba, bb) = (f.h.token_balance(&a.token).await, f.h.token_balance(&b.token).await);
    f.claim(&a, &op.address).await.unwrap();
    f.claim(&b, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&a.token).await - ba, 75 * IO);
    assert_eq!(f.h.token_balance(&b.token).await - bb, 75 * IO);
}

#[tokio::test]
async fn funding_is_checked() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(500, 0).await;
    // With no delegators everything is the operator's.
    f.fund(&op.address, 10 * IO).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.commission_claimable, 10 * IO);
    assert_error(f.fund(&op.address, 0).await, code(StakingError::ZeroAmount));
    // Only the rewards authority.
    let (k, tok) = f.h.user_with_io(100 * IO).await;
    let mint = f.io_mint();
    let ix = sdk::fund_operator_rewards(&k.pubkey(), &op.address, &mint, &tok, IO, &[]);
    assert_error(f.h.send_one(ix, &[&k]).await, anchor_code(AnchorError::ConstraintHasOne));
    // Its own signature is required.
    let rewards = f.rewards.pubkey();
    let ix = unsigned(
        sdk::fund_operator_rewards(&rewards, &op.address, &mint, &f.rewards_token, IO, &[]),
        &rewards,
    );
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountNotSigner));
}

#[tokio::test]
async fn a_commission_change_applies_to_rewards_after_its_delay() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(1_000, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    let a = op.authority.insecure_clone();
    f.h.send_one(sdk::request_commission_change(&a.pubkey(), 800), &[&a]).await.unwrap();
    f.fund(&op.address, 100 * IO).await.unwrap();
    assert_eq!(
        f.operator_state(&op.address).await.commission_claimable,
        10 * IO,
        "old rate before the delay"
    );
    f.h.warp_seconds(f.params.commission_delay_secs).await;
    f.fund(&op.address, 100 * IO).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.commission_bps, o.commission_claimable), (800, 18 * IO));
}
