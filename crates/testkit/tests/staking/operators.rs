use crate::common::*;

#[tokio::test]
async fn register_validates_strings_and_commission() {
    let mut f = StakingFixture::new().await;
    let k = f.h.funded_keypair(1_000_000_000).await;
    let long = "x".repeat(33);
    let cases = [
        (sdk::register_operator(&k.pubkey(), "", "eu", "", 100), StakingError::InvalidName),
        (sdk::register_operator(&k.pubkey(), &long, "eu", "", 100), StakingError::InvalidName),
        (sdk::register_operator(&k.pubkey(), "ok", "", "", 100), StakingError::InvalidRegion),
        (sdk::register_operator(&k.pubkey(), "ok", &"r".repeat(17), "", 100), StakingError::InvalidRegion),
        (sdk::register_operator(&k.pubkey(), "ok", "eu", &"u".repeat(129), 100), StakingError::UrlTooLong),
        (sdk::register_operator(&k.pubkey(), "ok", "eu", "", 2_001), StakingError::CommissionAboveCap),
    ];
    for (ix, err) in cases {
        assert_error(f.h.send_one(ix, &[&k]).await, code(err));
    }
    // Bounds themselves are accepted.
    let ix = sdk::register_operator(&k.pubkey(), &"n".repeat(32), &"r".repeat(16), &"u".repeat(128), 2_000);
    f.h.send_one(ix.clone(), &[&k]).await.unwrap();
    let op: Operator = f.h.account(&sdk::operator(&k.pubkey())).await;
    assert_eq!(
        (op.name.len(), op.region.len(), op.metadata_url.len(), op.commission_bps),
        (32, 16, 128, 2_000)
    );
    assert_eq!(f.config().await.operator_count, 1);
    // One operator per wallet.
    assert_reinit_refused(f.h.send_one(ix, &[&k]).await);
    // Missing signer.
    let other = Keypair::new();
    assert_error(
        f.h.send_one(
            unsigned(sdk::register_operator(&other.pubkey(), "a", "eu", "", 0), &other.pubkey()),
            &[],
        )
        .await,
        anchor_code(AnchorError::AccountNotSigner),
    );
}

#[tokio::test]
async fn update_operator_only_by_its_authority() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(100, 0).await;
    let other = f.operator(100, 0).await;
    let a = op.authority.insecure_clone();
    f.h.send_one(sdk::update_operator(&a.pubkey(), "renamed", "us-east", "https://x"), &[&a]).await.unwrap();
    let o: Operator = f.h.account(&op.address).await;
    assert_eq!(
        (o.name.as_str(), o.region.as_str(), o.metadata_url.as_str()),
        ("renamed", "us-east", "https://x")
    );
    // Another wallet pointing at this operator: the PDA of the signer does not match.
    let b = other.authority.insecure_clone();
    let ix = swap_account(sdk::update_operator(&b.pubkey(), "evil", "us", ""), &other.address, &op.address);
    assert_error(f.h.send_one(ix, &[&b]).await, anchor_code(AnchorError::ConstraintSeeds));
    assert_error(
        f.h.send_one(sdk::update_operator(&a.pubkey(), "", "us", ""), &[&a]).await,
        code(StakingError::InvalidName),
    );
    // A look-alike operator (same bytes, owned by another program).
    let fake = look_alike(&mut f.h, &op.address, &anchor_spl::token::ID).await;
    let ix = swap_account(sdk::update_operator(&a.pubkey(), "x", "us", ""), &op.address, &fake);
    assert_error(f.h.send_one(ix, &[&a]).await, anchor_code(AnchorError::AccountOwnedByWrongProgram));
}

#[tokio::test]
async fn commission_change_is_capped_rate_limited_and_delayed() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(1_000, 0).await;
    let a = op.authority.insecure_clone();
    // Max change per request: 200 bps.
    assert_error(
        f.h.send_one(sdk::request_commission_change(&a.pubkey(), 1_201), &[&a]).await,
        code(StakingError::CommissionChangeTooLarge),
    );
    f.h.send_one(sdk::request_commission_change(&a.pubkey(), 1_200), &[&a]).await.unwrap();
    let o: Operator = f.h.account(&op.address).await;
    assert_eq!((o.commission_bps, o.pending_commission_bps), (1_000, 1_200));
    let effective = o.commission_effective_ts;
    assert_eq!(effective, f.h.now().await + f.params.commission_delay_secs);
    // A second request in the same epoch.
    assert_error(
        f.h.send_one(sdk::request_commission_change(&a.pubkey(), 1_100), &[&a]).await,
        code(StakingError::CommissionChangeTooSoon),
    );
    // Next epoch, after the delay: the first change applied, a further step allowed.
    f.h.set_time(effective).await;
    f.h.send_one(sdk::request_commission_change(&a.pubkey(), 1_400), &[&a]).await.unwrap();
    let o: Operator = f.h.account(&op.address).await;
    assert_eq!((o.commission_bps, o.pending_commission_bps), (1_200, 1_400));
    // The cap holds whatever the step.
    f.h.warp_seconds(f.params.commission_epoch_secs).await;
    let mut p = f.params;
    p.commission_cap_bps = 1_300;
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::update_params(&admin.pubkey(), p), &[&admin]).await.unwrap();
    assert_error(
        f.h.send_one(sdk::request_commission_change(&a.pubkey(), 1_500), &[&a]).await,
        code(StakingError::CommissionAboveCap),
    );
}

