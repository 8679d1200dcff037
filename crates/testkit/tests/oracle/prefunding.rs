//! S-1 / F-1: every io_oracle account at a predictable address — the config, the bond vault, a
//! bond, a report candidate, equivocation evidence — is created even when a stranger sent
//! lamports there first. (The runtime refuses a transfer that leaves a system account below
//! the rent-exempt minimum of an empty account, so the smallest pre-funding is about 0.00089 SOL.)
use crate::common::*;
use io_testkit::oracle::cluster_id;
use solana_signer::Signer;

/// Enough for a standalone system account (rent-exempt at 0 bytes), less than any account needs.
const PREFUND: u64 = 1_000_000;

#[tokio::test]
async fn a_pre_funded_config_and_bond_vault_do_not_block_initialize() {
    let mut h = Harness::full_stack().await;
    h.prefund(&sdk::config(), PREFUND).await;
    h.prefund(&sdk::bond_vault(), 10_000_000_000).await; // more than rent
    let admin = h.funded_keypair(10_000_000_000).await;
    let (mint, cluster) = (h.io_mint, cluster_id(&h));
    let members = vec![Pubkey::new_unique(), Pubkey::new_unique()];
    h.send_one(sdk::initialize(&admin.pubkey(), &mint, default_params(), members, 0, cluster), &[&admin])
        .await
        .unwrap();
    let c: OracleConfig = h.account(&sdk::config()).await;
    assert_eq!((c.admin, c.set.count), (admin.pubkey(), 2));
    let vault = h.raw_account(&sdk::bond_vault()).await.unwrap();
    assert_eq!(vault.owner, anchor_spl::token::ID);
    assert_eq!(h.token_balance(&sdk::bond_vault()).await, 0);
}

#[tokio::test]
async fn a_pre_funded_bond_does_not_block_post_bond() {
    let mut f = OracleFixture::new(3).await;
    let o = Keypair::new();
    f.h.prefund(&sdk::bond(&o.pubkey()), PREFUND).await;
    f.bond(&o, 1_000 * IO).await.unwrap();
    let b: OracleBond = f.h.account(&sdk::bond(&o.pubkey())).await;
    assert_eq!((b.oracle, b.amount), (o.pubkey(), 1_000 * IO));
    // A second bond adds to the same account.
    f.bond(&o, 5).await.unwrap();
    assert_eq!(f.h.account::<OracleBond>(&sdk::bond(&o.pubkey())).await.amount, 1_000 * IO + 5);
}

#[tokio::test]
async fn a_pre_funded_report_does_not_block_posting_or_certifying() {
    let mut f = OracleFixture::new(3).await;
    let body = f.body(1).await;
    let report = f.report(&body);
    f.h.prefund(&report, PREFUND).await;
    f.post(body).await.unwrap();
    f.certify(&body, &[0, 1, 2]).await.unwrap();
    assert_eq!(f.h.account::<Report>(&report).await.status, ReportStatus::Certified);
    // The same candidate twice: refused by the kit, the first one serves.
    let mut next = body;
    next.period += 1;
    f.h.warp_seconds(3600).await;
    f.post(next).await.unwrap();
    assert_error(f.post(next).await, anchor_code(AnchorError::AccountDiscriminatorAlreadySet));
}

/// F-1: the equivocating oracle pre-funds its own evidence address; the proof still lands.
#[tokio::test]
async fn a_pre_funded_evidence_address_does_not_block_the_proof() {
    let mut f = OracleFixture::new(4).await;
    let cheat = f.oracles[0].insecure_clone();
    f.bond(&cheat, 1_000 * IO).await.unwrap();
    let a = f.body(1).await;
    let mut b = a;
    b.rewards_root = [6; 32];
    f.h.prefund(&sdk::equivocation(&cheat.pubkey(), a.period), PREFUND).await;
    // The never-bonded key's bond address, pre-funded too.
    let other = f.oracles[1].insecure_clone();
    f.h.prefund(&sdk::bond(&other.pubkey()), PREFUND).await;
    f.prove(&cheat, a, b).await.unwrap();
    f.prove(&other, a, b).await.unwrap();
    let e: Equivocation = f.h.account(&sdk::equivocation(&cheat.pubkey(), a.period)).await;
    assert_eq!((e.oracle, e.period, e.slashed), (cheat.pubkey(), a.period, 1_000 * IO));
    assert!(f.h.account::<OracleBond>(&sdk::bond(&other.pubkey())).await.slashed);
    assert_eq!(f.config().await.set.count, 2);
}
