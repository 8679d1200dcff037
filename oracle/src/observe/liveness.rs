//! Liveness: per device, the replay mark, the rate window, the live interval being extended and
//! the pings in flight, all in memory; the flusher writes what changed in one batch every
//! `workers.flush_ms` (10,000 devices heartbeating every few seconds cost one transaction per
//! flush, not one write per heartbeat).
//!
//! A device is live between two contacts (an accepted heartbeat or an in-time pong) at most
//! `workers.liveness_gap_ms` wall ms apart. Intervals are in chain seconds (the node's chain
//! clock at each contact): uptime and lease seconds are chain time. A missed ping ends the
//! interval at the ping's time; the next contact opens a new one.
use super::{pings, rate};
use crate::{
    clock::period_of,
    settings::WorkerSettings,
    store::observations::{Batch, IntervalRow, PingDelta},
};
use io_sdk::{
    worker::{Bytes32, Ping},
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

fn close(device: &Pubkey, o: Open, closed: &mut Vec<IntervalRow>) {
    closed.push(IntervalRow { device: device.to_string(), start_ts: o.start, end_ts: o.end });
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
                close(device, d.open.take().expect("checked"), closed);
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
            if let Some(o) = d.open.as_mut().filter(|o| o.dirty) {
                o.dirty = false;
                rows.push(IntervalRow { device: device.to_string(), start_ts: o.start, end_ts: o.end });
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
        let mut last: HashMap<(String, i64), usize> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            last.insert((r.device.clone(), r.start_ts), i);
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

    /// The intervals open now, per device: `[start, last contact]` in chain seconds.
    pub fn open_intervals(&self) -> Vec<(Pubkey, i64, i64)> {
        self.lock()
            .devices
            .iter()
            .filter_map(|(k, d)| d.open.as_ref().map(|o| (*k, o.start, o.end)))
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
                if let Some(o) = self.open.take() {
                    close(device, o, closed);
                }
                self.open = Some(Open { start: chain_ts, end: chain_ts, last: now, dirty: true });
            }
        }
    }

    /// Every ping past its deadline is a miss: the interval open then ends at the ping's time.
    fn expire_pings(&mut self, device: &Pubkey, now: Instant, closed: &mut Vec<IntervalRow>) {
        let Some(first_missed) = self.pings.iter().filter(|p| p.deadline < now).map(|p| p.chain_ts).min()
        else {
            return;
        };
        self.pings.retain(|p| p.deadline >= now);
        if let Some(mut o) = self.open.take() {
            o.end = o.end.min(first_missed).max(o.start);
            close(device, o, closed);
        }
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
            l.heartbeat(&d, 1_000 + i, at, 0, 100 + 5 * i as i64).unwrap();
        }
        assert_eq!(l.open_intervals(), vec![(d, 100, 120)]);
        // A replay and an old timestamp change nothing.
        assert_eq!(
            l.heartbeat(&d, 1_004, t0 + Duration::from_secs(21), 0, 121),
            Err(HeartbeatRefusal::Replayed { last_ms: 1_004 })
        );
        assert_eq!(l.open_intervals(), vec![(d, 100, 120)]);
        // Silence past the gap closes it; the next contact opens another.
        l.sweep(t0 + Duration::from_secs(31));
        assert!(l.open_intervals().is_empty());
        l.heartbeat(&d, 2_000, t0 + Duration::from_secs(40), 0, 140).unwrap();
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
        l.heartbeat(&d, 1, t0, 0, 100).unwrap();
        let pings = l.heartbeat(&d, 2, t0 + Duration::from_millis(500), 0, 130).unwrap();
        assert!(!pings.is_empty());
        let answered = pings[0].nonce;
        // Answered in time: a contact, counted.
        l.pong(&d, &answered, t0 + Duration::from_millis(900), 150).unwrap();
        assert_eq!(l.pong(&d, &answered, t0 + Duration::from_millis(950), 150), Err(PongRefusal::Unknown));
        // The next ping (sent at chain 160) is never answered: at its deadline the interval ends at 160.
        let p2 = l.heartbeat(&d, 3, t0 + Duration::from_secs(1), 0, 160).unwrap();
        let missed = p2.iter().find(|p| p.nonce != answered).unwrap().nonce;
        l.heartbeat(&d, 4, t0 + Duration::from_millis(1_500), 0, 190).unwrap();
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

    #[test]
    fn the_rate_limit_refuses_without_counting() {
        let l = Liveness::new(&WorkerSettings { heartbeats_per_minute: 2, ..settings(1 << 40) }, []);
        let d = Pubkey::new_from_array([3; 32]);
        let t0 = Instant::now();
        l.heartbeat(&d, 1, t0, 0, 10).unwrap();
        l.heartbeat(&d, 2, t0, 0, 10).unwrap();
        assert!(matches!(l.heartbeat(&d, 3, t0, 0, 11), Err(HeartbeatRefusal::RateLimited { .. })));
        // The refused timestamp was not recorded: 3 is still new a minute later.
        l.heartbeat(&d, 3, t0 + Duration::from_secs(61), 0, 70).unwrap();
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
            l.heartbeat(&d, 10 + i, t0, 0, 1_800_000_000 + (i as i64 % 3)).unwrap();
        }
        let b = l.take_batch();
        assert_eq!(b.intervals.len(), 700);
        s.write_batch(&b).await.unwrap();
        assert_eq!(s.intervals_between(0, i64::MAX).await.unwrap().len(), 700);
    }
}
