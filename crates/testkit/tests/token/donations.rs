//! F-11 for io_token: anyone may send $IO into any of the six vaults. The program holds
//! `vault ≥ ledger` (never `==`), so a donation blocks no claim, emission or withdrawal; the ledger
//! never counts it (it stays in the vault, outside every bucket).
use crate::common::*;

/// One base unit and a large amount into each vault, then every honest flow that touches the
/// vaults, down to emptying a whole bucket.
#[tokio::test]
async fn donations_into_every_vault_block_nothing() {
    for amount in [1, 1_000 * IO] {
        let mut f = TokenFixture::launched().await;
        let admin = f.admin.insecure_clone();
        let (w, wt) = f.wallet().await;
        let (d, dt) = f.wallet().await;
        let now = f.h.now().await;
        // Before the donations: a schedule for the whole seed bucket, an airdrop, a distributor.
        let seed_total = f.config().await.allocations[Bucket::Seed.index()];
        let whole =
            f.create_vesting(&w.pubkey(), Bucket::Seed, now, now, now + 100, seed_total).await.unwrap();
        let partial = f
            .create_vesting(&w.pubkey(), Bucket::SeriesA, now - 10, now - 10, now - 1, 10 * IO)
            .await
            .unwrap();
        let tree = AirdropTree::new(1, vec![(w.pubkey(), 5 * IO), (d.pubkey(), 6 * IO)]);
        f.create_airdrop(&tree, now + 50).await.unwrap();
        f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), d.pubkey())).await.unwrap();

        for vault in TokenVault::ALL {
            f.donate(vault, amount).await;
        }
        f.assert_ledger().await;
        assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, amount);

        // Vesting: a partial bucket, then a whole one emptied to the last base unit.
        f.claim_vested(&w, &partial, &wt).await.unwrap();
        f.claim_airdrop(&tree, 0, &w, &wt).await.unwrap();
        f.h.set_time(now + 100).await;
        f.claim_vested(&w, &whole, &wt).await.unwrap();
        assert_eq!(f.h.token_balance(&sdk::vault(Bucket::Seed)).await, amount, "only the donation is left");
        assert_eq!(f.h.token_balance(&wt).await, 15 * IO + seed_total);
        // Airdrop: the expiry has passed for claims (now + 50), so close returns the rest.
        f.close_airdrop(1).await.unwrap();
        let c: AirdropCampaign = f.h.account(&sdk::airdrop(1)).await;
        assert_eq!((c.claimed_amount, c.returned), (5 * IO, 6 * IO));
        // Emissions land on top of the donation, and the distributor withdraws what was emitted.
        f.h.warp_seconds(3 * 3_600).await;
        f.emit().await.unwrap();
        let c = f.config().await;
        let emitted = c.emission.emitted;
        assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, emitted + amount);
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, emitted), &[&d]).await.unwrap();
        assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, amount);
        // Burns are unaffected.
        f.burn(&w, &wt, IO, BurnReason::Other).await.unwrap();
        f.assert_ledger().await;
    }
}

/// The community vault: a donation between the airdrop's creation and its claims changes nothing
/// for the claimants, and closing returns exactly the unclaimed reservation.
#[tokio::test]
async fn a_donation_to_the_community_vault_blocks_no_airdrop_claim() {
    let mut f = TokenFixture::launched().await;
    let (w, wt) = f.wallet().await;
    let (v, vt) = f.wallet().await;
    let expiry = f.h.now().await + 1_000;
    let tree =
        AirdropTree::new(3, vec![(w.pubkey(), 5 * IO), (v.pubkey(), 7 * IO), (Pubkey::new_unique(), IO)]);
    f.create_airdrop(&tree, expiry).await.unwrap();
    f.claim_airdrop(&tree, 0, &w, &wt).await.unwrap();
    f.donate(TokenVault::Bucket(Bucket::Community), 1).await;
    f.claim_airdrop(&tree, 1, &v, &vt).await.unwrap();
    assert_eq!((f.h.token_balance(&wt).await, f.h.token_balance(&vt).await), (5 * IO, 7 * IO));
    f.h.set_time(expiry).await;
    f.close_airdrop(3).await.unwrap();
    let c: AirdropCampaign = f.h.account(&sdk::airdrop(3)).await;
    assert_eq!((c.claimed_amount, c.returned), (12 * IO, IO));
    f.assert_ledger().await;
}

/// The rewards vault: a donation is rewards like any other. Emissions keep their exact schedule,
/// and the distributor can draw the donation too (it never exceeds the vault's balance).
#[tokio::test]
async fn a_donation_to_the_rewards_vault_is_drawable_and_never_blocks_emissions() {
    let mut f = TokenFixture::launched().await;
    let admin = f.admin.insecure_clone();
    let (d, dt) = f.wallet().await;
    f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), d.pubkey())).await.unwrap();
    f.donate(TokenVault::Rewards, 50 * IO).await;
    f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, 20 * IO), &[&d]).await.unwrap();
    f.h.warp_seconds(3_600).await;
    f.emit().await.unwrap();
    let hour = default_hour();
    assert_eq!(f.config().await.emission.emitted, hour, "the schedule ignores the vault's balance");
    let all = 30 * IO + hour;
    assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, all);
    assert_error(
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, all + 1), &[&d]).await,
        code(TokenError::InsufficientRewards),
    );
    f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, all), &[&d]).await.unwrap();
    assert_eq!(f.h.token_balance(&dt).await, 50 * IO + hour);
    f.assert_ledger().await;
}
