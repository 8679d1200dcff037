//! Class 18 and S-3 / S-5: a signature is bound to its cluster (the genesis hash in the config),
//! and a key removed from the set certifies no period that starts after its removal.
use crate::common::*;
use solana_signer::Signer;

/// S-5: the same program id and the same oracle keys on another cluster (devnet) sign digests
/// that do not verify here.
#[tokio::test]
async fn a_report_or_rotation_signed_for_another_cluster_is_refused() {
    let mut f = OracleFixture::new(3).await;
    let devnet = [0xde; 32];
    let body = f.body(1).await;
    f.post(body).await.unwrap();
    let elsewhere = sdk::report_digest(&devnet, &body);
    assert_ne!(elsewhere, f.digest(&body));
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &elsewhere);
    let report = f.report(&body);
    assert_error(
        f.h.send(&[ed, sdk::certify_report(&report)], &[]).await,
        code(OracleError::MessageMismatch),
    );
    // Its candidate address is another cluster's: posting there is refused.
    let relayer = f.h.payer().insecure_clone();
    let mut next = body;
    next.usdc_per_io += 1;
    let ix = sdk::post_report(&relayer.pubkey(), &devnet, next);
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::ConstraintSeeds));
    // A rotation signed for another cluster.
    let newcomers = f.bonded_keys(2, 1_000 * IO).await;
    let members: Vec<Pubkey> = newcomers.iter().map(|k| k.pubkey()).collect();
    let ed = quorum_instruction(&f.keys(&[0, 1, 2]), &sdk::rotation_digest(&devnet, 1, &members, 0));
    let r = f.h.send(&[ed, sdk::rotate_by_quorum(members.clone(), 0)], &[]).await;
    assert_error(r, code(OracleError::MessageMismatch));
    // Signed for this cluster, both work.
    f.certify(&body, &[0, 1, 2]).await.unwrap();
    f.rotate_by_quorum(&[0, 1, 2], members).await.unwrap();
}

/// S-3: after a rotation, the previous set still certifies the period in progress during its
/// grace, but no later period — even inside the grace.
#[tokio::test]
async fn a_removed_key_cannot_certify_periods_after_its_removal() {
    let mut f = OracleFixture::new(3).await;
    let next = f.bonded_keys(3, 1_000 * IO).await;
    f.rotate_by_quorum(&[0, 1, 2], next.iter().map(|k| k.pubkey()).collect()).await.unwrap();
    let c = f.config().await;
    assert_eq!(c.prev_last_period, f.period().await);
    let now_period = f.body(1).await;
    f.post(now_period).await.unwrap();
    f.h.warp_seconds(3600).await;
    let later = f.body(1).await;
    f.post(later).await.unwrap();
    assert!(f.h.now().await < f.config().await.prev_valid_until, "still inside the grace");
    // The period in progress at the rotation: allowed (the old set may have signed it already).
    f.certify(&now_period, &[0, 1, 2]).await.unwrap();
    // A period started after the rotation: refused to the removed keys.
    assert_error(f.certify(&later, &[0, 1, 2]).await, code(OracleError::StaleSetEpoch));
    let mut fresh = later;
    fresh.set_epoch = 2;
    f.post(fresh).await.unwrap();
    let ed = quorum_instruction(&next.iter().collect::<Vec<_>>(), &f.digest(&fresh));
    let report = f.report(&fresh);
    f.h.send(&[ed, sdk::certify_report(&report)], &[]).await.unwrap();
}
