//! `make demo`: a scripted scenario through the real programs (run
//! natively inside solana-program-test with the real SPL Token program), printing what happened.
//! Every figure printed is read back from chain state, not computed here.
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::{escrow as esdk, staking as sdk};
use io_staking::{HardwareClass, Operator, Slash};
use io_testkit::{escrow::EscrowFixture, oracle::Quorum, staking::StakingFixture, TestSigner, IO, USDC};

fn usdc_str(base: u64) -> String {
    format!("{}.{:06} USDC", base / USDC, base % USDC)
}

fn io(base: u64) -> String {
    let whole = base / IO;
    let frac = base % IO;
    if frac == 0 {
        format!("{whole} IO")
    } else {
        format!("{whole}.{:09} IO", frac).trim_end_matches('0').to_string()
    }
}

/// Natively, Anchor's `msg!` is a `println!` in this process: the programs' own log lines would
/// bury the report. The report gets a duplicate of stdout; stdout itself goes to /dev/null.
fn report_stream() -> std::fs::File {
    use std::os::fd::FromRawFd;
    // SAFETY: plain descriptor calls on this process's own stdout; the duplicate is owned by the
    // returned File alone.
    unsafe {
        let report = libc::dup(1);
        let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if report < 0 || devnull < 0 || libc::dup2(devnull, 1) < 0 {
            panic!("cannot redirect stdout");
        }
        libc::close(devnull);
        std::fs::File::from_raw_fd(report)
    }
}

macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let line = format!($($arg)*);
        REPORT.with(|r| writeln!(r.borrow_mut(), "{line}").expect("write report"));
    }};
}

