//! Random sequences of opens, top-ups, settlements, closes, finalizations and clock moves over
//! several providers and renters, with a third party donating into vaults and pre-funding the
//! next lease's addresses, and the escrow invariants checked after every step:
//! every lease vault == deposits − paid − fees − refunded + donations not yet swept (so never
//! below what the ledger holds; a close or finalization sweeps the donations to the renter);
//! every closed lease balances exactly; Δ treasury == Σ fees − Σ buybacks + Σ donations; config
//! ledgers == Σ over leases; buyback burns (donations to the buyback vault included) counted by
//! io_token and its minted − burned == the mint's supply; the buyback vault keeps nothing.
use crate::common::*;
use io_testkit::error_code;
use io_testkit::tamper::{env_or, Rng};

struct World {
    f: EscrowFixture,
    providers: Vec<Provider>,
    renters: Vec<Renter>,
    /// (lease, renter index, usdc?)
    leases: Vec<(Pubkey, usize, bool)>,
    io_payees: Vec<Pubkey>,
    nonce: u64,
    /// The treasury authority's USDC and $IO accounts (it "buys" $IO off-chain).
    buyer: (Pubkey, Pubkey),
    /// Tokens a third party sent into each lease vault and not yet swept to its renter.
    donated: std::collections::HashMap<Pubkey, u64>,
    /// USDC a third party sent into the treasury.
    treasury_donated: u64,
    /// $IO a third party sent into the buyback vault and not yet burned.
    buyback_donated: u64,
    /// Leases opened at pre-funded addresses.
    prefunded_opens: u64,
    /// Donations made by the third party, to any vault.
    donations: u64,
}

impl World {
    async fn new() -> Self {
        let mut f = EscrowFixture::new().await;
        let mut providers = Vec::new();
        let mut io_payees = Vec::new();
        for i in 0..3u64 {
            let p = f.provider(3, RATE_USDC + i * 1_234, RATE_IO + i * 777).await;
            let io_mint = f.io_mint();
            io_payees.push(f.s.h.create_token_account(&io_mint, &p.op.authority.pubkey()).await);
            providers.push(p);
        }
        let mut renters = Vec::new();
        for _ in 0..3 {
            renters.push(f.renter(1_000_000 * USDC, 1_000_000 * IO).await);
        }
        let t = f.treasury.insecure_clone();
        let (usdc_mint, io_mint) = (f.usdc_mint(), f.io_mint());
        let buyer_usdc = f.s.h.create_token_account(&usdc_mint, &t.pubkey()).await;
        let buyer_io = f.s.h.create_token_account(&io_mint, &t.pubkey()).await;
        f.s.h.mint_to(&io_mint, &buyer_io, 1_000_000 * IO).await;
        World {
            f,
            providers,
            renters,
            leases: Vec::new(),
            io_payees,
            nonce: 0,
            buyer: (buyer_usdc, buyer_io),
            donated: Default::default(),
            treasury_donated: 0,
            buyback_donated: 0,
            prefunded_opens: 0,
            donations: 0,
        }
    }

