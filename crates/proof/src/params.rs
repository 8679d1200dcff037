//! Challenge sizes per hardware class.
//!
//! The deadlines of the GPU classes are estimates from vendor peak INT8 rates (reference
//! oracle-and-proofs.md §11) until a later issue calibrates them on real GPUs (§15): compute time
//! `K·2n³ / peak`, plus hashing `K·n` rows of `4n` bytes at an assumed 100 GB/s, times 1.5, plus
//! round-trip slack. Only the CPU row rests on a measurement (crates/proof/README.md): 0.27 s of
//! CPU (0.6 s wall on two shared cores) for its chain here, so 10 s leaves room for CPUs many
//! times slower and for the network.
use crate::error::ParamsError;

/// The hardware class a device is registered as; it fixes the challenge sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HardwareClass {
    /// A CPU-only device.
    Cpu,
    /// RTX 3090 / 4090 class (≈ 280–660 dense INT8 TOPS).
    ConsumerGpu,
    /// RTX 6000 Ada / L40S class (≈ 700–1,500 TOPS).
    Workstation,
    /// A100 / H100 PCIe class (≈ 620–1,500 TOPS).
    Datacenter,
    /// H100 SXM / H200 / B200 class (≈ 2,000+ TOPS).
    Flagship,
}

impl HardwareClass {
    pub const ALL: [HardwareClass; 5] = [
        HardwareClass::Cpu,
        HardwareClass::ConsumerGpu,
        HardwareClass::Workstation,
        HardwareClass::Datacenter,
        HardwareClass::Flagship,
    ];

    /// The class's challenge parameters on a real cluster.
    pub fn params(self) -> Params {
        match self {
            HardwareClass::Cpu => Params { n: 1024, k: 16, samples: 64, deadline_ms: 10_000 },
            HardwareClass::ConsumerGpu => Params { n: 8192, k: 64, samples: 64, deadline_ms: 20_000 },
            HardwareClass::Workstation => Params { n: 16384, k: 64, samples: 64, deadline_ms: 20_000 },
            HardwareClass::Datacenter => Params { n: 16384, k: 128, samples: 64, deadline_ms: 15_000 },
            HardwareClass::Flagship => Params { n: 16384, k: 256, samples: 64, deadline_ms: 15_000 },
        }
    }

    /// Whether the deadline rests on a measurement (false: an estimate awaiting GPU calibration).
    pub fn deadline_measured(self) -> bool {
        matches!(self, HardwareClass::Cpu)
    }

    /// Parameters for a local network's simulated devices: every class answers with the CPU in
    /// well under a second, so tests and demos stay fast. Never valid on another cluster.
    pub fn light_params(self) -> Params {
        Params { n: 64, k: 4, samples: 16, deadline_ms: 10_000 }
    }

    pub fn name(self) -> &'static str {
        match self {
            HardwareClass::Cpu => "cpu",
            HardwareClass::ConsumerGpu => "consumer-gpu",
            HardwareClass::Workstation => "workstation",
            HardwareClass::Datacenter => "datacenter",
            HardwareClass::Flagship => "flagship",
        }
    }
}

/// The sizes of one challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params {
    /// Matrix side: A and B are n×n int8, each C_k is n×n int32.
    pub n: u32,
    /// Chain length: the number of sequential products C_1 … C_K.
    pub k: u32,
    /// Row transitions the verifier samples after the commitment.
    pub samples: u32,
    /// Milliseconds from issuing the challenge to receiving the signed commitment.
    pub deadline_ms: u64,
}

/// Largest n for which an exact product cannot overflow i32: |Σ| ≤ n·128·128 = n·2¹⁴ < 2³¹.
pub const MAX_N: u32 = 1 << 16;
/// Smallest n: rows are read from the cipher stream in 4-byte words, and the CPU kernel's tiles
/// want at least one 16-lane chunk.
pub const MIN_N: u32 = 16;

impl Params {
    /// Rejects sizes the protocol cannot run soundly.
    ///
    /// n and K must be powers of two so that the tree has K·n = 2^d leaves and every honest path
    /// has exactly d siblings; the verifier requires that length, which caps a commitment at
    /// K·n distinct leaves (a prover cannot hide extra candidate rows in a deeper tree).
    pub fn validate(&self) -> Result<(), ParamsError> {
        if !(MIN_N..=MAX_N).contains(&self.n) || !self.n.is_power_of_two() {
            return Err(ParamsError::BadN(self.n));
        }
        if self.k == 0 || !self.k.is_power_of_two() || self.k > 1 << 12 {
            return Err(ParamsError::BadK(self.k));
        }
        if self.samples == 0 || self.samples > 1024 {
            return Err(ParamsError::BadSamples(self.samples));
        }
        if self.deadline_ms == 0 {
            return Err(ParamsError::ZeroDeadline);
        }
        Ok(())
    }

    /// Leaves of the row tree: one per row of every C_k.
    pub fn leaf_count(&self) -> usize {
        self.n as usize * self.k as usize
    }

    /// Siblings on every path of the row tree (log2 of the leaf count).
    pub fn path_len(&self) -> usize {
        self.leaf_count().trailing_zeros() as usize
    }

    /// Integer operations of the whole chain, counting a multiply-add as two: K·2n³.
    pub fn int8_ops(&self) -> f64 {
        let n = self.n as f64;
        self.k as f64 * 2.0 * n * n * n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_class_and_light_set_is_valid() {
        for c in HardwareClass::ALL {
            c.params().validate().unwrap();
            c.light_params().validate().unwrap();
        }
    }

    #[test]
    fn bad_sizes_are_refused() {
        let ok = Params { n: 64, k: 4, samples: 16, deadline_ms: 1 };
        assert_eq!(Params { n: 96, ..ok }.validate(), Err(ParamsError::BadN(96)));
        assert_eq!(Params { n: 1 << 17, ..ok }.validate(), Err(ParamsError::BadN(1 << 17)));
        assert_eq!(Params { k: 3, ..ok }.validate(), Err(ParamsError::BadK(3)));
        assert_eq!(Params { samples: 0, ..ok }.validate(), Err(ParamsError::BadSamples(0)));
        assert_eq!(Params { deadline_ms: 0, ..ok }.validate(), Err(ParamsError::ZeroDeadline));
        assert_eq!(ok.path_len(), 8);
    }
}
