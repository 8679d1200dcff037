//! The stranger: donations into every vault of the four programs, and lamports sent in advance
//! to the predictable addresses honest users are about to create. Neither may ever block anyone:
//! the steps that follow, and the flow's exits, must still succeed.
use crate::world::{World, PROVIDERS, RENTERS, STAKERS};
use anchor_lang::prelude::Pubkey;
use anchor_spl::token::spl_token;
use io_sdk::{escrow as esdk, oracle as osdk, staking as ssdk, token as tsdk};
use io_testkit::escrow::EscrowFixture;
use io_testkit::tamper::Rng;
use io_testkit::token::TokenVault;
use io_testkit::{TestKeypair, TestSigner, IO, USDC};

/// What the stranger targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// $IO into one of io_token's six vaults.
    TokenVault(usize),
    /// $IO into io_staking's stake, bond or reward vault.
    StakingVault(usize),
    /// USDC or $IO into io_escrow's treasury of that mint.
    Treasury(bool),
    /// $IO into io_oracle's bond vault.
    OracleBondVault,
    /// The payment mint into the vault of one of this flow's leases.
    LeaseVault,
    /// Lamports to a renter's next lease address (and its vault).
    NextLease,
    /// Lamports to the position address of a staker with no position at an operator.
    NewPosition,
    /// Lamports to the slash address of the next evidence, for every operator.
    NextSlash,
    /// Lamports to the faucet's next vesting schedule in io_token, then a faucet payout.
    NextVesting,
}

/// Every target. Before the hardening of issue 10, LeaseVault (F-11: io_escrow required
/// vault == held), NextLease (S-1: open_lease's `init`), NewPosition (S-1: stake's `init`) and
/// NextSlash (F-6: propose_slash's `init`) each broke a flow within a few thousand flows.
const ALL: [Target; 16] = [
    Target::TokenVault(0),
    Target::TokenVault(1),
    Target::TokenVault(2),
    Target::TokenVault(3),
    Target::TokenVault(4),
    Target::TokenVault(5),
    Target::StakingVault(0),
    Target::StakingVault(1),
    Target::StakingVault(2),
    Target::Treasury(true),
    Target::Treasury(false),
    Target::OracleBondVault,
    Target::LeaseVault,
    Target::NextLease,
    Target::NewPosition,
    Target::NextSlash,
];

/// The stranger's wallet and its funded token accounts.
pub struct Griefer {
    pub wallet: TestKeypair,
    pub io: Pubkey,
    pub usdc: Pubkey,
    targets: Vec<Target>,
}

impl Griefer {
    pub async fn new(f: &mut EscrowFixture) -> Griefer {
        let wallet = f.s.h.funded_keypair(1_000_000_000_000).await;
        let (io_mint, usdc_mint) = (f.io_mint(), f.usdc_mint());
        let io = f.s.h.create_token_account(&io_mint, &wallet.pubkey()).await;
        let usdc = f.s.h.create_token_account(&usdc_mint, &wallet.pubkey()).await;
        f.s.h.mint_to(&io_mint, &io, 10_000_000 * IO).await;
        f.s.h.mint_to(&usdc_mint, &usdc, 100_000_000 * USDC).await;
        let mut targets: Vec<Target> = ALL.to_vec();
        targets.push(Target::NextVesting);
        Griefer { wallet, io, usdc, targets }
    }
}

