//! The per-device heartbeat rate: at most `limit` accepted in any window of a minute (a sliding
//! window, exact, where a token bucket would let twice the limit through around a burst).
use std::{
    collections::VecDeque,
    time::{Duration, Instant},
};

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
pub struct Window {
    accepted: VecDeque<Instant>,
}

impl Window {
    /// Counts one more at `now` if the limit allows; otherwise how long until it would.
    pub fn take(&mut self, now: Instant, limit: u32) -> Result<(), Duration> {
        while self.accepted.front().is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW) {
            self.accepted.pop_front();
        }
        if self.accepted.len() >= limit as usize {
            let oldest = self.accepted.front().copied().unwrap_or(now);
            return Err(WINDOW.saturating_sub(now.saturating_duration_since(oldest)));
        }
        self.accepted.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_limit_in_any_minute() {
        let t0 = Instant::now();
        let mut w = Window::default();
        for i in 0..3 {
            w.take(t0 + Duration::from_secs(i), 3).unwrap();
        }
        let wait = w.take(t0 + Duration::from_secs(10), 3).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        // A minute after the first, one more fits; not two.
        w.take(t0 + Duration::from_secs(60), 3).unwrap();
        assert!(w.take(t0 + Duration::from_secs(60), 3).is_err());
    }
}
