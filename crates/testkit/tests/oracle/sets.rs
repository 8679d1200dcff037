use crate::common::*;
use solana_signer::Signer;

#[tokio::test]
async fn initialize_validates_the_set() {
    let mut h = Harness::full_stack().await;
    let admin = h.funded_keypair(10_000_000_000).await;
    let mint = h.io_mint;
    let cluster = cluster_id(&h);
    let k: Vec<Pubkey> = (0..9).map(|_| Pubkey::new_unique()).collect();
    let p = default_params();
    let cases = [
        (vec![], 0u8),
        (k[..9].to_vec(), 0),  // more than eight
        (vec![k[0], k[0]], 0), // duplicate key
        (k[..4].to_vec(), 2),  // threshold not above half
        (k[..4].to_vec(), 5),  // threshold above the count
    ];
    for (members, threshold) in cases {
        let ix = sdk::initialize(&admin.pubkey(), &mint, p, members, threshold, cluster);
        assert_error(h.send_one(ix, &[&admin]).await, code(OracleError::InvalidSet));
    }
    let mut bad = p;
    bad.min_bond = 0;
    let ix = sdk::initialize(&admin.pubkey(), &mint, bad, k[..3].to_vec(), 0, cluster);
    assert_error(h.send_one(ix, &[&admin]).await, code(OracleError::InvalidParams));
    // A cluster id is required: all zeros would bind nothing.
    let ix = sdk::initialize(&admin.pubkey(), &mint, p, k[..3].to_vec(), 0, [0; 32]);
    assert_error(h.send_one(ix, &[&admin]).await, code(OracleError::InvalidParams));
    // Root of trust: only io_token's mint (bonds must be burnable by io_token).
    let other_mint = h.usdc_mint;
    let ix = sdk::initialize(&admin.pubkey(), &other_mint, p, k[..3].to_vec(), 0, cluster);
    assert_error(h.send_one(ix, &[&admin]).await, anchor_code(AnchorError::ConstraintSeeds));
    let ix = sdk::initialize(&admin.pubkey(), &mint, p, k[..8].to_vec(), 0, cluster);
    h.send_one(ix, &[&admin]).await.unwrap();
    let c: OracleConfig = h.account(&sdk::config()).await;
    assert_eq!((c.set.epoch, c.set.count, c.set.threshold), (1, 8, 6));
    assert_eq!((c.cluster_id, c.io_mint, c.bond_vault), (cluster, mint, sdk::bond_vault()));
    // Initialised once: a second initialize is refused by the kit (3000), whoever sends it.
    let ix = sdk::initialize(&admin.pubkey(), &mint, p, k[..3].to_vec(), 0, cluster);
    assert_error(h.send_one(ix, &[&admin]).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
}

#[tokio::test]
async fn rotation_by_quorum_with_grace_for_the_old_set() {
    let mut f = OracleFixture::new(3).await;
    let newcomers: Vec<Keypair> = (0..4).map(|_| Keypair::new()).collect();
    for k in &newcomers {
        f.bond(k, 1_000 * IO).await.unwrap();
    }
    let members: Vec<Pubkey> = newcomers.iter().map(|k| k.pubkey()).collect();
    let digest = f.rotation_digest(1, &members, 0);
    // Not enough of the current set.
    let ed = quorum_instruction(&f.keys(&[0, 1]), &digest);
    let r = f.h.send(&[ed, sdk::rotate_by_quorum(members.clone(), 0)], &[]).await;
    assert_error(r, code(OracleError::QuorumNotReached));
    // The newcomers cannot sign themselves in.
    let ed = quorum_instruction(&newcomers.iter().collect::<Vec<_>>(), &digest);
    let r = f.h.send(&[ed, sdk::rotate_by_quorum(members.clone(), 0)], &[]).await;
    assert_error(r, code(OracleError::NotAMember));
    // A member without a bond.
    let unbonded = Keypair::new();
    let mut with_unbonded = members.clone();
    with_unbonded[3] = unbonded.pubkey();
    let d2 = f.rotation_digest(1, &with_unbonded, 0);
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &d2);
    let r = f.h.send(&[ed, sdk::rotate_by_quorum(with_unbonded, 0)], &[]).await;
    assert_error(r, anchor_code(AnchorError::AccountNotInitialized));
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    f.h.send(&[ed, sdk::rotate_by_quorum(members.clone(), 0)], &[]).await.unwrap();
    let c = f.config().await;
    assert_eq!((c.set.epoch, c.set.count, c.set.threshold, c.prev_set.epoch), (2, 4, 3, 1));

    // Inside the grace period the old set's report still certifies.
    let old = f.body(1).await;
    f.post(old).await.unwrap();
    f.certify(&old, &[0, 1, 2]).await.unwrap();
    // After it, a report naming the old epoch is stale.
    f.h.warp_seconds(f.params.set_grace_secs + 3600).await;
    let stale = f.body(1).await;
    f.post(stale).await.unwrap();
    assert_error(f.certify(&stale, &[0, 1, 2]).await, code(OracleError::StaleSetEpoch));
    // The new set certifies epoch-2 reports; old keys are not members of it.
    let fresh = f.body(2).await;
    f.post(fresh).await.unwrap();
    let digest = f.digest(&fresh);
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &digest);
    assert_error(
        f.h.send(&[ed, sdk::certify_report(&f.report(&fresh))], &[]).await,
        code(OracleError::NotAMember),
    );
    let ed = quorum_instruction(&newcomers.iter().take(3).collect::<Vec<_>>(), &digest);
    f.h.send(&[ed, sdk::certify_report(&f.report(&fresh))], &[]).await.unwrap();
}

