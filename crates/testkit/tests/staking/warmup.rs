//! F-10: rewards are time-weighted. New stake earns from the reward period after the one it was
//! staked in; a reward for a period, funded or claimed however late, never reaches stake that was
//! not active in it; skipped periods are shared by share-periods. Stake staked in the current
//! period leaves at once. Positions are created through io-program-kit (S-1).
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::token as tsdk;
use io_testkit::{escrow::EscrowFixture, oracle::Quorum};

/// An operator with `commission_bps`, emissions in io_token's vault, and an oracle quorum.
async fn with_reports(commission_bps: u16) -> (EscrowFixture, Quorum, TestOperator) {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let op = f.s.operator(commission_bps, 0).await;
    // A day of emissions in the vault, enough for every claim below.
    f.s.h.warp_seconds(24 * 3600).await;
    f.s.h.send_one(tsdk::emit(), &[]).await.unwrap();
    (f, q, op)
}

/// Publishes a report (an hour later, for that hour) giving `op` `cumulative` rewards; returns it
/// with its proof.
async fn report(
    f: &mut EscrowFixture,
    q: &Quorum,
    op: &Pubkey,
    cumulative: u64,
) -> (Pubkey, Vec<[u8; 32]>, u64) {
    let tree = MerkleTree::new(vec![leaves::rewards_leaf(op, cumulative)]);
    let r = q.publish(&mut f.s.h, ReportBody { rewards_root: tree.root(), ..Default::default() }).await;
    let period = f.s.h.account::<io_oracle::Report>(&r).await.body.period;
    (r, tree.proof(0).unwrap(), period)
}

async fn claimable(f: &mut StakingFixture, op: &Pubkey, s: &TestStaker) -> u64 {
    let o = f.operator_state(op).await;
    f.position(op, &s.wallet.pubkey()).await.map_or(0, |p| p.claimable_floor(&o).unwrap())
}

/// The attack of F-10: a whale stakes, cranks the operator's claim and unstakes, all in one
/// transaction. It used to take 90% of rewards earned while only carol was staked; now it takes
/// nothing, gets its stake back at once (it never earned), and carol gets the whole share.
#[tokio::test]
async fn a_whale_staking_around_the_claim_in_one_transaction_gets_nothing() {
    let (mut f, q, op) = with_reports(0).await;
    let carol = f.s.staker(1_000 * IO).await;
    f.s.stake(&carol, &op.address, 1_000 * IO).await.unwrap();
    let (r1, p1, _) = report(&mut f, &q, &op.address, 10 * IO).await;
    let io = f.io_mint();
    let warming = f.s.warming_positions(&op.address).await;
    f.s.h
        .send_one(sdk::claim_operator_rewards(&op.address, &r1, &io, 10 * IO, p1, &warming), &[])
        .await
        .unwrap();
    assert_eq!(claimable(&mut f.s, &op.address, &carol).await, 10 * IO);

    // Carol's stake earns 100 more over the next report's hour.
    let (r2, p2, _) = report(&mut f, &q, &op.address, 110 * IO).await;
    let whale = f.s.staker(9_000 * IO).await;
    let w = whale.wallet.insecure_clone();
    let whale_pos = sdk::position(&op.address, &w.pubkey());
    let ixs = [
        sdk::stake(&w.pubkey(), &op.address, &io, &whale.token, 9_000 * IO),
        // Even listing itself as warming up does not help it.
        sdk::claim_operator_rewards(&op.address, &r2, &io, 110 * IO, p2, &[whale_pos]),
        sdk::claim_rewards(&w.pubkey(), &op.address, &io, &whale.token),
    ];
    assert_error(f.s.h.send(&ixs, &[&w]).await, code(StakingError::NothingToClaim));
    let ixs = [
        sdk::stake(&w.pubkey(), &op.address, &io, &whale.token, 9_000 * IO),
        sdk::claim_operator_rewards(
            &op.address,
            &r2,
            &io,
            110 * IO,
            f_proof(&op.address, 110 * IO),
            &[whale_pos],
        ),
        sdk::unstake(&w.pubkey(), &op.address, &io, &whale.token, 9_000 * IO),
    ];
    f.s.h.send(&ixs, &[&w]).await.unwrap();
    // Its whole stake is back at once, no cooldown ticket, and it is owed nothing.
    assert_eq!(f.s.h.token_balance(&whale.token).await, 9_000 * IO);
    let wp = f.s.position(&op.address, &w.pubkey()).await.unwrap();
    assert_eq!((wp.pool_shares().unwrap(), wp.pending_tickets(), wp.rewards_owed), (0, 0, 0));
    assert_eq!(claimable(&mut f.s, &op.address, &whale).await, 0);
    // Carol has all of it.
    assert_eq!(claimable(&mut f.s, &op.address, &carol).await, 110 * IO);
    let before = f.s.h.token_balance(&carol.token).await;
    f.s.claim(&carol, &op.address).await.unwrap();
    assert_eq!(f.s.h.token_balance(&carol.token).await - before, 110 * IO);
}

