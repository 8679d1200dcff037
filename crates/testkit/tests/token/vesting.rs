use crate::common::*;

/// 10,000 $IO (plus 7 base units, to see the rounding) vesting over 10,000 s from `start`, with
/// the cliff 1,000 s in.
const GRANT: u64 = 10_000 * IO + 7;

#[tokio::test]
async fn vesting_clock_edges() {
    let mut f = TokenFixture::launched().await;
    let (b, bt) = f.wallet().await;
    let start = f.h.now().await + 100;
    let (cliff, end) = (start + 1_000, start + 10_000);
    let events = {
        let index = f.config().await.schedule_count[Bucket::SeriesA.index()];
        let ix = sdk::create_vesting(
            &f.admin.pubkey(),
            &b.pubkey(),
            Bucket::SeriesA,
            index,
            start,
            cliff,
            end,
            GRANT,
        );
        let admin = f.admin.insecure_clone();
        f.h.send_events(&[ix], &[&admin]).await.unwrap()
    };
    let schedule = sdk::vesting(&b.pubkey(), Bucket::SeriesA, 0);
    let ev: VestingCreated = decode_event(&events[0]).unwrap();
    assert_eq!(
        (ev.schedule, ev.beneficiary, ev.bucket, ev.index),
        (schedule, b.pubkey(), Bucket::SeriesA, 0)
    );
    assert_eq!((ev.amount, ev.bucket_allocated_before, ev.bucket_allocated_after), (GRANT, 0, GRANT));
    let s: VestingSchedule = f.h.account(&schedule).await;
    assert_eq!((s.start_ts, s.cliff_ts, s.end_ts, s.total, s.claimed), (start, cliff, end, GRANT, 0));

    // Before the start and one second before the cliff: nothing.
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    f.h.set_time(cliff - 1).await;
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    // At the cliff the linear amount since the start, rounded down: ⌊GRANT × 1,000 / 10,000⌋.
    f.h.set_time(cliff).await;
    let ix = sdk::claim_vested(&b.pubkey(), &schedule, Bucket::SeriesA, &bt);
    let events = f.h.send_events(&[ix], &[&b]).await.unwrap();
    let ev: VestingClaimed = decode_event(&events[0]).unwrap();
    assert_eq!(
        (ev.amount, ev.vested, ev.claimed_before, ev.claimed_after),
        (1_000 * IO, 1_000 * IO, 0, 1_000 * IO)
    );
    assert_eq!(ev.bucket_released_after, 1_000 * IO);
    assert_eq!(f.h.token_balance(&bt).await, 1_000 * IO);
    // Nothing more in the same second.
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    // Halfway: vested − claimed.
    f.h.set_time(start + 5_000).await;
    f.claim_vested(&b, &schedule, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&bt).await, (GRANT * 5_000) / 10_000);
    // One second before the end the floor still keeps a little back; at the end everything.
    f.h.set_time(end - 1).await;
    f.claim_vested(&b, &schedule, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&bt).await, (GRANT as u128 * 9_999 / 10_000) as u64);
    f.h.set_time(end).await;
    f.claim_vested(&b, &schedule, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&bt).await, GRANT);
    // After the end, no more.
    f.h.set_time(end + 1_000_000).await;
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    let s: VestingSchedule = f.h.account(&schedule).await;
    assert_eq!(s.claimed, GRANT);
    let c = f.config().await;
    assert_eq!(c.released[Bucket::SeriesA.index()], GRANT);
    f.assert_ledger().await;
}

#[tokio::test]
async fn a_cliff_at_the_start_vests_linearly_from_the_first_second() {
    let mut f = TokenFixture::launched().await;
    let (b, bt) = f.wallet().await;
    let start = f.h.now().await;
    let schedule = f.create_vesting(&b.pubkey(), Bucket::Seed, start, start, start + 4, 3).await.unwrap();
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    f.h.set_time(start + 1).await;
    // ⌊3 × 1 / 4⌋ = 0: rounding down can leave nothing yet.
    assert_error(f.claim_vested(&b, &schedule, &bt).await, code(TokenError::NothingVested));
    f.h.set_time(start + 2).await;
    f.claim_vested(&b, &schedule, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&bt).await, 1);
    f.h.set_time(start + 4).await;
    f.claim_vested(&b, &schedule, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&bt).await, 3);
}

