//! Third parties who pay to get in the way: pre-funding the address of an account before its
//! owner creates it (F-4, S-1), sending tokens into a vault (F-11), and holding devices with a
//! lease closed at once (F-3). Each was an attack on the code before; each now leaves the honest
//! party able to go on.
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_staking::HardwareClass;
use io_testkit::{oracle::Quorum, staking::StakingFixture};

/// Below a token account's rent (so the kit tops up) and above it (so it does not).
const SMALL: u64 = 1_000_000;
const LARGE: u64 = 10_000_000;

#[tokio::test]
async fn prefunded_config_treasuries_buyback_vault_and_price_feed_do_not_block_initialize() {
    let mut s = StakingFixture::new().await;
    let (usdc, io) = (s.h.usdc_mint, s.h.io_mint);
    let addresses =
        [sdk::config(), sdk::treasury(&usdc), sdk::treasury(&io), sdk::buyback_vault(), sdk::price_feed()];
    for (i, a) in addresses.iter().enumerate() {
        s.h.prefund(a, if i % 2 == 0 { SMALL } else { LARGE }).await;
    }
    let admin = s.admin.insecure_clone();
    let k = Pubkey::new_unique();
    s.h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &io, default_params(), k, k, k), &[&admin])
        .await
        .expect("a pre-funded address still initialises");
    let c: EscrowConfig = s.h.account(&sdk::config()).await;
    assert_eq!((c.usdc_mint, c.io_mint, c.admin), (usdc, io, admin.pubkey()));
    for vault in &addresses[1..4] {
        assert_eq!(s.h.token_balance(vault).await, 0, "a token vault at {vault}");
    }
    let feed: PriceFeed = s.h.account(&sdk::price_feed()).await;
    assert_eq!(feed.usdc_per_io, 0);
    // And the second initialisation is still refused.
    io_testkit::assert_reinit_refused(
        s.h.send_one(sdk::initialize(&admin.pubkey(), &usdc, &io, default_params(), k, k, k), &[&admin])
            .await,
    );
}

#[tokio::test]
async fn prefunded_offer_lease_and_lease_vault_do_not_block_their_owners() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    // A competitor pre-funds the offer address of a new device (F-4).
    let dev = f.s.device(&p.op, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 201)).await.unwrap();
    f.s.activate(&p.op, &dev).await.unwrap();
    f.s.h.prefund(&sdk::offer(&dev), SMALL).await;
    let a = p.op.authority.insecure_clone();
    f.s.h.send_one(sdk::post_offer(&a.pubkey(), &dev, RATE_USDC, 0, 1, 720), &[&a]).await.unwrap();
    let o: Offer = f.s.h.account(&sdk::offer(&dev)).await;
    assert_eq!((o.device, o.operator, o.price_usdc_per_hour, o.active), (dev, p.op.address, RATE_USDC, true));
    // Posting again updates the offer in place.
    f.s.h.send_one(sdk::post_offer(&a.pubkey(), &dev, 2 * RATE_USDC, 0, 1, 720), &[&a]).await.unwrap();
    assert_eq!(f.s.h.account::<Offer>(&sdk::offer(&dev)).await.price_usdc_per_hour, 2 * RATE_USDC);
    // The renter's next lease and its vault, both pre-funded (S-1).
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = sdk::lease(&r.wallet.pubkey(), 1);
    f.s.h.prefund(&lease, LARGE).await;
    f.s.h.prefund(&sdk::lease_vault(&lease), SMALL).await;
    f.open(&r, 1, &[dev, p.devices[0]], 2, true).await.expect("a pre-funded lease still opens");
    let l = f.lease(&lease).await;
    assert_eq!(f.s.h.token_balance(&sdk::lease_vault(&lease)).await, l.deposit);
    // The same nonce again is a re-initialisation.
    let r2 = f.provider(1, RATE_USDC, 0).await;
    io_testkit::assert_reinit_refused(f.open(&r, 1, &r2.devices, 2, true).await);
}

