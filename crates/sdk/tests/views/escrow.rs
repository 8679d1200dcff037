use io_sdk::views::{DepositQuote, LeaseView};
use io_testkit::escrow::*;

/// A quote is what `open_lease` takes; the refund on close is what `close_lease` returns, and
/// the rest held is what `finalize_lease` returns.
#[tokio::test]
async fn lease_figures_are_what_the_program_moves() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, 3_600_007, 0).await;
    let r = f.renter(1_000_000_000, 0).await;
    let fee_bps = f.config().await.params.usdc_fee_bps;
    let quote = DepositQuote::new(&[3_600_007, 3_600_007], 3, fee_bps).unwrap();
    let before = f.s.h.token_balance(&r.usdc).await;
    let lease = f.open(&r, 1, &p.devices, 3, true).await.unwrap();
    assert_eq!(before - f.s.h.token_balance(&r.usdc).await, quote.total);
    let l = f.lease(&lease).await;
    let v = LeaseView::new(&l).unwrap();
    assert_eq!((v.status, v.deposit, v.held, v.hours), ("open", quote.total, quote.total, 3));

    // Some usage settled, then a close 100 minutes in.
    f.s.h.warp_seconds(3_000).await;
    f.settle(&lease, &p.usdc, 0, 2_000).await.unwrap();
    f.s.h.warp_seconds(3_000).await;
    let l = f.lease(&lease).await;
    let now = f.s.h.now().await;
    let refund = LeaseView::refund_if_closed_at(&l, now).unwrap().expect("open");
    let before = f.s.h.token_balance(&r.usdc).await;
    f.close(&r, &lease).await.unwrap();
    assert_eq!(f.s.h.token_balance(&r.usdc).await - before, refund);
    let l = f.lease(&lease).await;
    let v = LeaseView::new(&l).unwrap();
    assert_eq!(v.status, "ended");
    assert_eq!(LeaseView::refund_if_closed_at(&l, now).unwrap(), None);

    // Finalized after the grace period: the rest held goes back.
    let grace = f.config().await.params.settlement_grace_secs;
    f.s.h.warp_seconds(grace + 1).await;
    let before = f.s.h.token_balance(&r.usdc).await;
    f.finalize(&r, &lease).await.unwrap();
    assert_eq!(f.s.h.token_balance(&r.usdc).await - before, v.held);
    let v = LeaseView::new(&f.lease(&lease).await).unwrap();
    assert_eq!((v.status, v.held), ("closed", 0));
}
