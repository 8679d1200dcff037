//! The published rules of a period's report: who is active, how uptime and usage are compared
//! between nodes, how the pool is weighted and how much a proven cheat costs. Every oracle node,
//! `io verify` and the README read these constants, so a rule has one value everywhere; a change
//! here changes what honest nodes build, so all nodes must run the same version.
use io_staking::HardwareClass;

/// Basis points in a whole.
pub const BPS: u16 = 10_000;

/// The rules (see [`RULES`] for the values and why). Serialize: a node publishes the rules it
/// applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rules {
    /// Length of a period in chain seconds (io_oracle's hour).
    pub period_secs: u64,
    /// Uptime (bps of the period) at or above which a device that passed its challenge is active.
    pub active_uptime_bps: u16,
    /// How far (bps of the period) another node's uptime of a device may be from this node's.
    pub uptime_tolerance_bps: u16,
    /// Usage tolerance: at least this many seconds …
    pub usage_tolerance_min_secs: u64,
    /// … or this share (bps) of the period's increment of the usage leaf, whichever is larger.
    pub usage_tolerance_bps: u16,
    /// Reward weight per GPU of each class, indexed by `HardwareClass::index()`.
    pub class_weights: [u64; 5],
    /// Share (bps) of a device's bond slashed for one proven wrong-rows answer, rounded up.
    pub slash_bps: u16,
}

/// The rules every node applies.
pub const RULES: Rules = Rules {
    period_secs: io_oracle::constants::PERIOD_SECS as u64,
    // Half the hour: a device that answered for most of the period earns it; a restart or a short
    // network cut does not jail it, a machine that is off more than it is on does not count.
    active_uptime_bps: 5_000,
    // 6 minutes of the hour: nodes ping at independent random times, so their views of one device
    // differ by up to a ping gap on each edge of an outage, plus the worker's heartbeat spacing.
    uptime_tolerance_bps: 1_000,
    // Two minutes or 10 %: a lease's attested seconds come from the same live intervals, so they
    // differ between nodes by the same edge effects as uptime, but are billed, so kept tighter.
    usage_tolerance_min_secs: 120,
    usage_tolerance_bps: 1_000,
    // Roughly the classes' relative INT8 throughput (oracle-and-proofs.md §11): a flagship GPU does
    // about 30× a CPU's challenge work in the same time and earns accordingly.
    class_weights: [1, 4, 8, 16, 32],
    // 10 % of the device's bond: a proven wrong answer is deliberate (an honest machine computes
    // exact integer products), and the penalty must dwarf the ≤ 1 % gain of skipping work (§11).
    slash_bps: 1_000,
};

impl Rules {
    /// Reward weight per GPU of `class`.
    pub fn class_weight(&self, class: HardwareClass) -> u64 {
        self.class_weights[class.index()]
    }

    /// Uptime in bps of the period for `live_secs` live seconds, floored, at most 10,000.
    pub fn uptime_bps(&self, live_secs: u64) -> u16 {
        let bps =
            u128::from(live_secs.min(self.period_secs)) * u128::from(BPS) / u128::from(self.period_secs);
        u16::try_from(bps).unwrap_or(BPS)
    }

    /// A device's share weight: class weight × GPUs × uptime. A device with no GPU (a CPU device)
    /// counts as one unit.
    pub fn device_weight(&self, class: HardwareClass, gpu_count: u16, uptime_bps: u16) -> u128 {
        u128::from(self.class_weight(class)) * u128::from(gpu_count.max(1)) * u128::from(uptime_bps)
    }

    /// The slash for one proven wrong-rows answer: `slash_bps` of `bonded`, rounded UP (a penalty
    /// never rounds in the cheater's favour), at least one base unit when anything is bonded.
    pub fn slash_amount_ceil(&self, bonded: u64) -> u64 {
        let amount = (u128::from(bonded) * u128::from(self.slash_bps)).div_ceil(u128::from(BPS));
        // ≤ bonded since slash_bps ≤ 10,000, so it fits.
        u64::try_from(amount).unwrap_or(bonded).min(bonded)
    }

    /// Whether a device with this uptime and challenge result is active.
    pub fn is_active(&self, passed: bool, uptime_bps: u16) -> bool {
        passed && uptime_bps >= self.active_uptime_bps
    }

