//! What this node observes of the devices: signed heartbeats and liveness pings ([`liveness`],
//! [`pings`], [`rate`]), full proof-of-work challenges ([`challenges`]), against the devices the
//! chain registers ([`registry`]), each device's latest signed heartbeat ([`latest`]); all stored durably (`store::observations`) and summed up per
//! period by [`period_observations`] for the report.
pub mod challenges;
pub mod latest;
pub mod liveness;
pub mod pings;
pub mod rate;
pub mod registry;

use crate::{
    clock::period_bounds,
    node::Node,
    settings::Settings,
    store::{
        observations::{ChallengeStatus, IntervalKind},
        Store,
    },
};
use anyhow::{anyhow, Result};
use io_sdk::{
    report::{ChallengeOutcome, DeviceObservation, Evidence},
    Pubkey,
};
use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

pub use challenges::Challenges;
pub use liveness::Liveness;
pub use registry::{Registered, Registry};

/// How often the missed pings and silent devices are looked for, and expired challenges failed.
const SWEEP_EVERY: Duration = Duration::from_millis(250);

pub struct State {
    pub registry: Arc<Registry>,
    pub liveness: Liveness,
    pub challenges: Challenges,
    /// Each device's latest accepted heartbeat, as signed.
    pub latest: latest::Latest,
}

impl State {
    /// Reloads what the database holds: each device's last heartbeat timestamp (replays stay
    /// refused after a restart) and the open challenges. The registry starts empty; the
    /// refresher fills it ([`spawn`]), or a test sets it.
    pub async fn new(settings: &Settings, store: &Store) -> Result<State> {
        let marks = store
            .heartbeat_marks()
            .await?
            .into_iter()
            .filter_map(|(d, ms)| Some((d.parse::<Pubkey>().ok()?, u64::try_from(ms).ok()?)))
            .collect::<Vec<_>>();
        Ok(State {
            registry: Arc::new(Registry::default()),
            liveness: Liveness::new(&settings.workers, marks),
            challenges: Challenges::load(&settings.workers, store).await?,
            latest: latest::Latest::default(),
        })
    }
}

/// Starts the area's background tasks: the registry refresher, and the liveness sweeper and
/// flusher with challenge expiry.
pub fn spawn(node: Arc<Node>) {
    registry::spawn_refresher(
        node.observe.registry.clone(),
        node.client.clone(),
        Duration::from_millis(node.settings.workers.registry_refresh_ms),
    );
    spawn_upkeep(node);
}

/// The sweeper, the batched flush and challenge expiry (without the registry refresher: a
/// benchmark or test with a fixed registry starts only this).
pub fn spawn_upkeep(node: Arc<Node>) {
    let every = Duration::from_millis(node.settings.workers.flush_ms);
    tokio::spawn(async move {
        let mut last_flush = Instant::now();
        let mut warned = false;
        loop {
            tokio::time::sleep(SWEEP_EVERY).await;
            node.observe.liveness.sweep(Instant::now());
            if let Err(e) = node.observe.challenges.expire(&node, challenges::wall_ms()).await {
                tracing::warn!("challenge expiry: {e:#}");
            }
            if last_flush.elapsed() >= every {
                last_flush = Instant::now();
                match flush(&node).await {
                    Ok(()) => warned = false,
                    Err(e) if !warned => {
                        tracing::warn!("cannot write observations (kept in memory, retried): {e:#}");
                        warned = true;
                    }
                    Err(_) => {}
                }
            }
        }
    });
}

/// Writes what changed in one transaction; on failure it is kept for the next flush.
pub async fn flush(node: &Node) -> Result<()> {
    let batch = node.observe.liveness.take_batch();
    if batch.is_empty() {
        return Ok(());
    }
    if let Err(e) = node.store.write_batch(&batch).await {
        node.observe.liveness.restore(batch);
        return Err(e);
    }
    Ok(())
}

