use crate::common::*;
use io_token::{BurnReason, TokenConfig};
use solana_signer::Signer;

#[tokio::test]
async fn two_signed_reports_for_one_period_burn_the_bond_and_remove_the_key() {
    let mut f = OracleFixture::new(4).await;
    let cheat = f.oracles[1].insecure_clone();
    f.bond(&cheat, 5_000 * IO).await.unwrap();
    let a = f.body(1).await;
    let mut b = a;
    b.usdc_per_io += 1;
    let mint = f.h.io_mint;
    let supply = f.h.mint_supply(&mint).await;
    let reporter = f.h.funded_keypair(1_000_000_000).await;
    // The same message twice is no equivocation.
    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, a);
    assert_error(
        f.h.send(&[equivocation_instruction(&f.cluster, &cheat, &a, &a), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );
    // Different periods are no equivocation either.
    let mut later = b;
    later.period += 1;
    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, later);
    assert_error(
        f.h.send(&[equivocation_instruction(&f.cluster, &cheat, &a, &later), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );
    // Another key's signatures do not prove this key cheated.
    let honest = f.oracles[2].insecure_clone();
    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    assert_error(
        f.h.send(&[equivocation_instruction(&f.cluster, &honest, &a, &b), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );

    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    f.h.send(&[equivocation_instruction(&f.cluster, &cheat, &a, &b), ix.clone()], &[&reporter])
        .await
        .unwrap();
    let bond: OracleBond = f.h.account(&sdk::bond(&cheat.pubkey())).await;
    assert!(bond.slashed);
    assert_eq!((bond.amount, bond.withdrawing), (0, 0));
    assert_eq!(f.h.mint_supply(&mint).await, supply - 5_000 * IO);
    let t: TokenConfig = f.h.account(&io_sdk::token::config()).await;
    assert_eq!(t.burned[BurnReason::Other as usize], 5_000 * IO);
    let c = f.config().await;
    assert_eq!((c.set.epoch, c.set.count, c.total_slashed), (2, 3, 5_000 * IO));
    assert!(c.set.position(&cheat.pubkey()).is_none());
    // Proven once: the evidence account exists.
    assert_error(
        f.h.send(&[equivocation_instruction(&f.cluster, &cheat, &a, &b), ix], &[&reporter]).await,
        anchor_code(AnchorError::AccountDiscriminatorAlreadySet),
    );
}

/// F-9: a certification that expired leaves its signatures public; re-signing the same content
/// with a later expiry (or under the next set's epoch) is honest, never an equivocation.
#[tokio::test]
async fn re_signing_the_same_content_with_a_later_expiry_is_no_equivocation() {
    let mut f = OracleFixture::new(3).await;
    let honest = f.oracles[0].insecure_clone();
    f.bond(&honest, 1_000 * IO).await.unwrap();
    let first = f.body(1).await;
    f.post(first).await.unwrap();
    f.h.warp_slots(1_001).await;
    assert_error(f.certify(&first, &[0, 1, 2]).await, code(OracleError::ReportExpired));
    let mut again = first;
    again.expiry_slot = f.h.clock().await.slot + 1_000;
    f.post(again).await.unwrap();
    f.certify(&again, &[0, 1, 2]).await.unwrap();
    // Both signatures are public now; together they prove nothing.
    assert_error(f.prove(&honest, first, again).await, code(OracleError::NotEquivocation));
    let mut next_epoch = again;
    next_epoch.set_epoch = 2;
    assert_error(f.prove(&honest, first, next_epoch).await, code(OracleError::NotEquivocation));
    let b: OracleBond = f.h.account(&sdk::bond(&honest.pubkey())).await;
    assert_eq!((b.amount, b.slashed), (1_000 * IO, false));
    // A different content for the period still is one, whatever the expiry.
    let mut other = again;
    other.devices_root = [9; 32];
    f.prove(&honest, first, other).await.unwrap();
}

/// S-8: a key that sits only in the previous set (rotated out, in its grace) and equivocates ends
/// that set's grace at once: its signatures stop counting.
#[tokio::test]
async fn an_equivocating_key_only_in_the_previous_set_stops_counting_at_once() {
    let mut f = OracleFixture::new(3).await;
    let cheat = f.oracles[0].insecure_clone();
    f.bond(&cheat, 1_000 * IO).await.unwrap();
    let next = f.bonded_keys(3, 1_000 * IO).await;
    f.rotate_by_quorum(&[0, 1, 2], next.iter().map(|k| k.pubkey()).collect()).await.unwrap();
    let c = f.config().await;
    assert!(c.prev_valid_until > f.h.now().await && c.prev_set.position(&cheat.pubkey()).is_some());
    let a = f.body(1).await;
    let mut b = a;
    b.rewards_root = [7; 32];
    f.prove(&cheat, a, b).await.unwrap();
    let c = f.config().await;
    assert_eq!(c.prev_valid_until, f.h.now().await, "the previous set's grace ended");
    assert_eq!(c.set.epoch, 2, "the current set, without the key, is unchanged");
    // The old set, cheater included, no longer certifies even the period of the rotation.
    f.post(a).await.unwrap();
    assert_error(f.certify(&a, &[0, 1, 2]).await, code(OracleError::StaleSetEpoch));
}

/// F-12: a proof of equivocation works while paused (a pause must not shelter a cheater); the
/// pause stays.
#[tokio::test]
async fn a_proof_of_equivocation_works_while_paused() {
    let mut f = OracleFixture::new(4).await;
    let cheat = f.oracles[3].insecure_clone();
    f.bond(&cheat, 2_000 * IO).await.unwrap();
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let a = f.body(1).await;
    let mut b = a;
    b.device_seconds += 1;
    f.prove(&cheat, a, b).await.unwrap();
    let c = f.config().await;
    assert!(c.paused);
    assert_eq!((c.set.epoch, c.set.count, c.total_bonded, c.total_slashed), (2, 3, 0, 2_000 * IO));
}

/// A bootstrap member that never bonded is still removed, and its bond account is created
/// slashed: it can never bond and be named in a set again.
#[tokio::test]
async fn an_unbonded_bootstrap_member_is_removed_and_can_never_bond() {
    let mut f = OracleFixture::new(4).await;
    let cheat = f.oracles[2].insecure_clone();
    let a = f.body(1).await;
    let mut b = a;
    b.usdc_per_io = 1;
    f.prove(&cheat, a, b).await.unwrap();
    let bond: OracleBond = f.h.account(&sdk::bond(&cheat.pubkey())).await;
    assert_eq!((bond.oracle, bond.amount, bond.slashed), (cheat.pubkey(), 0, true));
    let c = f.config().await;
    assert!(c.set.position(&cheat.pubkey()).is_none());
    assert_eq!(c.total_slashed, 0);
    assert_error(f.bond(&cheat, 1_000 * IO).await, code(OracleError::BondSlashed));
}

/// A set of one cannot lose its only key: the proof burns the bond and revokes the set — it
/// certifies and rotates nothing more, and the admin's rotation replaces it with no grace.
#[tokio::test]
async fn a_sole_member_that_equivocates_revokes_its_set() {
    let mut f = OracleFixture::new(1).await;
    let cheat = f.oracles[0].insecure_clone();
    f.bond(&cheat, 1_000 * IO).await.unwrap();
    let a = f.body(1).await;
    let mut b = a;
    b.slashes_root = [5; 32];
    f.prove(&cheat, a, b).await.unwrap();
    let c = f.config().await;
    assert!(c.set_revoked && !c.paused);
    f.post(a).await.unwrap();
    assert_error(f.certify(&a, &[0]).await, code(OracleError::SetRevoked));
    let fresh = f.bonded_keys(1, 1_000 * IO).await.remove(0);
    assert_error(f.rotate_by_quorum(&[0], vec![fresh.pubkey()]).await, code(OracleError::SetRevoked));
    f.propose_and_wait(vec![fresh.pubkey()]).await.unwrap();
    f.execute_rotation().await.unwrap();
    let c = f.config().await;
    assert_eq!((c.set_revoked, c.set.keys().to_vec()), (false, vec![fresh.pubkey()]));
    assert_eq!(c.prev_valid_until, f.h.now().await, "no grace for the revoked set");
    assert_error(f.certify(&a, &[0]).await, code(OracleError::StaleSetEpoch));
}

/// Class 19: a bond in its withdrawal cooldown is still slashable for an offence signed while
/// the key was in a set.
#[tokio::test]
async fn a_bond_in_its_cooldown_is_still_burned() {
    let mut f = OracleFixture::new(3).await;
    let cheat = f.oracles[0].insecure_clone();
    f.bond(&cheat, 3_000 * IO).await.unwrap();
    let a = f.body(1).await;
    let mut b = a;
    b.usage_root = [8; 32];
    let next = f.bonded_keys(2, 1_000 * IO).await;
    f.propose_and_wait(next.iter().map(|k| k.pubkey()).collect()).await.unwrap();
    f.execute_rotation().await.unwrap();
    f.h.warp_seconds(f.params.set_grace_secs).await;
    let token = f.io_account(&cheat.pubkey()).await;
    let mint = f.h.io_mint;
    f.h.send_one(sdk::request_bond_withdrawal(&cheat.pubkey(), &mint, &token), &[&cheat]).await.unwrap();
    f.prove(&cheat, a, b).await.unwrap();
    let bond: OracleBond = f.h.account(&sdk::bond(&cheat.pubkey())).await;
    assert_eq!((bond.amount, bond.withdrawing, bond.slashed), (0, 0, true));
    assert_eq!(f.config().await.total_slashed, 3_000 * IO);
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    assert_error(
        f.h.send_one(sdk::withdraw_bond(&cheat.pubkey(), &mint, &token), &[&cheat]).await,
        code(OracleError::BondSlashed),
    );
}
