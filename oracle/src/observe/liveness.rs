//! Liveness: per device, the replay mark, the rate window, the live interval being extended and
//! the pings in flight, all in memory; the flusher writes what changed in one batch every
//! `workers.flush_ms` (10,000 devices heartbeating every few seconds cost one transaction per
//! flush, not one write per heartbeat).
//!
//! A device is live between two contacts (an accepted heartbeat or an in-time pong) at most
//! `workers.liveness_gap_ms` wall ms apart. Intervals are in chain seconds (the node's chain
//! clock at each contact): uptime and lease seconds are chain time. A missed ping ends the
//! interval at the ping's time; the next contact opens a new one.
//!
//! Lease time follows the lease's Ray cluster (issue 17): a heartbeat whose cluster report does
//! not serve the lease it names ([`serves_lease`]: starting, failed, another lease's) keeps the
//! device live but opens an *unserved* interval at its chain time, extended by every further
//! such heartbeat and closed by the next serving one (or one without a cluster report) at that
//! heartbeat's chain time. Pongs do not change it; a missed ping or a liveness gap closes it
//! with the live interval. The report subtracts it from the lease's seconds.
use super::{pings, rate};
use crate::{
    clock::period_of,
    settings::WorkerSettings,
    store::observations::{Batch, IntervalKind, IntervalRow, PingDelta},
};
use io_sdk::{
    worker::{cluster::ClusterReport, Bytes32, Ping},
    Pubkey,
};
use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Why a heartbeat that passed the envelope and binding checks is still refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeartbeatRefusal {
    /// Not newer than the last accepted one.
    Replayed { last_ms: u64 },
    /// Over the rate; a heartbeat fits again after `retry_after`.
    RateLimited { retry_after: Duration },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PongRefusal {
    /// No ping with that nonce is in flight for the device.
    Unknown,
    /// It came after the answer window (the ping counts as missed).
    Late,
}

#[derive(Debug)]
struct Open {
    start: i64,
    end: i64,
    /// Wall time of the last contact.
    last: Instant,
    /// Changed since the last flush.
    dirty: bool,
}

#[derive(Debug)]
struct DeviceLive {
    mark_ms: u64,
    mark_dirty: bool,
    window: rate::Window,
    open: Option<Open>,
    /// The unserved interval being extended (its `last` is unused: the live interval's gap
    /// closes it).
    unserved: Option<Open>,
    next_ping: Instant,
    pings: Vec<pings::Outstanding>,
}

#[derive(Default)]
struct Inner {
    devices: HashMap<Pubkey, DeviceLive>,
    /// Finished intervals awaiting the flush (and rows of a failed flush).
    closed: Vec<IntervalRow>,
    /// (device, period) → (sent, answered) not yet written.
    pings: HashMap<(Pubkey, u64), (i64, i64)>,
    /// Marks of a failed flush.
    marks: Vec<(String, i64)>,
}

pub struct Liveness {
    inner: Mutex<Inner>,
    gap: Duration,
    answer: Duration,
    ping_mean: Duration,
    per_minute: u32,
}

fn close(device: &Pubkey, kind: IntervalKind, o: Open, closed: &mut Vec<IntervalRow>) {
    closed.push(IntervalRow { device: device.to_string(), kind, start_ts: o.start, end_ts: o.end });
}

/// Whether a heartbeat's time counts as lease time, from its `serving_lease`, its
/// `lease_cluster` and whether its worker runs clusters (`clustered`: it names a gateway
/// `endpoint`). A report counts only while it serves the lease the heartbeat names; a clustered
/// worker that sends none (between two leases, or one whose cluster could not start) serves
/// none; a worker without clusters counts its live time only where `allow_bare` (the node's
/// `workers.allow_bare_leases`, for local networks).
pub fn serves_lease(
    serving_lease: Option<&str>,
    lease_cluster: Option<&ClusterReport>,
    clustered: bool,
    allow_bare: bool,
) -> bool {
    match lease_cluster {
        Some(r) => serving_lease.is_some_and(|lease| r.serves(lease)),
        None => !clustered && allow_bare,
    }
}

impl Liveness {
    /// `marks`: each device's newest accepted heartbeat timestamp from the database.
    pub fn new(s: &WorkerSettings, marks: impl IntoIterator<Item = (Pubkey, u64)>) -> Liveness {
        let now = Instant::now();
        let ping_mean = Duration::from_millis(s.ping_mean_interval_ms.max(1));
        let mut inner = Inner::default();
        for (d, ms) in marks {
            inner.devices.insert(d, DeviceLive::new(now, ping_mean, ms));
        }
        Liveness {
            inner: Mutex::new(inner),
            gap: Duration::from_millis(s.liveness_gap_ms),
            answer: Duration::from_millis(s.ping_answer_ms),
            ping_mean,
            per_minute: s.heartbeats_per_minute,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A heartbeat with worker timestamp `ts_ms` whose envelope and binding were checked:
    /// refused as a replay or over the rate (changing nothing), else counted as a contact.
    /// Returns the pings to put in the reply (a new one at its random time, and any still in
    /// flight: a lost reply must not cost the device its ping).
    pub fn heartbeat(
        &self,
        device: &Pubkey,
        ts_ms: u64,
        now: Instant,
        wall_ms: u64,
        chain_ts: i64,
        serving: bool,
    ) -> Result<Vec<Ping>, HeartbeatRefusal> {
        let (gap, answer, mean, limit) = (self.gap, self.answer, self.ping_mean, self.per_minute);
        let mut g = self.lock();
        let Inner { devices, closed, pings: deltas, .. } = &mut *g;
        let d = devices.entry(*device).or_insert_with(|| DeviceLive::new(now, mean, 0));
        if ts_ms <= d.mark_ms {
            return Err(HeartbeatRefusal::Replayed { last_ms: d.mark_ms });
        }
        d.window.take(now, limit).map_err(|retry_after| HeartbeatRefusal::RateLimited { retry_after })?;
        d.mark_ms = ts_ms;
        d.mark_dirty = true;
        d.expire_pings(device, now, closed);
        d.contact(device, now, chain_ts, gap, closed);
        d.serving(device, serving, chain_ts, closed);
        if now >= d.next_ping {
            let p = pings::new_ping(now, wall_ms, chain_ts, answer);
            deltas.entry((*device, period_of(chain_ts))).or_default().0 += 1;
            d.pings.push(p);
            d.next_ping = now + pings::next_delay(mean);
        }
        Ok(d.pings.iter().map(|p| p.ping.clone()).collect())
    }

    /// A signed pong (checked by the caller) for `device`.
    pub fn pong(
        &self,
        device: &Pubkey,
        nonce: &Bytes32,
        now: Instant,
        chain_ts: i64,
    ) -> Result<(), PongRefusal> {
        let gap = self.gap;
        let mut g = self.lock();
        let Inner { devices, closed, pings: deltas, .. } = &mut *g;
        let d = devices.get_mut(device).ok_or(PongRefusal::Unknown)?;
        let i = d.pings.iter().position(|p| p.ping.nonce == *nonce).ok_or(PongRefusal::Unknown)?;
        if d.pings[i].deadline < now {
            d.expire_pings(device, now, closed);
            return Err(PongRefusal::Late);
        }
        let p = d.pings.remove(i);
        deltas.entry((*device, period_of(p.chain_ts))).or_default().1 += 1;
        d.contact(device, now, chain_ts, gap, closed);
        Ok(())
    }

    /// Ends what time ended: missed pings cut their device's interval, an interval whose last
    /// contact is older than the gap closes.
    pub fn sweep(&self, now: Instant) {
        let gap = self.gap;
        let mut g = self.lock();
        let Inner { devices, closed, .. } = &mut *g;
        for (device, d) in devices.iter_mut() {
            d.expire_pings(device, now, closed);
            if d.open.as_ref().is_some_and(|o| now.saturating_duration_since(o.last) > gap) {
                d.close_live(device, None, closed);
            }
        }
    }

    /// What changed since the last batch, deduplicated (one row per interval, one delta per
    /// device and period, one mark per device).
    pub fn take_batch(&self) -> Batch {
        let mut g = self.lock();
        let Inner { devices, closed, pings, marks } = &mut *g;
        let mut rows: Vec<IntervalRow> = std::mem::take(closed);
        let mut mark_rows: Vec<(String, i64)> = std::mem::take(marks);
        for (device, d) in devices.iter_mut() {
            for (kind, open) in [(IntervalKind::Live, &mut d.open), (IntervalKind::Unserved, &mut d.unserved)]
            {
                if let Some(o) = open.as_mut().filter(|o| o.dirty) {
                    o.dirty = false;
                    rows.push(IntervalRow {
                        device: device.to_string(),
                        kind,
                        start_ts: o.start,
                        end_ts: o.end,
                    });
                }
            }
            if d.mark_dirty {
                d.mark_dirty = false;
                mark_rows.push((device.to_string(), i64::try_from(d.mark_ms).unwrap_or(i64::MAX)));
            }
        }
        let ping_rows = std::mem::take(pings)
            .into_iter()
            .map(|((d, p), (sent, answered))| PingDelta {
                device: d.to_string(),
                period: i64::try_from(p).unwrap_or(i64::MAX),
                sent,
                answered,
            })
            .collect();
        drop(g);
        // The latest row of an interval wins (a cut after a flush rewrites the end lower).
        let mut last: HashMap<(String, IntervalKind, i64), usize> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            last.insert((r.device.clone(), r.kind, r.start_ts), i);
        }
        let mut keep: Vec<usize> = last.into_values().collect();
        keep.sort_unstable();
        let intervals = keep.into_iter().map(|i| rows[i].clone()).collect();
        let mut newest: HashMap<String, i64> = HashMap::new();
        for (d, ms) in mark_rows {
            let e = newest.entry(d).or_insert(ms);
            *e = (*e).max(ms);
        }
        Batch { intervals, pings: ping_rows, marks: newest.into_iter().collect() }
    }

    /// Puts back a batch whose write failed, ahead of what changed since.
    pub fn restore(&self, b: Batch) {
        let mut g = self.lock();
        let mut closed = b.intervals;
        closed.append(&mut g.closed);
        g.closed = closed;
        for p in b.pings {
            if let Ok(d) = p.device.parse::<Pubkey>() {
                let e = g.pings.entry((d, u64::try_from(p.period).unwrap_or(0))).or_default();
                e.0 += p.sent;
                e.1 += p.answered;
            }
        }
        g.marks.extend(b.marks);
    }

    /// The live intervals open now, per device: `[start, last contact]` in chain seconds.
    pub fn open_intervals(&self) -> Vec<(Pubkey, i64, i64)> {
        self.lock()
            .devices
            .iter()
            .filter_map(|(k, d)| d.open.as_ref().map(|o| (*k, o.start, o.end)))
            .collect()
    }

    /// The unserved intervals open now, per device: `[start, last not-serving heartbeat]`.
    pub fn open_unserved(&self) -> Vec<(Pubkey, i64, i64)> {
        self.lock()
            .devices
            .iter()
            .filter_map(|(k, d)| d.unserved.as_ref().map(|o| (*k, o.start, o.end)))
            .collect()
    }
}

impl DeviceLive {
    fn new(now: Instant, ping_mean: Duration, mark_ms: u64) -> DeviceLive {
        DeviceLive {
            mark_ms,
            mark_dirty: false,
            window: rate::Window::default(),
            open: None,
            unserved: None,
            next_ping: now + pings::next_delay(ping_mean),
            pings: vec![],
        }
    }

    fn contact(
        &mut self,
        device: &Pubkey,
        now: Instant,
        chain_ts: i64,
        gap: Duration,
        closed: &mut Vec<IntervalRow>,
    ) {
        match self.open.as_mut() {
            Some(o) if now.saturating_duration_since(o.last) <= gap => {
                o.end = o.end.max(chain_ts);
                o.last = now;
                o.dirty = true;
            }
            _ => {
                self.close_live(device, None, closed);
                self.open = Some(Open { start: chain_ts, end: chain_ts, last: now, dirty: true });
            }
        }
    }

    /// After a heartbeat's contact: a not-serving heartbeat opens or extends the unserved
    /// interval, a serving one closes it at its chain time.
    fn serving(&mut self, device: &Pubkey, serving: bool, chain_ts: i64, closed: &mut Vec<IntervalRow>) {
        match (serving, self.unserved.as_mut()) {
            (true, Some(u)) => {
                u.end = u.end.max(chain_ts);
                let u = self.unserved.take().expect("matched");
                close(device, IntervalKind::Unserved, u, closed);
            }
            (true, None) => {}
            (false, Some(u)) => {
                u.end = u.end.max(chain_ts);
                u.dirty = true;
            }
            (false, None) => {
                let last = self.open.as_ref().map_or_else(Instant::now, |o| o.last);
                self.unserved = Some(Open { start: chain_ts, end: chain_ts, last, dirty: true });
            }
        }
    }

    /// Ends the live interval (at `cut` when a missed ping cut it short) and the unserved one
    /// with it, neither past the other's end: the next contact opens new ones.
    fn close_live(&mut self, device: &Pubkey, cut: Option<i64>, closed: &mut Vec<IntervalRow>) {
        let mut live_end = None;
        if let Some(mut o) = self.open.take() {
            if let Some(c) = cut {
                o.end = o.end.min(c).max(o.start);
            }
            live_end = Some(o.end);
            close(device, IntervalKind::Live, o, closed);
        }
        if let Some(mut u) = self.unserved.take() {
            if let Some(e) = live_end {
                u.end = u.end.min(e).max(u.start);
            }
            close(device, IntervalKind::Unserved, u, closed);
        }
    }

    /// Every ping past its deadline is a miss: the interval open then ends at the ping's time.
    fn expire_pings(&mut self, device: &Pubkey, now: Instant, closed: &mut Vec<IntervalRow>) {
        let Some(first_missed) = self.pings.iter().filter(|p| p.deadline < now).map(|p| p.chain_ts).min()
        else {
            return;
        };
        self.pings.retain(|p| p.deadline >= now);
        self.close_live(device, Some(first_missed), closed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(ping_mean_ms: u64) -> WorkerSettings {
        WorkerSettings {
            heartbeats_per_minute: 100,
            liveness_gap_ms: 10_000,
            ping_answer_ms: 2_000,
            ping_mean_interval_ms: ping_mean_ms,
            ..WorkerSettings::default()
        }
    }

    #[test]
    fn contacts_within_the_gap_make_one_interval() {
        let l = Liveness::new(&settings(1 << 40), []);
        let d = Pubkey::new_from_array([1; 32]);
        let t0 = Instant::now();
        for i in 0..5u64 {
            let at = t0 + Duration::from_secs(5 * i);
            l.heartbeat(&d, 1_000 + i, at, 0, 100 + 5 * i as i64, true).unwrap();
        }
        assert_eq!(l.open_intervals(), vec![(d, 100, 120)]);
        // A replay and an old timestamp change nothing.
        assert_eq!(
            l.heartbeat(&d, 1_004, t0 + Duration::from_secs(21), 0, 121, true),
            Err(HeartbeatRefusal::Replayed { last_ms: 1_004 })
        );
        assert_eq!(l.open_intervals(), vec![(d, 100, 120)]);
        // Silence past the gap closes it; the next contact opens another.
        l.sweep(t0 + Duration::from_secs(31));
        assert!(l.open_intervals().is_empty());
        l.heartbeat(&d, 2_000, t0 + Duration::from_secs(40), 0, 140, true).unwrap();
        let b = l.take_batch();
        let mut got: Vec<_> = b.intervals.iter().map(|r| (r.start_ts, r.end_ts)).collect();
        got.sort();
        assert_eq!(got, vec![(100, 120), (140, 140)]);
        assert_eq!(b.marks, vec![(d.to_string(), 2_000)]);
        // Nothing changed since: an empty batch.
        assert!(l.take_batch().is_empty());
    }

    #[test]
    fn a_missed_ping_cuts_the_interval_at_its_time() {
        // Mean 1 ms: every heartbeat after the first carries a new ping.
        let l = Liveness::new(&settings(1), []);
        let d = Pubkey::new_from_array([2; 32]);
        let t0 = Instant::now();
        l.heartbeat(&d, 1, t0, 0, 100, true).unwrap();
        let pings = l.heartbeat(&d, 2, t0 + Duration::from_millis(500), 0, 130, true).unwrap();
        assert!(!pings.is_empty());
        let answered = pings[0].nonce;
        // Answered in time: a contact, counted.
        l.pong(&d, &answered, t0 + Duration::from_millis(900), 150).unwrap();
        assert_eq!(l.pong(&d, &answered, t0 + Duration::from_millis(950), 150), Err(PongRefusal::Unknown));
        // The next ping (sent at chain 160) is never answered: at its deadline the interval ends at 160.
        let p2 = l.heartbeat(&d, 3, t0 + Duration::from_secs(1), 0, 160, true).unwrap();
        let missed = p2.iter().find(|p| p.nonce != answered).unwrap().nonce;
        l.heartbeat(&d, 4, t0 + Duration::from_millis(1_500), 0, 190, true).unwrap();
        l.sweep(t0 + Duration::from_millis(3_100));
        assert!(l.open_intervals().is_empty());
        assert_eq!(l.pong(&d, &missed, t0 + Duration::from_millis(3_200), 200), Err(PongRefusal::Unknown));
        let b = l.take_batch();
        assert_eq!(b.intervals.iter().map(|r| (r.start_ts, r.end_ts)).collect::<Vec<_>>(), vec![(100, 160)]);
        let sent: i64 = b.pings.iter().map(|p| p.sent).sum();
        let ok: i64 = b.pings.iter().map(|p| p.answered).sum();
        assert!(sent >= 2, "{sent}");
        assert_eq!(ok, 1);
    }

    fn rows(b: &Batch, kind: IntervalKind) -> Vec<(i64, i64)> {
        let mut v: Vec<_> =
            b.intervals.iter().filter(|r| r.kind == kind).map(|r| (r.start_ts, r.end_ts)).collect();
        v.sort();
        v
    }

    #[test]
    fn not_serving_heartbeats_make_an_unserved_interval() {
        let l = Liveness::new(&settings(1 << 40), []);
        let d = Pubkey::new_from_array([4; 32]);
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        // Serving at 100, starting at 105 and 110, serving again at 115.
        for (i, serving) in [true, false, false, true].into_iter().enumerate() {
            let i = i as u64;
            l.heartbeat(&d, 10 + i, at(5 * i), 0, 100 + 5 * i as i64, serving).unwrap();
            if i == 2 {
                assert_eq!(l.open_unserved(), vec![(d, 105, 110)]);
            }
        }
        assert!(l.open_unserved().is_empty());
        // Not serving again from 120; silence past the gap closes both
        // intervals at the last contact.
        l.heartbeat(&d, 20, at(20), 0, 120, false).unwrap();
        l.heartbeat(&d, 21, at(25), 0, 125, false).unwrap();
        l.sweep(at(36));
        assert!(l.open_intervals().is_empty() && l.open_unserved().is_empty());
        let b = l.take_batch();
        assert_eq!(rows(&b, IntervalKind::Live), vec![(100, 125)]);
        assert_eq!(rows(&b, IntervalKind::Unserved), vec![(105, 115), (120, 125)]);
    }

    #[test]
    fn a_missed_ping_cuts_the_unserved_interval_with_the_live_one() {
        let l = Liveness::new(&settings(1), []);
        let d = Pubkey::new_from_array([5; 32]);
        let t0 = Instant::now();
        l.heartbeat(&d, 1, t0, 0, 100, true).unwrap();
        // Not serving from 130 (this heartbeat carries a ping sent at 130, never answered) …
        let p = l.heartbeat(&d, 2, t0 + Duration::from_millis(500), 0, 130, false).unwrap();
        assert!(!p.is_empty());
        l.heartbeat(&d, 3, t0 + Duration::from_millis(1_000), 0, 150, false).unwrap();
        // … the ping's deadline passes: both end at 130.
        l.sweep(t0 + Duration::from_millis(2_600));
        let b = l.take_batch();
        assert_eq!(rows(&b, IntervalKind::Live), vec![(100, 130)]);
        assert_eq!(rows(&b, IntervalKind::Unserved), vec![(130, 130)]);
    }

    #[test]
    fn which_heartbeats_serve_their_lease() {
        use io_sdk::worker::cluster::{ClusterReport, ClusterState, Role};
        let r = |lease: &str, state| {
            Some(ClusterReport { lease: lease.into(), role: Role::Head, state, why: None })
        };
        let bare = |lease, allow| serves_lease(lease, None, false, allow);
        assert!(bare(None, true) && bare(Some("L"), true), "no clusters, allowed: live time is lease time");
        assert!(!bare(Some("L"), false), "no clusters where bare leases are not allowed: no lease time");
        for allow in [true, false] {
            let c = |lease, report: Option<ClusterReport>| serves_lease(lease, report.as_ref(), true, allow);
            assert!(c(Some("L"), r("L", ClusterState::Serving)));
            assert!(!c(Some("L"), r("L", ClusterState::Starting)));
            assert!(!c(Some("L"), r("L", ClusterState::Failed)));
            assert!(!c(Some("L"), r("M", ClusterState::Serving)), "another lease's");
            assert!(!c(None, r("L", ClusterState::Serving)), "names no lease");
            assert!(!c(Some("L"), None), "a clustered worker without a report serves nothing");
        }
    }

    #[test]
    fn the_rate_limit_refuses_without_counting() {
        let l = Liveness::new(&WorkerSettings { heartbeats_per_minute: 2, ..settings(1 << 40) }, []);
        let d = Pubkey::new_from_array([3; 32]);
        let t0 = Instant::now();
        l.heartbeat(&d, 1, t0, 0, 10, true).unwrap();
        l.heartbeat(&d, 2, t0, 0, 10, true).unwrap();
        assert!(matches!(l.heartbeat(&d, 3, t0, 0, 11, true), Err(HeartbeatRefusal::RateLimited { .. })));
        // The refused timestamp was not recorded: 3 is still new a minute later.
        l.heartbeat(&d, 3, t0 + Duration::from_secs(61), 0, 70, true).unwrap();
    }
}

#[cfg(test)]
mod store_tests {
    use super::*;

    #[tokio::test]
    async fn a_fleet_batch_lands_whole() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("o.db").display());
        let s = crate::store::Store::open(&url, 2).await.unwrap();
        let l = Liveness::new(&WorkerSettings::default(), []);
        let t0 = Instant::now();
        for i in 0..700u64 {
            let d = Pubkey::new_unique();
            l.heartbeat(&d, 10 + i, t0, 0, 1_800_000_000 + (i as i64 % 3), true).unwrap();
        }
        let b = l.take_batch();
        assert_eq!(b.intervals.len(), 700);
        s.write_batch(&b).await.unwrap();
        assert_eq!(s.intervals_between(0, i64::MAX).await.unwrap().len(), 700);
    }
}
