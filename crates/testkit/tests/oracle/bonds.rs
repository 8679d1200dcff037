//! Bonds at stake (F-2) and the bond vault's ledger (F-11): a key that may sign always has at
//! least `min_bond` at stake, and a donation to the vault blocks nothing.
use crate::common::*;
use solana_signer::Signer;

/// F-2: a newcomer asks for its bond back during the admin's timelock. The rotation is no longer
/// executable with it; with a fresh bond it is, and the old withdrawal then stays locked while
/// the key may sign — so its equivocation burns everything.
#[tokio::test]
async fn a_newcomer_cannot_take_its_bond_out_and_still_be_installed() {
    let mut f = OracleFixture::new(3).await;
    let newcomer = f.bonded_keys(1, 1_000 * IO).await.remove(0);
    let others = f.bonded_keys(2, 1_000 * IO).await;
    let mut members: Vec<Pubkey> = others.iter().map(|k| k.pubkey()).collect();
    members.push(newcomer.pubkey());
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::propose_rotation(&admin.pubkey(), members.clone(), 0), &[&admin]).await.unwrap();
    // Not in any set yet: the request is allowed...
    let mint = f.h.io_mint;
    let token = f.io_account(&newcomer.pubkey()).await;
    f.h.send_one(sdk::request_bond_withdrawal(&newcomer.pubkey(), &mint, &token), &[&newcomer])
        .await
        .unwrap();
    // ...but the rotation re-checks the bonds at execution.
    f.h.warp_seconds(f.params.admin_rotation_timelock_secs).await;
    assert_error(f.execute_rotation().await, code(OracleError::BondBelowMinimum));
    // A fresh bond makes it executable again.
    f.bond(&newcomer, 1_000 * IO).await.unwrap();
    f.execute_rotation().await.unwrap();
    assert!(f.config().await.set.position(&newcomer.pubkey()).is_some());
    // The earlier request has cooled down, but the key may sign: nothing leaves.
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    let withdraw = sdk::withdraw_bond(&newcomer.pubkey(), &mint, &token);
    assert_error(f.h.send_one(withdraw.clone(), &[&newcomer]).await, code(OracleError::StillInSet));
    // Rotated out: still refused during the previous set's grace, paid after it.
    f.propose_and_wait(others.iter().map(|k| k.pubkey()).collect()).await.unwrap();
    f.execute_rotation().await.unwrap();
    assert_error(f.h.send_one(withdraw.clone(), &[&newcomer]).await, code(OracleError::StillInSet));
    f.h.warp_seconds(f.params.set_grace_secs).await;
    f.h.send_one(withdraw, &[&newcomer]).await.unwrap();
    assert_eq!(f.h.token_balance(&token).await, 1_000 * IO);
    let b: OracleBond = f.h.account(&sdk::bond(&newcomer.pubkey())).await;
    assert_eq!((b.amount, b.withdrawing), (1_000 * IO, 0));
}

/// Class 12 boundaries: a bond of exactly `min_bond` qualifies, one base unit less does not;
/// a zero bond is refused.
#[tokio::test]
async fn the_minimum_bond_is_an_exact_boundary() {
    let mut f = OracleFixture::new(3).await;
    let short = f.bonded_keys(1, 1_000 * IO - 1).await.remove(0);
    let exact = f.bonded_keys(2, 1_000 * IO).await;
    let mut members: Vec<Pubkey> = exact.iter().map(|k| k.pubkey()).collect();
    members.push(short.pubkey());
    assert_error(f.rotate_by_quorum(&[0, 1, 2], members).await, code(OracleError::BondBelowMinimum));
    let admin = f.admin.insecure_clone();
    let ix = sdk::propose_rotation(&admin.pubkey(), vec![short.pubkey()], 0);
    assert_error(f.h.send_one(ix, &[&admin]).await, code(OracleError::BondBelowMinimum));
    f.rotate_by_quorum(&[0, 1, 2], exact.iter().map(|k| k.pubkey()).collect()).await.unwrap();
    let (mint, token) = (f.h.io_mint, f.io_account(&short.pubkey()).await);
    let ix = sdk::post_bond(&short.pubkey(), &mint, &token, 0);
    assert_error(f.h.send_one(ix, &[&short]).await, code(OracleError::ZeroAmount));
}

/// F-11: a stranger's tokens in the bond vault block no bond instruction and no slash; the
/// vault stays at or above the ledger and the excess stays put.
#[tokio::test]
async fn a_donation_to_the_bond_vault_blocks_nothing() {
    let mut f = OracleFixture::new(3).await;
    let vault = sdk::bond_vault();
    let mint = f.h.io_mint;
    f.h.donate(&mint, &vault, 7).await;
    let o = f.bonded_keys(1, 1_500 * IO).await.remove(0);
    let cheat = f.oracles[1].insecure_clone();
    f.bond(&cheat, 2_000 * IO).await.unwrap();
    f.h.donate(&mint, &vault, 1).await;
    let token = f.io_account(&o.pubkey()).await;
    f.h.send_one(sdk::request_bond_withdrawal(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    f.h.warp_seconds(f.params.bond_cooldown_secs).await;
    f.h.send_one(sdk::withdraw_bond(&o.pubkey(), &mint, &token), &[&o]).await.unwrap();
    assert_eq!(f.h.token_balance(&token).await, 1_500 * IO);
    let a = f.body(1).await;
    let mut b = a;
    b.devices_attested += 1;
    f.prove(&cheat, a, b).await.unwrap();
    let c = f.config().await;
    assert_eq!((c.total_bonded, c.total_slashed), (0, 2_000 * IO));
    assert_eq!(f.h.token_balance(&vault).await, 8, "the donation is all that is left");
}
