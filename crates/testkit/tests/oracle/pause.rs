//! F-12: what the pause stops. Paused, io_oracle certifies nothing, installs no set and moves no
//! bond; the admin's own instructions (including cancelling a pending rotation) and proofs of
//! equivocation (equivocation.rs) still work.
use crate::common::*;
use solana_signer::Signer;

#[tokio::test]
async fn rotations_respect_the_pause_and_the_admin_can_cancel_its_own() {
    let mut f = OracleFixture::new(3).await;
    let next = f.bonded_keys(2, 1_000 * IO).await;
    let members: Vec<Pubkey> = next.iter().map(|k| k.pubkey()).collect();
    let admin = f.admin.insecure_clone();
    // Nothing to cancel; and only the admin cancels.
    assert_error(
        f.h.send_one(sdk::cancel_rotation(&admin.pubkey()), &[&admin]).await,
        code(OracleError::NoPendingRotation),
    );
    f.propose_and_wait(members.clone()).await.unwrap();
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    assert_error(
        f.h.send_one(sdk::cancel_rotation(&stranger.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    assert_error(f.execute_rotation().await, code(OracleError::Paused));
    assert_error(f.rotate_by_quorum(&[0, 1, 2], members.clone()).await, code(OracleError::Paused));
    // The admin withdraws its rotation while paused; nothing is left to execute.
    f.h.send_one(sdk::cancel_rotation(&admin.pubkey()), &[&admin]).await.unwrap();
    assert_eq!(f.config().await.pending_rotation, PendingRotation::default());
    f.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();
    assert_error(
        f.h.send_one(sdk::execute_rotation(&members), &[]).await,
        code(OracleError::NoPendingRotation),
    );
    assert_eq!(f.config().await.set.epoch, 1);
    // Unpaused, a quorum rotation works again.
    f.rotate_by_quorum(&[0, 1, 2], members).await.unwrap();
}

#[tokio::test]
async fn bond_withdrawals_refuse_while_paused() {
    let mut f = OracleFixture::new(3).await;
    let o = f.bonded_keys(1, 1_000 * IO).await.remove(0);
    let (mint, token) = (f.h.io_mint, f.io_account(&o.pubkey()).await);
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let request = sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token);
    assert_error(f.h.send_one(request.clone(), &[&o]).await, code(OracleError::Paused));
    f.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();
    f.h.send_one(request, &[&o]).await.unwrap();
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let withdraw = sdk::withdraw_bond(&o.pubkey(), &mint, &token);
    assert_error(f.h.send_one(withdraw, &[&o]).await, code(OracleError::Paused));
}
