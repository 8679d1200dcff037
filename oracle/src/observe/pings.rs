//! Liveness pings: each device is pinged at random wall times (a Poisson process, so a device
//! cannot predict the next one and be present only then); a ping goes out in the device's next
//! heartbeat reply and must be answered by a signed pong within the answer window.
use io_sdk::worker::{Bytes32, Ping};
use rand::Rng;
use std::time::{Duration, Instant};

/// A ping sent and not answered yet.
#[derive(Debug, Clone)]
pub struct Outstanding {
    pub ping: Ping,
    /// Wall time by which the pong must arrive.
    pub deadline: Instant,
    /// Chain seconds when it was sent: a miss ends the live interval there.
    pub chain_ts: i64,
}

/// The wall delay to the next ping: exponential with mean `mean`.
pub fn next_delay(mean: Duration) -> Duration {
    // 1 − U is in (0, 1]: its logarithm is finite.
    let u: f64 = 1.0 - rand::thread_rng().gen::<f64>();
    Duration::from_secs_f64((-u.ln() * mean.as_secs_f64()).min(1e9))
}

/// A fresh ping sent now.
pub fn new_ping(now: Instant, wall_ms: u64, chain_ts: i64, answer: Duration) -> Outstanding {
    Outstanding {
        ping: Ping { nonce: Bytes32(rand::thread_rng().gen()), issued_at_ms: wall_ms },
        deadline: now + answer,
        chain_ts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_average_to_the_mean() {
        let mean = Duration::from_secs(300);
        let n = 20_000;
        let avg = (0..n).map(|_| next_delay(mean).as_secs_f64()).sum::<f64>() / n as f64;
        // The standard error of the mean is 300/√20000 ≈ 2.1 s: 5 % is over seven of them.
        assert!((avg - 300.0).abs() < 15.0, "{avg}");
    }
}
