use crate::common::*;

#[tokio::test]
async fn open_deposits_rate_times_hours_plus_the_usdc_fee() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, RATE_USDC, RATE_IO).await;
    let q = f.provider(1, 2 * RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 1_000 * IO).await;
    // A cluster across two operators.
    let devices = [p.devices[0], p.devices[1], q.devices[0]];
    let t0 = f.s.h.now().await;
    let lease = f.open(&r, 1, &devices, 10, true).await.unwrap();
    let l = f.lease(&lease).await;
    let base = (RATE_USDC + RATE_USDC + 2 * RATE_USDC) * 10; // 144 USDC
    let fee = base.div_ceil(50); // 2%, rounded up
    assert_eq!((l.deposit, l.fee_bps, l.hours, l.start_ts, l.end_ts), (base + fee, 200, 10, t0, t0 + 36_000));
    assert_eq!(f.s.h.token_balance(&sdk::lease_vault(&lease)).await, base + fee);
    assert_eq!(f.s.h.token_balance(&r.usdc).await, 1_000 * USDC - base - fee);
    assert_eq!(l.devices[2].rate_per_hour, 2 * RATE_USDC);
    // The devices are now held by this lease.
    for d in devices {
        let o: Offer = f.s.h.account(&sdk::offer(&d)).await;
        assert_eq!((o.lease, o.leased_until), (lease, t0 + 36_000));
    }
    // An $IO lease pays no fee.
    let p2 = f.provider(1, 0, RATE_IO).await;
    let io_lease = f.open(&r, 2, &[p2.devices[0]], 3, false).await.unwrap();
    assert_eq!(f.lease(&io_lease).await.deposit, 3 * RATE_IO);
    assert_eq!(f.config().await.leases_opened, 2);
}

#[tokio::test]
async fn open_rejections() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 1_000 * IO).await;
    let (d0, d1) = (p.devices[0], p.devices[1]);
    // Paying with a mint that is not listed.
    let other_mint = f.s.h.create_mint(6).await;
    let other_acct = f.s.h.create_token_account(&other_mint, &r.wallet.pubkey()).await;
    f.s.h.mint_to(&other_mint, &other_acct, 1_000 * USDC).await;
    let ix = sdk::open_lease(&r.wallet.pubkey(), 1, &other_mint, &other_acct, 2, u64::MAX, &[d0]);
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::UnlistedMint));
    // The offer does not take $IO.
    assert_error(f.open(&r, 1, &[d0], 2, false).await, code(EscrowError::MintNotOffered));
    // Hours outside the offer (1..=720).
    assert_error(f.open(&r, 1, &[d0], 721, true).await, code(EscrowError::HoursOutsideOffer));
    assert_error(f.open(&r, 1, &[d0], 0, true).await, code(EscrowError::HoursOutsideOffer));
    // The same device twice; no device; more than eight.
    assert_error(f.open(&r, 1, &[d0, d0], 2, true).await, code(EscrowError::InvalidDeviceList));
    assert_error(f.open(&r, 1, &[], 2, true).await, code(EscrowError::InvalidDeviceList));
    // A device that is not the offer's.
    let mut ix = sdk::open_lease(&r.wallet.pubkey(), 1, &f.usdc_mint(), &r.usdc, 2, u64::MAX, &[d0]);
    let n = ix.accounts.len();
    ix.accounts[n - 1].pubkey = d1;
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::InvalidRemainingAccounts));
    // An offer passed read-only.
    let mut ix = sdk::open_lease(&r.wallet.pubkey(), 1, &f.usdc_mint(), &r.usdc, 2, u64::MAX, &[d0]);
    ix.accounts[n - 2].is_writable = false;
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::InvalidRemainingAccounts));
    // A forged offer: the right bytes under another owner.
    let mut ix = sdk::open_lease(&r.wallet.pubkey(), 1, &f.usdc_mint(), &r.usdc, 2, u64::MAX, &[d0]);
    let mut fake = f.s.h.raw_account(&sdk::offer(&d0)).await.unwrap();
    fake.owner = Pubkey::new_unique();
    let fake_key = Pubkey::new_unique();
    f.s.h.set_account(&fake_key, &fake);
    ix.accounts[n - 2].pubkey = fake_key;
    assert_error(
        f.s.h.send_one(ix, &[&r.wallet]).await,
        anchor_code(AnchorError::AccountOwnedByWrongProgram),
    );
    // A withdrawn offer.
    let a = p.op.authority.insecure_clone();
    f.s.h.send_one(sdk::withdraw_offer(&a.pubkey(), &d1), &[&a]).await.unwrap();
    assert_error(f.open(&r, 1, &[d1], 2, true).await, code(EscrowError::OfferInactive));
    // A deposit below the minimum (1 USDC): a 0.5 USDC/h device for one hour.
    let cheap = f.provider(1, USDC / 2, 0).await;
    assert_error(f.open(&r, 1, &[cheap.devices[0]], 1, true).await, code(EscrowError::DepositBelowMinimum));
    // A device held by a running lease, then free once it ends.
    f.open(&r, 1, &[d0], 2, true).await.unwrap();
    let r2 = f.renter(1_000 * USDC, 0).await;
    assert_error(f.open(&r2, 1, &[d0], 2, true).await, code(EscrowError::DeviceBusy));
    // A jailed device cannot be leased.
    let oracle = f.s.oracle.insecure_clone();
    let q = f.provider(1, RATE_USDC, 0).await;
    let ix = io_sdk::staking::jail_device(&oracle.pubkey(), &q.op.address, &q.devices[0]);
    f.s.h.send_one(ix, &[&oracle]).await.unwrap();
    assert_error(f.open(&r2, 1, &[q.devices[0]], 2, true).await, code(EscrowError::DeviceNotActive));
    // Wrong mint for the renter's account.
    let ix = sdk::open_lease(&r2.wallet.pubkey(), 9, &f.usdc_mint(), &r2.io, 2, u64::MAX, &[p.devices[1]]);
    assert_error(f.s.h.send_one(ix, &[&r2.wallet]).await, anchor_code(AnchorError::ConstraintTokenMint));
    f.s.h.warp_seconds(2 * 3600).await;
    f.open(&r2, 1, &[d0], 2, true).await.unwrap();
}

