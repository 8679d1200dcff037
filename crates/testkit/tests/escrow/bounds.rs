//! Bounds that protect one party from another: the renter's signed maximum deposit (F-5), the
//! price feed that only moves forward in time (F-13), the price authority's step per hour (S-6),
//! and a settlement grace long enough for the report covering a lease's end (S-4).
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_testkit::oracle::Quorum;

/// F-5: the operator re-prices between the renter's quote and its transaction.
#[tokio::test]
async fn the_renter_signs_for_at_most_the_deposit_it_was_quoted() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, RATE_USDC, 0).await;
    let r = f.renter(100_000 * USDC, 0).await;
    let quote = f.quote(&p.devices, 10, true).await;
    assert_eq!(quote, 2 * 10 * RATE_USDC + (2 * 10 * RATE_USDC).div_ceil(50));
    let a = p.op.authority.insecure_clone();
    let reprice = sdk::post_offer(&a.pubkey(), &p.devices[1], 1_000 * RATE_USDC, 0, 1, 720);
    f.s.h.send_one(reprice, &[&a]).await.unwrap();
    assert_error(
        f.open_bounded(&r, 1, &p.devices, 10, true, quote).await,
        code(EscrowError::DepositAboveMaximum),
    );
    assert_eq!(f.s.h.token_balance(&r.usdc).await, 100_000 * USDC, "nothing was taken");
    // One unit short of the deposit is refused too; the exact quote goes through.
    let quote = f.quote(&p.devices, 10, true).await;
    assert_error(
        f.open_bounded(&r, 1, &p.devices, 10, true, quote - 1).await,
        code(EscrowError::DepositAboveMaximum),
    );
    let lease = f.open_bounded(&r, 1, &p.devices, 10, true, quote).await.unwrap();
    assert_eq!(f.lease(&lease).await.deposit, quote);
}

/// F-13: an older certified report used to roll back a fresher price of the price authority.
#[tokio::test]
async fn the_price_feed_only_moves_forward_whoever_writes_it() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let old = q.publish(&mut f.s.h, ReportBody { usdc_per_io: 2_000_000, ..Default::default() }).await;
    f.s.h.warp_seconds(2 * 3600).await;
    let p = f.price.insecure_clone();
    f.s.h.send_one(sdk::set_price(&p.pubkey(), 2_500_000), &[&p]).await.unwrap();
    let set_at = f.s.h.now().await;
    assert_error(f.s.h.send_one(sdk::price_from_report(&old), &[]).await, code(EscrowError::StaleReport));
    let feed: PriceFeed = f.s.h.account(&sdk::price_feed()).await;
    assert_eq!((feed.usdc_per_io, feed.updated_ts), (2_500_000, set_at), "not rolled back");
    // A report for a later period than the authority's write replaces it ...
    let newer = q.publish(&mut f.s.h, ReportBody { usdc_per_io: 2_600_000, ..Default::default() }).await;
    f.s.h.send_one(sdk::price_from_report(&newer), &[]).await.unwrap();
    let feed: PriceFeed = f.s.h.account(&sdk::price_feed()).await;
    assert_eq!(feed.usdc_per_io, 2_600_000);
    assert!(feed.updated_ts > f.s.h.now().await, "the report's period ends after now");
    // ... and the authority cannot write behind it before that time.
    assert_error(
        f.s.h.send_one(sdk::set_price(&p.pubkey(), 2_600_000), &[&p]).await,
        code(EscrowError::StaleReport),
    );
    let wait = feed.updated_ts - f.s.h.now().await;
    f.s.h.warp_seconds(wait).await;
    f.s.h.send_one(sdk::set_price(&p.pubkey(), 2_600_000), &[&p]).await.unwrap();
    // The same report twice is stale too.
    assert_error(f.s.h.send_one(sdk::price_from_report(&newer), &[]).await, code(EscrowError::StaleReport));
}

