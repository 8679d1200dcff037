//! io_escrow fixture: io_staking and io_escrow initialised, providers with active devices and
//! offers, renters with USDC and $IO.
use crate::{staking::StakingFixture, staking::TestOperator, IO};
use anchor_lang::prelude::Pubkey;
use io_escrow::EscrowParams;
use io_sdk::escrow as sdk;
use io_staking::HardwareClass;
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

/// Default escrow parameters of the tests: 2% USDC fee, no $IO fee, 1-unit minimum deposits,
/// 3% buyback slippage, 2-hour price age, 4-hour settlement grace.
pub fn default_params() -> EscrowParams {
    EscrowParams::defaults(crate::IO_DECIMALS, crate::USDC_DECIMALS)
}

/// A provider: an io_staking operator with active devices, each with an offer.
pub struct Provider {
    pub op: TestOperator,
    pub devices: Vec<Pubkey>,
    /// The operator wallet's USDC account (payouts of USDC leases).
    pub usdc: Pubkey,
}

pub struct Renter {
    pub wallet: Keypair,
    pub usdc: Pubkey,
    pub io: Pubkey,
}

pub struct EscrowFixture {
    pub s: StakingFixture,
    pub usage: Keypair,
    pub price: Keypair,
    pub treasury: Keypair,
    pub params: EscrowParams,
    next_device_seed: u8,
}

impl EscrowFixture {
    pub async fn new() -> Self {
        let mut s = StakingFixture::new().await;
        let usage = s.h.funded_keypair(1_000_000_000).await;
        let price = s.h.funded_keypair(1_000_000_000).await;
        let treasury = s.h.funded_keypair(1_000_000_000).await;
        let params = default_params();
        let (usdc, io) = (s.h.usdc_mint, s.h.io_mint);
        let admin = s.admin.insecure_clone();
        let ix = sdk::initialize(
            &admin.pubkey(),
            &usdc,
            &io,
            params,
            usage.pubkey(),
            price.pubkey(),
            treasury.pubkey(),
        );
        s.h.send_one(ix, &[&admin]).await.expect("initialize io_escrow");
        EscrowFixture { s, usage, price, treasury, params, next_device_seed: 1 }
    }

    pub fn usdc_mint(&self) -> Pubkey {
        self.s.h.usdc_mint
    }

    pub fn io_mint(&self) -> Pubkey {
        self.s.h.io_mint
    }

    /// A provider with `n` active consumer-GPU devices, each offered at `usdc_rate` and `io_rate`
    /// per hour, 1 to 720 hours.
    pub async fn provider(&mut self, n: usize, usdc_rate: u64, io_rate: u64) -> Provider {
        let op = self.s.operator(500, 100_000 * IO).await;
        self.s.add_bond(&op, 50_000 * IO).await.unwrap();
        let mut devices = Vec::new();
        for _ in 0..n {
            let seed = self.next_device_seed;
            self.next_device_seed = seed.wrapping_add(1);
            let dev = self
                .s
                .device(&op, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, seed))
                .await
                .unwrap();
            self.s.activate(&op, &dev).await.unwrap();
            let ix = sdk::post_offer(&op.authority.pubkey(), &dev, usdc_rate, io_rate, 1, 720);
            self.s.h.send_one(ix, &[&op.authority]).await.expect("post offer");
            devices.push(dev);
        }
        let usdc_mint = self.usdc_mint();
        let usdc = self.s.h.create_token_account(&usdc_mint, &op.authority.pubkey()).await;
        Provider { op, devices, usdc }
    }

    /// A renter holding `usdc` USDC and `io` $IO base units.
    pub async fn renter(&mut self, usdc: u64, io: u64) -> Renter {
        let wallet = self.s.h.funded_keypair(1_000_000_000).await;
        let (usdc_mint, io_mint) = (self.usdc_mint(), self.io_mint());
        let usdc_acct = self.s.h.create_token_account(&usdc_mint, &wallet.pubkey()).await;
        let io_acct = self.s.h.create_token_account(&io_mint, &wallet.pubkey()).await;
        if usdc > 0 {
            self.s.h.mint_to(&usdc_mint, &usdc_acct, usdc).await;
        }
        if io > 0 {
            self.s.h.mint_to(&io_mint, &io_acct, io).await;
        }
        Renter { wallet, usdc: usdc_acct, io: io_acct }
    }

    /// Opens lease `nonce` over `devices` for `hours`, paid in USDC or $IO, bounded by the quote
    /// of today's offers (as a client does); returns its address.
    pub async fn open(
        &mut self,
        r: &Renter,
        nonce: u64,
        devices: &[Pubkey],
        hours: u32,
        usdc: bool,
    ) -> Result<Pubkey, BanksClientError> {
        let max_deposit = self.quote(devices, hours, usdc).await;
        self.open_bounded(r, nonce, devices, hours, usdc, max_deposit).await
    }

    /// Like [`Self::open`] with the renter's bound `max_deposit` given.
    pub async fn open_bounded(
        &mut self,
        r: &Renter,
        nonce: u64,
        devices: &[Pubkey],
        hours: u32,
        usdc: bool,
        max_deposit: u64,
    ) -> Result<Pubkey, BanksClientError> {
        let (mint, token) = if usdc { (self.usdc_mint(), r.usdc) } else { (self.io_mint(), r.io) };
        let ix = sdk::open_lease(&r.wallet.pubkey(), nonce, &mint, &token, hours, max_deposit, devices);
        self.s.h.send_one(ix, &[&r.wallet]).await.map(|_| sdk::lease(&r.wallet.pubkey(), nonce))
    }

    /// The deposit a lease of `devices` for `hours` takes at today's offers and fee (what a client
    /// shows the renter); `u64::MAX` where an offer is missing, so the program's own check decides.
    pub async fn quote(&mut self, devices: &[Pubkey], hours: u32, usdc: bool) -> u64 {
        let c = self.config().await;
        let fee_bps = if usdc { c.params.usdc_fee_bps } else { c.params.io_fee_bps };
        let mut rates = Vec::with_capacity(devices.len());
        for d in devices {
            match self.s.h.try_account::<io_escrow::Offer>(&sdk::offer(d)).await {
                Some(o) => rates.push(if usdc { o.price_usdc_per_hour } else { o.price_io_per_hour }),
                None => return u64::MAX,
            }
        }
        sdk::quote_deposit(&rates, hours, fee_bps).unwrap_or(u64::MAX)
    }

    pub async fn settle(
        &mut self,
        lease: &Pubkey,
        payee: &Pubkey,
        index: u8,
        seconds: u64,
    ) -> Result<(), BanksClientError> {
        let l: io_escrow::Lease = self.s.h.account(lease).await;
        let ix = sdk::settle(&self.usage.pubkey(), lease, &l.payment_mint, payee, index, seconds);
        let usage = self.usage.insecure_clone();
        self.s.h.send_one(ix, &[&usage]).await
    }

    pub async fn close(&mut self, r: &Renter, lease: &Pubkey) -> Result<(), BanksClientError> {
        let l: io_escrow::Lease = self.s.h.account(lease).await;
        let token = self.renter_token(r, &l);
        let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
        let ix = sdk::close_lease(&r.wallet.pubkey(), lease, &l.payment_mint, &token, &devices);
        self.s.h.send_one(ix, &[&r.wallet]).await
    }

    pub async fn finalize(&mut self, r: &Renter, lease: &Pubkey) -> Result<(), BanksClientError> {
        let l: io_escrow::Lease = self.s.h.account(lease).await;
        let token = self.renter_token(r, &l);
        self.s.h.send_one(sdk::finalize_lease(lease, &l.payment_mint, &token), &[]).await
    }

    pub async fn lease(&mut self, lease: &Pubkey) -> io_escrow::Lease {
        self.s.h.account(lease).await
    }

    pub async fn config(&mut self) -> io_escrow::EscrowConfig {
        self.s.h.account(&sdk::config()).await
    }
}

