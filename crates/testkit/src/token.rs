//! io_token fixture: the program initialised (its own PDA mint, 9 decimals, default emission
//! schedule), genesis on demand, and helpers for the common moves (vesting, airdrops, emissions,
//! burns) plus a faucet that pays $IO out of a fully vested schedule.
use crate::{Harness, IO_DECIMALS};
use anchor_lang::prelude::Pubkey;
use io_sdk::token::{self as sdk, AirdropTree};
use io_token::{Bucket, BurnReason, EmissionParams, TokenConfig, VestingSchedule};
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

pub struct TokenFixture {
    pub h: Harness,
    pub admin: Keypair,
    pub params: EmissionParams,
    pub decimals: u8,
    /// Beneficiary of the faucet's schedules (see [`TokenFixture::fund`]).
    pub faucet: Keypair,
    /// What strangers donated into each allocation vault (indexed by bucket) and into the rewards
    /// vault (index 5) through [`TokenFixture::donate`]: the ledger never counts it.
    pub donated: [u64; 6],
}

/// Where a donation went: an allocation vault or the rewards vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenVault {
    Bucket(Bucket),
    Rewards,
}

impl TokenVault {
    pub const ALL: [TokenVault; 6] = [
        TokenVault::Bucket(Bucket::Community),
        TokenVault::Bucket(Bucket::RnD),
        TokenVault::Bucket(Bucket::EarlyContributors),
        TokenVault::Bucket(Bucket::SeriesA),
        TokenVault::Bucket(Bucket::Seed),
        TokenVault::Rewards,
    ];

    pub fn address(self) -> Pubkey {
        match self {
            TokenVault::Bucket(b) => sdk::vault(b),
            TokenVault::Rewards => sdk::rewards_vault(),
        }
    }

    fn index(self) -> usize {
        match self {
            TokenVault::Bucket(b) => b.index(),
            TokenVault::Rewards => 5,
        }
    }
}

impl TokenFixture {
    /// A bank with io_token initialised on the default schedule (3.33M $IO in month 0, 1% decay);
    /// genesis not yet run.
    pub async fn new() -> Self {
        Self::with_params(EmissionParams::defaults(IO_DECIMALS)).await
    }

    pub async fn with_params(params: EmissionParams) -> Self {
        let mut h = Harness::new().await;
        let admin = h.funded_keypair(10_000_000_000).await;
        let faucet = h.funded_keypair(1_000_000_000).await;
        let ix = sdk::initialize(&admin.pubkey(), IO_DECIMALS, params);
        h.send_one(ix, &[&admin]).await.expect("initialize io_token");
        TokenFixture { h, admin, params, decimals: IO_DECIMALS, faucet, donated: [0; 6] }
    }

    /// Initialised and genesis minted.
    pub async fn launched() -> Self {
        let mut f = Self::new().await;
        f.genesis().await.expect("genesis");
        f
    }

    pub async fn launched_with(params: EmissionParams) -> Self {
        let mut f = Self::with_params(params).await;
        f.genesis().await.expect("genesis");
        f
    }

    pub fn mint(&self) -> Pubkey {
        sdk::mint()
    }

    pub async fn genesis(&mut self) -> Result<(), BanksClientError> {
        let admin = self.admin.insecure_clone();
        self.h.send_one(sdk::genesis(&admin.pubkey()), &[&admin]).await
    }

    pub async fn config(&mut self) -> TokenConfig {
        self.h.account(&sdk::config()).await
    }

    pub async fn supply(&mut self) -> u64 {
        let mint = self.mint();
        self.h.mint_supply(&mint).await
    }

    /// A funded wallet with an empty $IO account: (wallet, token account).
    pub async fn wallet(&mut self) -> (Keypair, Pubkey) {
        let w = self.h.funded_keypair(1_000_000_000).await;
        let mint = self.mint();
        let t = self.h.create_token_account(&mint, &w.pubkey()).await;
        (w, t)
    }

    /// Sends `ix` signed by the admin.
    pub async fn as_admin(&mut self, ix: io_sdk::Instruction) -> Result<(), BanksClientError> {
        let admin = self.admin.insecure_clone();
        self.h.send_one(ix, &[&admin]).await
    }

    pub async fn emit(&mut self) -> Result<(), BanksClientError> {
        self.h.send_one(sdk::emit(), &[]).await
    }

    pub async fn burn(
        &mut self,
        authority: &Keypair,
        from: &Pubkey,
        amount: u64,
        reason: BurnReason,
    ) -> Result<(), BanksClientError> {
        self.h.send_one(sdk::burn(&authority.pubkey(), from, amount, reason), &[authority]).await
    }

