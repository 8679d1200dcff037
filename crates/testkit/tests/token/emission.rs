use crate::common::*;
use schedule::{cumulative, decayed, HOURS_PER_MONTH, MAX_HOURS_PER_EMIT};

const HOUR: i64 = 3_600;

async fn start_ts(f: &mut TokenFixture) -> i64 {
    f.config().await.emission.start_ts
}

#[tokio::test]
async fn emit_before_genesis_fails() {
    let mut f = TokenFixture::new().await;
    f.h.warp_seconds(10 * HOUR).await;
    // The rewards vault is created by genesis: before it there is nothing to mint into.
    assert_error(f.emit().await, anchor_code(AnchorError::AccountNotInitialized));
}

#[tokio::test]
async fn an_hour_is_emitted_once_it_has_fully_elapsed_and_never_twice() {
    let mut f = TokenFixture::launched().await;
    let start = start_ts(&mut f).await;
    assert_error(f.emit().await, code(TokenError::NothingToEmit));
    f.h.set_time(start + HOUR - 1).await;
    assert_error(f.emit().await, code(TokenError::NothingToEmit));

    f.h.set_time(start + HOUR).await;
    let events = f.h.send_events(&[sdk::emit()], &[]).await.unwrap();
    let hour = default_hour();
    let m: Minted = decode_event(&events[0]).expect("Minted");
    assert_eq!((m.reason, m.destination, m.amount), (MintReason::Emission, sdk::rewards_vault(), hour));
    assert_eq!((m.total_minted_before, m.total_minted_after), (500_000_000 * IO, 500_000_000 * IO + hour));
    let e: Emitted = decode_event(&events[1]).expect("Emitted");
    assert_eq!((e.from_hour, e.to_hour, e.scheduled, e.minted), (0, 1, hour, hour));
    assert_eq!((e.emitted_before, e.emitted_after, e.hours_still_due), (0, hour, 0));
    assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, hour);

    // The same hour again, and the next one a second early.
    assert_error(f.emit().await, code(TokenError::NothingToEmit));
    f.h.set_time(start + 2 * HOUR - 1).await;
    assert_error(f.emit().await, code(TokenError::NothingToEmit));
    f.h.set_time(start + 2 * HOUR).await;
    f.emit().await.unwrap();
    let c = f.config().await;
    assert_eq!((c.emission.next_hour, c.emission.emitted), (2, 2 * hour));
    f.assert_ledger().await;
}

#[tokio::test]
async fn missed_hours_are_caught_up_at_most_720_per_call() {
    let mut f = TokenFixture::launched().await;
    let start = start_ts(&mut f).await;
    let first = f.params.first_month_emission;
    // 1,000 hours missed, and half an hour of the next one.
    f.h.set_time(start + 1_000 * HOUR + HOUR / 2).await;
    let events = f.h.send_events(&[sdk::emit()], &[]).await.unwrap();
    let e: Emitted = decode_event(&events[1]).unwrap();
    assert_eq!((e.from_hour, e.to_hour, e.hours_still_due), (0, MAX_HOURS_PER_EMIT, 280));
    assert_eq!(e.minted, 720 * (first / 730));
    let events = f.h.send_events(&[sdk::emit()], &[]).await.unwrap();
    let e: Emitted = decode_event(&events[1]).unwrap();
    assert_eq!((e.from_hour, e.to_hour, e.hours_still_due), (720, 1_000, 0));
    // The call crossed into month 1: month 0 emitted exactly its amount, month 1 is 1% less.
    let m1 = decayed(first, 100).unwrap();
    assert_eq!((e.month_amount_before, e.month_amount_after), (first, m1));
    assert_eq!(e.minted, 10 * (first / 730) + first % 730 + 270 * (m1 / 730));
    assert_error(f.emit().await, code(TokenError::NothingToEmit));

    let c = f.config().await;
    assert_eq!(c.emission.next_hour, 1_000);
    assert_eq!(c.emission.emitted, cumulative(first, 100, 1_000).unwrap());
    assert_eq!(cumulative(first, 100, HOURS_PER_MONTH).unwrap(), first, "month 0 is exact");
    assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, c.emission.emitted);
    f.assert_ledger().await;
}

