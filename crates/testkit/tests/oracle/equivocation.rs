use crate::common::*;
use io_token::{BurnReason, TokenConfig};
use solana_signer::Signer;

/// Signs both bodies' digests with `key`: the two entries of an equivocation proof.
fn both(key: &Keypair, a: &ReportBody, b: &ReportBody) -> Instruction {
    let (da, db) = (sdk::report_digest(a), sdk::report_digest(b));
    let sa = sign_all(&[key], &da).remove(0);
    let sb = sign_all(&[key], &db).remove(0);
    sdk::ed25519_instruction_multi(&[(sa, &da[..]), (sb, &db[..])])
}

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
        f.h.send(&[both(&cheat, &a, &a), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );
    // Different periods are no equivocation either.
    let mut later = b;
    later.period += 1;
    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, later);
    assert_error(
        f.h.send(&[both(&cheat, &a, &later), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );
    // Another key's signatures do not prove this key cheated.
    let honest = f.oracles[2].insecure_clone();
    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    assert_error(
        f.h.send(&[both(&honest, &a, &b), ix], &[&reporter]).await,
        code(OracleError::NotEquivocation),
    );

    let ix = sdk::prove_equivocation(&reporter.pubkey(), &mint, cheat.pubkey(), a, b);
    f.h.send(&[both(&cheat, &a, &b), ix.clone()], &[&reporter]).await.unwrap();
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
    io_testkit::assert_reinit_refused(f.h.send(&[both(&cheat, &a, &b), ix], &[&reporter]).await);
}
