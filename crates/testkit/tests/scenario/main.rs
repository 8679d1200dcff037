//! The whole network end to end, readable as documentation: genesis → an operator whose devices
//! the oracle attests → a delegator → hourly emissions → a report whose rewards tree pays the
//! operator and its delegator → a USDC lease and an $IO lease → usage reports → settlements,
//! fees and refunds → a buyback burn at the report's price → a slash from the report → and the
//! supply ledger agreeing with the mint at the end.
use anchor_lang::prelude::Pubkey;
use io_escrow::{Lease, LeaseStatus};
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::{escrow as esdk, staking as ssdk, token as tsdk};
use io_staking::{Device, DeviceStatus, HardwareClass};
use io_testkit::{escrow::EscrowFixture, oracle::Quorum, staking::StakingFixture, TestSigner, IO, USDC};
use io_token::{BurnReason, TokenConfig};

const USDC_RATE: u64 = 3_600_000; // 3.6 USDC per device-hour
const IO_RATE: u64 = 2 * IO; // 2 $IO per device-hour

#[tokio::test]
async fn genesis_to_burns() {
    // Genesis: io_token mints exactly 500M $IO into its five allocation vaults; io_staking,
    // io_escrow and a 4-oracle set (threshold 3) are initialised on the same chain.
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 4).await;
    let (io, usdc) = (f.io_mint(), f.usdc_mint());
    assert_eq!(f.s.h.mint_supply(&io).await, 500_000_000 * IO);

    // An operator bonds and registers two devices; they wait, pending, for the oracles.
    let op = f.s.operator(500, 20_000 * IO).await;
    f.s.add_bond(&op, 5_000 * IO).await.unwrap();
    let gpu = |seed| StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, seed);
    let dev_a = f.s.device(&op, gpu(1)).await.unwrap();
    let dev_b = f.s.device(&op, gpu(2)).await.unwrap();
    let class = HardwareClass::ConsumerGpu.index() as u8;

    // Report 1: the devices tree attests both devices; anyone applies the proofs.
    let devices = MerkleTree::new(vec![
        leaves::device_leaf(&dev_a, class, true, true),
        leaves::device_leaf(&dev_b, class, true, true),
    ]);
    let r1 = q.publish(&mut f.s.h, ReportBody { devices_root: devices.root(), ..Default::default() }).await;
    for (i, dev) in [dev_a, dev_b].iter().enumerate() {
        let ix =
            ssdk::apply_device_report(&op.address, dev, &r1, class, true, true, devices.proof(i).unwrap());
        f.s.h.send_one(ix, &[]).await.unwrap();
        assert_eq!(f.s.h.account::<Device>(dev).await.status, DeviceStatus::Active);
    }
    // The operator offers them: device A for USDC, device B for $IO.
    let a = op.authority.insecure_clone();
    f.s.h.send_one(esdk::post_offer(&a.pubkey(), &dev_a, USDC_RATE, 0, 1, 24), &[&a]).await.unwrap();
    f.s.h.send_one(esdk::post_offer(&a.pubkey(), &dev_b, 0, IO_RATE, 1, 24), &[&a]).await.unwrap();

    // A delegator stakes 1,000 $IO with the operator.
    let carol = f.s.staker(2_000 * IO).await;
    f.s.stake(&carol, &op.address, 1_000 * IO).await.unwrap();

    // Emissions: three hours later the crank mints three hours into the rewards vault.
    f.s.h.warp_seconds(3 * 3600).await;
    f.s.h.send_one(tsdk::emit(), &[]).await.unwrap();
    let emitted = f.s.h.token_balance(&tsdk::rewards_vault()).await;
    assert!(emitted > 0);

    // Report 2: the rewards tree gives the operator 1,000 $IO cumulative. The claim pulls them
    // from the emissions vault: 5% commission, the rest to the delegators.
    let rewards = MerkleTree::new(vec![leaves::rewards_leaf(&op.address, 1_000 * IO)]);
    let r2 = q.publish(&mut f.s.h, ReportBody { rewards_root: rewards.root(), ..Default::default() }).await;
    // Carol's stake warmed up during those hours: the crank lists her position, so she is paid
    // for them.
    let warming = f.s.warming_positions(&op.address).await;
    let ix =
        ssdk::claim_operator_rewards(&op.address, &r2, &io, 1_000 * IO, rewards.proof(0).unwrap(), &warming);
    f.s.h.send_one(ix, &[]).await.unwrap();
    assert_eq!(f.s.operator_state(&op.address).await.commission_claimable, 50 * IO);
    let before = f.s.h.token_balance(&carol.token).await;
    f.s.claim(&carol, &op.address).await.unwrap();
    assert_eq!(f.s.h.token_balance(&carol.token).await - before, 950 * IO);

    // A renter leases device A for 2 hours in USDC and device B for 2 hours in $IO.
    let renter = f.renter(100 * USDC, 100 * IO).await;
    let lease_u = f.open(&renter, 1, &[dev_a], 2, true).await.unwrap();
    let lease_i = f.open(&renter, 2, &[dev_b], 2, false).await.unwrap();
    assert_eq!(f.lease(&lease_u).await.deposit, 2 * USDC_RATE + (2 * USDC_RATE).div_ceil(50));
    assert_eq!(f.lease(&lease_i).await.deposit, 2 * IO_RATE);

    // An hour later, report 3 attests 3,000 s of service on A (10 minutes down) and 3,600 s on B.
    let usage = MerkleTree::new(vec![
        leaves::usage_leaf(&lease_u, &dev_a, 3_000),
        leaves::usage_leaf(&lease_i, &dev_b, 3_600),
    ]);
    let r3 = q.publish(&mut f.s.h, ReportBody { usage_root: usage.root(), ..Default::default() }).await;
    let io_payee = f.s.h.create_token_account(&io, &a.pubkey()).await;
    let usdc_payee = f.s.h.create_token_account(&usdc, &a.pubkey()).await;
    let ix = esdk::settle_attested(&lease_u, &usdc, &usdc_payee, &r3, 0, 3_000, usage.proof(0).unwrap());
    f.s.h.send_one(ix, &[]).await.unwrap();
    let ix = esdk::settle_attested(&lease_i, &io, &io_payee, &r3, 0, 3_600, usage.proof(1).unwrap());
    f.s.h.send_one(ix, &[]).await.unwrap();
    assert_eq!(f.s.h.token_balance(&usdc_payee).await, 3_000_000);
    assert_eq!(f.s.h.token_balance(&io_payee).await, IO_RATE);

    // The renter closes both leases; after the settlement grace they are finalized and every
    // unit of each deposit is accounted for: paid + fees + refunded == deposit.
    f.close(&renter, &lease_u).await.unwrap();
    f.close(&renter, &lease_i).await.unwrap();
    f.s.h.warp_seconds(f.params.settlement_grace_secs).await;
    f.finalize(&renter, &lease_u).await.unwrap();
    f.finalize(&renter, &lease_i).await.unwrap();
    for lease in [lease_u, lease_i] {
        let l: Lease = f.lease(&lease).await;
        assert_eq!(l.status, LeaseStatus::Closed);
        assert_eq!(l.paid + l.fees + l.refunded, l.deposit);
    }
    let fees = f.config().await.fees_usdc;
    assert_eq!(fees, 60_000, "2% of the 3 USDC paid, into the USDC treasury");
    assert_eq!(f.s.h.token_balance(&esdk::treasury(&usdc)).await, fees);

    // Report 4 carries the IO/USDC price (0.015 USDC per $IO) and a slash of 500 $IO for
    // the operator.
    let evidence = [0xE7; 32];
    let slashes = MerkleTree::new(vec![leaves::slash_leaf(&op.address, 500 * IO, &evidence)]);
    let body = ReportBody { usdc_per_io: 15_000, slashes_root: slashes.root(), ..Default::default() };
    let r4 = q.publish(&mut f.s.h, body).await;

    // The price feed takes the report's price; the treasury authority spends the fees on $IO
    // (4 $IO at that price) and burns them, no worse than the price allows.
    f.s.h.send_one(esdk::price_from_report(&r4), &[]).await.unwrap();
    let t = f.treasury.insecure_clone();
    let t_usdc = f.s.h.create_token_account(&usdc, &t.pubkey()).await;
    let t_io = f.s.h.create_token_account(&io, &t.pubkey()).await;
    f.s.h.mint_to(&io, &t_io, 4 * IO).await; // bought on the market
    let ix = esdk::buyback_burn(&t.pubkey(), &usdc, &io, &t_usdc, &t_io, fees, 4 * IO);
    f.s.h.send_one(ix, &[&t]).await.unwrap();

    // The slash from the report opens its appeal window; after it, anyone executes it: the bond
    // pays first, and the $IO is burned.
    let payer = f.s.h.payer().insecure_clone();
    let ix = ssdk::propose_slash_from_report(
        &payer.pubkey(),
        &op.address,
        &r4,
        500 * IO,
        evidence,
        slashes.proof(0).unwrap(),
    );
    f.s.h.send_one(ix, &[]).await.unwrap();
    f.s.h.warp_seconds(f.s.params.slash_appeal_secs).await;
    let slash: Pubkey = ssdk::slash(&op.address, &evidence);
    f.s.execute_slash(&op.address, &slash).await.unwrap();
    assert_eq!(f.s.operator_state(&op.address).await.bond, 4_500 * IO);

    // The ledger: everything minted (genesis + emissions) minus everything burned (buyback,
    // slash) is exactly the mint's supply.
    let t: TokenConfig = f.s.h.account(&tsdk::config()).await;
    let supply = f.s.h.mint_supply(&io).await;
    assert_eq!(t.total_minted, 500_000_000 * IO + emitted);
    assert_eq!(t.burned[BurnReason::Buyback as usize], 4 * IO);
    assert_eq!(t.burned[BurnReason::Slash as usize], 500 * IO);
    assert_eq!(t.total_minted - t.total_burned, supply);
    assert_eq!(supply, 500_000_000 * IO + emitted - 4 * IO - 500 * IO);
}
