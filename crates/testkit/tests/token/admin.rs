use crate::common::*;
use anchor_lang::solana_program::{program_option::COption, program_pack::Pack};
use anchor_spl::token::spl_token;

#[tokio::test]
async fn initialize_creates_a_pda_mint_without_freeze_authority() {
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let params = EmissionParams::defaults(9);
    let events = h.send_events(&[sdk::initialize(&admin.pubkey(), 9, params)], &[&admin]).await.unwrap();
    let ev: TokenInitialized = decode_event(&events[0]).expect("a TokenInitialized event");
    assert_eq!((ev.admin, ev.io_mint, ev.decimals), (admin.pubkey(), sdk::mint(), 9));
    assert_eq!(ev.max_supply, 800_000_000 * IO);

    let raw = h.raw_account(&sdk::mint()).await.unwrap();
    assert_eq!(raw.owner, spl_token::ID);
    let mint = spl_token::state::Mint::unpack(&raw.data).unwrap();
    assert_eq!(mint.mint_authority, COption::Some(sdk::config()), "the config PDA mints");
    assert_eq!(mint.freeze_authority, COption::None, "nobody can freeze $IO");
    assert_eq!((mint.decimals, mint.supply), (9, 0));

    let c: TokenConfig = h.account(&sdk::config()).await;
    assert_eq!((c.admin, c.io_mint, c.decimals), (admin.pubkey(), sdk::mint(), 9));
    assert_eq!(c.max_supply, 800_000_000 * IO);
    assert_eq!(c.params, params);
    assert!(!c.genesis_done && !c.paused);
    assert_eq!((c.total_minted, c.total_burned), (0, 0));
    assert_eq!(c.burn_authorities, [Pubkey::default(); 3]);

    let again = sdk::initialize(&admin.pubkey(), 9, params);
    assert_reinit_refused(h.send_one(again, &[&admin]).await);
}

#[tokio::test]
async fn initialize_rejects_invalid_params() {
    let mut h = Harness::new().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let good = EmissionParams::defaults(9);
    let cases = [
        ("decimals past 10 overflow 800M in u64", 11, EmissionParams::defaults(11)),
        ("zero first month", 9, EmissionParams { first_month_emission: 0, ..good }),
        (
            "first month above the budget",
            9,
            EmissionParams { first_month_emission: 300_000_000 * IO + 1, ..good },
        ),
        ("decay of 100%", 9, EmissionParams { decay_bps: 10_000, ..good }),
    ];
    for (name, decimals, params) in cases {
        let r = h.send_one(sdk::initialize(&admin.pubkey(), decimals, params), &[&admin]).await;
        assert_eq!(err_code(r), Some(code(TokenError::InvalidParams)), "{name}");
    }
    // The unsigned admin.
    let ix = unsigned(sdk::initialize(&admin.pubkey(), 9, good), &admin.pubkey());
    assert_error(h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountNotSigner));
    // 10 decimals is the most that fits, with a budget-sized first month.
    let p = EmissionParams { first_month_emission: 300_000_000 * 10_000_000_000, decay_bps: 0 };
    h.send_one(sdk::initialize(&admin.pubkey(), 10, p), &[&admin]).await.unwrap();
}

