use io_escrow::{error::EscrowError, Lease, PriceFeed};
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::escrow as sdk;
use io_testkit::{assert_error, escrow::EscrowFixture, oracle::Quorum, USDC};

fn code(e: EscrowError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

const RATE: u64 = 3_600_000;

#[tokio::test]
async fn leases_settle_from_usage_proofs() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 4).await;
    let p = f.provider(2, RATE, 0).await;
    let r = f.renter(1_000 * USDC, 0).await;
    let lease = f.open(&r, 1, &p.devices, 4, true).await.unwrap();
    let (d0, d1) = (p.devices[0], p.devices[1]);
    // The next hour's report attests 3,000 s on device 0 and 3,600 s on device 1.
    let tree =
        MerkleTree::new(vec![leaves::usage_leaf(&lease, &d0, 3_000), leaves::usage_leaf(&lease, &d1, 3_600)]);
    let report = q.publish(&mut f.s.h, ReportBody { usage_root: tree.root(), ..Default::default() }).await;
    let mint = f.usdc_mint();
    let settle = |i: u8, secs: u64, proof: Vec<[u8; 32]>| {
        sdk::settle_attested(&lease, &mint, &p.usdc, &report, i, secs, proof)
    };
    // More seconds than attested, another device's proof, another lease's leaf: all refused.
    assert_error(
        f.s.h.send_one(settle(0, 3_600, tree.proof(0).unwrap()), &[]).await,
        code(EscrowError::InvalidProof),
    );
    assert_error(
        f.s.h.send_one(settle(0, 3_600, tree.proof(1).unwrap()), &[]).await,
        code(EscrowError::InvalidProof),
    );
    f.s.h.send_one(settle(0, 3_000, tree.proof(0).unwrap()), &[]).await.unwrap();
    f.s.h.send_one(settle(1, 3_600, tree.proof(1).unwrap()), &[]).await.unwrap();
    assert_eq!(f.s.h.token_balance(&p.usdc).await, 3_000_000 + 3_600_000);
    // The same cumulative figure twice pays nothing more.
    assert_error(
        f.s.h.send_one(settle(0, 3_000, tree.proof(0).unwrap()), &[]).await,
        code(EscrowError::NothingToSettle),
    );
    let l: Lease = f.lease(&lease).await;
    assert_eq!((l.paid, l.fees), (6_600_000, 132_000));
}

#[tokio::test]
async fn the_price_feed_follows_certified_reports_forward_only() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let first = q.publish(&mut f.s.h, ReportBody { usdc_per_io: 2_000_000, ..Default::default() }).await;
    let second = q.publish(&mut f.s.h, ReportBody { usdc_per_io: 2_100_000, ..Default::default() }).await;
    f.s.h.send_one(sdk::price_from_report(&second), &[]).await.unwrap();
    let feed: PriceFeed = f.s.h.account(&sdk::price_feed()).await;
    assert_eq!(feed.usdc_per_io, 2_100_000);
    assert_eq!(feed.updated_ts, (feed.period as i64 + 1) * 3600);
    // An older report cannot roll the price back.
    assert_error(f.s.h.send_one(sdk::price_from_report(&first), &[]).await, code(EscrowError::StaleReport));
}
