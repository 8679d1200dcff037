use crate::common::*;
use io_staking::HardwareClass;
use io_testkit::staking::StakingFixture;

#[tokio::test]
async fn post_update_and_withdraw_an_offer() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, RATE_IO).await;
    let dev = p.devices[0];
    let o: Offer = f.s.h.account(&sdk::offer(&dev)).await;
    assert_eq!(
        (o.price_usdc_per_hour, o.price_io_per_hour, o.min_hours, o.max_hours),
        (RATE_USDC, RATE_IO, 1, 720)
    );
    assert!(o.active);
    assert_eq!(o.operator, p.op.address);
    // Update: a new price, USDC only.
    let a = p.op.authority.insecure_clone();
    f.s.h.send_one(sdk::post_offer(&a.pubkey(), &dev, 2 * RATE_USDC, 0, 2, 48), &[&a]).await.unwrap();
    let o: Offer = f.s.h.account(&sdk::offer(&dev)).await;
    assert_eq!(
        (o.price_usdc_per_hour, o.price_io_per_hour, o.min_hours, o.max_hours),
        (2 * RATE_USDC, 0, 2, 48)
    );
    f.s.h.send_one(sdk::withdraw_offer(&a.pubkey(), &dev), &[&a]).await.unwrap();
    assert!(!f.s.h.account::<Offer>(&sdk::offer(&dev)).await.active);
    assert_error(
        f.s.h.send_one(sdk::withdraw_offer(&a.pubkey(), &dev), &[&a]).await,
        code(EscrowError::OfferInactive),
    );
}

#[tokio::test]
async fn offers_are_validated() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let dev = p.devices[0];
    let a = p.op.authority.insecure_clone();
    let cases = [
        (sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 0, 10), EscrowError::InvalidHours),
        (sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 11, 10), EscrowError::InvalidHours),
        (sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 1, MAX_LEASE_HOURS + 1), EscrowError::InvalidHours),
        (sdk::post_offer(&a.pubkey(), &dev, 0, 0, 1, 10), EscrowError::NoPrice),
    ];
    for (ix, e) in cases {
        assert_error(f.s.h.send_one(ix, &[&a]).await, code(e));
    }
    // A pending (not yet attested) device cannot be offered.
    let pending =
        f.s.device(&p.op, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 2, 200)).await.unwrap();
    assert_error(
        f.s.h.send_one(sdk::post_offer(&a.pubkey(), &pending, RATE_USDC, 0, 1, 10), &[&a]).await,
        code(EscrowError::DeviceNotActive),
    );
    // Another operator's device: the signer's operator does not own it.
    let q = f.provider(1, RATE_USDC, 0).await;
    let b = q.op.authority.insecure_clone();
    assert_error(
        f.s.h.send_one(sdk::post_offer(&b.pubkey(), &dev, RATE_USDC, 0, 1, 10), &[&b]).await,
        code(EscrowError::DeviceOperatorMismatch),
    );
    // Someone else's operator account with the signer (has_one = authority).
    let ix =
        swap_account(sdk::post_offer(&b.pubkey(), &dev, RATE_USDC, 0, 1, 10), &q.op.address, &p.op.address);
    assert_error(f.s.h.send_one(ix, &[&b]).await, anchor_code(AnchorError::ConstraintHasOne));
    // Withdrawing someone else's offer.
    assert_error(
        f.s.h.send_one(sdk::withdraw_offer(&b.pubkey(), &dev), &[&b]).await,
        code(EscrowError::DeviceOperatorMismatch),
    );
    // Missing signature.
    assert_error(
        f.s.h
            .send_one(unsigned(sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 1, 10), &a.pubkey()), &[])
            .await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // A staking position where a device is expected (another program's account type).
    let staker = f.s.staker(1_000 * IO).await;
    f.s.stake(&staker, &p.op.address, 100 * IO).await.unwrap();
    let pos = io_sdk::staking::position(&p.op.address, &staker.wallet.pubkey());
    let ix = swap_account(sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 1, 10), &dev, &pos);
    assert_error(f.s.h.send_one(ix, &[&a]).await, anchor_code(AnchorError::AccountDiscriminatorMismatch));
}