/// S-6: a compromised price authority used to set any price, and with it drain the USDC
/// treasury for a 1-unit burn. It now moves the price at most 10% per hour since the last write.
#[tokio::test]
async fn the_price_authority_moves_the_price_a_bounded_step_per_hour() {
    let mut f = EscrowFixture::new().await;
    let p = f.price.insecure_clone();
    let set = |v: u64| sdk::set_price(&p.pubkey(), v);
    // The first price is free (deployment).
    f.s.h.send_one(set(2_500_000), &[&p]).await.unwrap();
    // In the same second nothing may change but a repeat.
    assert_error(f.s.h.send_one(set(2_500_001), &[&p]).await, code(EscrowError::PriceChangeTooLarge));
    f.s.h.send_one(set(2_500_000), &[&p]).await.unwrap();
    // An hour later: 10% either way, not a unit more.
    f.s.h.warp_seconds(3600).await;
    assert_error(f.s.h.send_one(set(2_750_001), &[&p]).await, code(EscrowError::PriceChangeTooLarge));
    assert_error(f.s.h.send_one(set(2_249_999), &[&p]).await, code(EscrowError::PriceChangeTooLarge));
    f.s.h.send_one(set(2_750_000), &[&p]).await.unwrap();
    // Half an hour: 5% of the new price.
    f.s.h.warp_seconds(1800).await;
    assert_error(f.s.h.send_one(set(2_612_499), &[&p]).await, code(EscrowError::PriceChangeTooLarge));
    f.s.h.send_one(set(2_612_500), &[&p]).await.unwrap();
    // The drain: a thousandfold price is refused whatever the wait (the step stops at 100%).
    f.s.h.warp_seconds(100 * 3600).await;
    assert_error(f.s.h.send_one(set(2_612_500_000), &[&p]).await, code(EscrowError::PriceChangeTooLarge));
    f.s.h.send_one(set(2 * 2_612_500), &[&p]).await.unwrap();
    assert_eq!(io_escrow::max_price_step_floor(2_500_000, 36), Ok(2_500));
    assert_eq!(io_escrow::max_price_step_floor(u64::MAX, u64::MAX / 2), Ok(u64::MAX));
}

/// S-4: the report covering a lease's last hour lands an hour after that hour; the grace covers
/// it and the provider is paid what was attested for the lease's time.
#[tokio::test]
async fn the_grace_covers_the_report_of_the_leases_last_hour() {
    let mut f = EscrowFixture::new().await;
    assert!(f.params.settlement_grace_secs >= MIN_SETTLEMENT_GRACE_SECS);
    let admin = f.s.admin.insecure_clone();
    let mut short = f.params;
    short.settlement_grace_secs = MIN_SETTLEMENT_GRACE_SECS - 1;
    assert_error(
        f.s.h.send_one(sdk::update_params(&admin.pubkey(), short), &[&admin]).await,
        code(EscrowError::InvalidParams),
    );
    let q = Quorum::init(&mut f.s.h, 3).await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &p.devices, 1, true).await.unwrap();
    // The lease ends; the report for its hour is certified an hour later still.
    f.s.h.warp_seconds(3600).await;
    let tree = MerkleTree::new(vec![leaves::usage_leaf(&lease, &p.devices[0], 3_600)]);
    let report = q.publish(&mut f.s.h, ReportBody { usage_root: tree.root(), ..Default::default() }).await;
    assert_error(f.finalize(&r, &lease).await, code(EscrowError::GraceNotElapsed));
    let mint = f.usdc_mint();
    let ix = sdk::settle_attested(&lease, &mint, &p.usdc, &report, 0, 3_600, tree.proof(0).unwrap());
    f.s.h.send_one(ix, &[]).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, RATE_USDC, "the whole hour is paid");
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    f.finalize(&r, &lease).await.unwrap();
    let l = f.lease(&lease).await;
    assert_eq!((l.paid, l.refunded), (RATE_USDC, 0));
}