#[tokio::test]
async fn top_up_extends_and_is_checked() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let d = p.devices[0];
    let lease = f.open(&r, 1, &[d], 2, true).await.unwrap();
    let before = f.lease(&lease).await;
    let mint = f.usdc_mint();
    let ix = sdk::top_up_lease(&r.wallet.pubkey(), &lease, &mint, &r.usdc, 3, &[d]);
    f.s.h.send_one(ix, &[&r.wallet]).await.unwrap();
    let l = f.lease(&lease).await;
    let extra = 3 * RATE_USDC + (3 * RATE_USDC).div_ceil(50);
    assert_eq!((l.hours, l.end_ts, l.deposit), (5, before.end_ts + 3 * 3600, before.deposit + extra));
    assert_eq!(f.s.h.account::<Offer>(&sdk::offer(&d)).await.leased_until, l.end_ts);
    // Past the offer's maximum (720 hours).
    let ix = sdk::top_up_lease(&r.wallet.pubkey(), &lease, &mint, &r.usdc, 716, &[d]);
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::HoursOutsideOffer));
    // Someone else topping up this lease: the lease PDA is not theirs.
    let r2 = f.renter(1_000 * USDC, 0).await;
    let ix = sdk::top_up_lease(&r2.wallet.pubkey(), &lease, &mint, &r2.usdc, 1, &[d]);
    assert_error(f.s.h.send_one(ix, &[&r2.wallet]).await, anchor_code(AnchorError::ConstraintSeeds));
    // Offers missing.
    let ix = sdk::top_up_lease(&r.wallet.pubkey(), &lease, &mint, &r.usdc, 1, &[]);
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::InvalidRemainingAccounts));
    // After the end.
    f.s.h.warp_seconds(5 * 3600).await;
    let ix = sdk::top_up_lease(&r.wallet.pubkey(), &lease, &mint, &r.usdc, 1, &[d]);
    assert_error(f.s.h.send_one(ix, &[&r.wallet]).await, code(EscrowError::LeaseEnded));
}

#[tokio::test]
async fn close_refunds_unused_time_and_finalize_the_rest() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let d = p.devices[0];
    let lease = f.open(&r, 1, &[d], 10, true).await.unwrap();
    let deposit = f.lease(&lease).await.deposit;
    f.s.h.warp_seconds(3_600).await;
    let bal0 = f.s.h.token_balance(&r.usdc).await;
    // Someone else closing it.
    let r2 = f.renter(10 * USDC, 0).await;
    let mint = f.usdc_mint();
    let ix = swap_account(
        sdk::close_lease(&r2.wallet.pubkey(), &lease, &mint, &r2.usdc, &[d]),
        &sdk::lease(&r2.wallet.pubkey(), 1),
        &lease,
    );
    assert_error(f.s.h.send_one(ix, &[&r2.wallet]).await, anchor_code(AnchorError::ConstraintSeeds));
    f.close(&r, &lease).await.unwrap();
    // One hour elapsed: 3.6 USDC (+2% = 0.072) stays for settlement, 9 hours come back now.
    let l = f.lease(&lease).await;
    assert_eq!(l.status, LeaseStatus::Ended);
    assert_eq!(f.s.h.token_balance(&r.usdc).await - bal0, deposit - RATE_USDC - RATE_USDC / 50);
    assert_error(f.close(&r, &lease).await, code(EscrowError::LeaseNotOpen));
    // The device is free again at once.
    let r3 = f.renter(1_000 * USDC, 0).await;
    f.open(&r3, 1, &[d], 1, true).await.unwrap();
    // Half an hour of attested service is paid; the rest returns at finalization.
    f.settle(&lease, &p.usdc, 0, 1_800).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, RATE_USDC / 2);
    assert_error(f.finalize(&r, &lease).await, code(EscrowError::GraceNotElapsed));
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    f.finalize(&r, &lease).await.unwrap();
    let l = f.lease(&lease).await;
    assert_eq!(l.status, LeaseStatus::Closed);
    assert_eq!(l.paid + l.fees + l.refunded, l.deposit);
    assert_eq!((l.paid, l.fees), (RATE_USDC / 2, (RATE_USDC / 2).div_ceil(50)));
    assert_eq!(f.s.h.token_balance(&sdk::lease_vault(&lease)).await, 0);
    assert_eq!(f.s.h.token_balance(&r.usdc).await, 1_000 * USDC - l.paid - l.fees);
    assert_error(f.finalize(&r, &lease).await, code(EscrowError::LeaseClosed));
    assert_error(f.settle(&lease, &p.usdc, 0, 1_900).await, code(EscrowError::LeaseClosed));
    // The refund can only go to the renter.
    let lease3 = sdk::lease(&r3.wallet.pubkey(), 1);
    f.s.h.warp_seconds(4 * 3600).await;
    let ix = sdk::finalize_lease(&lease3, &mint, &r.usdc);
    assert_error(f.s.h.send_one(ix, &[]).await, anchor_code(AnchorError::ConstraintTokenOwner));
}