fn f_proof(op: &Pubkey, cumulative: u64) -> Vec<[u8; 32]> {
    MerkleTree::new(vec![leaves::rewards_leaf(op, cumulative)]).proof(0).unwrap()
}

/// The crank lags: the report for period P is claimed hours after P, when dave has staked. Dave
/// gets nothing of P; the next claim covers several periods at once, and dave gets the share of
/// the periods he was active in (share-periods).
#[tokio::test]
async fn a_late_claim_pays_only_stake_active_in_its_periods_and_skipped_periods_are_time_weighted() {
    let (mut f, q, op) = with_reports(0).await;
    let carol = f.s.staker(1_000 * IO).await;
    let dave = f.s.staker(1_000 * IO).await;
    f.s.stake(&carol, &op.address, 1_000 * IO).await.unwrap();
    let (r1, p1, period1) = report(&mut f, &q, &op.address, 60 * IO).await;
    // Two hours pass unclaimed; dave stakes in period1 + 2.
    f.s.h.warp_seconds(2 * 3600).await;
    f.s.stake(&dave, &op.address, 1_000 * IO).await.unwrap();
    let io = f.io_mint();
    let warming = f.s.warming_positions(&op.address).await;
    assert_eq!(warming.len(), 2);
    f.s.h
        .send_one(sdk::claim_operator_rewards(&op.address, &r1, &io, 60 * IO, p1, &warming), &[])
        .await
        .unwrap();
    assert_eq!(claimable(&mut f.s, &op.address, &carol).await, 60 * IO);
    assert_eq!(claimable(&mut f.s, &op.address, &dave).await, 0);
    let o = f.s.operator_state(&op.address).await;
    assert_eq!(o.rewards_period, period1);
    let dp = f.s.position(&op.address, &dave.wallet.pubkey()).await.unwrap();
    assert_eq!((dp.shares, dp.activating_shares, dp.activation_period), (0, 1_000 * IO, period1 + 3));

    // The next report comes 6 periods after period1; its claim skips 5 of them. Carol was active
    // in all 6, dave in the last 4 (period1 + 3 ..= period1 + 6): 6,000 to 4,000 share-periods.
    f.s.h.warp_seconds(3 * 3600).await;
    let (r2, p2, period2) = report(&mut f, &q, &op.address, 160 * IO).await;
    assert_eq!(period2, period1 + 6);
    let warming = f.s.warming_positions(&op.address).await;
    assert_eq!(warming, vec![sdk::position(&op.address, &dave.wallet.pubkey())]);
    f.s.h
        .send_one(sdk::claim_operator_rewards(&op.address, &r2, &io, 160 * IO, p2, &warming), &[])
        .await
        .unwrap();
    assert_eq!(claimable(&mut f.s, &op.address, &carol).await, 120 * IO);
    assert_eq!(claimable(&mut f.s, &op.address, &dave).await, 40 * IO);
    // Dave now earns like carol.
    let dp = f.s.position(&op.address, &dave.wallet.pubkey()).await.unwrap();
    assert_eq!((dp.shares, dp.activating_shares), (1_000 * IO, 0));
    let (r3, p3, _) = report(&mut f, &q, &op.address, 180 * IO).await;
    f.s.h.send_one(sdk::claim_operator_rewards(&op.address, &r3, &io, 180 * IO, p3, &[]), &[]).await.unwrap();
    assert_eq!(claimable(&mut f.s, &op.address, &carol).await, 130 * IO);
    assert_eq!(claimable(&mut f.s, &op.address, &dave).await, 50 * IO);
    let c = f.s.config().await;
    assert!(c.rewards_paid <= c.rewards_funded);
}

