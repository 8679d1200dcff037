//! A stateful randomized test: random sequences of stake / unstake / withdraw / fund (listing
//! the warming-up positions, or none, as a lazy crank would) / claim / slash (proposed and executed
//! at once, or left pending then cancelled or executed) / donations by a stranger / clock moves
//! (within the hour, a few hours, weeks) over several operators and stakers, with the accounting
//! invariants checked after every step against the real accounts and vaults, and the warm-up
//! checked at every funding: stake made in the funded period gains nothing from it.
//!
//! `IO_FUZZ_SEEDS` (default 4) and `IO_FUZZ_STEPS` (default 150) scale it up for longer runs.
use crate::common::*;
use io_testkit::error_code;
use io_testkit::tamper::{env_or, Rng};

const OPS: usize = 3;
const STAKERS: usize = 5;

struct World {
    f: StakingFixture,
    ops: Vec<TestOperator>,
    stakers: Vec<TestStaker>,
    initial_supply: u64,
    /// Share redemptions and exits so far: each may leave at most one base unit of floor dust.
    roundings: u64,
    /// What strangers donated to the stake, bond and reward vaults: surplus no ledger counts.
    donated: [u64; 3],
    /// Slashes proposed and left pending: (operator index, slash address).
    pending: Vec<(usize, Pubkey)>,
}

impl World {
    async fn new() -> Self {
        let mut f = StakingFixture::new().await;
        let mut ops = Vec::new();
        for i in 0..OPS {
            let op = f.operator(500 * i as u16, 100_000 * IO).await;
            f.add_bond(&op, 10_000 * IO).await.unwrap();
            ops.push(op);
        }
        let mut stakers = Vec::new();
        for _ in 0..STAKERS {
            stakers.push(f.staker(1_000_000 * IO).await);
        }
        let mint = f.io_mint();
        let initial_supply = f.h.mint_supply(&mint).await;
        World { f, ops, stakers, initial_supply, roundings: 0, donated: [0; 3], pending: Vec::new() }
    }

