use crate::common::*;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token::spl_token;

const EXPECTED: [(Bucket, u64); 5] = [
    (Bucket::Community, 250_000_000 * IO),
    (Bucket::RnD, 80_000_000 * IO),
    (Bucket::EarlyContributors, 56_500_000 * IO),
    (Bucket::SeriesA, 51_000_000 * IO),
    (Bucket::Seed, 62_500_000 * IO),
];

#[test]
fn allocations_are_exact_and_sum_to_500m_for_every_decimals() {
    assert_eq!(EXPECTED.iter().map(|(_, a)| a).sum::<u64>(), 500_000_000 * IO);
    assert_eq!(ALLOCATION_BPS.iter().map(|b| u32::from(*b)).sum::<u32>(), 10_000);
    for decimals in 0..=MAX_DECIMALS {
        let one = 10u64.pow(u32::from(decimals));
        let a = io_token::allocations_for(500_000_000 * one).unwrap();
        assert_eq!(a.iter().sum::<u64>(), 500_000_000 * one, "decimals {decimals}");
        assert_eq!(
            a,
            [250_000_000 * one, 80_000_000 * one, 56_500_000 * one, 51_000_000 * one, 62_500_000 * one]
        );
    }
}

#[tokio::test]
async fn genesis_mints_exactly_500m_into_five_vaults() {
    let mut f = TokenFixture::new().await;
    let admin = f.admin.insecure_clone();
    let now = f.h.now().await;
    let events = f.h.send_events(&[sdk::genesis(&admin.pubkey())], &[&admin]).await.unwrap();

    for (i, (bucket, amount)) in EXPECTED.iter().enumerate() {
        let raw = f.h.raw_account(&sdk::vault(*bucket)).await.unwrap();
        let vault = spl_token::state::Account::unpack(&raw.data).unwrap();
        assert_eq!(
            (vault.mint, vault.owner, vault.amount),
            (sdk::mint(), sdk::config(), *amount),
            "{bucket:?}"
        );
        let ev: Minted = decode_event(&events[i]).expect("one Minted event per bucket");
        assert_eq!(
            (ev.reason, ev.destination, ev.amount),
            (MintReason::Genesis, sdk::vault(*bucket), *amount)
        );
        assert_eq!(ev.total_minted_after - ev.total_minted_before, *amount);
        assert_eq!(ev.supply_after, ev.total_minted_after);
    }
    let done: GenesisCompleted = decode_event(&events[5]).expect("GenesisCompleted last");
    assert_eq!(done.allocations, EXPECTED.map(|(_, a)| a));
    assert_eq!(done.rewards_vault, sdk::rewards_vault());
    assert_eq!(events.len(), 6);

    let rewards = f.h.raw_account(&sdk::rewards_vault()).await.unwrap();
    let rewards = spl_token::state::Account::unpack(&rewards.data).unwrap();
    assert_eq!((rewards.mint, rewards.owner, rewards.amount), (sdk::mint(), sdk::config(), 0));

    let c = f.config().await;
    assert!(c.genesis_done);
    assert_eq!(c.total_minted, 500_000_000 * IO);
    assert_eq!(c.genesis_minted, 500_000_000 * IO);
    assert_eq!(c.allocations, EXPECTED.map(|(_, a)| a));
    assert_eq!(c.vaults, EXPECTED.map(|(b, _)| sdk::vault(b)));
    assert_eq!(c.rewards_vault, sdk::rewards_vault());
    assert_eq!(c.emission.start_ts, now);
    assert_eq!(c.emission.next_hour, 0);
    assert_eq!(c.emission.month_amount, f.params.first_month_emission);
    assert_eq!(f.supply().await, 500_000_000 * IO);
    f.assert_ledger().await;
}

#[tokio::test]
async fn genesis_runs_once_and_only_for_the_admin() {
    let mut f = TokenFixture::new().await;
    let stranger = f.h.funded_keypair(10_000_000_000).await;
    let admin = f.admin.insecure_clone();
    assert_error(
        f.h.send_one(sdk::genesis(&stranger.pubkey()), &[&stranger]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    assert_error(
        f.h.send_one(unsigned(sdk::genesis(&admin.pubkey()), &admin.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    // Another mint in place of $IO.
    let other_mint = f.h.usdc_mint;
    assert_error(
        f.as_admin(swap_account(sdk::genesis(&admin.pubkey()), &sdk::mint(), &other_mint)).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    // A look-alike config owned by another program.
    let fake = look_alike(&mut f.h, &sdk::config(), &io_staking::ID).await;
    assert_error(
        f.as_admin(swap_account(sdk::genesis(&admin.pubkey()), &sdk::config(), &fake)).await,
        anchor_code(AnchorError::AccountOwnedByWrongProgram),
    );
    assert_eq!(f.supply().await, 0, "nothing minted by the refusals");

    f.genesis().await.unwrap();
    assert_error(f.genesis().await, code(TokenError::GenesisDone));
    assert_eq!(f.supply().await, 500_000_000 * IO, "a second genesis mints nothing");
    f.assert_ledger().await;
}