/// F-11: one base unit sent into a lease vault used to freeze the lease for good. Now every
/// instruction on it goes on, and the excess goes to the renter.
#[tokio::test]
async fn donations_to_a_lease_vault_block_nothing_and_go_to_the_renter() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let p = f.provider(2, RATE_USDC, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &p.devices, 4, true).await.unwrap();
    let (vault, mint) = (sdk::lease_vault(&lease), f.usdc_mint());
    f.s.h.donate(&mint, &vault, 1).await;
    f.s.h.warp_seconds(600).await;
    f.settle(&lease, &p.usdc, 0, 600).await.expect("settle after a donation");
    let tree = MerkleTree::new(vec![
        leaves::usage_leaf(&lease, &p.devices[1], 900),
        leaves::usage_leaf(&lease, &p.devices[0], 600),
    ]);
    let report = q.publish(&mut f.s.h, ReportBody { usage_root: tree.root(), ..Default::default() }).await;
    let ix = sdk::settle_attested(&lease, &mint, &p.usdc, &report, 1, 900, tree.proof(0).unwrap());
    f.s.h.send_one(ix, &[]).await.expect("settle_attested after a donation");
    let ix = sdk::top_up_lease(&r.wallet.pubkey(), &lease, &mint, &r.usdc, 1, &p.devices);
    f.s.h.send_one(ix, &[&r.wallet]).await.expect("top up after a donation");
    f.s.h.donate(&mint, &vault, 5).await;
    let bal0 = f.s.h.token_balance(&r.usdc).await;
    f.close(&r, &lease).await.expect("close after a donation");
    let l = f.lease(&lease).await;
    assert_eq!(f.s.h.token_balance(&r.usdc).await - bal0, l.refunded + 6, "refund plus the donations");
    assert_eq!(f.s.h.token_balance(&vault).await, l.held().unwrap(), "only what is still owed stays");
    // A donation after the close, then finalization: swept to the renter too.
    f.s.h.donate(&mint, &vault, 3).await;
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    let (bal1, held) = (f.s.h.token_balance(&r.usdc).await, l.held().unwrap());
    f.finalize(&r, &lease).await.expect("finalize after a donation");
    let l = f.lease(&lease).await;
    assert_eq!(f.s.h.token_balance(&r.usdc).await - bal1, held + 3);
    assert_eq!(f.s.h.token_balance(&vault).await, 0);
    assert_eq!(l.paid + l.fees + l.refunded, l.deposit, "the ledger balances without the donations");
    let c = f.config().await;
    assert_eq!((c.paid_usdc, c.refunded_usdc), (l.paid, l.refunded), "donations are not refunds");
}

/// F-11 for the other vaults: $IO sent into the buyback vault is burned with the next buyback
/// (and counted, so io_token's ledger and the config agree); tokens sent into a treasury are
/// treasury funds and block nothing.
#[tokio::test]
async fn donations_to_the_treasuries_and_the_buyback_vault_block_nothing() {
    let mut f = EscrowFixture::new().await;
    let (usdc, io) = (f.usdc_mint(), f.io_mint());
    f.s.h.donate(&usdc, &sdk::treasury(&usdc), 100 * USDC).await;
    f.s.h.donate(&io, &sdk::treasury(&io), 7).await;
    f.s.h.mint_to(&io, &sdk::buyback_vault(), 2 * IO).await;
    let t = f.treasury.insecure_clone();
    let t_usdc = f.s.h.create_token_account(&usdc, &t.pubkey()).await;
    let t_io = f.s.h.create_token_account(&io, &t.pubkey()).await;
    f.s.h.mint_to(&io, &t_io, 10 * IO).await;
    let p = f.price.insecure_clone();
    f.s.h.send_one(sdk::set_price(&p.pubkey(), 2_500_000), &[&p]).await.unwrap();
    let supply = f.s.h.mint_supply(&io).await;
    let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, 10 * USDC, 4 * IO);
    let events = f.s.h.send_events(&[ix], &[&t]).await.expect("a buyback after donations");
    let ev: BuybackBurned = events.iter().find_map(|e| decode_event(e)).expect("a BuybackBurned event");
    assert_eq!((ev.io_burned, ev.donation_burned), (6 * IO, 2 * IO));
    assert_eq!(f.s.h.mint_supply(&io).await, supply - 6 * IO);
    assert_eq!(f.s.h.token_balance(&sdk::buyback_vault()).await, 0, "nothing stays behind");
    let c = f.config().await;
    let tc: io_token::TokenConfig = f.s.h.account(&io_sdk::token::config()).await;
    assert_eq!(c.buyback_io_burned, 6 * IO);
    assert_eq!(tc.burned[io_token::BurnReason::Buyback as usize], c.buyback_io_burned);
    assert_eq!(f.s.h.token_balance(&sdk::treasury(&usdc)).await, 90 * USDC);
    assert_eq!(f.s.h.token_balance(&sdk::treasury(&io)).await, 7);
}

