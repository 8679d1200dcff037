use io_sdk::views::PositionView;
use io_testkit::{staking::*, IO};
use solana_signer::Signer;

async fn view(f: &mut StakingFixture, operator: &io_sdk::Pubkey, s: &TestStaker) -> PositionView {
    let p = f.position(operator, &s.wallet.pubkey()).await.expect("position");
    let o = f.operator_state(operator).await;
    PositionView::new(&p, &o).unwrap()
}

#[tokio::test]
async fn position_figures_are_what_the_program_pays() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(1_000, 0).await;
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    f.stake(&a, &op.address, 300 * IO).await.unwrap();
    f.stake(&b, &op.address, 100 * IO).await.unwrap();

    // Warming up: valued, not yet earning.
    let v = view(&mut f, &op.address, &a).await;
    assert_eq!((v.value, v.activating, v.claimable), (300 * IO, 300 * IO, 0));
    assert!(v.activation_period.is_some());

    // An odd reward, so the accumulator's rounding matters.
    f.h.warp_seconds(3_600).await;
    f.fund(&op.address, 1_000 * IO + 7).await.unwrap();
    let v = view(&mut f, &op.address, &a).await;
    let before = f.h.token_balance(&a.token).await;
    f.claim(&a, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&a.token).await - before, v.claimable);
    assert!(v.claimable > 0);

    // The value is the most an unstake accepts.
    let v = view(&mut f, &op.address, &b).await;
    assert_eq!(v.activation_period, None, "the reward crank listed and activated it");
    assert!(f.unstake(&b, &op.address, v.value + 1).await.is_err());
    f.unstake(&b, &op.address, v.value).await.unwrap();
    let v = view(&mut f, &op.address, &b).await;
    assert_eq!(v.value, 0);
    assert_eq!(v.pending.len(), 1);
    let ticket = v.pending[0];
    let now = f.h.now().await;
    assert_eq!(v.withdrawable_at(now), Ok(0));

    // After the cooldown, withdraw pays the ticket's value.
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    let now = f.h.now().await;
    assert_eq!(view(&mut f, &op.address, &b).await.withdrawable_at(now), Ok(ticket.amount));
    assert!(ticket.unlock_ts <= now);
    let before = f.h.token_balance(&b.token).await;
    f.withdraw(&b, &op.address).await.unwrap();
    assert_eq!(f.h.token_balance(&b.token).await - before, ticket.amount);
}
