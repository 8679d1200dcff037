//! The cluster's clock, as this node follows it. Periods, uptime and lease seconds are chain
//! time (the Clock sysvar the programs read); on a local network that clock may run faster than
//! the wall, so the node reads it every `chain.clock_poll_ms` and interpolates between reads at
//! the rate it measured.
use io_sdk::client::{ChainTime, Client};
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Seconds per report period (io_oracle's).
pub const PERIOD_SECS: i64 = io_oracle::PERIOD_SECS;

#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Instant,
    time: ChainTime,
}

#[derive(Debug, Default)]
struct Inner {
    first: Option<Sample>,
    last: Option<Sample>,
    /// Highest chain ms handed out: the clock never goes back.
    high_ms: i64,
}

/// Chain time, interpolated between reads. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct ChainClock {
    inner: Arc<Mutex<Inner>>,
}

impl ChainClock {
    /// Records a read of the Clock sysvar taken at `at`.
    pub fn observe(&self, time: ChainTime, at: Instant) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let s = Sample { at, time };
        if g.first.is_none() {
            g.first = Some(s);
        }
        if g.last.is_none_or(|l| time.slot >= l.time.slot) {
            g.last = Some(s);
        }
    }

    /// Chain ms per wall ms, measured since the first read (1 until a few chain seconds passed).
    pub fn rate(&self) -> f64 {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        rate_of(&g)
    }

    /// Whether the clock has been read at least once.
    pub fn ready(&self) -> bool {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).last.is_some()
    }

    /// Chain time now, in ms (0 before the first read).
    pub fn now_ms(&self) -> i64 {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Some(last) = g.last else { return 0 };
        let wall = last.at.elapsed().as_secs_f64() * 1000.0;
        let ms = last.time.unix_timestamp.saturating_mul(1000).saturating_add((wall * rate_of(&g)) as i64);
        g.high_ms = g.high_ms.max(ms);
        g.high_ms
    }

    /// Chain time now, in seconds.
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// The period chain time is in now.
    pub fn period(&self) -> u64 {
        period_of(self.now())
    }

    /// The last slot read.
    pub fn slot(&self) -> u64 {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).last.map_or(0, |s| s.time.slot)
    }

    /// Wall time until chain time reaches `ts` (zero if it has), at the measured rate.
    pub fn wall_until(&self, ts: i64) -> Duration {
        let ahead_ms = ts.saturating_mul(1000).saturating_sub(self.now_ms());
        if ahead_ms <= 0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(ahead_ms as f64 / self.rate() / 1000.0)
    }

    /// Reads the clock every `every` until the process ends; a failed read is logged and retried.
    pub fn spawn_poller(&self, client: Arc<Client>, every: Duration) {
        let clock = self.clone();
        tokio::spawn(async move {
            let mut warned = false;
            loop {
                match client.chain_time().await {
                    Ok(t) => {
                        clock.observe(t, Instant::now());
                        warned = false;
                    }
                    Err(e) if !warned => {
                        tracing::warn!("cannot read the cluster's clock: {e}");
                        warned = true;
                    }
                    Err(_) => {}
                }
                tokio::time::sleep(every).await;
            }
        });
    }
}

fn rate_of(g: &Inner) -> f64 {
    match (g.first, g.last) {
        (Some(f), Some(l)) => {
            let chain_ms = (l.time.unix_timestamp - f.time.unix_timestamp) as f64 * 1000.0;
            let wall_ms = l.at.duration_since(f.at).as_secs_f64() * 1000.0;
            // Whole-second chain timestamps: wait for a few seconds of chain time.
            if chain_ms < 5_000.0 || wall_ms <= 0.0 {
                1.0
            } else {
                (chain_ms / wall_ms).clamp(0.01, 10_000.0)
            }
        }
        _ => 1.0,
    }
}

/// The period of chain time `ts` (seconds).
pub fn period_of(ts: i64) -> u64 {
    u64::try_from(ts.div_euclid(PERIOD_SECS)).unwrap_or(0)
}

/// `[start, end)` of period `p` in chain seconds.
pub fn period_bounds(p: u64) -> (i64, i64) {
    let start = i64::try_from(p).unwrap_or(i64::MAX / PERIOD_SECS).saturating_mul(PERIOD_SECS);
    (start, start.saturating_add(PERIOD_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_at_the_measured_rate_and_never_goes_back() {
        let c = ChainClock::default();
        let t0 = Instant::now() - Duration::from_secs(10);
        c.observe(ChainTime { slot: 1, unix_timestamp: 1_000_000 }, t0);
        // 600 chain seconds in 10 wall seconds: 60×.
        c.observe(ChainTime { slot: 100, unix_timestamp: 1_000_600 }, t0 + Duration::from_secs(10));
        assert!((c.rate() - 60.0).abs() < 0.01, "{}", c.rate());
        let a = c.now_ms();
        assert!(a >= 1_000_600_000);
        // An older read does not move the clock back.
        c.observe(ChainTime { slot: 50, unix_timestamp: 1_000_300 }, Instant::now());
        assert!(c.now_ms() >= a);
        assert_eq!(period_of(3_599), 0);
        assert_eq!(period_of(3_600), 1);
        assert_eq!(period_bounds(2), (7_200, 10_800));
    }
}