/// F-3: `close_lease` used to free only the offers passed in, so opening and closing in one
/// transaction with no offers held up to eight devices for nothing. Now it refuses unless every
/// offer of the lease is passed, and frees them all.
#[tokio::test]
async fn closing_frees_every_device_of_the_lease() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(3, RATE_USDC, 0).await;
    let griefer = f.renter(1_000 * USDC, 0).await;
    let w = griefer.wallet.insecure_clone();
    let (mint, d) = (f.usdc_mint(), p.devices.clone());
    let lease = sdk::lease(&w.pubkey(), 1);
    let quote = f.quote(&d, 48, true).await;
    let open = sdk::open_lease(&w.pubkey(), 1, &mint, &griefer.usdc, 48, quote, &d);
    // Open and close at once, passing no offers, some, out of order, or one thrice.
    let closes = [
        sdk::close_lease(&w.pubkey(), &lease, &mint, &griefer.usdc, &[]),
        sdk::close_lease(&w.pubkey(), &lease, &mint, &griefer.usdc, &d[..2]),
        sdk::close_lease(&w.pubkey(), &lease, &mint, &griefer.usdc, &[d[1], d[0], d[2]]),
        sdk::close_lease(&w.pubkey(), &lease, &mint, &griefer.usdc, &[d[0], d[0], d[0]]),
    ];
    for close in closes {
        let r = f.s.h.send(&[open.clone(), close], &[&w]).await;
        match r {
            Err(e) => assert_eq!(io_testkit::error_code(&e), Some(code(EscrowError::LeaseOffersMissing))),
            Ok(()) => panic!("a close without every offer went through"),
        }
    }
    // With every offer: it goes through, costs nothing, and every device is free at once.
    let close = sdk::close_lease(&w.pubkey(), &lease, &mint, &griefer.usdc, &d);
    f.s.h.send(&[open, close], &[&w]).await.unwrap();
    assert_eq!(f.s.h.token_balance(&griefer.usdc).await, 1_000 * USDC);
    let honest = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&honest, 1, &d, 2, true).await.expect("every device is free again");
    // An offer passed read-only (so it could not be freed) is refused as well.
    let hw = honest.wallet.insecure_clone();
    let mut read_only = sdk::close_lease(&hw.pubkey(), &lease, &mint, &honest.usdc, &d);
    let n = read_only.accounts.len();
    read_only.accounts[n - 1].is_writable = false;
    assert_error(f.s.h.send_one(read_only, &[&hw]).await, code(EscrowError::LeaseOffersMissing));
    f.close(&honest, &lease).await.unwrap();
}

/// Closing a lease after its natural end must not free a device that another lease holds now.
#[tokio::test]
async fn closing_late_leaves_a_device_held_by_a_newer_lease() {
    let mut f = EscrowFixture::new().await;
    let p = f.provider(1, RATE_USDC, 0).await;
    let d = p.devices[0];
    let a = f.renter(1_000 * USDC, 0).await;
    let b = f.renter(1_000 * USDC, 0).await;
    let c = f.renter(1_000 * USDC, 0).await;
    let first = f.open(&a, 1, &[d], 1, true).await.unwrap();
    f.s.h.warp_seconds(2 * 3600).await;
    let second = f.open(&b, 1, &[d], 5, true).await.unwrap();
    f.close(&a, &first).await.expect("the first lease closes after its end");
    let o: Offer = f.s.h.account(&sdk::offer(&d)).await;
    assert_eq!((o.lease, o.leased_until), (second, f.lease(&second).await.end_ts));
    assert_error(f.open(&c, 1, &[d], 1, true).await, code(EscrowError::DeviceBusy));
    // Finalizing the first one leaves it held as well.
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    f.finalize(&a, &first).await.unwrap();
    assert_error(f.open(&c, 1, &[d], 1, true).await, code(EscrowError::DeviceBusy));
}
