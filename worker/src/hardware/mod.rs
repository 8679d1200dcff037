//! What the machine is: GPUs through NVML ([`nvml`], loaded at run time), CPU and memory from
//! /proc ([`cpu`]), and the rule that the on-chain record must match it ([`matching`]).
pub mod cpu;
pub mod matching;
pub mod nvml;

pub use cpu::CpuInfo;
pub use nvml::{GpuInfo, Nvml};

/// What detection found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub gpus: Vec<GpuInfo>,
    pub driver: Option<String>,
    /// Why no GPU could be listed, when NVML is absent or failed.
    pub gpu_unavailable: Option<String>,
    pub cpu: CpuInfo,
}

/// Detects the GPUs (NVML) and the CPU. Never fails: what cannot be read is said.
pub fn detect(nvml: Option<&Nvml>, nvml_error: Option<&str>) -> Detected {
    let cpu = cpu::detect();
    let Some(nvml) = nvml else {
        return Detected {
            gpus: vec![],
            driver: None,
            gpu_unavailable: Some(nvml_error.unwrap_or("NVML not loaded").to_string()),
            cpu,
        };
    };
    let listed = nvml.count().and_then(|n| (0..n).map(|i| nvml.gpu(i)).collect::<Result<Vec<_>, _>>());
    match listed {
        Ok(gpus) => Detected { gpus, driver: nvml.driver_version().ok(), gpu_unavailable: None, cpu },
        Err(e) => {
            Detected { gpus: vec![], driver: nvml.driver_version().ok(), gpu_unavailable: Some(e), cpu }
        }
    }
}