/// `[a, b)` intervals sorted and merged where they touch or overlap.
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.retain(|(a, b)| b > a);
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// What this node observed of each device it knows in `period`, keyed by io_staking device
/// account: live and unserved intervals clipped to the period (the database and the intervals
/// open now), and the period's challenge outcome (any failed → `Failed` with its evidence if any, else passed
/// → `Passed`, else issued → `Pending`, else `None`).
pub async fn period_observations(node: &Node, period: u64) -> Result<BTreeMap<Pubkey, DeviceObservation>> {
    let (start, end) = period_bounds(period);
    let clip = |a: i64, b: i64| (a.max(start), b.min(end));
    let mut live: BTreeMap<Pubkey, Vec<(i64, i64)>> = BTreeMap::new();
    let mut unserved: BTreeMap<Pubkey, Vec<(i64, i64)>> = BTreeMap::new();
    for d in node.observe.registry.all() {
        live.entry(d.address).or_default();
    }
    for r in node.store.intervals_between(start, end).await? {
        let d: Pubkey =
            r.device.parse().map_err(|_| anyhow!("bad device {:?} in device_intervals", r.device))?;
        live.entry(d).or_default();
        let to = match r.kind {
            IntervalKind::Live => &mut live,
            IntervalKind::Unserved => &mut unserved,
        };
        to.entry(d).or_default().push(clip(r.start_ts, r.end_ts));
    }
    let liveness = &node.observe.liveness;
    for (to, open) in [(&mut live, liveness.open_intervals()), (&mut unserved, liveness.open_unserved())] {
        for (d, a, b) in open {
            if b > start && a < end {
                to.entry(d).or_default().push(clip(a, b));
            }
        }
    }
    for d in unserved.keys() {
        live.entry(*d).or_default();
    }
    let mut outcomes: BTreeMap<Pubkey, ChallengeOutcome> = BTreeMap::new();
    let period_i64 = i64::try_from(period).map_err(|_| anyhow!("period {period} out of range"))?;
    for c in node.store.challenges_in_period(period_i64).await? {
        let d: Pubkey = c.device.parse().map_err(|_| anyhow!("bad device {:?} in challenges", c.device))?;
        live.entry(d).or_default();
        let this = match c.status {
            ChallengeStatus::Failed => {
                let evidence = c.evidence.as_deref().map(serde_json::from_str::<Evidence>).transpose()?;
                ChallengeOutcome::Failed { reason: c.reason.unwrap_or_default(), evidence }
            }
            ChallengeStatus::Passed => ChallengeOutcome::Passed,
            ChallengeStatus::Issued | ChallengeStatus::Committed => ChallengeOutcome::Pending,
        };
        let slot = outcomes.entry(d).or_insert(ChallengeOutcome::None);
        if rank(&this) > rank(slot) {
            *slot = this;
        }
    }
    Ok(live
        .into_iter()
        .map(|(d, v)| {
            let challenge = outcomes.remove(&d).unwrap_or(ChallengeOutcome::None);
            let unserved = merge(unserved.remove(&d).unwrap_or_default());
            (d, DeviceObservation { live: merge(v), unserved, challenge })
        })
        .collect())
}

/// Which outcome wins when a device has several challenges in a period: failed (with evidence
/// first) over passed over pending.
fn rank(o: &ChallengeOutcome) -> u8 {
    match o {
        ChallengeOutcome::None => 0,
        ChallengeOutcome::Pending => 1,
        ChallengeOutcome::Passed => 2,
        ChallengeOutcome::Failed { evidence: None, .. } => 3,
        ChallengeOutcome::Failed { evidence: Some(_), .. } => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_merge_sorted_and_disjoint() {
        assert_eq!(merge(vec![(50, 60), (10, 20), (15, 30), (30, 40), (70, 70)]), vec![(10, 40), (50, 60)]);
        assert_eq!(merge(vec![]), vec![]);
    }
}
