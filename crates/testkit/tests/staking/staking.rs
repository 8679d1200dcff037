use crate::common::*;

#[tokio::test]
async fn minimum_stake_edges() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    assert_error(f.stake(&s, &op.address, 0).await, code(StakingError::ZeroAmount));
    // 100 $IO less one base unit fails; exactly 100 passes.
    assert_error(f.stake(&s, &op.address, 100 * IO - 1).await, code(StakingError::BelowMinimumStake));
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    // A top-up of one base unit is accepted.
    f.stake(&s, &op.address, 1).await.unwrap();
    let pos = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!((pos.shares, pos.activating_shares), (0, 100 * IO + 1), "new stake warms up");
    // An hour on the stake's activation period has begun: unstakes go through the cooldown.
    f.h.warp_seconds(3600).await;
    assert_eq!(f.h.token_balance(&sdk::stake_vault()).await, 100 * IO + 1);
    // A partial unstake leaving 50 fails; leaving exactly 100 passes; the full rest passes.
    assert_error(
        f.unstake(&s, &op.address, 50 * IO + 1).await,
        code(StakingError::UnstakeLeavesBelowMinimum),
    );
    f.unstake(&s, &op.address, 1).await.unwrap();
    assert_error(f.unstake(&s, &op.address, 100 * IO + 1).await, code(StakingError::InsufficientStake));
    f.unstake(&s, &op.address, 100 * IO).await.unwrap();
    let pos = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!(pos.pool_shares().unwrap(), 0);
    assert_eq!(pos.pending_tickets(), 2);
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.stake_tokens, o.unbonding_tokens, o.delegator_count), (0, 100 * IO + 1, 0));
    // After a full exit a new stake again needs the minimum.
    assert_error(f.stake(&s, &op.address, 99 * IO).await, code(StakingError::BelowMinimumStake));
}

#[tokio::test]
async fn cooldown_edges_and_ticket_limit() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(10_000 * IO).await;
    assert_error(f.withdraw(&s, &op.address).await, code(StakingError::NothingToWithdraw));
    f.stake(&s, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    let t0 = f.h.now().await;
    f.unstake(&s, &op.address, 10 * IO).await.unwrap();
    let unlock = t0 + 14 * 24 * 3600;
    assert_eq!(f.position(&op.address, &s.wallet.pubkey()).await.unwrap().tickets[0].unlock_ts, unlock);
    f.h.set_time(unlock - 1).await;
    assert_error(f.withdraw(&s, &op.address).await, code(StakingError::CooldownNotElapsed));
    let before = f.h.token_balance(&s.token).await;
    f.h.set_time(unlock).await;
    f.withdraw(&s, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&s.token).await, before + 10 * IO);
    assert_error(f.withdraw(&s, &op.address).await, code(StakingError::NothingToWithdraw));

    // Four pending unstakes at most; the fifth waits for a withdrawal.
    for _ in 0..MAX_UNSTAKE_TICKETS {
        f.unstake(&s, &op.address, IO).await.unwrap();
    }
    assert_error(f.unstake(&s, &op.address, IO).await, code(StakingError::TooManyPendingUnstakes));
    f.h.warp_seconds(14 * 24 * 3600).await;
    f.withdraw(&s, &op.address).await.unwrap();
    f.unstake(&s, &op.address, IO).await.unwrap();
    assert_eq!(f.config().await.total_staked, f.h.token_balance(&sdk::stake_vault()).await);
}

#[tokio::test]
async fn staker_accounts_are_checked() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    let t = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 500 * IO).await.unwrap();
    let mint = f.io_mint();
    // Someone else's position (a PDA for another user).
    let ix = swap_account(
        sdk::unstake(&t.wallet.pubkey(), &op.address, &mint, &t.token, 100 * IO),
        &sdk::position(&op.address, &t.wallet.pubkey()),
        &sdk::position(&op.address, &s.wallet.pubkey()),
    );
    assert_error(f.h.send_one(ix, &[&t.wallet]).await, anchor_code(AnchorError::ConstraintSeeds));
    // The staker's signature is required.
    let ix = unsigned(sdk::unstake(&s.wallet.pubkey(), &op.address, &mint, &s.token, IO), &s.wallet.pubkey());
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountNotSigner));
    // Wrong mint for the staker's account.
    let usdc = f.h.usdc_mint;
    let usdc_acct = f.h.create_token_account(&usdc, &s.wallet.pubkey()).await;
    let ix = sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &usdc_acct, 100 * IO);
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::ConstraintTokenMint));
    // A vault that is not the config's.
    let fake_vault = f.h.create_token_account(&mint, &s.wallet.pubkey()).await;
    let ix = swap_account(
        sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &s.token, IO),
        &sdk::stake_vault(),
        &fake_vault,
    );
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::ConstraintHasOne));
    // Another mint posing as $IO.
    let ix = swap_account(sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &s.token, IO), &mint, &usdc);
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::ConstraintHasOne));
    // The stake vault in two mutable slots (as the staker's account).
    let ix = sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &sdk::stake_vault(), IO);
    assert_error(
        f.h.send_one(ix, &[&s.wallet]).await,
        anchor_code(AnchorError::ConstraintDuplicateMutableAccount),
    );
    // A position where an operator is expected (type cosplay) and a look-alike operator.
    let pos = sdk::position(&op.address, &s.wallet.pubkey());
    let ix =
        swap_account(sdk::claim_rewards(&s.wallet.pubkey(), &op.address, &mint, &s.token), &op.address, &pos);
    let r = f.h.send_one(ix, &[&s.wallet]).await;
    assert_error(r, anchor_code(AnchorError::AccountDiscriminatorMismatch));
    let fake = look_alike(&mut f.h, &op.address, &Pubkey::new_unique()).await;
    let ix = sdk::stake(&s.wallet.pubkey(), &fake, &mint, &s.token, 100 * IO);
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::AccountOwnedByWrongProgram));
    // A fake token program.
    let ix = swap_account(
        sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &s.token, IO),
        &anchor_spl::token::ID,
        &Pubkey::new_unique(),
    );
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::InvalidProgramId));
}

#[tokio::test]
async fn shares_track_the_pool_and_positions_sum_to_it() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    f.stake(&a, &op.address, 300 * IO).await.unwrap();
    f.stake(&b, &op.address, 100 * IO).await.unwrap();
    let o = f.operator_state(&op.address).await;
    let pa = f.position(&op.address, &a.wallet.pubkey()).await.unwrap();
    let pb = f.position(&op.address, &b.wallet.pubkey()).await.unwrap();
    assert_eq!(o.stake_shares, pa.pool_shares().unwrap() + pb.pool_shares().unwrap());
    assert_eq!(o.activating_shares, pa.activating_shares + pb.activating_shares);
    assert_eq!((o.stake_tokens, o.delegator_count), (400 * IO, 2));
}