/// An io_escrow address for `seeds` with a valid but non-canonical bump (the highest bump below
/// the canonical one that is off the curve): what an attacker would pass to get a second,
/// "equally valid" PDA.
pub fn non_canonical_pda(seeds: &[&[u8]]) -> Pubkey {
    crate::non_canonical_pda(seeds, &io_escrow::ID)
}

/// Moves of the cross-program fuzzer (crates/testkit/tests/fuzz) that the common helpers above do
/// not cover. Kept together so that an interface change of io_escrow is adapted here once.
impl EscrowFixture {
    /// The renter's token account of the lease's payment mint.
    pub fn renter_token(&self, r: &Renter, lease: &io_escrow::Lease) -> Pubkey {
        if lease.payment_mint == self.usdc_mint() {
            r.usdc
        } else {
            r.io
        }
    }

    /// Extends `lease` by `hours` (the renter pays the running rates).
    pub async fn top_up(&mut self, r: &Renter, lease: &Pubkey, hours: u32) -> Result<(), BanksClientError> {
        let l: io_escrow::Lease = self.s.h.account(lease).await;
        let token = self.renter_token(r, &l);
        let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
        let ix = sdk::top_up_lease(&r.wallet.pubkey(), lease, &l.payment_mint, &token, hours, &devices);
        self.s.h.send_one(ix, &[&r.wallet]).await
    }

    /// Pays device `index` of `lease` up to `seconds` attested by a certified report's usage tree
    /// (permissionless).
    pub async fn settle_attested(
        &mut self,
        lease: &Pubkey,
        payee: &Pubkey,
        report: &Pubkey,
        index: u8,
        seconds: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<(), BanksClientError> {
        let l: io_escrow::Lease = self.s.h.account(lease).await;
        let ix = sdk::settle_attested(lease, &l.payment_mint, payee, report, index, seconds, proof);
        self.s.h.send_one(ix, &[]).await
    }

    /// The price feed takes a certified report's price (permissionless).
    pub async fn price_from_report(&mut self, report: &Pubkey) -> Result<(), BanksClientError> {
        self.s.h.send_one(sdk::price_from_report(report), &[]).await
    }

    /// The treasury authority spends `usdc_spent` of the USDC treasury into `buyer_usdc` and burns
    /// `io_amount` $IO from `buyer_io` (which it bought off-chain).
    pub async fn buyback(
        &mut self,
        buyer_usdc: &Pubkey,
        buyer_io: &Pubkey,
        usdc_spent: u64,
        io_amount: u64,
    ) -> Result<(), BanksClientError> {
        let t = self.treasury.insecure_clone();
        let (usdc, io) = (self.usdc_mint(), self.io_mint());
        let ix = sdk::buyback_burn(&t.pubkey(), &usdc, &io, buyer_usdc, buyer_io, usdc_spent, io_amount);
        self.s.h.send_one(ix, &[&t]).await
    }
}
