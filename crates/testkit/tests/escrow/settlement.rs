use crate::common::*;

#[tokio::test]
async fn settlement_pays_attested_seconds_with_the_fee_to_the_treasury() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &p.devices, 10, true).await.unwrap();
    let treasury = sdk::treasury(&f.usdc_mint());
    f.s.h.warp_seconds(100).await;
    // Device 0: 60 of 100 elapsed seconds attested → 60,000 base units, fee ⌈1,200⌉.
    f.settle(&lease, &p.usdc, 0, 60).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, 60_000);
    assert_eq!(f.s.h.token_balance(&treasury).await, 1_200);
    // Settling the same seconds twice.
    assert_error(f.settle(&lease, &p.usdc, 0, 60).await, code(EscrowError::NothingToSettle));
    assert_error(f.settle(&lease, &p.usdc, 0, 59).await, code(EscrowError::NothingToSettle));
    // More seconds than elapsed.
    assert_error(f.settle(&lease, &p.usdc, 1, 101).await, code(EscrowError::AttestedBeyondElapsed));
    f.settle(&lease, &p.usdc, 1, 100).await.unwrap();
    // Cumulative: device 0 from 60 to 100 pays the difference only.
    f.settle(&lease, &p.usdc, 0, 100).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, 200_000);
    let l = f.lease(&lease).await;
    assert_eq!((l.paid, l.fees), (200_000, 4_000));
    assert_eq!(f.s.h.token_balance(&treasury).await, 4_000);
    let c = f.config().await;
    assert_eq!((c.paid_usdc, c.fees_usdc), (200_000, 4_000));
    // A device index outside the lease.
    assert_error(f.settle(&lease, &p.usdc, 2, 50).await, code(EscrowError::InvalidDeviceIndex));
}

#[tokio::test]
async fn settlement_rejections() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &p.devices, 1, true).await.unwrap();
    f.s.h.warp_seconds(10).await;
    let mint = f.usdc_mint();
    // Not the usage authority.
    let k = f.s.h.funded_keypair(1_000_000_000).await;
    let ix = sdk::settle(&k.pubkey(), &lease, &mint, &p.usdc, 0, 5);
    assert_error(f.s.h.send_one(ix, &[&k]).await, anchor_code(AnchorError::ConstraintHasOne));
    // Paying someone other than the device's operator.
    assert_error(f.settle(&lease, &r.usdc, 0, 5).await, code(EscrowError::WrongPayee));
    // A treasury that is not the mint's.
    let usage = f.usage.insecure_clone();
    let fake_treasury = f.s.h.create_token_account(&mint, &usage.pubkey()).await;
    let ix = swap_account(
        sdk::settle(&usage.pubkey(), &lease, &mint, &p.usdc, 0, 5),
        &sdk::treasury(&mint),
        &fake_treasury,
    );
    assert_error(f.s.h.send_one(ix, &[&usage]).await, code(EscrowError::UnlistedMint));
    // Another lease's vault.
    let r2 = f.renter(1_000 * USDC, 0).await;
    let q = f.provider(1, RATE_USDC, 0).await;
    let other = f.open(&r2, 1, &q.devices, 1, true).await.unwrap();
    let ix = swap_account(
        sdk::settle(&usage.pubkey(), &lease, &mint, &p.usdc, 0, 5),
        &sdk::lease_vault(&lease),
        &sdk::lease_vault(&other),
    );
    assert_error(f.s.h.send_one(ix, &[&usage]).await, anchor_code(AnchorError::ConstraintHasOne));
    // Usage past the end is capped at the hours paid for: elapsed stops at the end.
    f.s.h.warp_seconds(10 * 3600).await;
    assert_error(f.settle(&lease, &p.usdc, 0, 3_601).await, code(EscrowError::AttestedBeyondElapsed));
    f.settle(&lease, &p.usdc, 0, 3_600).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, RATE_USDC);
    f.finalize(&r, &lease).await.unwrap();
    let l = f.lease(&lease).await;
    assert_eq!((l.paid, l.fees, l.refunded), (RATE_USDC, RATE_USDC / 50, 0));
}

#[tokio::test]
async fn io_leases_pay_no_fee_and_downtime_is_refunded() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, 0, RATE_IO).await;
    let r = f.renter(0, 1_000 * IO).await;
    let io_mint = f.io_mint();
    let payee = f.s.h.create_token_account(&io_mint, &p.op.authority.pubkey()).await;
    let lease = f.open(&r, 7, &p.devices, 2, false).await.unwrap();
    f.s.h.warp_seconds(2 * 3600).await;
    // 1.5 of 2 hours attested: half an hour of downtime is not paid.
    f.settle(&lease, &payee, 0, 5_400).await.unwrap();
    assert_eq!(f.s.h.token_balance(&payee).await, RATE_IO * 3 / 2);
    assert_eq!(f.s.h.token_balance(&sdk::treasury(&io_mint)).await, 0);
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    f.finalize(&r, &lease).await.unwrap();
    assert_eq!(f.s.h.token_balance(&r.io).await, 1_000 * IO - RATE_IO * 3 / 2);
    let c = f.config().await;
    assert_eq!((c.paid_io, c.fees_io, c.refunded_io), (RATE_IO * 3 / 2, 0, RATE_IO / 2));
}