    /// Grants a schedule as the admin; returns its address.
    pub async fn create_vesting(
        &mut self,
        beneficiary: &Pubkey,
        bucket: Bucket,
        start_ts: i64,
        cliff_ts: i64,
        end_ts: i64,
        amount: u64,
    ) -> Result<Pubkey, BanksClientError> {
        let index = self.config().await.schedule_count[bucket.index()];
        let ix = sdk::create_vesting(
            &self.admin.pubkey(),
            beneficiary,
            bucket,
            index,
            start_ts,
            cliff_ts,
            end_ts,
            amount,
        );
        self.as_admin(ix).await.map(|_| sdk::vesting(beneficiary, bucket, index))
    }

    pub async fn claim_vested(
        &mut self,
        beneficiary: &Keypair,
        schedule: &Pubkey,
        destination: &Pubkey,
    ) -> Result<(), BanksClientError> {
        let s: VestingSchedule = self.h.account(schedule).await;
        let ix = sdk::claim_vested(&beneficiary.pubkey(), schedule, s.bucket, destination);
        self.h.send_one(ix, &[beneficiary]).await
    }

    /// Pays `amount` of $IO into `destination` through a schedule of the early-contributors bucket
    /// that vested completely a moment ago (so the ledger stays exact).
    pub async fn fund(&mut self, destination: &Pubkey, amount: u64) {
        let now = self.h.now().await;
        let faucet = self.faucet.insecure_clone();
        let schedule = self
            .create_vesting(&faucet.pubkey(), Bucket::EarlyContributors, now - 10, now - 10, now - 1, amount)
            .await
            .expect("faucet schedule");
        self.claim_vested(&faucet, &schedule, destination).await.expect("faucet claim");
    }

    pub async fn create_airdrop(
        &mut self,
        tree: &AirdropTree,
        expiry_ts: i64,
    ) -> Result<(), BanksClientError> {
        let ix =
            sdk::create_airdrop(&self.admin.pubkey(), tree.campaign_id, tree.root(), tree.total(), expiry_ts);
        self.as_admin(ix).await
    }

    /// Claims leaf `index` of `tree`, signed by `wallet`, into `destination`.
    pub async fn claim_airdrop(
        &mut self,
        tree: &AirdropTree,
        index: u32,
        wallet: &Keypair,
        destination: &Pubkey,
    ) -> Result<(), BanksClientError> {
        let ix = tree.claim(index, destination).expect("leaf exists");
        self.h.send_one(ix, &[wallet]).await
    }

    pub async fn close_airdrop(&mut self, campaign_id: u64) -> Result<(), BanksClientError> {
        self.h.send_one(sdk::close_airdrop(campaign_id), &[]).await
    }

    /// A stranger sends `amount` $IO into `vault` (paid out of the faucet, so the ledger stays
    /// exact): donations must never block anyone, and the ledger never counts them.
    pub async fn donate(&mut self, vault: TokenVault, amount: u64) {
        let stranger = self.h.funded_keypair(100_000_000).await;
        let mint = self.mint();
        let from = self.h.create_token_account(&mint, &stranger.pubkey()).await;
        self.fund(&from, amount).await;
        let ix = anchor_spl::token::spl_token::instruction::transfer(
            &anchor_spl::token::ID,
            &from,
            &vault.address(),
            &stranger.pubkey(),
            &[],
            amount,
        )
        .expect("transfer instruction");
        self.h.send_one(ix, &[&stranger]).await.expect("a stranger donates to the vault");
        self.donated[vault.index()] += amount;
    }

    /// Asserts the ledger against the mint: `total_minted − total_burned == supply`, the per-reason
    /// counters sum to the total, and every allocation vault holds its allocation less releases,
    /// plus what strangers donated (never less: `vault ≥ ledger`).
    pub async fn assert_ledger(&mut self) {
        let c = self.config().await;
        let supply = self.supply().await;
        assert_eq!(c.total_minted - c.total_burned, supply, "minted − burned == supply");
        assert_eq!(c.burned.iter().sum::<u64>(), c.total_burned);
        assert_eq!(c.total_minted, c.genesis_minted + c.emission.emitted);
        if c.genesis_done {
            for b in Bucket::ALL {
                let i = b.index();
                let bal = self.h.token_balance(&sdk::vault(b)).await;
                assert_eq!(bal, c.allocations[i] - c.released[i] + self.donated[i], "vault of {b:?}");
            }
        }
    }
}
