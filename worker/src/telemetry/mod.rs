//! Live figures, sampled every few seconds: GPUs through NVML; the CPU's utilisation
//! ([`proc_stat`]), temperature ([`thermal`]) and package power ([`rapl`]). What this machine
//! cannot read is reported as unavailable with the reason, never invented.
pub mod proc_stat;
pub mod rapl;
pub mod thermal;

use crate::hardware::Nvml;
use io_sdk::worker::{CpuTelemetry, GpuTelemetry, Reading, Telemetry};
use std::{path::PathBuf, sync::Arc, time::Instant};

/// Keeps the previous counters, so that utilisation and power are over the last interval.
pub struct Sampler {
    nvml: Option<Arc<Nvml>>,
    gpu_uuids: Vec<String>,
    proc_stat: PathBuf,
    thermal: PathBuf,
    rapl: Result<Vec<rapl::Domain>, String>,
    last_cpu: Option<proc_stat::CpuTimes>,
    last_energy: Option<(Instant, Vec<u64>)>,
}

fn reading(r: Result<f64, String>) -> Reading {
    match r {
        Ok(v) => Reading::of(v),
        Err(e) => Reading::unavailable(e),
    }
}

impl Sampler {
    /// A sampler of this machine; `gpu_uuids` the GPUs to report (by NVML index order).
    pub fn new(nvml: Option<Arc<Nvml>>, gpu_uuids: Vec<String>) -> Sampler {
        let powercap = PathBuf::from("/sys/class/powercap");
        Sampler {
            nvml,
            gpu_uuids,
            proc_stat: "/proc/stat".into(),
            thermal: "/sys/class/thermal".into(),
            rapl: rapl::domains(&powercap),
            last_cpu: None,
            last_energy: None,
        }
    }

    /// One sample. Utilisation and power need a previous sample: the first says so.
    pub fn sample(&mut self) -> Telemetry {
        let gpus = self
            .gpu_uuids
            .iter()
            .enumerate()
            .map(|(i, uuid)| {
                let index = i as u32;
                let (t, p, u) = match &self.nvml {
                    Some(n) => (n.temperature_c(index), n.power_w(index), n.utilisation_pct(index)),
                    None => {
                        let no = || Err("NVML not loaded".to_string());
                        (no(), no(), no())
                    }
                };
                GpuTelemetry {
                    index,
                    uuid: uuid.clone(),
                    temperature_c: reading(t),
                    power_w: reading(p),
                    utilisation_pct: reading(u),
                }
            })
            .collect();

        let cpu_now = std::fs::read_to_string(&self.proc_stat).ok().and_then(|t| proc_stat::parse(&t));
        let utilisation = match (self.last_cpu, cpu_now) {
            (_, None) => Err(format!("{} unreadable", self.proc_stat.display())),
            (None, Some(_)) => Err("first sample: utilisation needs two".to_string()),
            (Some(a), Some(b)) => {
                proc_stat::utilisation_pct(a, b).ok_or_else(|| "no time passed".to_string())
            }
        };
        self.last_cpu = cpu_now.or(self.last_cpu);

        let power = match &self.rapl {
            Err(e) => Err(e.clone()),
            Ok(domains) => match rapl::read_uj(domains) {
                Err(e) => Err(e),
                Ok(now) => {
                    let at = Instant::now();
                    let p = match &self.last_energy {
                        None => Err("first sample: power needs two".to_string()),
                        Some((t0, before)) => {
                            rapl::power_w(domains, before, &now, at.duration_since(*t0).as_secs_f64())
                                .ok_or_else(|| "no time passed".to_string())
                        }
                    };
                    self.last_energy = Some((at, now));
                    p
                }
            },
        };

        Telemetry {
            sampled_at_ms: crate::now_ms(),
            gpus,
            cpu: CpuTelemetry {
                utilisation_pct: reading(utilisation),
                temperature_c: reading(thermal::read(&self.thermal)),
                power_w: reading(power),
            },
        }
    }
}
