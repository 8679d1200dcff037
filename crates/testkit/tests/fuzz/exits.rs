//! The end of every flow: each honest party takes its money out, and every one of these moves
//! must succeed — no slash stuck pending, no lease left open or unfinalized, no position that
//! cannot be unstaked and withdrawn, no reward that cannot be claimed.
use crate::world::World;
use io_escrow::LeaseStatus;
use io_staking::SlashStatus;
use io_testkit::TestSigner;

impl World {
    pub async fn exits(&mut self) {
        // 1. Every slash of the flow still pending executes once its appeal window is over (a
        //    pending slash may freeze exits; it must end).
        for slash in self.flow.slashes.clone() {
            let Some(s) = self.f.s.slash_state(&slash).await else { continue };
            if s.status != SlashStatus::Pending {
                continue;
            }
            self.advance_to(s.executable_ts).await;
            let r = self.f.s.execute_slash(&s.operator, &slash).await;
            self.must("execute_slash", r);
        }
        // 2. Every lease is closed by its renter, then finalized after the settlement grace, and
        //    balances exactly: paid + fees + refunded == deposit.
        let mut last_end = self.now().await;
        for (lease, r) in self.flow.leases.clone() {
            let l = self.f.lease(&lease).await;
            if l.status == LeaseStatus::Open {
                let res = self.f.close(&self.renters[r], &lease).await;
                self.must("close_lease", res);
            }
            last_end = last_end.max(self.f.lease(&lease).await.end_ts);
        }
        self.advance_to(last_end + self.f.params.settlement_grace_secs).await;
        for (lease, r) in self.flow.leases.clone() {
            if self.f.lease(&lease).await.status != LeaseStatus::Closed {
                let res = self.f.finalize(&self.renters[r], &lease).await;
                self.must("finalize_lease", res);
            }
            let l = self.f.lease(&lease).await;
            assert_eq!(l.status, LeaseStatus::Closed, "{}: lease finalized", self.at);
            assert_eq!(l.paid + l.fees + l.refunded, l.deposit, "{}: closed lease balances", self.at);
        }
        // 3. Every position of the flow is emptied: matured tickets withdrawn, the rest unstaked,
        //    withdrawn after the cooldown, rewards claimed.
        let cooldown = self.f.s.params.unstake_cooldown_secs;
        let nothing_to_withdraw = u32::from(io_staking::error::StakingError::NothingToWithdraw);
        let nothing_to_claim = u32::from(io_staking::error::StakingError::NothingToClaim);
        let positions: Vec<_> = self.flow.positions.iter().copied().collect();
        let now = self.now().await;
        self.advance_to(now + cooldown).await;
        for &(s, p) in &positions {
            let op = self.operator(p);
            let r = self.f.s.withdraw(&self.stakers[s], &op).await;
            self.must_or("withdraw of matured tickets", r, nothing_to_withdraw);
            let value = self.position_value(s, p).await;
            if value > 0 {
                let r = self.f.s.unstake(&self.stakers[s], &op, value).await;
                self.must("unstake of the whole position", r);
            }
        }
        let now = self.now().await;
        self.advance_to(now + cooldown).await;
        for &(s, p) in &positions {
            let op = self.operator(p);
            let r = self.f.s.withdraw(&self.stakers[s], &op).await;
            self.must_or("withdraw", r, nothing_to_withdraw);
            let r = self.f.s.claim(&self.stakers[s], &op).await;
            self.must_or("claim_rewards", r, nothing_to_claim);
            let staker = self.stakers[s].wallet.pubkey();
            if let Some(pos) = self.f.s.position(&op, &staker).await {
                assert!(
                    pos.tickets.iter().all(|t| t.shares == 0),
                    "{}: tickets left after withdraw",
                    self.at
                );
                assert_eq!(self.position_value(s, p).await, 0, "{}: value left after the exit", self.at);
            }
        }
        // 4. Operators take their commission.
        for p in 0..self.providers.len() {
            let r = self.f.s.claim_commission(&self.providers[p].op).await;
            self.must_or("claim_commission", r, nothing_to_claim);
        }
    }
}
