//! The fuzzer's world: one full-stack bank with its fixed cast, the state of the flow in progress,
//! and how a step's result is judged.
use crate::grief::Griefer;
use anchor_lang::prelude::Pubkey;
use io_testkit::escrow::{EscrowFixture, Provider, Renter};
use io_testkit::oracle::Quorum;
use io_testkit::staking::TestStaker;
use io_testkit::tamper::Rng;
use io_testkit::{error_code, TestSigner, IO, USDC};
use solana_program_test::BanksClientError;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub const PROVIDERS: usize = 3;
pub const DEVICES_PER_PROVIDER: usize = 2;
pub const STAKERS: usize = 3;
pub const RENTERS: usize = 2;
pub const RATE_USDC: u64 = 3_600_000;
pub const RATE_IO: u64 = 2 * IO;

/// The custom code of the `MathOverflow` (the error its invariants raise) of the program a step
/// calls at the top level. A step may be refused for a reason of the rules, never with this.
/// (A callee's `MathOverflow` inside a CPI surfaces with the callee's number, which may be a rule of
/// the caller — io_token's 6023 is io_escrow's `PriceStale` — so only the top-level program's is
/// judged here; the ledger invariants checked after every step cover the callees.)
pub fn invariant_failure(what: &str) -> u32 {
    match what {
        "emit" => u32::from(io_token::error::TokenError::MathOverflow),
        "open_lease" | "top_up_lease" | "settle" | "settle_attested" | "close_lease" | "finalize_lease"
        | "buyback_burn" | "set_price" | "price_from_report" => {
            u32::from(io_escrow::error::EscrowError::MathOverflow)
        }
        _ => u32::from(io_staking::error::StakingError::MathOverflow),
    }
}

/// What happened in the flow so far: the accounts its exits must release.
#[derive(Default)]
pub struct Flow {
    /// (lease, renter index).
    pub leases: Vec<(Pubkey, usize)>,
    /// Slashes proposed in this flow.
    pub slashes: Vec<Pubkey>,
    /// (staker index, provider index) pairs that staked.
    pub positions: BTreeSet<(usize, usize)>,
}

/// Steps per kind: how often each ran, how often it was accepted, and the refusals by code.
#[derive(Default)]
pub struct Stats {
    pub flows: u64,
    pub steps: u64,
    pub kinds: BTreeMap<&'static str, (u64, u64)>,
    pub refusals: BTreeMap<(&'static str, u32), u64>,
}

impl Stats {
    pub fn merge(&mut self, other: Stats) {
        self.flows += other.flows;
        self.steps += other.steps;
        for (k, (ran, ok)) in other.kinds {
            let e = self.kinds.entry(k).or_default();
            e.0 += ran;
            e.1 += ok;
        }
        for (k, n) in other.refusals {
            *self.refusals.entry(k).or_default() += n;
        }
    }

    pub fn record(&mut self, what: &'static str, refusal: Option<u32>) {
        let e = self.kinds.entry(what).or_default();
        e.0 += 1;
        match refusal {
            None => e.1 += 1,
            Some(code) => *self.refusals.entry((what, code)).or_default() += 1,
        }
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} flows, {} steps; accepted/ran:", self.flows, self.steps)?;
        for (k, (ran, ok)) in &self.kinds {
            write!(f, " {k} {ok}/{ran}")?;
        }
        write!(f, "; refusals:")?;
        for ((k, code), n) in &self.refusals {
            write!(f, " {k}:{code}×{n}")?;
        }
        Ok(())
    }
}