    async fn step(&mut self, rng: &mut Rng) -> &'static str {
        let o = rng.below(OPS as u64) as usize;
        let s = rng.below(STAKERS as u64) as usize;
        let op = self.ops[o].address;
        let min = self.f.params.min_stake;
        let allowed = |r: Result<(), _>, ok: &[StakingError]| {
            if let Err(e) = r {
                let c = error_code(&e);
                assert!(ok.iter().any(|k| Some(code(*k)) == c), "unexpected failure {e:?}");
            }
        };
        match rng.below(11) {
            0 | 1 => {
                let amount = match rng.below(4) {
                    0 => min - 1,
                    1 => min,
                    2 => 1,
                    _ => 1 + rng.below(5_000 * IO),
                };
                let r = self.f.stake(&self.stakers[s], &op, amount).await;
                allowed(
                    r,
                    &[StakingError::BelowMinimumStake, StakingError::PoolDepleted, StakingError::ZeroAmount],
                );
                "stake"
            }
            2 => {
                let value = self.value(o, s).await;
                let amount = match rng.below(4) {
                    0 => value,
                    1 => value.saturating_sub(min / 2),
                    2 => value + 1,
                    _ => rng.below(value.max(1)) + 1,
                };
                let r = self.f.unstake(&self.stakers[s], &op, amount).await;
                if r.is_ok() {
                    self.roundings += 2;
                }
                allowed(
                    r,
                    &[
                        StakingError::ZeroAmount,
                        StakingError::InsufficientStake,
                        StakingError::UnstakeLeavesBelowMinimum,
                        StakingError::TooManyPendingUnstakes,
                        StakingError::PoolDepleted,
                    ],
                );
                "unstake"
            }
            3 => {
                let frozen = self.pending.iter().any(|(p, _)| *p == o);
                let r = self.f.withdraw(&self.stakers[s], &op).await;
                if r.is_ok() {
                    assert!(!frozen, "a ticket left while a slash was pending");
                    self.roundings += MAX_UNSTAKE_TICKETS as u64;
                }
                allowed(
                    r,
                    &[
                        StakingError::NothingToWithdraw,
                        StakingError::CooldownNotElapsed,
                        StakingError::SlashPending,
                    ],
                );
                "withdraw"
            }
            4 => {
                let amount = 1 + rng.below(1_000 * IO);
                let positions =
                    if rng.below(4) == 0 { Vec::new() } else { self.f.warming_positions(&op).await };
                let period = (self.f.h.now().await / 3600) as u64;
                let mut fresh = Vec::new();
                for st in &self.stakers {
                    let addr = sdk::position(&op, &st.wallet.pubkey());
                    if let Some(p) = self.f.h.try_account::<Position>(&addr).await {
                        if p.activating_shares > 0 && p.activation_period > period {
                            fresh.push((addr, p.rewards_owed, p.shares, p.reward_per_share_paid));
                        }
                    }
                }
                self.f.fund_listing(&op, amount, &positions).await.unwrap();
                let st = self.f.operator_state(&op).await;
                for (addr, owed, shares, paid) in fresh {
                    let p: Position = self.f.h.account(&addr).await;
                    let earned = st.accumulator().earned_floor(shares, paid).unwrap();
                    assert_eq!(
                        p.rewards_owed
                            + st.accumulator().earned_floor(p.shares, p.reward_per_share_paid).unwrap(),
                        owed + earned,
                        "stake made in the funded period gained from it"
                    );
                    assert!(p.activating_shares > 0, "fresh stake activated early");
                }
                "fund"
            }
            5 => {
                let r = self.f.claim(&self.stakers[s], &op).await;
                allowed(r, &[StakingError::NothingToClaim]);
                "claim"
            }
            6 => {
                let st = self.f.operator_state(&op).await;
                let total = st.bond + st.bond_withdrawing + st.stake_tokens + st.unbonding_tokens;
                let amount = 1 + rng.below(total / 3 + 1);
                let slash = self.f.propose_slash(&op, amount).await.unwrap();
                self.f.h.warp_seconds(self.f.params.slash_appeal_secs).await;
                self.f.execute_slash(&op, &slash).await.unwrap();
                self.roundings += STAKERS as u64 * (1 + MAX_UNSTAKE_TICKETS as u64);
                "slash"
            }
            7 => {
                let a = self.ops[o].authority.insecure_clone();
                let mint = self.f.io_mint();
                let tok = self.ops[o].token;
                let r = self.f.h.send_one(sdk::claim_commission(&a.pubkey(), &mint, &tok), &[&a]).await;
                allowed(r, &[StakingError::NothingToClaim]);
                "claim_commission"
            }
            8 => {
                // A stranger's donation to one of the vaults.
                let i = rng.below(3) as usize;
                let vault = [sdk::stake_vault(), sdk::bond_vault(), sdk::reward_vault()][i];
                let amount = 1 + rng.below(10 * IO);
                let mint = self.f.io_mint();
                self.f.h.donate(&mint, &vault, amount).await;
                self.donated[i] += amount;
                "donate"
            }
            9 => {
                // A slash left pending (it freezes the operator's tickets), or the oldest one
                // settled: cancelled inside its window, executed after it.
                if self.pending.is_empty() || rng.below(2) == 0 {
                    let st = self.f.operator_state(&op).await;
                    let total = st.bond + st.bond_withdrawing + st.stake_tokens + st.unbonding_tokens;
                    let slash = self.f.propose_slash(&op, 1 + rng.below(total / 4 + 1)).await.unwrap();
                    self.pending.push((o, slash));
                    "propose_slash"
                } else {
                    let (po, slash) = self.pending.remove(0);
                    let paddr = self.ops[po].address;
                    let sl: Slash = self.f.h.account(&slash).await;
                    if self.f.h.now().await < sl.executable_ts && rng.below(2) == 0 {
                        self.f.cancel_slash(&paddr, &slash).await.unwrap();
                        "cancel_slash"
                    } else {
                        let now = self.f.h.now().await;
                        self.f.h.set_time(sl.executable_ts.max(now)).await;
                        self.f.execute_slash(&paddr, &slash).await.unwrap();
                        self.roundings += STAKERS as u64 * (1 + MAX_UNSTAKE_TICKETS as u64);
                        "execute_slash"
                    }
                }
            }
            _ => {
                let secs = match rng.below(3) {
                    0 => rng.below(3600),
                    1 => rng.below(6 * 3600),
                    _ => rng.below(20 * 24 * 3600),
                };
                self.f.h.warp_seconds(secs as i64).await;
                "warp"
            }
        }
    }

    async fn value(&mut self, o: usize, s: usize) -> u64 {
        let op = self.ops[o].address;
        let st = self.f.operator_state(&op).await;
        let p = self.f.position(&op, &self.stakers[s].wallet.pubkey()).await;
        p.map_or(0, |p| p.value_floor(&st).unwrap())
    }

    /// Every invariant of the issue, on the real accounts.
    async fn check(&mut self, step: usize, what: &str) {
        let c = self.f.config().await;
        let stake_vault = self.f.h.token_balance(&sdk::stake_vault()).await;
        let bond_vault = self.f.h.token_balance(&sdk::bond_vault()).await;
        let reward_vault = self.f.h.token_balance(&sdk::reward_vault()).await;
        let mint = self.f.io_mint();
        let supply = self.f.h.mint_supply(&mint).await;
        let ctx = format!("step {step} ({what})");
        let [d_stake, d_bond, d_reward] = self.donated;
        assert_eq!(stake_vault, c.total_staked + d_stake, "{ctx}: stake vault == config total + donations");
        assert_eq!(bond_vault, c.total_bonded + d_bond, "{ctx}: bond vault == config total + donations");
        assert_eq!(
            reward_vault,
            c.rewards_funded - c.rewards_paid + d_reward,
            "{ctx}: reward vault == funded − paid + donations"
        );
        assert_eq!(
            supply,
            self.initial_supply - c.total_slashed,
            "{ctx}: supply fell by exactly the slashes"
        );
        let t: io_token::TokenConfig = self.f.h.account(&io_sdk::token::config()).await;
        assert_eq!(t.total_minted - t.total_burned, supply, "{ctx}: io_token's minted − burned == supply");
        assert_eq!(
            t.burned[io_token::BurnReason::Slash as usize],
            c.total_slashed,
            "{ctx}: slash burns counted"
        );

        let (mut pools, mut bonds, mut active, mut pending, mut claimable) =
            (0u128, 0u128, 0u128, 0u128, 0u128);
        for o in 0..OPS {
            let op = self.ops[o].address;
            let st = self.f.operator_state(&op).await;
            pools += u128::from(st.stake_tokens + st.unbonding_tokens);
            bonds += u128::from(st.bond + st.bond_withdrawing);
            claimable += u128::from(st.commission_claimable);
            let (mut shares, mut ticket_shares, mut activating) = (0u64, 0u64, 0u64);
            for s in 0..STAKERS {
                let Some(p) = self.f.position(&op, &self.stakers[s].wallet.pubkey()).await else { continue };
                shares += p.pool_shares().unwrap();
                activating += p.activating_shares;
                let value = p.value_floor(&st).unwrap();
                active += u128::from(value);
                // Tickets of an earlier era of the unbonding pool are worth nothing and hold no share
                // of the current pool.
                for t in p.tickets.iter().filter(|t| t.shares > 0 && t.era == st.unbonding_era) {
                    ticket_shares += t.shares;
                    pending += u128::from(st.ticket_value_floor(t).unwrap());
                }
                claimable += u128::from(p.claimable_floor(&st).unwrap());
                if st.total_slashed == 0 {
                    assert!(
                        value == 0 || value >= self.f.params.min_stake,
                        "{ctx}: position of {value} below the minimum"
                    );
                }
            }
            assert_eq!(st.stake_shares, shares, "{ctx}: operator shares == Σ positions");
            assert_eq!(st.activating_shares, activating, "{ctx}: warming shares == Σ positions");
            assert_eq!(st.unbonding_shares, ticket_shares, "{ctx}: unbonding shares == Σ tickets");
        }
        assert_eq!(u128::from(stake_vault - d_stake), pools, "{ctx}: stake vault == Σ pools + donations");
        assert_eq!(u128::from(bond_vault - d_bond), bonds, "{ctx}: bond vault == Σ bonds + donations");
        for (o, _) in &self.pending {
            let st = self.f.operator_state(&self.ops[*o].address).await;
            assert!(st.pending_slashes > 0, "{ctx}: a pending slash is counted");
        }
        let dust = u128::from(stake_vault - d_stake) - active - pending; // panics (underflow) if owed > held
        assert!(
            dust <= u128::from(self.roundings) + (STAKERS * OPS * 5) as u128,
            "{ctx}: dust {dust} unbounded"
        );
        assert!(
            u128::from(reward_vault - d_reward) >= claimable,
            "{ctx}: reward vault {reward_vault} < claimable {claimable}"
        );
    }
}

#[tokio::test]
async fn random_sequences_keep_every_invariant() {
    let seeds = env_or("IO_FUZZ_SEEDS", 4);
    let steps = env_or("IO_FUZZ_STEPS", 150) as usize;
    let mut total = 0;
    for seed in 0..seeds {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (seed + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let mut w = World::new().await;
        for step in 0..steps {
            let what = w.step(&mut rng).await;
            w.check(step, what).await;
            total += 1;
        }
    }
    println!("randomized staking: {seeds} seeds × {steps} steps = {total} checked steps");
}