/// Funded rewards follow the same rule: a funding pays for the periods since the last reward, up
/// to the current one, by share-periods; the commission comes off first.
#[tokio::test]
async fn funding_is_time_weighted_too() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(1_000, 0).await;
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    f.stake(&a, &op.address, 100 * IO).await.unwrap();
    // Funding in the staking period: a is not active yet, everything is commission.
    f.fund(&op.address, 10 * IO).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.commission_claimable, 10 * IO);
    assert_eq!(claimable(&mut f, &op.address, &a).await, 0);
    // Four hours later b stakes; two hours after that 200 are funded for the six hours.
    f.h.warp_seconds(4 * 3600).await;
    f.stake(&b, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(2 * 3600).await;
    f.fund(&op.address, 200 * IO).await.unwrap();
    // 20 commission; 180 over a's 6 and b's 2 active periods.
    assert_eq!(f.operator_state(&op.address).await.commission_claimable, 30 * IO);
    assert_eq!(claimable(&mut f, &op.address, &a).await, 135 * IO);
    assert_eq!(claimable(&mut f, &op.address, &b).await, 45 * IO);
}

/// Stake staked in the current period leaves at once (it never earned); once its activation
/// period has begun, it goes through the cooldown like any stake, even before a reward reached it.
#[tokio::test]
async fn fresh_stake_unstakes_at_once_and_begun_stake_waits_the_cooldown() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 500 * IO).await.unwrap();
    f.unstake(&s, &op.address, 200 * IO).await.unwrap();
    assert_eq!(f.h.token_balance(&s.token).await, 700 * IO);
    let p = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!((p.activating_shares, p.pending_tickets()), (300 * IO, 0));
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.stake_tokens, o.activating_shares, o.delegator_count), (300 * IO, 300 * IO, 1));
    assert_eq!(f.config().await.total_staked, f.h.token_balance(&sdk::stake_vault()).await);
    // The minimum still holds for what remains.
    assert_error(f.unstake(&s, &op.address, 250 * IO).await, code(StakingError::UnstakeLeavesBelowMinimum));
    f.h.warp_seconds(3600).await;
    f.unstake(&s, &op.address, 100 * IO).await.unwrap();
    assert_eq!(f.h.token_balance(&s.token).await, 700 * IO);
    let p = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!((p.activating_shares, p.pending_tickets()), (200 * IO, 1));
    // A full exit of fresh and begun stake together: the fresh part at once, the rest ticketed.
    f.stake(&s, &op.address, 50 * IO).await.unwrap();
    f.unstake(&s, &op.address, 250 * IO).await.unwrap();
    assert_eq!(f.h.token_balance(&s.token).await, 700 * IO);
    let p = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!((p.pool_shares().unwrap(), p.pending_tickets()), (0, 2));
    let o = f.operator_state(&op.address).await;
    assert_eq!(
        (o.stake_tokens, o.activating_shares, o.unbonding_tokens, o.delegator_count),
        (0, 0, 300 * IO, 0)
    );
}

/// Warm stake that no crank listed starts earning when its staker claims (paying nothing yet),
/// and a crank that lists it later pays it for its active periods.
#[tokio::test]
async fn unlisted_warm_stake_starts_earning_on_its_own_claim() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let a = f.staker(1_000 * IO).await;
    let b = f.staker(1_000 * IO).await;
    f.stake(&a, &op.address, 100 * IO).await.unwrap();
    f.stake(&b, &op.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    // A lazy crank lists only a: b's period goes to a.
    let pa = sdk::position(&op.address, &a.wallet.pubkey());
    f.fund_listing(&op.address, 10 * IO, &[pa]).await.unwrap();
    assert_eq!(claimable(&mut f, &op.address, &a).await, 10 * IO);
    assert_eq!(claimable(&mut f, &op.address, &b).await, 0);
    // b claims: nothing to pay, but its stake now earns.
    f.claim(&b, &op.address).await.unwrap();
    let pb = f.position(&op.address, &b.wallet.pubkey()).await.unwrap();
    assert_eq!((pb.shares, pb.activating_shares), (100 * IO, 0));
    assert_error(f.claim(&b, &op.address).await, code(StakingError::NothingToClaim));
    f.h.warp_seconds(3600).await;
    f.fund_listing(&op.address, 10 * IO, &[]).await.unwrap();
    assert_eq!(claimable(&mut f, &op.address, &a).await, 15 * IO);
    assert_eq!(claimable(&mut f, &op.address, &b).await, 5 * IO);
}