pub struct World {
    pub f: EscrowFixture,
    pub q: Quorum,
    pub providers: Vec<Provider>,
    /// Each provider's $IO account (payee of $IO leases).
    pub io_payees: Vec<Pubkey>,
    pub stakers: Vec<TestStaker>,
    pub renters: Vec<Renter>,
    /// The next lease nonce of each renter.
    pub nonces: Vec<u64>,
    /// Each operator's cumulative reward in the latest report.
    pub cumulative: Vec<u64>,
    /// The treasury authority's USDC and $IO accounts (it buys $IO off-chain to burn).
    pub buyer: (Pubkey, Pubkey),
    /// Evidence hashes used so far (each slash gets a fresh one).
    pub evidence: u64,
    pub shard: u64,
    pub griefer: Griefer,
    pub flow: Flow,
    pub stats: Stats,
    /// Where we are, for every assertion message: shard, flow, seed, step.
    pub at: String,
}

/// Every flow ends by waiting out the unstake cooldown (twice) and any appeal window: with
/// io_staking's default delays (14 and 7 days) the emission schedule would run dry after a few
/// hundred flows, and tickets would rarely mature inside a flow. The admin shortens them to an
/// hour; if io_staking refuses, the defaults stay.
async fn shorten_staking_delays(f: &mut EscrowFixture) {
    let hour = 3_600;
    let params = io_staking::Params {
        unstake_cooldown_secs: hour,
        slash_appeal_secs: hour,
        bond_unbonding_secs: 2 * hour,
        ..f.s.params
    };
    let admin = f.s.admin.insecure_clone();
    let ix = io_sdk::staking::update_params(&admin.pubkey(), params);
    if f.s.h.send_one(ix, &[&admin]).await.is_ok() {
        f.s.params = params;
    }
}

impl World {
    pub async fn new(shard: u64) -> World {
        let mut f = EscrowFixture::new().await;
        shorten_staking_delays(&mut f).await;
        let q = Quorum::init(&mut f.s.h, 3).await;
        let mut providers = Vec::new();
        let mut io_payees = Vec::new();
        for i in 0..PROVIDERS as u64 {
            let p = f.provider(DEVICES_PER_PROVIDER, RATE_USDC + i * 1_234, RATE_IO + i * 777).await;
            let io_mint = f.io_mint();
            io_payees.push(f.s.h.create_token_account(&io_mint, &p.op.authority.pubkey()).await);
            providers.push(p);
        }
        let mut stakers = Vec::new();
        for _ in 0..STAKERS {
            stakers.push(f.s.staker(1_000_000 * IO).await);
        }
        let mut renters = Vec::new();
        for _ in 0..RENTERS {
            let r = f.renter(10_000_000 * USDC, 1_000_000 * IO).await;
            // Each lease's accounts cost the renter rent: enough SOL for thousands of them.
            let payer = f.s.h.payer().pubkey();
            let ix =
                solana_system_interface::instruction::transfer(&payer, &r.wallet.pubkey(), 1_000_000_000_000);
            f.s.h.send(&[ix], &[]).await.expect("fund the renter");
            renters.push(r);
        }
        let t = f.treasury.insecure_clone();
        let (usdc_mint, io_mint) = (f.usdc_mint(), f.io_mint());
        let buyer_usdc = f.s.h.create_token_account(&usdc_mint, &t.pubkey()).await;
        let buyer_io = f.s.h.create_token_account(&io_mint, &t.pubkey()).await;
        f.s.h.mint_to(&io_mint, &buyer_io, 1_000_000 * IO).await;
        let griefer = Griefer::new(&mut f).await;
        World {
            f,
            q,
            providers,
            io_payees,
            stakers,
            renters,
            nonces: vec![0; RENTERS],
            cumulative: vec![0; PROVIDERS],
            buyer: (buyer_usdc, buyer_io),
            evidence: 0,
            shard,
            griefer,
            flow: Flow::default(),
            stats: Stats::default(),
            at: String::new(),
        }
    }