#[tokio::test]
async fn create_vesting_rejections() {
    let mut f = TokenFixture::new().await;
    let b = Pubkey::new_unique();
    let t = f.h.now().await;
    // Before genesis there is nothing to grant.
    assert_error(
        f.create_vesting(&b, Bucket::Seed, t, t, t + 10, IO).await,
        code(TokenError::GenesisNotDone),
    );
    f.genesis().await.unwrap();
    for bucket in [Bucket::Community, Bucket::RnD] {
        assert_error(
            f.create_vesting(&b, bucket, t, t, t + 10, IO).await,
            code(TokenError::NotVestingBucket),
        );
    }
    for (start, cliff, end) in [(t, t - 1, t + 10), (t, t, t), (t, t + 11, t + 10), (t + 5, t + 5, t + 4)] {
        assert_error(
            f.create_vesting(&b, Bucket::Seed, start, cliff, end, IO).await,
            code(TokenError::InvalidSchedule),
        );
    }
    assert_error(f.create_vesting(&b, Bucket::Seed, t, t, t + 10, 0).await, code(TokenError::ZeroAmount));
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let ix = sdk::create_vesting(&stranger.pubkey(), &b, Bucket::Seed, 0, t, t, t + 10, IO);
    assert_error(f.h.send_one(ix, &[&stranger]).await, anchor_code(AnchorError::ConstraintHasOne));
    let admin = f.admin.insecure_clone();
    let ix = sdk::create_vesting(&admin.pubkey(), &b, Bucket::Seed, 0, t, t, t + 10, IO);
    assert_error(
        f.h.send_one(unsigned(ix, &admin.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // An index other than the bucket's count is another address.
    let ix = sdk::create_vesting(&admin.pubkey(), &b, Bucket::Seed, 5, t, t, t + 10, IO);
    assert_error(f.as_admin(ix).await, anchor_code(AnchorError::ConstraintSeeds));
    let c = f.config().await;
    assert_eq!((c.allocated, c.schedule_count), ([0; 5], [0; 5]), "nothing granted by the refusals");
}

#[tokio::test]
async fn a_bucket_never_grants_more_than_it_holds() {
    let mut f = TokenFixture::launched().await;
    let t = f.h.now().await;
    let (a, at) = f.wallet().await;
    let (b, bt) = f.wallet().await;
    let (a_key, b_key) = (a.pubkey(), b.pubkey());
    let seed_total = 62_500_000 * IO;
    assert_error(
        f.create_vesting(&a_key, Bucket::Seed, t, t, t + 10, seed_total + 1).await,
        code(TokenError::BucketExhausted),
    );
    let s0 = f.create_vesting(&a_key, Bucket::Seed, t, t, t + 10, 60_000_000 * IO).await.unwrap();
    let s1 = f.create_vesting(&a_key, Bucket::Seed, t, t + 5, t + 10, 2_500_000 * IO - 1).await.unwrap();
    assert_eq!((s0, s1), (sdk::vesting(&a_key, Bucket::Seed, 0), sdk::vesting(&a_key, Bucket::Seed, 1)));
    assert_error(
        f.create_vesting(&b_key, Bucket::Seed, t, t, t + 10, 2).await,
        code(TokenError::BucketExhausted),
    );
    let s2 = f.create_vesting(&b_key, Bucket::Seed, t, t, t + 10, 1).await.unwrap();
    assert_eq!(s2, sdk::vesting(&b_key, Bucket::Seed, 2), "indices count per bucket");
    let c = f.config().await;
    assert_eq!(c.allocated[Bucket::Seed.index()], seed_total);
    assert_eq!(c.schedule_count[Bucket::Seed.index()], 3);
    assert_error(
        f.create_vesting(&b_key, Bucket::Seed, t, t, t + 10, 1).await,
        code(TokenError::BucketExhausted),
    );
    // Other buckets are untouched.
    f.create_vesting(&b_key, Bucket::SeriesA, t, t, t + 10, 51_000_000 * IO).await.unwrap();
    // Every grant of the exhausted bucket pays out in full, and the vault ends empty.
    f.h.set_time(t + 10).await;
    f.claim_vested(&a, &s0, &at).await.unwrap();
    f.claim_vested(&a, &s1, &at).await.unwrap();
    f.claim_vested(&b, &s2, &bt).await.unwrap();
    assert_eq!(f.h.token_balance(&at).await + f.h.token_balance(&bt).await, seed_total);
    assert_eq!(f.h.token_balance(&sdk::vault(Bucket::Seed)).await, 0);
    assert_eq!(f.config().await.released[Bucket::Seed.index()], seed_total);
    f.assert_ledger().await;
}

#[tokio::test]
async fn claim_vested_rejections() {
    let mut f = TokenFixture::launched().await;
    let (b, bt) = f.wallet().await;
    let (other, ot) = f.wallet().await;
    let t = f.h.now().await;
    let schedule = f
        .create_vesting(&b.pubkey(), Bucket::EarlyContributors, t - 10, t - 10, t - 1, 5 * IO)
        .await
        .unwrap();
    let ix = |who: &Pubkey, dest: &Pubkey| sdk::claim_vested(who, &schedule, Bucket::EarlyContributors, dest);
    // Another wallet, even paying into the beneficiary's account.
    assert_error(
        f.h.send_one(ix(&other.pubkey(), &bt), &[&other]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(
        f.h.send_one(unsigned(ix(&b.pubkey(), &bt), &b.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // A destination of another mint.
    let (_, foreign) = f.h.user_with_io(0).await;
    assert_error(
        f.h.send_one(ix(&b.pubkey(), &foreign), &[&b]).await,
        anchor_code(AnchorError::ConstraintTokenMint),
    );
    // Another bucket's vault.
    let wrong_vault =
        swap_account(ix(&b.pubkey(), &bt), &sdk::vault(Bucket::EarlyContributors), &sdk::vault(Bucket::Seed));
    assert_error(f.h.send_one(wrong_vault, &[&b]).await, anchor_code(AnchorError::ConstraintAddress));
    // A look-alike schedule owned by another program.
    let fake = look_alike(&mut f.h, &schedule, &io_staking::ID).await;
    assert_error(
        f.h.send_one(swap_account(ix(&b.pubkey(), &bt), &schedule, &fake), &[&b]).await,
        anchor_code(AnchorError::AccountOwnedByWrongProgram),
    );
    // Any $IO account may receive, the beneficiary's own or not.
    f.h.send_one(ix(&b.pubkey(), &ot), &[&b]).await.unwrap();
    assert_eq!(f.h.token_balance(&ot).await, 5 * IO);
    f.assert_ledger().await;
}
