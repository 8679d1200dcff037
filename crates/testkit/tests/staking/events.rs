use crate::common::*;

#[tokio::test]
async fn state_changes_emit_cpi_events_with_before_and_after() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    let mint = f.io_mint();
    let ix = sdk::stake(&s.wallet.pubkey(), &op.address, &mint, &s.token, 50 * IO);
    let events = f.h.send_events(&[ix], &[&s.wallet]).await.unwrap();
    assert_eq!(events.len(), 1);
    let ev: Staked = decode_event(&events[0]).expect("a Staked event");
    assert_eq!(ev.operator, op.address);
    assert_eq!(ev.staker, s.wallet.pubkey());
    assert_eq!((ev.amount, ev.shares_minted), (50 * IO, 50 * IO));
    assert_eq!((ev.pool_tokens_before, ev.pool_tokens_after), (100 * IO, 150 * IO));
    // Both stakes are still warming up: the position has no earning shares yet.
    assert_eq!(ev.position_shares_after, 0);
    assert!(decode_event::<Unstaked>(&events[0]).is_none(), "the discriminator tells events apart");

    let admin = f.admin.insecure_clone();
    let events = f.h.send_events(&[sdk::set_paused(&admin.pubkey(), true)], &[&admin]).await.unwrap();
    let ev: PausedSet = decode_event(&events[0]).unwrap();
    assert_eq!((ev.paused_before, ev.paused_after), (false, true));
}