#[tokio::test]
async fn bond_add_request_and_withdraw_with_cooldown_edges() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 10_000 * IO).await;
    let a = op.authority.insecure_clone();
    let mint = f.io_mint();
    assert_error(f.add_bond(&op, 0).await, code(StakingError::ZeroAmount));
    f.add_bond(&op, 5_000 * IO).await.unwrap();
    assert_eq!(f.h.token_balance(&sdk::bond_vault()).await, 5_000 * IO);
    assert_eq!(f.config().await.total_bonded, 5_000 * IO);

    // Wrong mint: a USDC account as the operator's token account.
    let usdc = f.h.usdc_mint;
    let usdc_acct = f.h.create_token_account(&usdc, &a.pubkey()).await;
    assert_error(
        f.h.send_one(sdk::add_bond(&a.pubkey(), &mint, &usdc_acct, IO), &[&a]).await,
        anchor_code(AnchorError::ConstraintTokenMint),
    );
    // The bond vault passed twice in two mutable slots.
    let ix = sdk::add_bond(&a.pubkey(), &mint, &sdk::bond_vault(), IO);
    assert_error(f.h.send_one(ix, &[&a]).await, anchor_code(AnchorError::ConstraintDuplicateMutableAccount));

    // A flagship device with 2 GPUs needs 2 × 2,000 $IO.
    let dev = f.device(&op, StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, 2, 1)).await.unwrap();
    f.activate(&op, &dev).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.required_bond, 4_000 * IO);
    assert_error(
        f.h.send_one(sdk::request_bond_withdrawal(&a.pubkey(), 1_000 * IO + 1), &[&a]).await,
        code(StakingError::BondBelowRequired),
    );
    assert_error(
        f.h.send_one(sdk::request_bond_withdrawal(&a.pubkey(), 5_001 * IO), &[&a]).await,
        code(StakingError::InsufficientBondBalance),
    );
    assert_error(
        f.h.send_one(sdk::withdraw_bond(&a.pubkey(), &mint, &op.token), &[&a]).await,
        code(StakingError::NoBondWithdrawalPending),
    );
    f.h.send_one(sdk::request_bond_withdrawal(&a.pubkey(), 1_000 * IO), &[&a]).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.bond, o.bond_withdrawing), (4_000 * IO, 1_000 * IO));
    let unlock = o.bond_unlock_ts;
    assert_eq!(unlock, f.h.now().await + f.params.bond_unbonding_secs);
    let before = f.h.token_balance(&op.token).await;
    f.h.set_time(unlock - 1).await;
    assert_error(
        f.h.send_one(sdk::withdraw_bond(&a.pubkey(), &mint, &op.token), &[&a]).await,
        code(StakingError::CooldownNotElapsed),
    );
    f.h.set_time(unlock).await;
    f.h.send_one(sdk::withdraw_bond(&a.pubkey(), &mint, &op.token), &[&a]).await.unwrap();
    assert_eq!(f.h.token_balance(&op.token).await, before + 1_000 * IO);
    assert_eq!(f.h.token_balance(&sdk::bond_vault()).await, 4_000 * IO);
    assert_eq!(f.config().await.total_bonded, 4_000 * IO);
    // Another wallet cannot move this operator's bond: its own operator PDA does not exist.
    let thief = f.staker(10 * IO).await;
    let ix = swap_account(
        sdk::withdraw_bond(&thief.wallet.pubkey(), &mint, &thief.token),
        &sdk::operator(&thief.wallet.pubkey()),
        &op.address,
    );
    assert_error(f.h.send_one(ix, &[&thief.wallet]).await, anchor_code(AnchorError::ConstraintSeeds));
}