thread_local! {
    static REPORT: std::cell::RefCell<std::fs::File> = std::cell::RefCell::new(report_stream());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // program-test logs every instruction at debug level; the scenario speaks for itself.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "error");
    }
    println!("IO Compute — a scenario through io_token, io_staking, io_escrow and io_oracle");
    println!("(programs run natively inside solana-program-test, with the real SPL Token program)\n");
    let mut e = EscrowFixture::new().await;
    let q = Quorum::init(&mut e.s.h, 4).await;
    let f = &mut e.s;
    let supply_genesis = f.h.mint_supply(&f.io_mint()).await;
    println!(
        "0. io_token genesis minted {} into five allocation vaults; 4 oracles, threshold 3",
        io(supply_genesis)
    );
    let p = f.params;
    println!("1. initialized io_staking: min stake {}, unstake cooldown {} days, slash appeal {} days, bond unbonding {} days",
        io(p.min_stake), p.unstake_cooldown_secs / 86_400, p.slash_appeal_secs / 86_400, p.bond_unbonding_secs / 86_400);

    let alpha = f.operator(500, 50_000 * IO).await;
    let beta = f.operator(1_000, 50_000 * IO).await;
    println!("2. registered operators {} (5% commission) and {} (10%)", alpha.address, beta.address);

    f.add_bond(&alpha, 16_000 * IO).await.unwrap();
    f.add_bond(&beta, 2_000 * IO).await.unwrap();
    let h100 = f.device(&alpha, StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, 8, 1)).await.unwrap();
    let rtx = f.device(&beta, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 4, 2)).await.unwrap();
    f.activate(&alpha, &h100).await.unwrap();
    f.activate(&beta, &rtx).await.unwrap();
    for (name, op) in [("alpha", &alpha), ("beta", &beta)] {
        let o: Operator = f.h.account(&op.address).await;
        println!(
            "3. {name}: bond {}, required by active devices {}, devices active {}",
            io(o.bond),
            io(o.required_bond),
            o.devices_active
        );
    }

    let carol = f.staker(5_000 * IO).await;
    let dave = f.staker(5_000 * IO).await;
    let small = f.staker(1_000 * IO).await;
    f.stake(&carol, &alpha.address, 3_000 * IO).await.unwrap();
    f.stake(&dave, &alpha.address, 1_000 * IO).await.unwrap();
    let refused = f.stake(&small, &alpha.address, 99 * IO).await.is_err();
    println!(
        "4. carol staked 3,000 IO and dave 1,000 IO to alpha; a 99 IO first stake was refused: {refused}"
    );

    // New stake earns from the next reward period (hour) on.
    f.h.warp_seconds(3600).await;
    f.fund(&alpha.address, 2_000 * IO).await.unwrap();
    let (c0, d0) = (f.h.token_balance(&carol.token).await, f.h.token_balance(&dave.token).await);
    f.claim(&carol, &alpha.address).await.unwrap();
    f.claim(&dave, &alpha.address).await.unwrap();
    let o: Operator = f.h.account(&alpha.address).await;
    println!(
        "5. an hour later 2,000 IO of rewards funded to alpha: commission {}, carol claimed {}, dave claimed {}",
        io(o.commission_claimable),
        io(f.h.token_balance(&carol.token).await - c0),
        io(f.h.token_balance(&dave.token).await - d0)
    );

    f.unstake(&dave, &alpha.address, 1_000 * IO).await.unwrap();
    let early = f.withdraw(&dave, &alpha.address).await.is_err();
    f.h.warp_seconds(p.unstake_cooldown_secs).await;
    let d1 = f.h.token_balance(&dave.token).await;
    f.withdraw(&dave, &alpha.address).await.unwrap();
    println!("6. dave unstaked 1,000 IO; withdrawing before the cooldown was refused: {early}; after 14 days he received {}",
        io(f.h.token_balance(&dave.token).await - d1));

    let mint = f.io_mint();
    let supply0 = f.h.mint_supply(&mint).await;
    let slash = f.propose_slash(&alpha.address, 17_000 * IO).await.unwrap();
    f.h.warp_seconds(p.slash_appeal_secs).await;
    f.execute_slash(&alpha.address, &slash).await.unwrap();
    let s: Slash = f.h.account(&slash).await;
    let o: Operator = f.h.account(&alpha.address).await;
    println!("7. alpha slashed 17,000 IO after the appeal window: {} from its bond, {} from delegators; supply fell by {}",
        io(s.from_bond), io(s.from_stake + s.from_unbonding), io(supply0 - f.h.mint_supply(&mint).await));
    println!(
        "   carol's 3,000 IO stake is now worth {}",
        io(f.position(&alpha.address, &carol.wallet.pubkey()).await.unwrap().value_floor(&o).unwrap())
    );

    // A renter leases beta's device for 2 hours in USDC; an hour later the oracle report attests
    // 50 minutes of service; the renter closes, the rest is refunded after the grace period.
    let offer = esdk::post_offer(&beta.authority.pubkey(), &rtx, 3_600_000, 0, 1, 24);
    e.s.h.send_one(offer, &[&beta.authority]).await.unwrap();
    let renter = e.renter(100 * USDC, 0).await;
    let lease = e.open(&renter, 1, &[rtx], 2, true).await.unwrap();
    let deposit = e.lease(&lease).await.deposit;
    let usage = MerkleTree::new(vec![leaves::usage_leaf(&lease, &rtx, 3_000)]);
    let body = ReportBody { usage_root: usage.root(), usdc_per_io: 20_000, ..Default::default() };
    let report = q.publish(&mut e.s.h, body).await;
    let usdc = e.usdc_mint();
    let payee = e.s.h.create_token_account(&usdc, &beta.authority.pubkey()).await;
    let ix = esdk::settle_attested(&lease, &usdc, &payee, &report, 0, 3_000, usage.proof(0).unwrap());
    e.s.h.send_one(ix, &[]).await.unwrap();
    e.close(&renter, &lease).await.unwrap();
    e.s.h.warp_seconds(e.params.settlement_grace_secs).await;
    e.finalize(&renter, &lease).await.unwrap();
    let l = e.lease(&lease).await;
    println!(
        "8. a 2-hour USDC lease of beta's GPUs: deposit {}; the oracle report attested 3,000 s → provider paid {}, fee {}, renter refunded {}",
        usdc_str(deposit),
        usdc_str(l.paid),
        usdc_str(l.fees),
        usdc_str(l.refunded)
    );

    // The treasury spends the fee on $IO at the price of the oracles' latest report (the lease's
    // report is older than the buyback's price-age limit by the time the lease is finalized).
    let body = ReportBody { usdc_per_io: 20_000, ..Default::default() };
    let price_report = q.publish(&mut e.s.h, body).await;
    e.s.h.send_one(esdk::price_from_report(&price_report), &[]).await.unwrap();
    let t = e.treasury.insecure_clone();
    let io_mint = e.io_mint();
    let t_usdc = e.s.h.create_token_account(&usdc, &t.pubkey()).await;
    let t_io = e.s.h.create_token_account(&io_mint, &t.pubkey()).await;
    e.s.h.mint_to(&io_mint, &t_io, 3 * IO).await;
    let ix = esdk::buyback_burn(&t.pubkey(), &usdc, &io_mint, &t_usdc, &t_io, l.fees, 3 * IO);
    e.s.h.send_one(ix, &[&t]).await.unwrap();
    println!("9. buyback: the {} fee bought 3 IO at the report's 0.02 USDC per IO, burned", usdc_str(l.fees));

    let tc: io_token::TokenConfig = e.s.h.account(&io_sdk::token::config()).await;
    let supply = e.s.h.mint_supply(&io_mint).await;
    println!(
        "10. supply ledger: minted {} − burned {} (slash {}, buyback {}) = {}; equals the mint's supply: {}",
        io(tc.total_minted),
        io(tc.total_burned),
        io(tc.burned[io_token::BurnReason::Slash as usize]),
        io(tc.burned[io_token::BurnReason::Buyback as usize]),
        io(tc.total_minted - tc.total_burned),
        tc.total_minted - tc.total_burned == supply
    );

    let f = &mut e.s;
    let c = f.config().await;
    println!(
        "\nnetwork: {} operators, {} bonded, {} staked, {} rewards funded / {} paid, {} slashed and burned",
        c.operator_count,
        io(c.total_bonded),
        io(c.total_staked),
        io(c.rewards_funded),
        io(c.rewards_paid),
        io(c.total_slashed)
    );
    println!(
        "stake vault {} · bond vault {} · reward vault {}",
        io(f.h.token_balance(&sdk::stake_vault()).await),
        io(f.h.token_balance(&sdk::bond_vault()).await),
        io(f.h.token_balance(&sdk::reward_vault()).await)
    );
}