#[tokio::test]
async fn admin_rotation_waits_for_its_timelock() {
    let mut f = OracleFixture::new(3).await;
    let next: Vec<Keypair> = (0..2).map(|_| Keypair::new()).collect();
    for k in &next {
        f.bond(k, 1_000 * IO).await.unwrap();
    }
    let members: Vec<Pubkey> = next.iter().map(|k| k.pubkey()).collect();
    let admin = f.admin.insecure_clone();
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.h.send_one(sdk::propose_rotation(&stranger.pubkey(), members.clone(), 0), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(f.execute_rotation().await, code(OracleError::NoPendingRotation));
    f.h.send_one(sdk::propose_rotation(&admin.pubkey(), members.clone(), 0), &[&admin]).await.unwrap();
    let due = f.config().await.pending_rotation.executable_ts;
    f.h.set_time(due - 1).await;
    assert_error(f.execute_rotation().await, code(OracleError::TimelockNotElapsed));
    f.h.set_time(due).await;
    f.execute_rotation().await.unwrap();
    let c = f.config().await;
    assert_eq!((c.set.epoch, c.set.keys().to_vec(), c.set.threshold), (2, members, 2));
    assert_error(f.execute_rotation().await, code(OracleError::NoPendingRotation));
}

#[tokio::test]
async fn bonds_leave_only_out_of_every_set_and_after_the_cooldown() {
    let mut f = OracleFixture::new(3).await;
    let o = f.oracles[0].insecure_clone();
    f.bond(&o, 2_000 * IO).await.unwrap();
    let mint = f.h.io_mint;
    let token = f.h.create_token_account(&mint, &o.pubkey()).await;
    assert_eq!(f.h.token_balance(&sdk::bond_vault()).await, 2_000 * IO);
    assert_error(
        f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await,
        code(OracleError::StillInSet),
    );
    // Rotated out by the admin: still in the grace set for a day.
    let others: Vec<Keypair> = (0..2).map(|_| Keypair::new()).collect();
    for k in &others {
        f.bond(k, 1_000 * IO).await.unwrap();
    }
    let admin = f.admin.insecure_clone();
    let members = others.iter().map(|k| k.pubkey()).collect();
    f.h.send_one(sdk::propose_rotation(&admin.pubkey(), members, 0), &[&admin]).await.unwrap();
    f.h.warp_seconds(f.params.admin_rotation_timelock_secs).await;
    f.execute_rotation().await.unwrap();
    assert_error(
        f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await,
        code(OracleError::StillInSet),
    );
    f.h.warp_seconds(f.params.set_grace_secs).await;
    f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    let b: OracleBond = f.h.account(&sdk::bond(&o.pubkey())).await;
    assert_eq!((b.amount, b.withdrawing), (0, 2_000 * IO));
    f.h.set_time(b.unlock_ts - 1).await;
    assert_error(
        f.h.send_one(sdk::withdraw_bond(&o.pubkey(), &mint, &token), &[&o]).await,
        code(OracleError::CooldownNotElapsed),
    );
    f.h.set_time(b.unlock_ts).await;
    f.h.send_one(sdk::withdraw_bond(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    assert_eq!(f.h.token_balance(&token).await, 2_000 * IO);
    assert_error(
        f.h.send_one(sdk::withdraw_bond(&o.pubkey(), &mint, &token), &[&o]).await,
        code(OracleError::NothingToWithdraw),
    );
}

#[tokio::test]
async fn admin_transfer_and_pause() {
    let mut f = OracleFixture::new(3).await;
    let admin = f.admin.insecure_clone();
    let next = f.h.funded_keypair(1_000_000_000).await;
    f.h.send_one(sdk::propose_admin(&admin.pubkey(), next.pubkey()), &[&admin]).await.unwrap();
    assert_error(
        f.h.send_one(sdk::accept_admin(&admin.pubkey()), &[&admin]).await,
        code(OracleError::NotPendingAdmin),
    );
    f.h.send_one(sdk::accept_admin(&next.pubkey()), &[&next]).await.unwrap();
    assert_error(
        f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    // While paused, reports can be neither posted nor certified, nor bonds moved.
    let body = f.body(1).await;
    f.post(body).await.unwrap();
    f.h.send_one(sdk::set_paused(&next.pubkey(), true), &[&next]).await.unwrap();
    let mut other = body;
    other.usdc_per_io += 1;
    assert_error(f.post(other).await, code(OracleError::Paused));
    assert_error(f.certify(&body, &[0, 1, 2]).await, code(OracleError::Paused));
    let o = f.oracles[0].insecure_clone();
    assert_error(f.bond(&o, IO).await, code(OracleError::Paused));
    f.h.send_one(sdk::set_paused(&next.pubkey(), false), &[&next]).await.unwrap();
    f.certify(&body, &[0, 1, 2]).await.unwrap();
}
