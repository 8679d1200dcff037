use crate::common::*;

#[tokio::test]
async fn initialize_records_mints_vaults_and_refuses_twice() {
    let mut f = EscrowFixture::new().await;
    let c = f.config().await;
    assert_eq!((c.usdc_mint, c.io_mint), (f.usdc_mint(), f.io_mint()));
    assert_eq!((c.params.usdc_fee_bps, c.params.io_fee_bps), (200, 0));
    assert_eq!(c.treasury_usdc, sdk::treasury(&f.usdc_mint()));
    assert_eq!(f.s.h.token_balance(&c.treasury_usdc).await, 0);
    let admin = f.s.admin.insecure_clone();
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    let ix = sdk::initialize(
        &admin.pubkey(),
        &usdc,
        &io,
        f.params,
        Pubkey::new_unique(),
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    io_testkit::assert_reinit_refused(f.s.h.send_one(ix, &[&admin]).await);
}

#[tokio::test]
async fn initialize_rejects_bad_params_and_one_mint_twice() {
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let (usdc, io) = (h.usdc_mint, h.io_mint);
    let k = Pubkey::new_unique();
    let mut p = default_params();
    p.usdc_fee_bps = 10_001;
    assert_error(
        h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &io, p, k, k, k), &[&admin]).await,
        code(EscrowError::InvalidParams),
    );
    let mut p = default_params();
    p.settlement_grace_secs = 0;
    assert_error(
        h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &io, p, k, k, k), &[&admin]).await,
        code(EscrowError::InvalidParams),
    );
    // A settlement grace shorter than a report period plus its certification (S-4).
    let mut p = default_params();
    p.settlement_grace_secs = MIN_SETTLEMENT_GRACE_SECS - 1;
    assert_error(
        h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &io, p, k, k, k), &[&admin]).await,
        code(EscrowError::InvalidParams),
    );
    // The same mint as USDC and $IO.
    assert_error(
        h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &usdc, default_params(), k, k, k), &[&admin])
            .await,
        code(EscrowError::InvalidParams),
    );
}

#[tokio::test]
async fn admin_role_pause_params_and_authorities() {
    let mut f = EscrowFixture::new().await;
    let admin = f.s.admin.insecure_clone();
    let next = f.s.h.funded_keypair(1_000_000_000).await;
    let stranger = f.s.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.s.h.send_one(sdk::propose_admin(&stranger.pubkey(), next.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    f.s.h.send_one(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &[&admin]).await.unwrap();
    assert_error(
        f.s.h.send_one(sdk::accept_admin(&stranger.pubkey()), &[&stranger]).await,
        code(EscrowError::NotPendingAdmin),
    );
    f.s.h.send_one(sdk::accept_admin(&next.pubkey()), &[&next]).await.unwrap();
    assert_eq!(f.config().await.admin, next.pubkey());

    let mut p = f.params;
    p.usdc_fee_bps = 150;
    f.s.h.send_one(sdk::update_params(&next.pubkey(), p), &[&next]).await.unwrap();
    assert_eq!(f.config().await.params.usdc_fee_bps, 150);
    assert_error(
        f.s.h.send_one(sdk::update_params(&admin.pubkey(), p), &[&admin]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    let (u, pr, t) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
    f.s.h.send_one(sdk::set_authorities(&next.pubkey(), u, pr, t), &[&next]).await.unwrap();
    let c = f.config().await;
    assert_eq!((c.usage_authority, c.price_authority, c.treasury_authority), (u, pr, t));
}

#[tokio::test]
async fn price_feed_is_written_by_its_authority_only() {
    let mut f = EscrowFixture::new().await;
    let price = f.price.insecure_clone();
    f.s.h.send_one(sdk::set_price(&price.pubkey(), 2_500_000), &[&price]).await.unwrap();
    let feed: PriceFeed = f.s.h.account(&sdk::price_feed()).await;
    assert_eq!((feed.usdc_per_io, feed.updated_ts), (2_500_000, f.s.h.now().await));
    assert_error(
        f.s.h.send_one(sdk::set_price(&price.pubkey(), 0), &[&price]).await,
        code(EscrowError::ZeroAmount),
    );
    let k = f.s.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.s.h.send_one(sdk::set_price(&k.pubkey(), 1), &[&k]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(
        f.s.h.send_one(unsigned(sdk::set_price(&price.pubkey(), 1), &price.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
}

/// While paused every non-admin instruction fails with `Paused`; unpausing restores them.
#[tokio::test]
async fn pause_blocks_every_non_admin_instruction() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(2, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &[p.devices[0]], 2, true).await.unwrap();
    f.s.h.warp_seconds(60).await;
    let admin = f.s.admin.insecure_clone();
    f.s.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    let a = p.op.authority.insecure_clone();
    let w = r.wallet.insecure_clone();
    let usage = f.usage.insecure_clone();
    let price = f.price.insecure_clone();
    let treasury = f.treasury.insecure_clone();
    let d = p.devices[0];
    let cases: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        ("set_price", sdk::set_price(&price.pubkey(), 1), vec![&price]),
        ("post_offer", sdk::post_offer(&a.pubkey(), &p.devices[1], RATE_USDC, 0, 1, 2), vec![&a]),
        ("withdraw_offer", sdk::withdraw_offer(&a.pubkey(), &d), vec![&a]),
        (
            "open_lease",
            sdk::open_lease(&w.pubkey(), 2, &usdc, &r.usdc, 1, u64::MAX, &[p.devices[1]]),
            vec![&w],
        ),
        ("top_up_lease", sdk::top_up_lease(&w.pubkey(), &lease, &usdc, &r.usdc, 1, &[d]), vec![&w]),
        ("close_lease", sdk::close_lease(&w.pubkey(), &lease, &usdc, &r.usdc, &[d]), vec![&w]),
        ("finalize_lease", sdk::finalize_lease(&lease, &usdc, &r.usdc), vec![]),
        ("settle", sdk::settle(&usage.pubkey(), &lease, &usdc, &p.usdc, 0, 30), vec![&usage]),
        (
            "buyback_burn",
            sdk::buyback_burn(&treasury.pubkey(), &usdc, &io, &r.usdc, &r.io, 1, 1),
            vec![&treasury],
        ),
    ];
    for (name, ix, signers) in cases {
        let res = f.s.h.send_one(ix, &signers).await;
        assert_eq!(
            io_testkit::error_code(res.as_ref().unwrap_err()),
            Some(code(EscrowError::Paused)),
            "{name}: {res:?}"
        );
    }
    f.s.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();
    f.settle(&lease, &p.usdc, 0, 30).await.unwrap();
}
