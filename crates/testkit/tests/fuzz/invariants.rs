//! Checked after every step, on the real accounts of the four programs:
//! - io_token: minted − burned == the mint's supply; every allocation vault ≥ its allocation less
//!   releases; the slash and buyback burns it counted == what io_staking and io_escrow say;
//! - io_staking: stake vault ≥ Σ pools == the config's total; bond vault ≥ Σ bonds == the config's
//!   total; reward vault ≥ funded − paid; no position of the flow below the minimum unless its
//!   operator was slashed;
//! - io_escrow: each lease vault of the flow ≥ what the lease holds; every closed lease balances
//!   (paid + fees + refunded == deposit); each treasury ≥ its fees less what buybacks spent;
//! - io_oracle: bond vault ≥ Σ bonds.
//!
//! Vaults are compared with `≥`: anyone may donate into a vault, and a donation is never counted.
use crate::world::{World, PROVIDERS, STAKERS};
use io_escrow::LeaseStatus;
use io_sdk::{escrow as esdk, oracle as osdk, staking as ssdk, token as tsdk};
use io_testkit::TestSigner;
use io_token::{Bucket, BurnReason, TokenConfig};

impl World {
    pub async fn check(&mut self) {
        let at = self.at.clone();
        let h = &mut self.f.s.h;
        // io_token
        let t: TokenConfig = h.account(&tsdk::config()).await;
        let supply = h.mint_supply(&tsdk::mint()).await;
        assert_eq!(t.total_minted - t.total_burned, supply, "{at}: minted − burned == supply");
        for b in Bucket::ALL {
            let held = h.token_balance(&tsdk::vault(b)).await;
            let owed = t.allocations[b.index()] - t.released[b.index()];
            assert!(held >= owed, "{at}: io_token vault {b:?} holds {held} < {owed}");
        }
        // io_staking
        let c: io_staking::Config = h.account(&ssdk::config()).await;
        let stake_vault = h.token_balance(&ssdk::stake_vault()).await;
        let bond_vault = h.token_balance(&ssdk::bond_vault()).await;
        let reward_vault = h.token_balance(&ssdk::reward_vault()).await;
        assert!(stake_vault >= c.total_staked, "{at}: stake vault {stake_vault} < {}", c.total_staked);
        assert!(bond_vault >= c.total_bonded, "{at}: bond vault {bond_vault} < {}", c.total_bonded);
        assert!(
            reward_vault >= c.rewards_funded - c.rewards_paid,
            "{at}: reward vault {reward_vault} < funded − paid"
        );
        assert_eq!(t.burned[BurnReason::Slash as usize], c.total_slashed, "{at}: slash burns counted");
        let (mut pools, mut bonds) = (0u64, 0u64);
        for p in 0..PROVIDERS {
            let st = self.f.s.operator_state(&self.providers[p].op.address).await;
            pools += st.stake_tokens + st.unbonding_tokens;
            bonds += st.bond + st.bond_withdrawing;
            let min = self.f.s.params.min_stake;
            for s in 0..STAKERS {
                if !self.flow.positions.contains(&(s, p)) || st.total_slashed > 0 {
                    continue;
                }
                let staker = self.stakers[s].wallet.pubkey();
                // Earning and warming-up stake together: the position's whole value.
                let pos = self.f.s.position(&self.providers[p].op.address, &staker).await;
                let value = pos.map_or(0, |x| x.value_floor(&st).expect("value"));
                assert!(
                    value == 0 || value >= min,
                    "{at}: position of {value} below the minimum, never slashed"
                );
            }
        }
        assert_eq!(pools, c.total_staked, "{at}: Σ operator pools == total staked");
        assert_eq!(bonds, c.total_bonded, "{at}: Σ bonds == total bonded");
        // io_escrow
        let h = &mut self.f.s.h;
        let e: io_escrow::EscrowConfig = h.account(&esdk::config()).await;
        assert_eq!(
            t.burned[BurnReason::Buyback as usize],
            e.buyback_io_burned,
            "{at}: buyback burns counted"
        );
        let usdc_mint = h.usdc_mint;
        let treasury_usdc = h.token_balance(&esdk::treasury(&usdc_mint)).await;
        // Buybacks may also spend what strangers donated, so this is `held + spent ≥ fees`.
        assert!(
            u128::from(treasury_usdc) + u128::from(e.buyback_usdc_spent) >= u128::from(e.fees_usdc),
            "{at}: USDC treasury below its fees less buybacks"
        );
        let treasury_io = h.token_balance(&esdk::treasury(&tsdk::mint())).await;
        assert!(treasury_io >= e.fees_io, "{at}: $IO treasury below its fees");
        for (lease, _) in self.flow.leases.clone() {
            let l: io_escrow::Lease = self.f.s.h.account(&lease).await;
            let held = l.held().unwrap_or_else(|_| panic!("{at}: lease paid out more than deposited"));
            if l.status == LeaseStatus::Closed {
                assert_eq!(held, 0, "{at}: closed lease balances");
            } else {
                let vault = self.f.s.h.token_balance(&esdk::lease_vault(&lease)).await;
                assert!(vault >= held, "{at}: lease vault {vault} < held {held}");
            }
        }
        // io_oracle
        let o: io_oracle::OracleConfig = self.f.s.h.account(&osdk::config()).await;
        let oracle_vault = self.f.s.h.token_balance(&osdk::bond_vault()).await;
        assert!(oracle_vault >= o.total_bonded, "{at}: oracle bond vault below Σ bonds");
    }
}
