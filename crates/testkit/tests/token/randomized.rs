//! A stateful randomized test: random sequences of emissions (after random clock moves), burns
//! under every reason (authorised or not), vesting claims, airdrop claims and reward withdrawals,
//! with the ledger checked against the mint and the vaults after every step: minted − burned ==
//! supply, Σ per-reason burns == total burned, every allocation vault == allocation − released.
//!
//! `IO_FUZZ_SEEDS` (default 3) and `IO_FUZZ_STEPS` (default 40) scale it up.
use crate::common::*;
use io_testkit::error_code;
use io_testkit::tamper::{env_or, Rng};

const WALLETS: usize = 4;

struct World {
    f: TokenFixture,
    wallets: Vec<(Keypair, Pubkey)>,
    schedules: Vec<(usize, Pubkey)>,
    tree: AirdropTree,
    /// Successful steps per kind: the sequence must exercise every instruction.
    done: [u32; 7],
}

impl World {
    async fn new() -> Self {
        let mut f = TokenFixture::launched().await;
        let admin = f.admin.insecure_clone();
        let mut wallets = Vec::new();
        for _ in 0..WALLETS {
            let (w, t) = f.wallet().await;
            f.fund(&t, 10_000 * IO).await;
            wallets.push((w, t));
        }
        // Wallet 0 burns lease fees, wallet 1 slashes, wallet 2 distributes rewards.
        f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::LeaseFee, wallets[0].0.pubkey()))
            .await
            .unwrap();
        f.as_admin(sdk::set_burn_authority(&admin.pubkey(), BurnReason::Slash, wallets[1].0.pubkey()))
            .await
            .unwrap();
        f.as_admin(sdk::set_rewards_distributor(&admin.pubkey(), wallets[2].0.pubkey())).await.unwrap();
        let now = f.h.now().await;
        let mut schedules = Vec::new();
        for (i, bucket) in [Bucket::SeriesA, Bucket::Seed, Bucket::EarlyContributors].into_iter().enumerate()
        {
            let who = wallets[i].0.pubkey();
            let s = f
                .create_vesting(&who, bucket, now, now + 3_600, now + 90 * 86_400, 1_000_000 * IO + 13)
                .await
                .unwrap();
            schedules.push((i, s));
        }
        let tree = AirdropTree::new(42, wallets.iter().map(|(w, _)| (w.pubkey(), 777 * IO + 1)).collect());
        f.create_airdrop(&tree, now + 30 * 86_400).await.unwrap();
        World { f, wallets, schedules, tree, done: [0; 7] }
    }

    async fn step(&mut self, rng: &mut Rng) {
        let w = rng.below(WALLETS as u64) as usize;
        let (kp, token) = (self.wallets[w].0.insecure_clone(), self.wallets[w].1);
        let allowed = |r: Result<(), _>, ok: &[TokenError]| match r {
            Ok(()) => 1,
            Err(e) => {
                let c = error_code(&e);
                // SPL Token's InsufficientFunds (1) when a burn or withdrawal asks too much.
                assert!(c == Some(1) || ok.iter().any(|k| Some(code(*k)) == c), "unexpected failure {e:?}");
                0
            }
        };
        let kind = rng.below(7) as usize;
        let ok = match kind {
            0 => {
                let secs = match rng.below(3) {
                    0 => rng.below(3_600) as i64,
                    1 => rng.below(48 * 3_600) as i64,
                    _ => rng.below(40 * 86_400) as i64,
                };
                self.f.h.warp_seconds(secs).await;
                1
            }
            1 => allowed(self.f.emit().await, &[TokenError::NothingToEmit]),
            2 => {
                let reason = BurnReason::ALL[rng.below(4) as usize];
                let amount = 1 + rng.below(2_000 * IO);
                allowed(self.f.burn(&kp, &token, amount, reason).await, &[TokenError::UnauthorizedBurnReason])
            }
            3 => {
                if let Some((owner, s)) = self.schedules.iter().find(|(o, _)| *o == w).copied() {
                    let owner_kp = self.wallets[owner].0.insecure_clone();
                    allowed(self.f.claim_vested(&owner_kp, &s, &token).await, &[TokenError::NothingVested])
                } else {
                    0
                }
            }
            4 => {
                let r = self.f.claim_airdrop(&self.tree, w as u32, &kp, &token).await;
                allowed(r, &[TokenError::AlreadyClaimed, TokenError::AirdropExpired])
            }
            5 => {
                let d = self.wallets[2].0.insecure_clone();
                let amount = 1 + rng.below(20_000 * IO);
                let r = self.f.h.send_one(sdk::withdraw_rewards(&d.pubkey(), &token, amount), &[&d]).await;
                allowed(r, &[TokenError::InsufficientRewards])
            }
            _ => allowed(
                self.f.close_airdrop(42).await,
                &[TokenError::AirdropNotExpired, TokenError::AirdropClosed],
            ),
        };
        self.done[kind] += ok;
    }

    async fn check(&mut self) {
        self.f.assert_ledger().await;
        let c = self.f.config().await;
        let rewards = self.f.h.token_balance(&sdk::rewards_vault()).await;
        assert_eq!(rewards, c.emission.emitted - c.rewards_withdrawn, "rewards vault");
        let start = c.emission.start_ts;
        let now = self.f.h.now().await;
        let due = schedule::hours_due(start, now).unwrap();
        assert!(c.emission.next_hour <= due, "never a future hour");
        assert_eq!(
            c.emission.emitted,
            schedule::cumulative(c.params.first_month_emission, c.params.decay_bps, c.emission.next_hour)
                .unwrap(),
            "emitted == the schedule through next_hour"
        );
        let campaign: AirdropCampaign = self.f.h.account(&sdk::airdrop(42)).await;
        let community = c.allocated[Bucket::Community.index()];
        assert_eq!(community, campaign.total - campaign.returned);
        assert_eq!(c.released[Bucket::Community.index()], campaign.claimed_amount);
    }
}

#[tokio::test]
async fn random_sequences_keep_the_ledger_exact() {
    let seeds = env_or("IO_FUZZ_SEEDS", 3);
    let steps = env_or("IO_FUZZ_STEPS", 40);
    for seed in 0..seeds {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (seed + 1));
        let mut world = World::new().await;
        world.check().await;
        for _ in 0..steps {
            world.step(&mut rng).await;
            world.check().await;
        }
        // warp, emit, burn, claim vested, claim airdrop, withdraw rewards actually happened.
        assert!(world.done[..6].iter().all(|n| *n > 0), "seed {seed}: steps that succeeded {:?}", world.done);
    }
}
