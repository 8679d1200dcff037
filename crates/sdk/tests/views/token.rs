use io_sdk::{
    token as sdk,
    views::{token::circulating, SupplyCounters, SupplyView},
};
use io_testkit::{token::*, IO};
use io_token::{schedule::HOURS_PER_MONTH, BurnReason};
use solana_signer::Signer;

const HOUR: i64 = 3_600;

/// The hour `emit` mints next, on the last hour of month 0 (which carries the month's remainder)
/// and the first of month 1 (decayed).
#[tokio::test]
async fn next_emission_is_what_emit_mints() {
    let mut f = TokenFixture::launched().await;
    let start = f.config().await.emission.start_ts;
    f.h.set_time(start + 729 * HOUR).await;
    f.emit().await.unwrap();
    f.emit().await.unwrap();
    for hour in [729u64, 730] {
        let c = f.config().await;
        assert_eq!(c.emission.next_hour, hour);
        let next = SupplyView::new(&c).unwrap().next_emission;
        assert_eq!(next.hour, hour);
        f.h.set_time(next.due_ts - 1).await;
        assert!(f.emit().await.is_err(), "not due before due_ts");
        f.h.set_time(next.due_ts).await;
        f.emit().await.unwrap();
        let minted = f.config().await.total_minted - c.total_minted;
        assert_eq!(next.amount, minted, "hour {hour}");
        if hour == 729 {
            assert_eq!(
                minted,
                c.emission.month_amount / HOURS_PER_MONTH + c.emission.month_amount % HOURS_PER_MONTH
            );
        }
    }
}

/// Circulating = the mint's supply less what io_token's vaults hold, after claims, a rewards
/// withdrawal and a burn.
#[tokio::test]
async fn circulating_is_supply_less_the_vaults() {
    let mut f = TokenFixture::launched().await;
    let start = f.config().await.emission.start_ts;
    f.h.set_time(start + 10 * HOUR).await;
    f.emit().await.unwrap();
    let (w, t) = f.wallet().await;
    f.fund(&t, 1_000 * IO).await;
    let distributor = f.h.funded_keypair(1_000_000_000).await;
    let admin = f.admin.pubkey();
    f.as_admin(sdk::set_rewards_distributor(&admin, distributor.pubkey())).await.unwrap();
    let (_, dt) = f.wallet().await;
    f.h.send_one(sdk::withdraw_rewards(&distributor.pubkey(), &dt, 5 * IO), &[&distributor]).await.unwrap();
    f.burn(&w, &t, 100 * IO, BurnReason::Other).await.unwrap();

    let c = f.config().await;
    let supply = f.supply().await;
    let mut in_vaults = 0;
    for v in TokenVault::ALL {
        in_vaults += f.h.token_balance(&v.address()).await;
    }
    let circ = circulating(&SupplyCounters::from(&c)).unwrap();
    assert_eq!(circ, supply - in_vaults);
    assert_eq!(circ, 1_000 * IO + 5 * IO - 100 * IO);
    let view = SupplyView::new(&c).unwrap();
    assert_eq!(view.circulating, circ);
    assert_eq!(view.burned_by_reason.last(), Some(&("other", 100 * IO)));
}
