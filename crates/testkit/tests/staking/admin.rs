use crate::common::*;

#[tokio::test]
async fn initialize_sets_config_and_refuses_a_second_time() {
    let mut f = StakingFixture::new().await;
    let c = f.config().await;
    assert_eq!(c.admin, f.admin.pubkey());
    assert_eq!(c.io_mint, f.io_mint());
    assert_eq!(c.params.min_stake, 100 * IO);
    assert_eq!(c.params.unstake_cooldown_secs, 14 * 24 * 3600);
    assert!(!c.paused);
    let ix = sdk::initialize(
        &f.admin.pubkey(),
        &f.io_mint(),
        f.params,
        Pubkey::new_unique(),
        Pubkey::new_unique(),
    );
    let admin = f.admin.insecure_clone();
    assert_reinit_refused(f.h.send_one(ix, &[&admin]).await);
}

#[tokio::test]
async fn initialize_rejects_invalid_params() {
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let mint = h.io_mint;
    let mut p = Params::defaults(9);
    p.bond_unbonding_secs = p.slash_appeal_secs; // must exceed the appeal window
    let ix = sdk::initialize(&admin.pubkey(), &mint, p, Pubkey::new_unique(), Pubkey::new_unique());
    assert_error(h.send_one(ix, &[&admin]).await, code(StakingError::InvalidParams));
    let mut p = Params::defaults(9);
    p.min_stake = 0;
    let ix = sdk::initialize(&admin.pubkey(), &mint, p, Pubkey::new_unique(), Pubkey::new_unique());
    assert_error(h.send_one(ix, &[&admin]).await, code(StakingError::InvalidParams));
}

#[tokio::test]
async fn admin_transfer_is_two_step() {
    let mut f = StakingFixture::new().await;
    let next = f.h.funded_keypair(1_000_000_000).await;
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let admin = f.admin.insecure_clone();

    // Only the admin proposes; has_one = admin.
    assert_error(
        f.h.send_one(sdk::propose_admin(&stranger.pubkey(), next.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    // The admin key without its signature.
    assert_error(
        f.h.send_one(unsigned(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &admin.pubkey()), &[])
            .await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    f.h.send_one(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &[&admin]).await.unwrap();
    assert_eq!(f.config().await.admin, admin.pubkey(), "proposing does not transfer");
    assert_error(
        f.h.send_one(sdk::accept_admin(&stranger.pubkey()), &[&stranger]).await,
        code(StakingError::NotPendingAdmin),
    );
    f.h.send_one(sdk::accept_admin(&next.pubkey()), &[&next]).await.unwrap();
    let c = f.config().await;
    assert_eq!(c.admin, next.pubkey());
    assert_eq!(c.pending_admin, Pubkey::default());
    // The old admin has lost its powers.
    assert_error(
        f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
}

#[tokio::test]
async fn update_params_and_authorities() {
    let mut f = StakingFixture::new().await;
    let admin = f.admin.insecure_clone();
    let mut p = f.params;
    p.min_stake = 200 * IO;
    f.h.send_one(sdk::update_params(&admin.pubkey(), p), &[&admin]).await.unwrap();
    assert_eq!(f.config().await.params.min_stake, 200 * IO);
    p.commission_cap_bps = 10_001;
    assert_error(
        f.h.send_one(sdk::update_params(&admin.pubkey(), p), &[&admin]).await,
        code(StakingError::InvalidParams),
    );
    let (o, r) = (Pubkey::new_unique(), Pubkey::new_unique());
    f.h.send_one(sdk::set_authorities(&admin.pubkey(), o, r), &[&admin]).await.unwrap();
    let c = f.config().await;
    assert_eq!((c.oracle_authority, c.rewards_authority), (o, r));
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.h.send_one(sdk::set_authorities(&stranger.pubkey(), o, r), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
}

/// While paused, every non-admin instruction fails with `Paused`, and works again once unpaused.
#[tokio::test]
async fn pause_blocks_every_state_changing_instruction() {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 500, 10_000 * IO, 1).await;
    let pending_dev =
        f.device(&op, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 9)).await.unwrap();
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 200 * IO).await.unwrap();
    f.unstake(&s, &op.address, 100 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, IO).await.unwrap();
    let newcomer = f.h.funded_keypair(1_000_000_000).await;

    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();

    let mint = f.io_mint();
    let a = op.authority.insecure_clone();
    let oracle = f.oracle.insecure_clone();
    let rewards = f.rewards.insecure_clone();
    let w = s.wallet.insecure_clone();
    let cases: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        ("register_operator", sdk::register_operator(&newcomer.pubkey(), "n", "us", "", 0), vec![&newcomer]),
        ("update_operator", sdk::update_operator(&a.pubkey(), "x", "us", ""), vec![&a]),
        ("request_commission_change", sdk::request_commission_change(&a.pubkey(), 600), vec![&a]),
        ("add_bond", sdk::add_bond(&a.pubkey(), &mint, &op.token, IO), vec![&a]),
        ("request_bond_withdrawal", sdk::request_bond_withdrawal(&a.pubkey(), IO), vec![&a]),
        ("withdraw_bond", sdk::withdraw_bond(&a.pubkey(), &mint, &op.token), vec![&a]),
        ("claim_commission", sdk::claim_commission(&a.pubkey(), &mint, &op.token), vec![&a]),
        (
            "register_device",
            sdk::register_device(&a.pubkey(), StakingFixture::gpu_spec(HardwareClass::Cpu, 0, 3), worker()),
            vec![&a],
        ),
        ("deregister_device", sdk::deregister_device(&a.pubkey(), &dev), vec![&a]),
        ("bind_worker", sdk::bind_worker(&a.pubkey(), &dev, worker()), vec![&a]),
        ("activate_device", sdk::activate_device(&oracle.pubkey(), &op.address, &pending_dev), vec![&oracle]),
        ("jail_device", sdk::jail_device(&oracle.pubkey(), &op.address, &dev), vec![&oracle]),
        ("stake", sdk::stake(&w.pubkey(), &op.address, &mint, &s.token, IO), vec![&w]),
        ("unstake", sdk::unstake(&w.pubkey(), &op.address, &mint, &s.token, IO), vec![&w]),
        ("withdraw", sdk::withdraw(&w.pubkey(), &op.address, &mint, &s.token), vec![&w]),
        ("claim_rewards", sdk::claim_rewards(&w.pubkey(), &op.address, &mint, &s.token), vec![&w]),
        (
            "fund_operator_rewards",
            sdk::fund_operator_rewards(&rewards.pubkey(), &op.address, &mint, &f.rewards_token, IO, &[]),
            vec![&rewards],
        ),
        ("propose_slash", sdk::propose_slash(&oracle.pubkey(), &op.address, IO, [1; 32]), vec![&oracle]),
        ("execute_slash", sdk::execute_slash(&op.address, &slash, &mint), vec![]),
    ];
    for (name, ix, signers) in cases {
        let r = f.h.send_one(ix, &signers).await;
        assert_eq!(
            io_testkit::error_code(r.as_ref().unwrap_err()),
            Some(code(StakingError::Paused)),
            "{name}: {r:?}"
        );
    }
    // The admin still acts while paused: the appeal can be upheld, and the switch turned off.
    f.h.send_one(sdk::cancel_slash(&admin.pubkey(), &op.address, &slash), &[&admin]).await.unwrap();
    f.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();
    f.stake(&s, &op.address, IO).await.unwrap();
}