    /// Whether two nodes' uptimes of a device agree.
    pub fn uptime_agrees(&self, own: u16, other: u16) -> bool {
        own.abs_diff(other) <= self.uptime_tolerance_bps
    }

    /// Whether `own` is too close to the active threshold for this node to dispute another node's
    /// `active` flag (the other node may have seen a little more or less).
    pub fn near_threshold(&self, own_uptime_bps: u16) -> bool {
        own_uptime_bps.abs_diff(self.active_uptime_bps) <= self.uptime_tolerance_bps
    }

    /// The usage tolerance for a leaf whose period increment (by this node's count) is
    /// `increment` seconds: max(`usage_tolerance_min_secs`, `usage_tolerance_bps` of it), ceil.
    pub fn usage_tolerance(&self, increment: u64) -> u64 {
        let share = (u128::from(increment) * u128::from(self.usage_tolerance_bps)).div_ceil(u128::from(BPS));
        u64::try_from(share).unwrap_or(u64::MAX).max(self.usage_tolerance_min_secs)
    }
}

/// [`Rules::class_weight`] of [`RULES`].
pub fn class_weight(class: HardwareClass) -> u64 {
    RULES.class_weight(class)
}

/// [`Rules::uptime_bps`] of [`RULES`].
pub fn uptime_bps(live_secs: u64) -> u16 {
    RULES.uptime_bps(live_secs)
}

/// [`Rules::device_weight`] of [`RULES`].
pub fn device_weight(class: HardwareClass, gpu_count: u16, uptime_bps: u16) -> u128 {
    RULES.device_weight(class, gpu_count, uptime_bps)
}

/// [`Rules::slash_amount_ceil`] of [`RULES`].
pub fn slash_amount_ceil(bonded: u64) -> u64 {
    RULES.slash_amount_ceil(bonded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Name;

    #[test]
    fn uptime_is_floored_and_capped() {
        assert_eq!(uptime_bps(0), 0);
        assert_eq!(uptime_bps(1), 2); // 10,000/3,600 = 2.77… → 2
        assert_eq!(uptime_bps(1_800), 5_000);
        assert_eq!(uptime_bps(3_599), 9_997);
        assert_eq!(uptime_bps(3_600), BPS);
        assert_eq!(uptime_bps(u64::MAX), BPS);
    }

    #[test]
    fn weights_follow_class_and_gpus() {
        let w: Vec<u64> = HardwareClass::ALL.iter().map(|c| class_weight(*c)).collect();
        assert_eq!(w, [1, 4, 8, 16, 32]);
        assert_eq!(device_weight(HardwareClass::Cpu, 0, 10_000), 10_000);
        assert_eq!(device_weight(HardwareClass::Cpu, 1, 10_000), 10_000);
        assert_eq!(device_weight(HardwareClass::FlagshipGpu, 8, 5_000), 32 * 8 * 5_000);
        assert_eq!(device_weight(HardwareClass::ConsumerGpu, 2, 0), 0);
    }

    #[test]
    fn slash_rounds_up_and_never_exceeds_the_bond() {
        assert_eq!(slash_amount_ceil(0), 0);
        assert_eq!(slash_amount_ceil(1), 1);
        assert_eq!(slash_amount_ceil(9), 1);
        assert_eq!(slash_amount_ceil(10), 1);
        assert_eq!(slash_amount_ceil(11), 2);
        assert_eq!(slash_amount_ceil(1_000_000), 100_000);
        assert_eq!(slash_amount_ceil(u64::MAX), u64::MAX.div_ceil(10));
    }

    #[test]
    fn tolerances() {
        assert!(RULES.uptime_agrees(5_000, 6_000));
        assert!(!RULES.uptime_agrees(5_000, 6_001));
        assert!(RULES.near_threshold(4_000) && RULES.near_threshold(6_000));
        assert!(!RULES.near_threshold(3_999) && !RULES.near_threshold(6_001));
        assert_eq!(RULES.usage_tolerance(0), 120);
        assert_eq!(RULES.usage_tolerance(1_200), 120);
        assert_eq!(RULES.usage_tolerance(3_600), 360);
        assert_eq!(RULES.usage_tolerance(1_201), 121);
        assert!(
            RULES.is_active(true, 5_000) && !RULES.is_active(true, 4_999) && !RULES.is_active(false, BPS)
        );
    }
}