impl World {
    pub async fn grief(&mut self, rng: &mut Rng) -> &'static str {
        let n = self.griefer.targets.len() as u64;
        let target = self.griefer.targets[rng.below(n) as usize];
        let (io_mint, usdc_mint) = (self.f.io_mint(), self.f.usdc_mint());
        match target {
            Target::TokenVault(i) => self.donate(&TokenVault::ALL[i].address(), true, rng).await,
            Target::StakingVault(i) => {
                let vault = [ssdk::stake_vault(), ssdk::bond_vault(), ssdk::reward_vault()][i];
                self.donate(&vault, true, rng).await
            }
            Target::Treasury(usdc) => {
                let mint = if usdc { usdc_mint } else { io_mint };
                self.donate(&esdk::treasury(&mint), !usdc, rng).await
            }
            Target::OracleBondVault => self.donate(&osdk::bond_vault(), true, rng).await,
            Target::LeaseVault => {
                let n = self.flow.leases.len() as u64;
                if n == 0 {
                    return "donate";
                }
                let (lease, _) = self.flow.leases[rng.below(n) as usize];
                let l = self.f.lease(&lease).await;
                let usdc = l.payment_mint == usdc_mint;
                self.donate(&esdk::lease_vault(&lease), !usdc, rng).await
            }
            Target::NextLease => {
                let r = rng.below(RENTERS as u64) as usize;
                let lease = esdk::lease(&self.renters[r].wallet.pubkey(), self.nonces[r] + 1);
                self.prefund(&lease, rng).await;
                self.prefund(&esdk::lease_vault(&lease), rng).await
            }
            Target::NewPosition => {
                let (s, p) = (rng.below(STAKERS as u64) as usize, rng.below(PROVIDERS as u64) as usize);
                let position = ssdk::position(&self.operator(p), &self.stakers[s].wallet.pubkey());
                if self.f.s.h.raw_account(&position).await.is_some_and(|a| a.owner != Pubkey::default()) {
                    return "prefund";
                }
                self.prefund(&position, rng).await
            }
            Target::NextSlash => {
                let ev = self.next_evidence();
                for p in 0..PROVIDERS {
                    let slash = ssdk::slash(&self.operator(p), &ev);
                    self.prefund(&slash, rng).await;
                }
                "prefund"
            }
            Target::NextVesting => {
                let faucet = self.f.s.h.io_token.as_ref().expect("full stack").faucet.pubkey();
                let t: io_token::TokenConfig = self.f.s.h.account(&tsdk::config()).await;
                // The faucet pays from early contributors, then series A, then seed.
                for bucket in
                    [io_token::Bucket::EarlyContributors, io_token::Bucket::SeriesA, io_token::Bucket::Seed]
                {
                    let index = t.schedule_count[bucket.index()];
                    self.prefund(&tsdk::vesting(&faucet, bucket, index), rng).await;
                }
                let io = self.griefer.io;
                self.f.s.h.mint_to(&io_mint, &io, 1 + rng.below(100 * IO)).await;
                "prefund"
            }
        }
    }

    /// The stranger transfers some $IO (or USDC) into `vault`.
    async fn donate(&mut self, vault: &Pubkey, io: bool, rng: &mut Rng) -> &'static str {
        // A lease vault may be gone once its lease is finalized: nothing to donate to.
        if self.f.s.h.raw_account(vault).await.is_none_or(|a| a.owner != spl_token::ID) {
            return "donate";
        }
        let (from, unit) = if io { (self.griefer.io, IO) } else { (self.griefer.usdc, USDC) };
        let amount = if rng.below(2) == 0 { 1 } else { 1 + rng.below(1_000 * unit) };
        let g = self.griefer.wallet.insecure_clone();
        let ix = spl_token::instruction::transfer(&spl_token::ID, &from, vault, &g.pubkey(), &[], amount)
            .expect("transfer instruction");
        let r = self.f.s.h.send_one(ix, &[&g]).await;
        self.must("donation transfer", r);
        self.stats.record("donate", None);
        "donate"
    }

    /// The stranger sends lamports to `address`: the least the runtime lets a new account hold
    /// (rent exemption at 0 bytes, below what any real account needs), or more.
    async fn prefund(&mut self, address: &Pubkey, rng: &mut Rng) -> &'static str {
        let least = anchor_lang::prelude::Rent::default().minimum_balance(0);
        let lamports = if rng.below(2) == 0 { least } else { least + rng.below(5_000_000_000) };
        let g = self.griefer.wallet.insecure_clone();
        let ix = solana_system_interface::instruction::transfer(&g.pubkey(), address, lamports);
        let r = self.f.s.h.send_one(ix, &[&g]).await;
        self.must("pre-funding transfer", r);
        self.stats.record("prefund", None);
        "prefund"
    }
}