    async fn step(&mut self, rng: &mut Rng) -> &'static str {
        let allowed = |r: Result<(), _>, ok: &[EscrowError]| {
            if let Err(e) = r {
                let c = error_code(&e);
                assert!(ok.iter().any(|k| Some(code(*k)) == c), "unexpected failure {e:?}");
            }
        };
        match rng.below(12) {
            9 if !self.leases.is_empty() => {
                // A third party sends tokens into a vault: a lease's, the treasury or the buyback's.
                let (usdc_mint, io_mint) = (self.f.usdc_mint(), self.f.io_mint());
                let amount = 1 + rng.below(1_000);
                self.donations += 1;
                match rng.below(3) {
                    0 => {
                        let (lease, _, usdc) = self.leases[rng.below(self.leases.len() as u64) as usize];
                        let mint = if usdc { usdc_mint } else { io_mint };
                        self.f.s.h.donate(&mint, &sdk::lease_vault(&lease), amount).await;
                        *self.donated.entry(lease).or_default() += amount;
                    }
                    1 => {
                        self.f.s.h.donate(&usdc_mint, &sdk::treasury(&usdc_mint), amount).await;
                        self.treasury_donated += amount;
                    }
                    _ => {
                        self.f.s.h.donate(&io_mint, &sdk::buyback_vault(), amount).await;
                        self.buyback_donated += amount;
                    }
                }
                "donate"
            }
            10 => {
                // A third party pre-funds the renter's next lease and its vault; the open goes on.
                let ri = rng.below(3) as usize;
                let p = &self.providers[rng.below(3) as usize];
                let devices = vec![p.devices[rng.below(3) as usize]];
                self.nonce += 1;
                let lease = sdk::lease(&self.renters[ri].wallet.pubkey(), self.nonce);
                self.f.s.h.prefund(&lease, 1_000_000 + rng.below(10_000_000)).await;
                self.f.s.h.prefund(&sdk::lease_vault(&lease), 1_000_000 + rng.below(10_000_000)).await;
                let usdc = rng.below(2) == 0;
                let r =
                    self.f.open(&self.renters[ri], self.nonce, &devices, 1 + rng.below(6) as u32, usdc).await;
                if let Ok(lease) = r {
                    self.leases.push((lease, ri, usdc));
                    self.prefunded_opens += 1;
                }
                allowed(r.map(|_| ()), &[EscrowError::DeviceBusy]);
                "prefund+open"
            }
            7 => {
                // Buyback: spend part of the USDC treasury at a price the authority may move to
                // now (a bounded step from the feed's), burning the fair amount.
                let usdc_mint = self.f.usdc_mint();
                let held = self.f.s.h.token_balance(&sdk::treasury(&usdc_mint)).await;
                let spend = rng.below(held + 1);
                let feed: PriceFeed = self.f.s.h.account(&sdk::price_feed()).await;
                let now = self.f.s.h.now().await;
                let price = if feed.usdc_per_io == 0 {
                    1_000 + rng.below(5_000_000)
                } else {
                    let elapsed = (now - feed.updated_ts).max(0) as u64;
                    let step = io_escrow::max_price_step_floor(feed.usdc_per_io, elapsed).unwrap();
                    let up = rng.below(2) == 0;
                    let delta = rng.below(step + 1);
                    if up {
                        feed.usdc_per_io + delta
                    } else {
                        (feed.usdc_per_io - delta).max(1)
                    }
                };
                let p = self.f.price.insecure_clone();
                self.f.s.h.send_one(sdk::set_price(&p.pubkey(), price), &[&p]).await.unwrap();
                let io_amount = io_escrow::min_io_for(spend, price, 9, 0).unwrap();
                let t = self.f.treasury.insecure_clone();
                let io_mint = self.f.io_mint();
                let ix = sdk::buyback_burn(
                    &t.pubkey(),
                    &usdc_mint,
                    &io_mint,
                    &self.buyer.0,
                    &self.buyer.1,
                    spend,
                    io_amount,
                );
                let r = self.f.s.h.send_one(ix, &[&t]).await;
                if r.is_ok() {
                    self.buyback_donated = 0;
                }
                allowed(r, &[EscrowError::ZeroAmount]);
                "buyback"
            }
            8 => {
                // An operator re-prices one of its offers: running leases keep their rates.
                let p = &self.providers[rng.below(3) as usize];
                let d = p.devices[rng.below(3) as usize];
                let a = p.op.authority.insecure_clone();
                let ix = sdk::post_offer(
                    &a.pubkey(),
                    &d,
                    RATE_USDC + rng.below(1_000_000),
                    RATE_IO + rng.below(1_000),
                    1,
                    720,
                );
                self.f.s.h.send_one(ix, &[&a]).await.unwrap();
                "reprice"
            }
            0 | 1 => {
                let ri = rng.below(3) as usize;
                let n = 1 + rng.below(3) as usize;
                let mut devices = Vec::new();
                for _ in 0..n {
                    let p = &self.providers[rng.below(3) as usize];
                    let d = p.devices[rng.below(3) as usize];
                    if !devices.contains(&d) {
                        devices.push(d);
                    }
                }
                let usdc = rng.below(2) == 0;
                self.nonce += 1;
                let hours = 1 + rng.below(6) as u32;
                let r = self.f.open(&self.renters[ri], self.nonce, &devices, hours, usdc).await;
                if let Ok(lease) = r {
                    self.leases.push((lease, ri, usdc));
                }
                allowed(r.map(|_| ()), &[EscrowError::DeviceBusy]);
                "open"
            }
            2 if !self.leases.is_empty() => {
                let (lease, ri, _) = self.leases[rng.below(self.leases.len() as u64) as usize];
                let l = self.f.lease(&lease).await;
                let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
                let token = if l.payment_mint == self.f.usdc_mint() {
                    self.renters[ri].usdc
                } else {
                    self.renters[ri].io
                };
                let w = self.renters[ri].wallet.insecure_clone();
                let ix = sdk::top_up_lease(
                    &w.pubkey(),
                    &lease,
                    &l.payment_mint,
                    &token,
                    1 + rng.below(3) as u32,
                    &devices,
                );
                let r = self.f.s.h.send_one(ix, &[&w]).await;
                allowed(r, &[EscrowError::LeaseNotOpen, EscrowError::LeaseEnded, EscrowError::DeviceBusy]);
                "top_up"
            }
            3 if !self.leases.is_empty() => {
                let (lease, _, usdc) = self.leases[rng.below(self.leases.len() as u64) as usize];
                let l = self.f.lease(&lease).await;
                let i = rng.below(l.devices.len() as u64) as usize;
                let d = l.devices[i];
                let pi = self
                    .providers
                    .iter()
                    .position(|p| p.op.authority.pubkey() == d.operator_authority)
                    .unwrap();
                let payee = if usdc { self.providers[pi].usdc } else { self.io_payees[pi] };
                let now = self.f.s.h.now().await;
                let elapsed = l.elapsed(now);
                let secs = match rng.below(4) {
                    0 => elapsed,
                    1 => elapsed + 1,
                    _ => d.attested_seconds + rng.below(elapsed.saturating_sub(d.attested_seconds) + 1),
                };
                let r = self.f.settle(&lease, &payee, i as u8, secs).await;
                allowed(
                    r,
                    &[
                        EscrowError::NothingToSettle,
                        EscrowError::AttestedBeyondElapsed,
                        EscrowError::LeaseClosed,
                    ],
                );
                "settle"
            }
            4 if !self.leases.is_empty() => {
                let (lease, ri, _) = self.leases[rng.below(self.leases.len() as u64) as usize];
                let renter = &self.renters[ri];
                let r = if rng.below(2) == 0 {
                    self.f.close(renter, &lease).await
                } else {
                    self.f.finalize(renter, &lease).await
                };
                if r.is_ok() {
                    self.donated.remove(&lease);
                }
                allowed(
                    r,
                    &[EscrowError::LeaseNotOpen, EscrowError::GraceNotElapsed, EscrowError::LeaseClosed],
                );
                "close/finalize"
            }
            _ => {
                self.f.s.h.warp_seconds(rng.below(3 * 3600) as i64).await;
                "warp"
            }
        }
    }

    async fn check(&mut self, step: usize, what: &str) {
        let ctx = format!("step {step} ({what})");
        let c = self.f.config().await;
        let (mut fees_usdc, mut paid_usdc, mut paid_io, mut refunded_usdc, mut refunded_io) = (0, 0, 0, 0, 0);
        for (lease, _, usdc) in self.leases.clone() {
            let l = self.f.lease(&lease).await;
            let vault = self.f.s.h.token_balance(&sdk::lease_vault(&lease)).await;
            let donated = self.donated.get(&lease).copied().unwrap_or(0);
            assert_eq!(
                vault,
                l.deposit - l.paid - l.fees - l.refunded + donated,
                "{ctx}: lease vault == deposits − paid − fees − refunded + donations not yet swept"
            );
            assert!(
                l.fees >= (l.paid * u64::from(l.fee_bps)).div_ceil(10_000) && l.fees <= l.deposit,
                "{ctx}: fee on payouts"
            );
            if l.status == LeaseStatus::Closed {
                assert_eq!(l.paid + l.fees + l.refunded, l.deposit, "{ctx}: closed lease balances exactly");
            }
            if usdc {
                fees_usdc += l.fees;
                paid_usdc += l.paid;
                refunded_usdc += l.refunded;
            } else {
                assert_eq!(l.fees, 0, "{ctx}: $IO leases pay no fee");
                paid_io += l.paid;
                refunded_io += l.refunded;
            }
        }
        let treasury = self.f.s.h.token_balance(&sdk::treasury(&self.f.usdc_mint())).await;
        assert_eq!(
            treasury,
            fees_usdc + self.treasury_donated - c.buyback_usdc_spent,
            "{ctx}: Δ treasury == Σ fees + Σ donations − Σ buybacks"
        );
        let buyback_vault = self.f.s.h.token_balance(&sdk::buyback_vault()).await;
        assert_eq!(
            buyback_vault, self.buyback_donated,
            "{ctx}: the buyback vault keeps only unburned donations"
        );
        let t: io_token::TokenConfig = self.f.s.h.account(&io_sdk::token::config()).await;
        assert_eq!(
            t.burned[io_token::BurnReason::Buyback as usize],
            c.buyback_io_burned,
            "{ctx}: buyback burns counted"
        );
        let supply = self.f.s.h.mint_supply(&self.f.io_mint()).await;
        assert_eq!(t.total_minted - t.total_burned, supply, "{ctx}: io_token's minted − burned == supply");
        assert_eq!((c.fees_usdc, c.paid_usdc, c.paid_io), (fees_usdc, paid_usdc, paid_io), "{ctx}: ledgers");
        assert_eq!((c.refunded_usdc, c.refunded_io), (refunded_usdc, refunded_io), "{ctx}: refund ledgers");
    }
}

#[tokio::test]
async fn random_lease_sequences_keep_every_invariant() {
    let seeds = env_or("IO_FUZZ_SEEDS", 3);
    let steps = env_or("IO_FUZZ_STEPS", 120) as usize;
    for seed in 0..seeds {
        let mut rng = Rng(0xA076_1D64_78BD_642F ^ (seed + 1).wrapping_mul(0xE703_7ED1_A0B4_28DB));
        let mut w = World::new().await;
        for step in 0..steps {
            let what = w.step(&mut rng).await;
            w.check(step, what).await;
        }
        println!(
            "seed {seed}: {} leases ({} at pre-funded addresses), {} donations over {steps} steps",
            w.leases.len(),
            w.prefunded_opens,
            w.donations
        );
    }
}
