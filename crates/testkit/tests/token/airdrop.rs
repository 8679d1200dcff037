use crate::common::*;

async fn wallets(f: &mut TokenFixture, n: usize) -> Vec<(Keypair, Pubkey)> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(f.wallet().await);
    }
    out
}

fn tree_for(id: u64, ws: &[(Keypair, Pubkey)]) -> AirdropTree {
    AirdropTree::new(
        id,
        ws.iter().enumerate().map(|(i, (w, _))| (w.pubkey(), (i as u64 + 1) * 100 * IO)).collect(),
    )
}

#[tokio::test]
async fn each_leaf_is_claimed_once_by_its_wallet() {
    let mut f = TokenFixture::launched().await;
    let ws = wallets(&mut f, 5).await;
    let tree = tree_for(7, &ws);
    let now = f.h.now().await;
    let expiry = now + 1_000;
    let ix = sdk::create_airdrop(&f.admin.pubkey(), 7, tree.root(), tree.total(), expiry);
    let admin = f.admin.insecure_clone();
    let events = f.h.send_events(&[ix], &[&admin]).await.unwrap();
    let ev: AirdropCreated = decode_event(&events[0]).unwrap();
    assert_eq!((ev.campaign, ev.campaign_id, ev.total), (sdk::airdrop(7), 7, 1_500 * IO));
    assert_eq!((ev.community_allocated_before, ev.community_allocated_after), (0, 1_500 * IO));

    let (w1, t1) = (&ws[1].0, ws[1].1);
    let events = f.h.send_events(&[tree.claim(1, &t1).unwrap()], &[w1]).await.unwrap();
    let ev: AirdropClaimed = decode_event(&events[0]).unwrap();
    assert_eq!((ev.index, ev.wallet, ev.amount), (1, w1.pubkey(), 200 * IO));
    assert_eq!((ev.claimed_amount_before, ev.claimed_amount_after, ev.claimed_count_after), (0, 200 * IO, 1));
    assert_eq!(f.h.token_balance(&t1).await, 200 * IO);
    // A second claim of the same leaf.
    assert_error(f.claim_airdrop(&tree, 1, w1, &t1).await, code(TokenError::AlreadyClaimed));

    // A forged proof: one sibling flipped.
    let mut proof = tree.proof(2).unwrap();
    proof[0][0] ^= 1;
    let (w2, t2) = (&ws[2].0, ws[2].1);
    let forged = sdk::claim_airdrop(&w2.pubkey(), 7, &t2, 2, 300 * IO, proof);
    assert_error(f.h.send_one(forged, &[w2]).await, code(TokenError::InvalidProof));
    // A larger amount than the leaf's.
    let greedy = sdk::claim_airdrop(&w2.pubkey(), 7, &t2, 2, 301 * IO, tree.proof(2).unwrap());
    assert_error(f.h.send_one(greedy, &[w2]).await, code(TokenError::InvalidProof));
    // Another wallet presenting leaf 2 (its own signature, leaf 2's proof and amount).
    let (w3, t3) = (&ws[3].0, ws[3].1);
    let thief = sdk::claim_airdrop(&w3.pubkey(), 7, &t3, 2, 300 * IO, tree.proof(2).unwrap());
    assert_error(f.h.send_one(thief, &[w3]).await, code(TokenError::InvalidProof));
    // The leaf's wallet unsigned.
    assert_error(
        f.h.send_one(unsigned(tree.claim(2, &t2).unwrap(), &w2.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // Leaf 2's own wallet may pay into any $IO account, not another mint's.
    let (_, foreign) = f.h.user_with_io(0).await;
    assert_error(
        f.h.send_one(tree.claim(2, &foreign).unwrap(), &[w2]).await,
        anchor_code(AnchorError::ConstraintTokenMint),
    );
    f.claim_airdrop(&tree, 2, w2, &t3).await.unwrap();
    assert_eq!(f.h.token_balance(&t3).await, 300 * IO);
    // Beyond the bitmap.
    let far = sdk::claim_airdrop(&w2.pubkey(), 7, &t2, MAX_AIRDROP_CLAIMS, IO, vec![]);
    assert_error(f.h.send_one(far, &[w2]).await, code(TokenError::ClaimIndexOutOfRange));
    // Another vault in place of the community vault.
    let wrong = swap_account(
        tree.claim(0, &ws[0].1).unwrap(),
        &sdk::vault(Bucket::Community),
        &sdk::vault(Bucket::RnD),
    );
    assert_error(f.h.send_one(wrong, &[&ws[0].0]).await, anchor_code(AnchorError::ConstraintAddress));
    // A look-alike campaign owned by another program.
    let fake = look_alike(&mut f.h, &sdk::airdrop(7), &io_staking::ID).await;
    let ix = swap_account(tree.claim(0, &ws[0].1).unwrap(), &sdk::airdrop(7), &fake);
    assert_error(f.h.send_one(ix, &[&ws[0].0]).await, anchor_code(AnchorError::AccountOwnedByWrongProgram));

    let c: AirdropCampaign = f.h.account(&sdk::airdrop(7)).await;
    assert_eq!((c.claimed_amount, c.claimed_count), (500 * IO, 2));
    assert_eq!(f.config().await.released[Bucket::Community.index()], 500 * IO);
    f.assert_ledger().await;
}

#[tokio::test]
async fn expiry_ends_claims_and_close_returns_the_rest_once() {
    let mut f = TokenFixture::launched().await;
    let ws = wallets(&mut f, 3).await;
    let tree = tree_for(1, &ws);
    let expiry = f.h.now().await + 1_000;
    f.create_airdrop(&tree, expiry).await.unwrap();
    f.claim_airdrop(&tree, 0, &ws[0].0, &ws[0].1).await.unwrap();
    assert_error(f.close_airdrop(1).await, code(TokenError::AirdropNotExpired));
    f.h.set_time(expiry - 1).await;
    assert_error(f.close_airdrop(1).await, code(TokenError::AirdropNotExpired));
    f.claim_airdrop(&tree, 1, &ws[1].0, &ws[1].1).await.unwrap();
    f.h.set_time(expiry).await;
    assert_error(f.claim_airdrop(&tree, 2, &ws[2].0, &ws[2].1).await, code(TokenError::AirdropExpired));

    let before = f.config().await.allocated[Bucket::Community.index()];
    assert_eq!(before, 600 * IO);
    let events = f.h.send_events(&[sdk::close_airdrop(1)], &[]).await.unwrap();
    let ev: AirdropClosed = decode_event(&events[0]).unwrap();
    assert_eq!((ev.total, ev.claimed_amount, ev.returned), (600 * IO, 300 * IO, 300 * IO));
    assert_eq!((ev.community_allocated_before, ev.community_allocated_after), (600 * IO, 300 * IO));
    assert_error(f.close_airdrop(1).await, code(TokenError::AirdropClosed));
    assert_error(f.claim_airdrop(&tree, 2, &ws[2].0, &ws[2].1).await, code(TokenError::AirdropExpired));
    // The campaign stays, with its bitmap.
    let c: AirdropCampaign = f.h.account(&sdk::airdrop(1)).await;
    assert_eq!((c.closed, c.returned, c.claimed_count), (1, 300 * IO, 2));
    assert_eq!(c.claimed_bitmap[0], 0b011);
    // Only what was claimed stays allocated: the rest can be reserved again.
    let c = f.config().await;
    assert_eq!(c.allocated[Bucket::Community.index()], 300 * IO);
    let rest = 250_000_000 * IO - 300 * IO;
    let big = AirdropTree::new(2, vec![(ws[0].0.pubkey(), rest)]);
    f.create_airdrop(&big, expiry + 10).await.unwrap();
    assert_eq!(f.config().await.allocated[Bucket::Community.index()], 250_000_000 * IO);
    f.assert_ledger().await;
}

#[tokio::test]
async fn create_airdrop_rejections() {
    let mut f = TokenFixture::new().await;
    let w = Pubkey::new_unique();
    let now = f.h.now().await;
    let tree = AirdropTree::new(1, vec![(w, IO)]);
    assert_error(f.create_airdrop(&tree, now + 100).await, code(TokenError::GenesisNotDone));
    f.genesis().await.unwrap();
    let admin = f.admin.insecure_clone();
    let ix = |id: u64, root: [u8; 32], total: u64, expiry: i64| {
        sdk::create_airdrop(&admin.pubkey(), id, root, total, expiry)
    };
    assert_error(
        f.as_admin(ix(1, tree.root(), 250_000_000 * IO + 1, now + 100)).await,
        code(TokenError::BucketExhausted),
    );
    assert_error(f.as_admin(ix(1, tree.root(), 0, now + 100)).await, code(TokenError::ZeroAmount));
    assert_error(f.as_admin(ix(1, [0; 32], IO, now + 100)).await, code(TokenError::InvalidParams));
    assert_error(f.as_admin(ix(1, tree.root(), IO, now)).await, code(TokenError::InvalidExpiry));
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let s_ix = sdk::create_airdrop(&stranger.pubkey(), 1, tree.root(), IO, now + 100);
    assert_error(f.h.send_one(s_ix, &[&stranger]).await, anchor_code(AnchorError::ConstraintHasOne));
    assert_error(
        f.h.send_one(unsigned(ix(1, tree.root(), IO, now + 100), &admin.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // 200M reserved leaves 50M unreserved.
    f.as_admin(ix(1, tree.root(), 200_000_000 * IO, now + 100)).await.unwrap();
    assert_error(
        f.as_admin(ix(2, tree.root(), 50_000_000 * IO + 1, now + 100)).await,
        code(TokenError::BucketExhausted),
    );
    f.as_admin(ix(2, tree.root(), 50_000_000 * IO, now + 100)).await.unwrap();
    // A campaign id is used once.
    assert_reinit_refused(f.as_admin(ix(1, tree.root(), 1, now + 100)).await);
    assert_eq!(f.config().await.campaign_count, 2);
}

#[tokio::test]
async fn claims_never_pass_the_campaign_total() {
    let mut f = TokenFixture::launched().await;
    let ws = wallets(&mut f, 2).await;
    let tree = tree_for(3, &ws); // 100 + 200 $IO of leaves
    let ix = sdk::create_airdrop(&f.admin.pubkey(), 3, tree.root(), 250 * IO, f.h.now().await + 100);
    f.as_admin(ix).await.unwrap();
    f.claim_airdrop(&tree, 1, &ws[1].0, &ws[1].1).await.unwrap();
    assert_error(f.claim_airdrop(&tree, 0, &ws[0].0, &ws[0].1).await, code(TokenError::CampaignExhausted));
    f.assert_ledger().await;
}

/// The last bit of the bitmap: a campaign of 8,192 leaves.
#[tokio::test]
async fn a_full_size_campaign_claims_its_last_leaf() {
    let mut f = TokenFixture::launched().await;
    let (w, wt) = f.wallet().await;
    let n = MAX_AIRDROP_CLAIMS as usize;
    let mut entries: Vec<(Pubkey, u64)> = (0..n - 1).map(|_| (Pubkey::new_unique(), 1)).collect();
    entries.push((w.pubkey(), IO));
    let tree = AirdropTree::new(9, entries);
    assert_eq!(tree.proof(8_191).unwrap().len(), 13);
    let expiry = f.h.now().await + 100;
    f.create_airdrop(&tree, expiry).await.unwrap();
    f.claim_airdrop(&tree, 8_191, &w, &wt).await.unwrap();
    assert_error(f.claim_airdrop(&tree, 8_191, &w, &wt).await, code(TokenError::AlreadyClaimed));
    let c: AirdropCampaign = f.h.account(&sdk::airdrop(9)).await;
    assert_eq!(c.claimed_bitmap[1_023], 0b1000_0000);
    assert_eq!(f.h.token_balance(&wt).await, IO);
}
