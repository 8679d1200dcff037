//! What `/health` and `/status` say about ingestion, kept in memory by the tasks that know it:
//! the node's slot as the independent probe last read it (not as the ingest loop wrote it — a
//! stalled loop would report lag 0 against its own stale tip), when the last ingest progress was
//! made, and a chain problem (another genesis, a fork) when one was found.
use serde::Serialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shared between the probe, the ingest loop and the API.
#[derive(Debug)]
pub struct Liveness {
    started: Instant,
    /// Progress (a commit or a finished round) older than this is unhealthy.
    stale_after: Duration,
    /// A probe answer older than this is unhealthy (the probe itself times out sooner).
    probe_stale_after: Duration,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    node_slot: Option<u64>,
    probe_ok_at: Option<Instant>,
    probe_error: Option<String>,
    progress_at: Option<Instant>,
    round_ok_at: Option<Instant>,
    round_error: Option<String>,
    chain_problem: Option<String>,
    resets: u64,
}

/// A snapshot for `/health`, `/status` and `/metrics`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Report {
    pub healthy: bool,
    /// Why not, in words (empty when healthy).
    pub reasons: Vec<String>,
    /// The node's confirmed slot, as the probe last read it.
    pub node_slot: Option<u64>,
    /// Age of that reading.
    pub node_slot_age_ms: Option<u64>,
    /// Age of the last ingest progress (a commit or a completed round); since start-up if none.
    pub last_progress_age_ms: u64,
    /// Age of the last successful round; `None` before the first.
    pub last_round_age_ms: Option<u64>,
    /// The last ingest round's error, cleared by a successful round.
    pub last_round_error: Option<String>,
    /// Another chain or a fork found (and, with the reset flag, how many resets so far).
    pub chain_problem: Option<String>,
    pub resets: u64,
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Liveness {
    pub fn new(stale_after: Duration, probe_stale_after: Duration) -> Liveness {
        Liveness { started: Instant::now(), stale_after, probe_stale_after, inner: Mutex::default() }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        // A panic while holding this lock cannot leave it half-written: every update is one
        // assignment, so a poisoned lock's data is still good.
        let mut g = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }

    /// Thresholds from the settings: progress older than `stale_after_secs`, or no probe answer
    /// for a probe timeout and two intervals.
    pub fn for_settings(s: &crate::settings::IngestSettings) -> Liveness {
        Liveness::new(s.stale_after(), s.probe_timeout() + s.probe_interval() * 2)
    }

    pub fn probe_ok(&self, slot: u64) {
        self.with(|i| {
            i.node_slot = Some(slot);
            i.probe_ok_at = Some(Instant::now());
            i.probe_error = None;
        });
    }

    pub fn probe_failed(&self, error: String) {
        self.with(|i| i.probe_error = Some(error));
    }

    /// Something was committed, or a round completed.
    pub fn progress(&self) {
        self.with(|i| i.progress_at = Some(Instant::now()));
    }

    pub fn round_ok(&self) {
        self.with(|i| {
            let now = Instant::now();
            i.progress_at = Some(now);
            i.round_ok_at = Some(now);
            i.round_error = None;
        });
    }

    pub fn round_failed(&self, error: String) {
        self.with(|i| i.round_error = Some(error));
    }

    pub fn chain_problem(&self, what: Option<String>) {
        self.with(|i| i.chain_problem = what);
    }

    pub fn reset_done(&self) {
        self.with(|i| i.resets += 1);
    }

    pub fn node_slot(&self) -> Option<u64> {
        self.with(|i| i.node_slot)
    }

    pub fn report(&self) -> Report {
        let now = Instant::now();
        self.with(|i| {
            let mut reasons = Vec::new();
            if let Some(p) = &i.chain_problem {
                reasons.push(p.clone());
            }
            if let Some(e) = &i.probe_error {
                reasons.push(format!("the node does not answer getSlot: {e}"));
            } else {
                let since = i.probe_ok_at.unwrap_or(self.started);
                if now.duration_since(since) > self.probe_stale_after {
                    reasons.push(format!("no answer from the node for {} ms", ms(now.duration_since(since))));
                }
            }
            let progress = now.duration_since(i.progress_at.unwrap_or(self.started));
            if progress > self.stale_after {
                let why = i.round_error.as_deref().map_or(String::new(), |e| format!(" (last error: {e})"));
                reasons.push(format!("no ingest progress for {} ms{why}", ms(progress)));
            }
            Report {
                healthy: reasons.is_empty(),
                reasons,
                node_slot: i.node_slot,
                node_slot_age_ms: i.probe_ok_at.map(|t| ms(now.duration_since(t))),
                last_progress_age_ms: ms(progress),
                last_round_age_ms: i.round_ok_at.map(|t| ms(now.duration_since(t))),
                last_round_error: i.round_error.clone(),
                chain_problem: i.chain_problem.clone(),
                resets: i.resets,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn healthy_only_while_the_node_answers_and_ingestion_moves() {
        let l = Liveness::new(Duration::from_millis(50), Duration::from_millis(50));
        l.probe_ok(10);
        l.round_ok();
        assert!(l.report().healthy, "{:?}", l.report());
        l.probe_failed("timed out".into());
        let r = l.report();
        assert!(!r.healthy && r.reasons[0].contains("timed out"), "{r:?}");
        l.probe_ok(11);
        assert!(l.report().healthy);
        std::thread::sleep(Duration::from_millis(60));
        let r = l.report();
        assert!(!r.healthy, "stale: {r:?}");
        assert!(r.reasons.iter().any(|x| x.starts_with("no ingest progress")), "{r:?}");
        assert!(r.reasons.iter().any(|x| x.starts_with("no answer from the node")), "{r:?}");
        l.probe_ok(12);
        l.round_ok();
        l.chain_problem(Some("another chain".into()));
        assert_eq!(l.report().reasons, vec!["another chain".to_owned()]);
    }
}
