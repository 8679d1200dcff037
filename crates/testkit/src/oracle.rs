//! io_oracle fixture and the oracle-quorum helper: ed25519 keys that sign report digests, and
//! the Ed25519 precompile instruction carrying their signatures.
use crate::{Harness, IO};
use anchor_lang::prelude::Pubkey;
use io_oracle::{OracleParams, ReportBody};
use io_sdk::{oracle as sdk, Instruction};
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

/// Signs `message` with each key: the `(pubkey, signature)` list an Ed25519 instruction takes.
pub fn sign_all(keys: &[&Keypair], message: &[u8]) -> Vec<sdk::Ed25519Signature> {
    keys.iter().map(|k| (k.pubkey().to_bytes(), <[u8; 64]>::from(k.sign_message(message)))).collect()
}

/// The Ed25519 instruction with `keys`' signatures over `message`.
pub fn quorum_instruction(keys: &[&Keypair], message: &[u8]) -> Instruction {
    sdk::ed25519_instruction(&sign_all(keys, message), message)
}

pub fn default_params() -> OracleParams {
    OracleParams::defaults(crate::IO_DECIMALS)
}

/// An oracle set living on someone else's harness (for cross-program tests): initialises
/// io_oracle and publishes certified reports.
pub struct Quorum {
    pub admin: Keypair,
    pub oracles: Vec<Keypair>,
    pub params: OracleParams,
}

impl Quorum {
    /// Initialises io_oracle on `h` with `n` oracles (default threshold) and moves the clock to
    /// the start of the next hour.
    pub async fn init(h: &mut Harness, n: usize) -> Quorum {
        let admin = h.funded_keypair(10_000_000_000).await;
        let oracles: Vec<Keypair> = (0..n).map(|_| Keypair::new()).collect();
        let params = default_params();
        let members = oracles.iter().map(|k| k.pubkey()).collect();
        let mint = h.io_mint;
        h.send_one(sdk::initialize(&admin.pubkey(), &mint, params, members, 0), &[&admin])
            .await
            .expect("initialize io_oracle");
        let now = h.now().await;
        h.set_time(now - now % 3600 + 3600).await;
        Quorum { admin, oracles, params }
    }

    /// Posts `body` for the current period (epoch 1 unless set) and certifies it with every
    /// oracle's signature; returns the report address. Moves the clock one hour on first, so
    /// each call gets a fresh period.
    pub async fn publish(&self, h: &mut Harness, mut body: ReportBody) -> Pubkey {
        h.warp_seconds(3600).await;
        body.period = (h.now().await / 3600) as u64;
        if body.set_epoch == 0 {
            body.set_epoch = 1;
        }
        body.expiry_slot = h.clock().await.slot + 1_000;
        let relayer = h.payer().insecure_clone();
        h.send_one(sdk::post_report(&relayer.pubkey(), body), &[]).await.expect("post report");
        let keys: Vec<&Keypair> = self.oracles.iter().collect();
        let ed = quorum_instruction(&keys, &sdk::report_digest(&body));
        h.send(&[ed, sdk::certify_report(&sdk::report(&body))], &[]).await.expect("certify report");
        sdk::report(&body)
    }
}

pub struct OracleFixture {
    pub h: Harness,
    pub admin: Keypair,
    /// The members of the first set, in order.
    pub oracles: Vec<Keypair>,
    pub params: OracleParams,
}

impl OracleFixture {
    /// io_oracle initialised with `n` oracle keys and the default threshold.
    pub async fn new(n: usize) -> Self {
        let h = Harness::full_stack().await;
        Self::on(h, n).await
    }

    /// io_oracle initialised on an existing harness.
    pub async fn on(mut h: Harness, n: usize) -> Self {
        let admin = h.funded_keypair(10_000_000_000).await;
        let oracles: Vec<Keypair> = (0..n).map(|_| Keypair::new()).collect();
        let params = default_params();
        let members = oracles.iter().map(|k| k.pubkey()).collect();
        let mint = h.io_mint;
        h.send_one(sdk::initialize(&admin.pubkey(), &mint, params, members, 0), &[&admin])
            .await
            .expect("initialize io_oracle");
        // Report periods are hours since the epoch: start the clock at a whole hour.
        let now = h.now().await;
        h.set_time(now - now % 3600 + 3600).await;
        OracleFixture { h, admin, oracles, params }
    }

    pub fn keys(&self, idx: &[usize]) -> Vec<&Keypair> {
        idx.iter().map(|i| &self.oracles[*i]).collect()
    }

    /// The current hour index.
    pub async fn period(&mut self) -> u64 {
        (self.h.now().await / 3600) as u64
    }

    /// A report body for the current period under set `epoch`, valid for 1,000 slots.
    pub async fn body(&mut self, epoch: u64) -> ReportBody {
        let slot = self.h.clock().await.slot;
        ReportBody {
            period: self.period().await,
            set_epoch: epoch,
            rewards_root: [1; 32],
            usage_root: [2; 32],
            devices_root: [3; 32],
            slashes_root: [4; 32],
            usdc_per_io: 2_500_000,
            emission_distributed: 4_560 * IO,
            device_seconds: 3_600 * 10,
            devices_attested: 10,
            expiry_slot: slot + 1_000,
        }
    }

    pub async fn post(&mut self, body: ReportBody) -> Result<Pubkey, BanksClientError> {
        let relayer = self.h.payer().insecure_clone();
        self.h.send_one(sdk::post_report(&relayer.pubkey(), body), &[]).await.map(|_| sdk::report(&body))
    }

    /// Certifies `body` with the signatures of the oracles at `signers`.
    pub async fn certify(&mut self, body: &ReportBody, signers: &[usize]) -> Result<(), BanksClientError> {
        let digest = sdk::report_digest(body);
        let ed = quorum_instruction(&self.keys(signers), &digest);
        self.h.send(&[ed, sdk::certify_report(&sdk::report(body))], &[]).await
    }

    /// Posts and certifies a report for the current period signed by the first `m` oracles.
    pub async fn publish(&mut self, mut body: ReportBody, m: usize) -> Pubkey {
        body.period = self.period().await;
        let report = self.post(body).await.expect("post report");
        let signers: Vec<usize> = (0..m).collect();
        self.certify(&body, &signers).await.expect("certify report");
        report
    }

    pub async fn config(&mut self) -> io_oracle::OracleConfig {
        self.h.account(&sdk::config()).await
    }

    /// Funds `oracle` with SOL and `amount` $IO and posts it as its bond.
    pub async fn bond(&mut self, oracle: &Keypair, amount: u64) -> Result<(), BanksClientError> {
        let lamports_ix = solana_system_interface::instruction::transfer(
            &self.h.payer().pubkey(),
            &oracle.pubkey(),
            1_000_000_000,
        );
        self.h.send(&[lamports_ix], &[]).await?;
        let mint = self.h.io_mint;
        let token = self.h.create_token_account(&mint, &oracle.pubkey()).await;
        self.h.mint_to(&mint, &token, amount).await;
        let ix = sdk::post_bond(&oracle.pubkey(), &mint, &token, amount);
        self.h.send_one(ix, &[oracle]).await
    }
}
