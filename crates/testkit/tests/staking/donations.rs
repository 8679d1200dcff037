//! F-11: a stranger's transfer into the stake, bond or reward vault blocks nothing. Every vault
//! keeps `balance >= ledger`; the surplus is nobody's, stays in the vault and is never paid out.
use crate::common::*;

/// Donates `amount` into each of the three vaults.
async fn donate_everywhere(f: &mut StakingFixture, amount: u64) {
    let mint = f.io_mint();
    for vault in [sdk::stake_vault(), sdk::bond_vault(), sdk::reward_vault()] {
        f.h.donate(&mint, &vault, amount).await;
    }
}

/// Every vault holds its ledger plus exactly the donated surplus.
async fn assert_surplus(f: &mut StakingFixture, surplus: u64) {
    let c = f.config().await;
    assert_eq!(f.h.token_balance(&sdk::stake_vault()).await, c.total_staked + surplus);
    assert_eq!(f.h.token_balance(&sdk::bond_vault()).await, c.total_bonded + surplus);
    assert_eq!(f.h.token_balance(&sdk::reward_vault()).await, c.rewards_funded - c.rewards_paid + surplus);
}

#[tokio::test]
async fn donations_to_every_vault_block_no_instruction() {
    let mut f = StakingFixture::new().await;
    // Before anything exists: a donation into empty vaults.
    donate_everywhere(&mut f, 1).await;
    let (op, _) = bonded_operator(&mut f, 1_000, 2_000 * IO, 1).await;
    let s = f.staker(10_000 * IO).await;
    f.stake(&s, &op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // the stake earns from the next reward period on (F-10)
    f.fund(&op.address, 100 * IO).await.unwrap();
    // And in the middle of everything.
    donate_everywhere(&mut f, 5 * IO).await;
    let surplus = 5 * IO + 1;
    assert_surplus(&mut f, surplus).await;
    f.claim(&s, &op.address).await.unwrap();
    f.claim_commission(&op).await.unwrap();
    f.add_bond(&op, 100 * IO).await.unwrap();
    f.request_bond_withdrawal(&op, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&s, &op.address, 400 * IO).await.unwrap();
    let slash = f.propose_slash(&op.address, 1_000 * IO).await.unwrap();
    f.h.warp_seconds(f.params.slash_appeal_secs).await;
    f.execute_slash(&op.address, &slash).await.unwrap();
    f.h.warp_seconds(f.params.bond_unbonding_secs).await;
    f.withdraw(&s, &op.address).await.unwrap();
    f.withdraw_bond(&op).await.unwrap();
    let rest = f.operator_state(&op.address).await.stake_tokens;
    f.h.warp_seconds(3600).await; // past the staking hour: the unstake takes the cooldown (F-10)
    f.unstake(&s, &op.address, rest).await.unwrap();
    f.h.warp_seconds(f.params.unstake_cooldown_secs).await;
    f.withdraw(&s, &op.address).await.unwrap();
    // Everyone is out; the surplus is still there, counted by no ledger, slashed by no slash.
    let c = f.config().await;
    assert_eq!(c.total_staked, f.operator_state(&op.address).await.stake_tokens);
    assert_surplus(&mut f, surplus).await;
}

/// A donation does not change what shares are worth: the pool's tokens are its own ledger, not
/// the vault balance (no first-depositor inflation).
#[tokio::test]
async fn a_donation_changes_no_share_price() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let first = f.staker(10_000 * IO).await;
    let second = f.staker(10_000 * IO).await;
    f.stake(&first, &op.address, 100 * IO).await.unwrap();
    f.h.donate(&f.io_mint(), &sdk::stake_vault(), 1_000_000 * IO).await;
    f.stake(&second, &op.address, 100 * IO).await.unwrap();
    let p1 = f.position(&op.address, &first.wallet.pubkey()).await.unwrap();
    let p2 = f.position(&op.address, &second.wallet.pubkey()).await.unwrap();
    assert_eq!((p1.pool_shares().unwrap(), p2.pool_shares().unwrap()), (100 * IO, 100 * IO));
    assert_eq!(f.operator_state(&op.address).await.stake_tokens, 200 * IO);
}