#[tokio::test]
async fn admin_transfer_is_two_step() {
    let mut f = TokenFixture::new().await;
    let next = f.h.funded_keypair(1_000_000_000).await;
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let admin = f.admin.insecure_clone();

    assert_error(
        f.h.send_one(sdk::propose_admin(&stranger.pubkey(), next.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(
        f.h.send_one(unsigned(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &admin.pubkey()), &[])
            .await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    let events =
        f.h.send_events(&[sdk::propose_admin(&admin.pubkey(), next.pubkey())], &[&admin]).await.unwrap();
    let ev: AdminProposed = decode_event(&events[0]).unwrap();
    assert_eq!((ev.admin, ev.pending_admin), (admin.pubkey(), next.pubkey()));
    assert_eq!(f.config().await.admin, admin.pubkey(), "proposing does not transfer");
    assert_error(
        f.h.send_one(sdk::accept_admin(&stranger.pubkey()), &[&stranger]).await,
        code(TokenError::NotPendingAdmin),
    );
    let events = f.h.send_events(&[sdk::accept_admin(&next.pubkey())], &[&next]).await.unwrap();
    let ev: AdminAccepted = decode_event(&events[0]).unwrap();
    assert_eq!((ev.old_admin, ev.new_admin), (admin.pubkey(), next.pubkey()));
    let c = f.config().await;
    assert_eq!((c.admin, c.pending_admin), (next.pubkey(), Pubkey::default()));
    // The old admin has lost its powers, genesis included.
    assert_error(
        f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(f.genesis().await, anchor_code(AnchorError::ConstraintHasOne));
    f.h.send_one(sdk::genesis(&next.pubkey()), &[&next]).await.unwrap();
}

#[tokio::test]
async fn burn_authorities_and_rewards_distributor_are_the_admins_to_set() {
    let mut f = TokenFixture::new().await;
    let admin = f.admin.insecure_clone();
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let (slasher, distributor) = (Pubkey::new_unique(), Pubkey::new_unique());

    let ix = sdk::set_burn_authority(&admin.pubkey(), BurnReason::Slash, slasher);
    let events = f.h.send_events(&[ix], &[&admin]).await.unwrap();
    let ev: BurnAuthoritySet = decode_event(&events[0]).unwrap();
    assert_eq!((ev.reason, ev.before, ev.after), (BurnReason::Slash, Pubkey::default(), slasher));
    assert_eq!(f.config().await.burn_authorities, [Pubkey::default(), Pubkey::default(), slasher]);
    // `Other` is open to every holder: there is no authority to set.
    assert_error(
        f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::Other, slasher)).await,
        code(TokenError::BurnReasonNotReserved),
    );
    assert_error(
        f.h.send_one(
            sdk::set_burn_authority(&stranger.pubkey(), BurnReason::LeaseFee, slasher),
            &[&stranger],
        )
        .await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(
        f.h.send_one(
            unsigned(
                sdk::set_burn_authority(&admin.pubkey(), BurnReason::LeaseFee, slasher),
                &admin.pubkey(),
            ),
            &[],
        )
        .await,
        anchor_code(AnchorError::AccountNotSigner),
    );

    let events =
        f.h.send_events(&[sdk::set_rewards_distributor(&admin.pubkey(), distributor)], &[&admin])
            .await
            .unwrap();
    let ev: RewardsDistributorSet = decode_event(&events[0]).unwrap();
    assert_eq!((ev.before, ev.after), (Pubkey::default(), distributor));
    assert_eq!(f.config().await.rewards_distributor, distributor);
    assert_error(
        f.h.send_one(sdk::set_rewards_distributor(&stranger.pubkey(), stranger.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
}

/// While paused, every non-admin instruction fails with `Paused`; the admin's keep working, and
/// everything works again once unpaused.
#[tokio::test]
async fn pause_blocks_every_non_admin_instruction() {
    let mut f = TokenFixture::launched().await;
    let admin = f.admin.insecure_clone();
    let (w, wt) = f.wallet().await;
    f.fund(&wt, 100 * IO).await;
    let now = f.h.now().await;
    let schedule =
        f.create_vesting(&w.pubkey(), Bucket::Seed, now - 100, now - 100, now + 100, 50 * IO).await.unwrap();
    let tree = AirdropTree::new(1, vec![(w.pubkey(), 5 * IO)]);
    f.create_airdrop(&tree, now + 1_000).await.unwrap();
    let old = AirdropTree::new(2, vec![(w.pubkey(), 5 * IO)]);
    f.create_airdrop(&old, now + 10).await.unwrap();
    f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), w.pubkey())).await.unwrap();
    f.h.warp_seconds(2 * 3_600).await;
    let events = f.h.send_events(&[sdk::set_paused(&admin.pubkey(), true)], &[&admin]).await.unwrap();
    let ev: PausedSet = decode_event(&events[0]).unwrap();
    assert_eq!((ev.paused_before, ev.paused_after), (false, true));

    let cases: Vec<(&str, Instruction, Vec<&Keypair>)> = vec![
        ("emit", sdk::emit(), vec![]),
        ("burn", sdk::burn(&w.pubkey(), &wt, IO, BurnReason::Other), vec![&w]),
        ("claim_vested", sdk::claim_vested(&w.pubkey(), &schedule, Bucket::Seed, &wt), vec![&w]),
        ("claim_airdrop", tree.claim(0, &wt).unwrap(), vec![&w]),
        ("close_airdrop", sdk::close_airdrop(2), vec![]),
        ("withdraw_rewards", sdk::withdraw_rewards(&w.pubkey(), &wt, 1), vec![&w]),
    ];
    for (name, ix, signers) in cases {
        let r = f.h.send_one(ix, &signers).await;
        assert_eq!(err_code(r), Some(code(TokenError::Paused)), "{name}");
    }
    // The admin still acts while paused.
    let b = Pubkey::new_unique();
    f.create_vesting(&b, Bucket::SeriesA, now, now, now + 10, IO).await.unwrap();
    f.create_airdrop(&AirdropTree::new(3, vec![(b, IO)]), now + 1_000_000).await.unwrap();
    f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::Buyback, b)).await.unwrap();
    f.as_admin(sdk::set_paused(&admin.pubkey(), false)).await.unwrap();
    f.emit().await.unwrap();
    f.burn(&w, &wt, IO, BurnReason::Other).await.unwrap();
    f.close_airdrop(2).await.unwrap();
    f.assert_ledger().await;
}
