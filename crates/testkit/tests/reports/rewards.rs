use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::{staking as sdk, token as tsdk};
use io_staking::error::StakingError;
use io_testkit::{assert_error, escrow::EscrowFixture, oracle::Quorum, IO};

fn code(e: StakingError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

#[tokio::test]
async fn operators_claim_cumulative_rewards_once_from_emissions() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let a = f.s.operator(1_000, 0).await; // 10% commission
    let b = f.s.operator(0, 0).await;
    let carol = f.s.staker(1_000 * IO).await;
    f.s.stake(&carol, &a.address, 500 * IO).await.unwrap();
    // Two hours of emissions in the vault.
    f.s.h.warp_seconds(2 * 3600).await;
    f.s.h.send_one(tsdk::emit(), &[]).await.unwrap();
    let io = f.io_mint();

    let tree = MerkleTree::new(vec![
        leaves::rewards_leaf(&a.address, 100 * IO),
        leaves::rewards_leaf(&b.address, 50 * IO),
    ]);
    let r1 = q.publish(&mut f.s.h, ReportBody { rewards_root: tree.root(), ..Default::default() }).await;
    // b's leaf does not pay a, nor does a's amount with b's proof.
    let ix = sdk::claim_operator_rewards(&a.address, &r1, &io, 50 * IO, tree.proof(1).unwrap(), &[]);
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::InvalidProof));
    let ix = sdk::claim_operator_rewards(&b.address, &r1, &io, 100 * IO, tree.proof(0).unwrap(), &[]);
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::InvalidProof));
    let vault_before = f.s.h.token_balance(&tsdk::rewards_vault()).await;
    // Carol's stake warmed up during the two hours: the crank lists her position.
    let warming = f.s.warming_positions(&a.address).await;
    assert_eq!(warming.len(), 1);
    let ix = sdk::claim_operator_rewards(&a.address, &r1, &io, 100 * IO, tree.proof(0).unwrap(), &warming);
    f.s.h.send_one(ix.clone(), &[]).await.unwrap();
    assert_eq!(vault_before - f.s.h.token_balance(&tsdk::rewards_vault()).await, 100 * IO);
    let o = f.s.operator_state(&a.address).await;
    assert_eq!((o.rewards_claimed_cumulative, o.commission_claimable), (100 * IO, 10 * IO));
    // The same cumulative amount a second time pays nothing.
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::NothingToClaim));

    // The next report raises a's cumulative reward to 160: the claim pays the 60 in between; the
    // older report can no longer pay anything.
    let tree2 = MerkleTree::new(vec![leaves::rewards_leaf(&a.address, 160 * IO)]);
    let r2 = q.publish(&mut f.s.h, ReportBody { rewards_root: tree2.root(), ..Default::default() }).await;
    let ix = sdk::claim_operator_rewards(&a.address, &r2, &io, 160 * IO, tree2.proof(0).unwrap(), &[]);
    f.s.h.send_one(ix, &[]).await.unwrap();
    let ix = sdk::claim_operator_rewards(&a.address, &r1, &io, 100 * IO, tree.proof(0).unwrap(), &[]);
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::NothingToClaim));
    let o = f.s.operator_state(&a.address).await;
    assert_eq!((o.rewards_claimed_cumulative, o.commission_claimable), (160 * IO, 16 * IO));
    // The delegator gets the other 90%.
    let before = f.s.h.token_balance(&carol.token).await;
    f.s.claim(&carol, &a.address).await.unwrap();
    assert_eq!(f.s.h.token_balance(&carol.token).await - before, 144 * IO);
}