/// The cap: 250M in month 0 and no decay would emit 500M; the 300M budget clips the second
/// month, total supply lands on 800M exactly, and nothing is minted after — not even after burns.
#[tokio::test]
async fn emissions_are_clipped_at_the_800m_cap() {
    let params = EmissionParams { first_month_emission: 250_000_000 * IO, decay_bps: 0 };
    let mut f = TokenFixture::launched_with(params).await;
    let start = start_ts(&mut f).await;
    f.h.set_time(start + 730 * HOUR).await;
    f.emit().await.unwrap();
    f.emit().await.unwrap();
    assert_eq!(f.config().await.emission.emitted, 250_000_000 * IO, "month 0 in full");

    f.h.set_time(start + 2 * 730 * HOUR).await;
    let events = f.h.send_events(&[sdk::emit()], &[]).await.unwrap();
    let e: Emitted = decode_event(&events[1]).unwrap();
    assert_eq!((e.from_hour, e.to_hour), (730, 730 + 720));
    assert_eq!(e.scheduled, 720 * (250_000_000 * IO / 730));
    assert_eq!(e.minted, 50_000_000 * IO, "clipped to what the cap leaves");
    let c = f.config().await;
    assert_eq!(c.total_minted, 800_000_000 * IO);
    assert_eq!(f.supply().await, 800_000_000 * IO);
    // The hours were consumed; the rest of the month and later ones find the cap reached.
    assert_error(f.emit().await, code(TokenError::SupplyCapExceeded));
    f.h.set_time(start + 100 * 730 * HOUR).await;
    assert_error(f.emit().await, code(TokenError::SupplyCapExceeded));
    // Burning does not make room: the cap is on everything ever minted.
    let (w, wt) = f.wallet().await;
    f.fund(&wt, 10 * IO).await;
    f.burn(&w, &wt, 10 * IO, BurnReason::Other).await.unwrap();
    assert_error(f.emit().await, code(TokenError::SupplyCapExceeded));
    assert_eq!(f.config().await.total_minted, 800_000_000 * IO);
    f.assert_ledger().await;
}

#[tokio::test]
async fn emit_refuses_foreign_accounts() {
    let mut f = TokenFixture::launched().await;
    let start = start_ts(&mut f).await;
    f.h.set_time(start + 5 * HOUR).await;
    let (_, other_vault) = f.wallet().await;
    assert_error(
        f.h.send_one(swap_account(sdk::emit(), &sdk::rewards_vault(), &other_vault), &[]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    let other_mint = f.h.io_mint;
    assert_error(
        f.h.send_one(swap_account(sdk::emit(), &sdk::mint(), &other_mint), &[]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    let fake = look_alike(&mut f.h, &sdk::config(), &io_staking::ID).await;
    assert_error(
        f.h.send_one(swap_account(sdk::emit(), &sdk::config(), &fake), &[]).await,
        anchor_code(AnchorError::AccountOwnedByWrongProgram),
    );
    f.emit().await.unwrap();
    assert_eq!(f.config().await.emission.next_hour, 5);
}

#[tokio::test]
async fn the_rewards_distributor_withdraws_emitted_rewards() {
    let mut f = TokenFixture::launched().await;
    let admin = f.admin.insecure_clone();
    let start = start_ts(&mut f).await;
    f.h.set_time(start + 3 * HOUR).await;
    f.emit().await.unwrap();
    let vault = f.h.token_balance(&sdk::rewards_vault()).await;
    let (d, dt) = f.wallet().await;
    // Nobody is distributor until the admin says so.
    assert_error(
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, IO), &[&d]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), d.pubkey())).await.unwrap();
    assert_error(
        f.h.send_one(unsigned(sdk::withdraw_rewards(&d.pubkey(), &dt, IO), &d.pubkey()), &[]).await,
        anchor_code(AnchorError::AccountNotSigner),
    );
    assert_error(
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, 0), &[&d]).await,
        code(TokenError::ZeroAmount),
    );
    assert_error(
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &dt, vault + 1), &[&d]).await,
        code(TokenError::InsufficientRewards),
    );
    let (_, foreign) = f.h.user_with_io(0).await;
    assert_error(
        f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &foreign, IO), &[&d]).await,
        anchor_code(AnchorError::ConstraintTokenMint),
    );
    let events =
        f.h.send_events(&[sdk::withdraw_rewards(&d.pubkey(), &dt, vault - IO)], &[&d]).await.unwrap();
    let ev: RewardsWithdrawn = decode_event(&events[0]).unwrap();
    assert_eq!((ev.amount, ev.withdrawn_before, ev.withdrawn_after), (vault - IO, 0, vault - IO));
    assert_eq!(ev.vault_balance_after, IO);
    assert_eq!(f.h.token_balance(&dt).await, vault - IO);
    assert_eq!(f.config().await.rewards_withdrawn, vault - IO);
    f.assert_ledger().await;
}

/// A month smaller than 730 base units emits 0 in its first 729 hours and everything in its last:
/// the crank still advances over the empty hours, so it never gets stuck.
#[tokio::test]
async fn empty_hours_are_consumed_and_the_last_hour_carries_the_remainder() {
    let params = EmissionParams { first_month_emission: 500, decay_bps: 0 };
    let mut f = TokenFixture::launched_with(params).await;
    let start = start_ts(&mut f).await;
    f.h.set_time(start + 3 * HOUR).await;
    let events = f.h.send_events(&[sdk::emit()], &[]).await.unwrap();
    assert_eq!(events.len(), 1, "nothing minted, only the Emitted event");
    let e: Emitted = decode_event(&events[0]).unwrap();
    assert_eq!((e.from_hour, e.to_hour, e.minted), (0, 3, 0));
    f.h.set_time(start + 730 * HOUR).await;
    f.emit().await.unwrap();
    f.emit().await.unwrap();
    let c = f.config().await;
    assert_eq!((c.emission.next_hour, c.emission.emitted), (730, 500));
    assert_eq!(f.h.token_balance(&sdk::rewards_vault()).await, 500);
    f.assert_ledger().await;
}