/// The positions a crank lists must be writable positions of that operator, each once.
#[tokio::test]
async fn listed_positions_are_checked() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let other = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    f.stake(&s, &other.address, 100 * IO).await.unwrap();
    f.h.warp_seconds(3600).await;
    let mine = sdk::position(&op.address, &s.wallet.pubkey());
    let theirs = sdk::position(&other.address, &s.wallet.pubkey());
    let bad = code(StakingError::InvalidPosition);
    assert_error(f.fund_listing(&op.address, IO, &[mine, mine]).await, bad);
    assert_error(f.fund_listing(&op.address, IO, &[theirs]).await, bad);
    // Not a position at all: an address with nothing, an account of another program.
    assert_error(f.fund_listing(&op.address, IO, &[Pubkey::new_unique()]).await, bad);
    assert_error(f.fund_listing(&op.address, IO, &[s.token]).await, bad);
    // Another account of this program (type cosplay): the operator itself.
    assert_error(
        f.fund_listing(&op.address, IO, &[other.address]).await,
        anchor_code(AnchorError::AccountDiscriminatorMismatch),
    );
    // Read-only.
    let mut ix = sdk::fund_operator_rewards(
        &f.rewards.pubkey(),
        &op.address,
        &f.io_mint(),
        &f.rewards_token,
        IO,
        &[mine],
    );
    ix.accounts.last_mut().unwrap().is_writable = false;
    let rewards = f.rewards.insecure_clone();
    assert_error(f.h.send_one(ix, &[&rewards]).await, bad);
    f.fund_listing(&op.address, IO, &[mine]).await.unwrap();
    assert_eq!(claimable(&mut f, &op.address, &s).await, IO);
}

/// S-1: a stranger pre-funds the position address; the stake still creates it. The other staker
/// instructions on an address that holds no position fail with their usual errors (they never
/// create one), and a second stake reuses the position.
#[tokio::test]
async fn a_pre_funded_position_address_still_takes_the_stake() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    let pos = sdk::position(&op.address, &s.wallet.pubkey());
    f.h.prefund(&pos, 1_000_000).await;
    assert_error(f.unstake(&s, &op.address, IO).await, code(StakingError::InsufficientStake));
    assert_error(f.withdraw(&s, &op.address).await, code(StakingError::NothingToWithdraw));
    assert_error(f.claim(&s, &op.address).await, code(StakingError::NothingToClaim));
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    f.stake(&s, &op.address, 100 * IO).await.unwrap();
    let p = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
    assert_eq!((p.operator, p.staker, p.activating_shares), (op.address, s.wallet.pubkey(), 200 * IO));
    assert_eq!(f.operator_state(&op.address).await.delegator_count, 1);
    // A pre-funded address with more than rent in it works too.
    let t = f.staker(1_000 * IO).await;
    f.h.prefund(&sdk::position(&op.address, &t.wallet.pubkey()), 10_000_000_000).await;
    f.stake(&t, &op.address, 100 * IO).await.unwrap();
    assert!(f.position(&op.address, &t.wallet.pubkey()).await.is_some());
}

/// The position address with a non-canonical bump is refused: only the canonical PDA is a
/// position.
#[tokio::test]
async fn a_position_at_a_non_canonical_bump_is_refused() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let s = f.staker(1_000 * IO).await;
    let staker = s.wallet.pubkey();
    let seeds: [&[u8]; 3] = [POSITION_SEED, op.address.as_ref(), staker.as_ref()];
    let (canonical, _) = Pubkey::find_program_address(&seeds, &io_staking::ID);
    let other = io_testkit::non_canonical_pda(&seeds, &io_staking::ID);
    let ix =
        swap_account(sdk::stake(&staker, &op.address, &f.io_mint(), &s.token, 100 * IO), &canonical, &other);
    assert_error(f.h.send_one(ix, &[&s.wallet]).await, anchor_code(AnchorError::ConstraintSeeds));
}

/// A crank lists many warming-up positions in one reward: every one is paid and activated.
#[tokio::test]
async fn a_reward_listing_sixteen_positions_pays_and_activates_them_all() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let mut stakers = Vec::new();
    for _ in 0..16 {
        let s = f.staker(1_000 * IO).await;
        f.stake(&s, &op.address, 100 * IO).await.unwrap();
        stakers.push(s);
    }
    f.h.warp_seconds(3600).await;
    let listed = f.warming_positions(&op.address).await;
    assert_eq!(listed.len(), 16);
    f.fund_listing(&op.address, 160 * IO, &listed).await.unwrap();
    for s in &stakers {
        let p = f.position(&op.address, &s.wallet.pubkey()).await.unwrap();
        assert_eq!((p.shares, p.activating_shares, p.rewards_owed), (100 * IO, 0, 10 * IO));
    }
    assert_eq!(f.operator_state(&op.address).await.activating_shares, 0);
}
