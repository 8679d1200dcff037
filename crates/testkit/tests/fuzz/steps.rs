//! The random steps: one seeded choice among every move of the four programs, each through the
//! testkit helpers, each result judged by [`World::judge`].
use crate::world::{World, PROVIDERS, RENTERS, STAKERS};
use anchor_lang::prelude::Pubkey;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::{escrow as esdk, token as tsdk};
use io_testkit::tamper::Rng;
use io_testkit::{TestSigner, IO};

impl World {
    /// One random step. Flows are short, so a step follows up on what the flow started more often
    /// than not: a flow with positions unstakes, withdraws and claims; one with leases tops up,
    /// settles, closes and finalizes; otherwise any move.
    pub async fn step(&mut self, rng: &mut Rng) -> &'static str {
        let follow_up = rng.below(3);
        if follow_up == 0 && !self.flow.positions.is_empty() {
            return match rng.below(4) {
                0 => self.unstake(rng).await,
                1 => self.withdraw(rng).await,
                2 => self.claim(rng).await,
                _ => self.warp(rng).await,
            };
        }
        if follow_up == 1 && !self.flow.leases.is_empty() {
            return match rng.below(5) {
                0 => self.top_up(rng).await,
                1 => self.settle(rng).await,
                2 => self.close(rng).await,
                3 => self.finalize(rng).await,
                _ => self.report(rng).await,
            };
        }
        match rng.below(25) {
            0 | 1 => self.stake(rng).await,
            2 => self.unstake(rng).await,
            3 => self.withdraw(rng).await,
            4 => self.claim(rng).await,
            5 => self.claim_commission(rng).await,
            6 => self.propose_slash(rng).await,
            7 => self.cancel_slash(rng).await,
            8 => self.execute_slash(rng).await,
            9 | 10 => self.report(rng).await,
            11 => self.emit().await,
            12 | 13 => self.open(rng).await,
            14 => self.top_up(rng).await,
            15 => self.settle(rng).await,
            16 => self.close(rng).await,
            17 => self.finalize(rng).await,
            18 => self.buyback(rng).await,
            19 => self.set_price(rng).await,
            20 | 21 => self.grief(rng).await,
            _ => self.warp(rng).await,
        }
    }

    async fn stake(&mut self, rng: &mut Rng) -> &'static str {
        let (s, p) = (rng.below(STAKERS as u64) as usize, rng.below(PROVIDERS as u64) as usize);
        let min = self.f.s.params.min_stake;
        let amount = match rng.below(4) {
            0 => min - 1,
            1 => min,
            2 => 1,
            _ => 1 + rng.below(5_000 * IO),
        };
        let op = self.operator(p);
        let r = self.f.s.stake(&self.stakers[s], &op, amount).await;
        if self.judge("stake", r) {
            self.flow.positions.insert((s, p));
        }
        "stake"
    }

    async fn unstake(&mut self, rng: &mut Rng) -> &'static str {
        let (s, p) = self.pick_position(rng);
        let value = self.position_value(s, p).await;
        let min = self.f.s.params.min_stake;
        let amount = match rng.below(6) {
            0..=2 => value,
            3 => value.saturating_sub(min / 2),
            4 => value + 1,
            _ => rng.below(value.max(1)) + 1,
        };
        let op = self.operator(p);
        let r = self.f.s.unstake(&self.stakers[s], &op, amount).await;
        if self.judge("unstake", r) {
            self.flow.positions.insert((s, p));
        }
        "unstake"
    }

    /// Mostly a position this flow staked into; sometimes any pair (most have none).
    fn pick_position(&self, rng: &mut Rng) -> (usize, usize) {
        let n = self.flow.positions.len() as u64;
        if n > 0 && rng.below(4) != 0 {
            return *self.flow.positions.iter().nth(rng.below(n) as usize).expect("in range");
        }
        (rng.below(STAKERS as u64) as usize, rng.below(PROVIDERS as u64) as usize)
    }

    async fn withdraw(&mut self, rng: &mut Rng) -> &'static str {
        let (s, p) = self.pick_position(rng);
        let op = self.operator(p);
        let r = self.f.s.withdraw(&self.stakers[s], &op).await;
        self.judge("withdraw", r);
        "withdraw"
    }

    async fn claim(&mut self, rng: &mut Rng) -> &'static str {
        let (s, p) = self.pick_position(rng);
        let op = self.operator(p);
        let r = self.f.s.claim(&self.stakers[s], &op).await;
        self.judge("claim", r);
        "claim"
    }

    async fn claim_commission(&mut self, rng: &mut Rng) -> &'static str {
        let p = rng.below(PROVIDERS as u64) as usize;
        let r = self.f.s.claim_commission(&self.providers[p].op).await;
        self.judge("claim_commission", r);
        "claim_commission"
    }

    /// A slash worth up to a quarter of what the operator has at stake.
    async fn slash_amount(&mut self, p: usize, rng: &mut Rng) -> u64 {
        let st = self.f.s.operator_state(&self.operator(p)).await;
        let total = st.bond + st.bond_withdrawing + st.stake_tokens + st.unbonding_tokens;
        1 + rng.below(total / 4 + 1)
    }

    async fn propose_slash(&mut self, rng: &mut Rng) -> &'static str {
        let p = rng.below(PROVIDERS as u64) as usize;
        let amount = self.slash_amount(p, rng).await;
        let evidence = self.fresh_evidence();
        let op = self.operator(p);
        let r = self.f.s.propose_slash_for(&op, amount, evidence).await;
        if let Ok(slash) = r {
            self.flow.slashes.push(slash);
        }
        self.judge("propose_slash", r.map(|_| ()));
        "propose_slash"
    }

    async fn cancel_slash(&mut self, rng: &mut Rng) -> &'static str {
        let Some(slash) = self.pick_slash(rng) else { return self.warp(rng).await };
        let Some(operator) = self.f.s.slash_state(&slash).await.map(|s| s.operator) else {
            return self.warp(rng).await;
        };
        let r = self.f.s.cancel_slash(&operator, &slash).await;
        self.judge("cancel_slash", r);
        "cancel_slash"
    }

    /// Executes a slash of this flow, moving the clock past its appeal window first.
    async fn execute_slash(&mut self, rng: &mut Rng) -> &'static str {
        let Some(slash) = self.pick_slash(rng) else { return self.warp(rng).await };
        let Some(s) = self.f.s.slash_state(&slash).await else { return "execute_slash" };
        self.advance_to(s.executable_ts).await;
        let r = self.f.s.execute_slash(&s.operator, &slash).await;
        self.judge("execute_slash", r);
        "execute_slash"
    }

    fn pick_slash(&self, rng: &mut Rng) -> Option<Pubkey> {
        let n = self.flow.slashes.len() as u64;
        (n > 0).then(|| self.flow.slashes[rng.below(n) as usize])
    }

    /// Emissions: the permissionless crank mints the due hours into the rewards vault.
    async fn emit(&mut self) -> &'static str {
        let r = self.f.s.h.send_one(tsdk::emit(), &[]).await;
        self.judge("emit", r);
        "emit"
    }

    /// A certified oracle report and everything it drives: the operators' cumulative rewards
    /// (claimed out of the emissions), the attested usage of this flow's leases (settled), a slash
    /// (opened from the proof) and the price (taken by the feed).
    async fn report(&mut self, rng: &mut Rng) -> &'static str {
        self.emit().await;
        for c in self.cumulative.iter_mut() {
            *c += rng.below(20 * IO);
        }
        let rewards: Vec<_> =
            (0..PROVIDERS).map(|p| leaves::rewards_leaf(&self.operator(p), self.cumulative[p])).collect();
        let rewards = MerkleTree::new(rewards);
        // Usage: for each device of each live lease, somewhere between what was attested and what
        // has elapsed.
        let now = self.now().await;
        let mut usage = Vec::new();
        for (lease, _) in self.flow.leases.clone() {
            let l = self.f.lease(&lease).await;
            if l.status == io_escrow::LeaseStatus::Closed {
                continue;
            }
            let elapsed = l.elapsed(now);
            for (i, d) in l.devices.iter().enumerate() {
                let gap = elapsed.saturating_sub(d.attested_seconds);
                let secs = d.attested_seconds + rng.below(gap + 1);
                usage.push((lease, i, d.device, secs));
            }
        }
        let usage_tree = (!usage.is_empty()).then(|| {
            MerkleTree::new(usage.iter().map(|(l, _, d, s)| leaves::usage_leaf(l, d, *s)).collect())
        });
        let slash = if rng.below(3) == 0 {
            let p = rng.below(PROVIDERS as u64) as usize;
            let amount = self.slash_amount(p, rng).await / 2 + 1;
            Some((p, amount, self.fresh_evidence()))
        } else {
            None
        };
        let slash_tree = slash
            .map(|(p, amount, ev)| MerkleTree::new(vec![leaves::slash_leaf(&self.operator(p), amount, &ev)]));
        let body = ReportBody {
            rewards_root: rewards.root(),
            usage_root: usage_tree.as_ref().map_or([0; 32], |t| t.root()),
            slashes_root: slash_tree.as_ref().map_or([0; 32], |t| t.root()),
            usdc_per_io: 1_000 + rng.below(5_000_000),
            ..Default::default()
        };
        let report = self.q.publish(&mut self.f.s.h, body).await;
        for p in 0..PROVIDERS {
            let (op, cumulative) = (self.operator(p), self.cumulative[p]);
            let proof = rewards.proof(p).expect("leaf");
            let r = self.f.s.claim_operator_rewards(&op, &report, cumulative, proof).await;
            self.judge("claim_operator_rewards", r);
        }
        if let Some(tree) = &usage_tree {
            for (k, (lease, i, _, secs)) in usage.iter().enumerate() {
                let l = self.f.lease(lease).await;
                let payee = self.payee(&l, *i);
                let proof = tree.proof(k).expect("leaf");
                let r = self.f.settle_attested(lease, &payee, &report, *i as u8, *secs, proof).await;
                self.judge("settle_attested", r);
            }
        }
        if let (Some((p, amount, ev)), Some(tree)) = (slash, &slash_tree) {
            let op = self.operator(p);
            let r =
                self.f.s.propose_slash_from_report(&op, &report, amount, ev, tree.proof(0).unwrap()).await;
            if let Ok(s) = r {
                self.flow.slashes.push(s);
            }
            self.judge("propose_slash_from_report", r.map(|_| ()));
        }
        let r = self.f.price_from_report(&report).await;
        self.judge("price_from_report", r);
        "report"
    }

    async fn open(&mut self, rng: &mut Rng) -> &'static str {
        let r = rng.below(RENTERS as u64) as usize;
        let mut devices = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let p = &self.providers[rng.below(PROVIDERS as u64) as usize];
            let d = p.devices[rng.below(p.devices.len() as u64) as usize];
            if !devices.contains(&d) {
                devices.push(d);
            }
        }
        let usdc = rng.below(2) == 0;
        let hours = 1 + rng.below(6) as u32;
        let nonce = self.nonces[r] + 1;
        let res = self.f.open(&self.renters[r], nonce, &devices, hours, usdc).await;
        if let Ok(lease) = res {
            self.nonces[r] = nonce;
            self.flow.leases.push((lease, r));
        }
        self.judge("open_lease", res.map(|_| ()));
        "open_lease"
    }

    fn pick_lease(&self, rng: &mut Rng) -> Option<(Pubkey, usize)> {
        let n = self.flow.leases.len() as u64;
        (n > 0).then(|| self.flow.leases[rng.below(n) as usize])
    }

    async fn top_up(&mut self, rng: &mut Rng) -> &'static str {
        let Some((lease, r)) = self.pick_lease(rng) else { return self.open(rng).await };
        let res = self.f.top_up(&self.renters[r], &lease, 1 + rng.below(3) as u32).await;
        self.judge("top_up_lease", res);
        "top_up_lease"
    }

    /// The usage authority settles a device directly (the path before reports).
    async fn settle(&mut self, rng: &mut Rng) -> &'static str {
        let Some((lease, _)) = self.pick_lease(rng) else { return self.open(rng).await };
        let l = self.f.lease(&lease).await;
        let i = rng.below(l.devices.len() as u64) as usize;
        let d = l.devices[i];
        let elapsed = l.elapsed(self.now().await);
        let secs = match rng.below(4) {
            0 => elapsed,
            1 => elapsed + 1,
            _ => d.attested_seconds + rng.below(elapsed.saturating_sub(d.attested_seconds) + 1),
        };
        let payee = self.payee(&l, i);
        let res = self.f.settle(&lease, &payee, i as u8, secs).await;
        self.judge("settle", res);
        "settle"
    }

    async fn close(&mut self, rng: &mut Rng) -> &'static str {
        let Some((lease, r)) = self.pick_lease(rng) else { return self.open(rng).await };
        let res = self.f.close(&self.renters[r], &lease).await;
        self.judge("close_lease", res);
        "close_lease"
    }

    async fn finalize(&mut self, rng: &mut Rng) -> &'static str {
        let Some((lease, r)) = self.pick_lease(rng) else { return self.open(rng).await };
        let res = self.f.finalize(&self.renters[r], &lease).await;
        self.judge("finalize_lease", res);
        "finalize_lease"
    }

    /// The treasury authority spends part of the USDC fees on $IO at the feed's price and burns
    /// the fair amount.
    async fn buyback(&mut self, rng: &mut Rng) -> &'static str {
        if rng.below(2) == 0 {
            self.set_price(rng).await; // a fresh price; otherwise whatever the feed holds
        }
        let usdc = self.f.usdc_mint();
        let held = self.f.s.h.token_balance(&esdk::treasury(&usdc)).await;
        let Some(feed) = self.f.s.h.try_account::<io_escrow::PriceFeed>(&esdk::price_feed()).await else {
            return self.set_price(rng).await;
        };
        if feed.usdc_per_io == 0 {
            return self.set_price(rng).await;
        }
        let spend = rng.below(held + 1);
        let io_amount =
            io_escrow::min_io_for(spend, feed.usdc_per_io, io_testkit::IO_DECIMALS, 0).unwrap_or(0);
        let (bu, bi) = self.buyer;
        let res = self.f.buyback(&bu, &bi, spend, io_amount).await;
        self.judge("buyback_burn", res);
        "buyback_burn"
    }

    async fn set_price(&mut self, rng: &mut Rng) -> &'static str {
        let p = self.f.price.insecure_clone();
        let ix = esdk::set_price(&p.pubkey(), 1_000 + rng.below(5_000_000));
        let res = self.f.s.h.send_one(ix, &[&p]).await;
        self.judge("set_price", res);
        "set_price"
    }

    pub async fn warp(&mut self, rng: &mut Rng) -> &'static str {
        let secs = if rng.below(3) == 0 { rng.below(86_400) } else { rng.below(3 * 3_600) };
        self.f.s.h.warp_seconds(secs as i64).await;
        self.stats.record("warp", None);
        "warp"
    }
}
