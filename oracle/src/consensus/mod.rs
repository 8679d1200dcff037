//! Agreement on each period's report. After chain time passes the end of period p and
//! `report.settle_ms` more wall ms, for every period after the chain's last certified one (oldest
//! first), the set's members take turns as leader: attempt a's leader is `members[(p + a) % n]`,
//! its turn starting `a × takeover_ms` wall ms after the period became ready, so a silent leader
//! is replaced. The leader ([`leader`]) proposes, the others check and sign ([`follower`]), the
//! leader gathers a quorum and certifies through the outbox. A node never signs two contents for
//! one period ([`sign`]).
pub mod codec;
pub mod follower;
pub mod inputs;
pub mod leader;
pub mod sign;
pub mod wire;

use crate::{chain, clock::period_bounds, cranks, node::Node, outbox, settings::Settings, store::Store};
use io_sdk::report::PeriodReport;
use std::{
    sync::{Arc, Mutex},
    time::Duration,
};
use tokio::sync::Notify;

pub struct State {
    /// Wakes the outbox sender when an intent is queued.
    pub outbox_wake: Notify,
    /// The last certified report read (the next report's base), by period.
    certified: Mutex<Option<Arc<PeriodReport>>>,
    /// The last (period, attempt) this node led: one turn per attempt.
    led: Mutex<Option<(u64, u64)>>,
}

impl State {
    pub async fn new(_settings: &Settings, _store: &Store) -> anyhow::Result<State> {
        Ok(State { outbox_wake: Notify::new(), certified: Mutex::new(None), led: Mutex::new(None) })
    }

    pub fn cached_certified(&self, period: u64) -> Option<Arc<PeriodReport>> {
        self.certified.lock().unwrap_or_else(|p| p.into_inner()).clone().filter(|r| r.body.period == period)
    }

    pub fn cache_certified(&self, r: Arc<PeriodReport>) {
        let mut g = self.certified.lock().unwrap_or_else(|p| p.into_inner());
        if g.as_ref().is_none_or(|c| c.body.period <= r.body.period) {
            *g = Some(r);
        }
    }
}

/// Starts the period loop, the outbox sender and the crank scheduler.
pub fn spawn(node: Arc<Node>) {
    outbox::spawn(node.clone());
    cranks::spawn(node.clone());
    tokio::spawn(async move {
        loop {
            if let Err(e) = tick(&node).await {
                tracing::warn!("consensus: {e:#}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    });
}

/// The period this node works on now and the attempt in progress, if one is ready: the first
/// period after the last certified one (the one before the current period when none was ever
/// certified: history before the node network started has no observations).
pub fn turn(node: &Node, last_period: u64, reports_certified: u64) -> Option<(u64, u64)> {
    if !node.clock.ready() {
        return None;
    }
    let current = node.clock.period();
    let p = if reports_certified == 0 { current.checked_sub(1)? } else { last_period.checked_add(1)? };
    let (_, end) = period_bounds(p);
    let behind_chain_ms = node.clock.now_ms().checked_sub(end.saturating_mul(1000))?;
    if behind_chain_ms < 0 {
        return None;
    }
    let wall_ms = (behind_chain_ms as f64 / node.clock.rate()) as u64;
    let since_ready = wall_ms.checked_sub(node.settings.report.settle_ms)?;
    Some((p, since_ready / node.settings.report.takeover_ms.max(1)))
}

async fn tick(node: &Arc<Node>) -> anyhow::Result<()> {
    let cfg = chain::oracle_config(&node.client).await?;
    if cfg.reports_certified > 0 && node.consensus.cached_certified(cfg.last_period).is_none() {
        // Follow the chain: keep the certified report (published, and the next one's base).
        if let Err(e) = inputs::certified_report(node, cfg.last_period).await {
            tracing::debug!("{e:#}");
        }
    }
    let Some((p, attempt)) = turn(node, cfg.last_period, cfg.reports_certified) else { return Ok(()) };
    let members = cfg.set.keys();
    if members.is_empty() {
        return Ok(());
    }
    let n = members.len() as u64;
    let leader = members[((p % n + attempt % n) % n) as usize];
    if leader != node.pubkey() {
        return Ok(());
    }
    {
        let mut led = node.consensus.led.lock().unwrap_or_else(|p| p.into_inner());
        if *led == Some((p, attempt)) {
            return Ok(());
        }
        *led = Some((p, attempt));
    }
    tracing::info!("period {p}: this node leads (attempt {attempt})");
    leader::lead(node, p, &cfg).await
}