    /// One flow: `steps` seeded random steps with the invariants checked after each, then the
    /// honest exits, which must all succeed.
    pub async fn run_flow(&mut self, world: u64, flow: u64, seed: u64, steps: u64) {
        let mut rng = Rng(seed | 1);
        self.flow = Flow::default();
        let head = format!("shard {} world {world} flow {flow} seed {seed:#x}", self.shard);
        for k in 0..steps {
            self.at = format!("{head} step {k}");
            let what = self.step(&mut rng).await;
            self.at = format!("{head} step {k} ({what})");
            self.stats.steps += 1;
            self.check().await;
        }
        self.at = format!("{head} exits");
        self.exits().await;
        self.check().await;
        self.stats.flows += 1;
    }

    /// Judges a random step's result: accepted (true), refused by a rule of the program (false),
    /// or a break — an invariant's `MathOverflow` or a failure outside every program's errors
    /// (a runtime refusal, as when a pre-funded address blocks an `init`) — which fails the run.
    pub fn judge(&mut self, what: &'static str, r: Result<(), BanksClientError>) -> bool {
        let refusal = match r {
            Ok(()) => None,
            Err(e) => match error_code(&e) {
                Some(c) if c != invariant_failure(what) => Some(c),
                _ => panic!("{}: {what} broke the rules: {e:?}", self.at),
            },
        };
        self.stats.record(what, refusal);
        refusal.is_none()
    }

    /// An honest exit: it must succeed.
    pub fn must(&self, what: &str, r: Result<(), BanksClientError>) {
        if let Err(e) = r {
            panic!("{}: honest {what} is stuck: {e:?}", self.at);
        }
    }

    /// An honest exit that may find nothing to do, refused with exactly `nothing`.
    pub fn must_or(&self, what: &str, r: Result<(), BanksClientError>, nothing: u32) {
        if let Err(e) = r {
            if error_code(&e) != Some(nothing) {
                panic!("{}: honest {what} is stuck: {e:?}", self.at);
            }
        }
    }

    pub fn fresh_evidence(&mut self) -> [u8; 32] {
        self.evidence += 1;
        let mut e = [0xE5u8; 32];
        e[..8].copy_from_slice(&self.evidence.to_le_bytes());
        e[8..16].copy_from_slice(&self.shard.to_le_bytes());
        e
    }

    /// The next evidence hash, without using it (what a griefer can predict).
    pub fn next_evidence(&self) -> [u8; 32] {
        let mut e = [0xE5u8; 32];
        e[..8].copy_from_slice(&(self.evidence + 1).to_le_bytes());
        e[8..16].copy_from_slice(&self.shard.to_le_bytes());
        e
    }

    pub fn operator(&self, p: usize) -> Pubkey {
        self.providers[p].op.address
    }

    /// The provider index of an operator authority.
    pub fn provider_of(&self, authority: &Pubkey) -> usize {
        self.providers.iter().position(|p| p.op.authority.pubkey() == *authority).expect("a provider")
    }

    /// Where a lease's device `d` is paid: its provider's account of the lease's mint.
    pub fn payee(&self, l: &io_escrow::Lease, d: usize) -> Pubkey {
        let p = self.provider_of(&l.devices[d].operator_authority);
        if l.payment_mint == self.f.usdc_mint() {
            self.providers[p].usdc
        } else {
            self.io_payees[p]
        }
    }

    /// The $IO value of staker `s`'s position with provider `p` (0 without one).
    pub async fn position_value(&mut self, s: usize, p: usize) -> u64 {
        let op = self.operator(p);
        let st = self.f.s.operator_state(&op).await;
        // Earning and warming-up stake together: what an exit must take out.
        let pos = self.f.s.position(&op, &self.stakers[s].wallet.pubkey()).await;
        pos.map_or(0, |x| x.value_floor(&st).expect("value of the position"))
    }

    pub async fn now(&mut self) -> i64 {
        self.f.s.h.now().await
    }

    /// Moves the clock to `ts` if it is later (never backwards).
    pub async fn advance_to(&mut self, ts: i64) {
        let now = self.now().await;
        if ts > now {
            self.f.s.h.set_time(ts).await;
        }
    }
}
