//! The one rule for "the machine is what its on-chain record says", per class.
//!
//! - **cpu**: the record has no GPUs (io_staking enforces it); any CPU machine matches, GPUs it
//!   may also have are not claimed and not checked.
//! - **GPU classes**: NVML lists exactly `gpu_count` GPUs, all of one model; that model is of the
//!   record's class by [`class_of_model`]; the record's `gpu_model` text appears in NVML's name
//!   (case and spaces aside: "RTX 4090" in "NVIDIA GeForce RTX 4090"); and each GPU's memory,
//!   in GiB rounded to the nearest, is within [`vram_tolerance_gb`] of the record's `vram_gb`
//!   (vendors sell "80 GB" cards that NVML reports as 79.6 GiB, "141 GB" as 140.4 GiB).
//! - **simulated** (a local network only, see `chain::Cluster`): no check; the CPU stands in for
//!   the record's hardware and answers the class's light challenges.
use super::{Detected, GpuInfo};
use io_sdk::worker::Hardware;
use io_staking::{Device, HardwareClass};

/// GPU model families and their class. A model's NVML name contains the key (compared in lower
/// case without spaces). More specific keys come first ("h100 pcie" before "h100").
pub const MODEL_CLASSES: &[(&str, HardwareClass)] = &[
    ("rtx3090", HardwareClass::ConsumerGpu),
    ("rtx4080", HardwareClass::ConsumerGpu),
    ("rtx4090", HardwareClass::ConsumerGpu),
    ("rtx5090", HardwareClass::ConsumerGpu),
    ("rtx6000ada", HardwareClass::WorkstationGpu),
    ("rtxa6000", HardwareClass::WorkstationGpu),
    ("l40s", HardwareClass::WorkstationGpu),
    ("l40", HardwareClass::WorkstationGpu),
    ("a100", HardwareClass::DatacenterGpu),
    ("h100pcie", HardwareClass::DatacenterGpu),
    ("h100nvl", HardwareClass::DatacenterGpu),
    ("h100", HardwareClass::FlagshipGpu),
    ("h200", HardwareClass::FlagshipGpu),
    ("b200", HardwareClass::FlagshipGpu),
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// The class of a GPU model by its NVML name, if the table knows it.
pub fn class_of_model(name: &str) -> Option<HardwareClass> {
    let n = squash(name);
    MODEL_CLASSES.iter().find(|(key, _)| n.contains(key)).map(|(_, c)| *c)
}

/// How far (GB) detected VRAM may be from the record: 1 GB, or 3% of large cards.
pub fn vram_tolerance_gb(record_gb: u16) -> u16 {
    (record_gb / 32).max(1)
}

/// Memory of a GPU in GiB, rounded to the nearest.
pub fn vram_gib(g: &GpuInfo) -> u64 {
    (g.memory_bytes + (1 << 29)) >> 30
}

/// What differs between the record and the machine: empty when it matches.
pub fn differences(record: &Device, found: &Detected) -> Vec<String> {
    let class = io_sdk::Name::name(&record.class);
    if record.class == HardwareClass::Cpu {
        return vec![];
    }
    let mut d = vec![];
    if found.gpus.len() != usize::from(record.gpu_count) {
        let why = found.gpu_unavailable.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
        d.push(format!(
            "GPU count: the record says {}, this machine has {}{why}",
            record.gpu_count,
            found.gpus.len()
        ));
    }
    if let Some(first) = found.gpus.first() {
        if let Some(other) = found.gpus.iter().find(|g| g.name != first.name) {
            d.push(format!("GPU models differ on this machine: {} and {}", first.name, other.name));
        }
        match class_of_model(&first.name) {
            Some(c) if c == record.class => {}
            Some(c) => d.push(format!(
                "class: the record says {class}, a {} is {}",
                first.name,
                io_sdk::Name::name(&c)
            )),
            None => d.push(format!(
                "class: {} is not in the worker's model table, so it cannot be shown to be {class}",
                first.name
            )),
        }
        if !squash(&first.name).contains(&squash(&record.gpu_model)) {
            d.push(format!("model: the record says {}, this machine has {}", record.gpu_model, first.name));
        }
        let tol = u64::from(vram_tolerance_gb(record.vram_gb));
        for g in &found.gpus {
            let got = vram_gib(g);
            if got.abs_diff(u64::from(record.vram_gb)) > tol {
                d.push(format!(
                    "VRAM of GPU {}: the record says {} GB, this machine has {got} GB",
                    g.index, record.vram_gb
                ));
            }
        }
    }
    d
}

/// What heartbeats report: the detected machine, or (simulated) the record's hardware on this CPU.
pub fn hardware(record: &Device, found: &Detected, simulated: bool) -> Hardware {
    let (gpu_model, gpu_count, vram_gb, gpu_uuids) = if simulated || record.class == HardwareClass::Cpu {
        (record.gpu_model.clone(), record.gpu_count, record.vram_gb, vec![])
    } else {
        let vram = found.gpus.first().map_or(0, |g| u16::try_from(vram_gib(g)).unwrap_or(u16::MAX));
        (
            found.gpus.first().map(|g| g.name.clone()).unwrap_or_default(),
            u16::try_from(found.gpus.len()).unwrap_or(u16::MAX),
            vram,
            found.gpus.iter().map(|g| g.uuid.clone()).collect(),
        )
    };
    Hardware {
        class: io_sdk::Name::name(&record.class).to_string(),
        gpu_model,
        gpu_count,
        vram_gb,
        driver: found.driver.clone(),
        gpu_uuids,
        cpu_model: found.cpu.model.clone(),
        cpu_cores: found.cpu.cores,
        memory_mb: found.cpu.memory_mb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware::CpuInfo;
    use io_staking::DeviceStatus;

    fn record(class: HardwareClass, model: &str, count: u16, vram: u16) -> Device {
        Device {
            operator: Default::default(),
            id_hash: [0; 32],
            worker_key: Default::default(),
            gpu_model: model.into(),
            gpu_count: count,
            vram_gb: vram,
            region: "eu".into(),
            green: false,
            class,
            status: DeviceStatus::Pending,
            bonded: 0,
            registered_ts: 0,
            status_ts: 0,
            attested_period: 0,
            bump: 0,
        }
    }

    fn machine(gpus: &[(&str, u64)]) -> Detected {
        Detected {
            gpus: gpus
                .iter()
                .enumerate()
                .map(|(i, (name, mib))| GpuInfo {
                    index: i as u32,
                    name: name.to_string(),
                    uuid: format!("GPU-{i}"),
                    memory_bytes: mib << 20,
                })
                .collect(),
            driver: Some("550.54".into()),
            gpu_unavailable: None,
            cpu: CpuInfo { model: "AMD EPYC".into(), cores: 2, memory_mb: 8000 },
        }
    }

    fn no_gpu() -> Detected {
        Detected { gpu_unavailable: Some("no NVIDIA driver".into()), ..machine(&[]) }
    }

    #[test]
    fn cpu_record_matches_any_machine() {
        assert!(differences(&record(HardwareClass::Cpu, "", 0, 0), &no_gpu()).is_empty());
        assert!(differences(&record(HardwareClass::Cpu, "", 0, 0), &machine(&[("NVIDIA H100", 81559)]))
            .is_empty());
    }

    #[test]
    fn real_cards_match_their_records() {
        // NVML's totals (MiB) of the real cards.
        let h100 = machine(&[("NVIDIA H100 80GB HBM3", 81559); 8]);
        assert!(differences(&record(HardwareClass::FlagshipGpu, "H100", 8, 80), &h100).is_empty());
        let h200 = machine(&[("NVIDIA H200", 143771)]);
        assert!(differences(&record(HardwareClass::FlagshipGpu, "H200", 1, 141), &h200).is_empty());
        let rtx = machine(&[("NVIDIA GeForce RTX 4090", 24564); 2]);
        assert!(differences(&record(HardwareClass::ConsumerGpu, "RTX 4090", 2, 24), &rtx).is_empty());
        let pcie = machine(&[("NVIDIA H100 PCIe", 81559)]);
        assert!(differences(&record(HardwareClass::DatacenterGpu, "H100 PCIe", 1, 80), &pcie).is_empty());
    }

    #[test]
    fn each_difference_is_named() {
        let rtx = machine(&[("NVIDIA GeForce RTX 4090", 24564)]);
        let d = differences(&record(HardwareClass::ConsumerGpu, "RTX 4090", 2, 24), &rtx);
        assert_eq!(d, vec!["GPU count: the record says 2, this machine has 1"]);
        let d = differences(&record(HardwareClass::FlagshipGpu, "RTX 4090", 1, 24), &rtx);
        assert_eq!(d, vec!["class: the record says flagship_gpu, a NVIDIA GeForce RTX 4090 is consumer_gpu"]);
        let d = differences(&record(HardwareClass::ConsumerGpu, "RTX 4090", 1, 48), &rtx);
        assert_eq!(d, vec!["VRAM of GPU 0: the record says 48 GB, this machine has 24 GB"]);
        let d = differences(&record(HardwareClass::ConsumerGpu, "RTX 3090", 1, 24), &rtx);
        assert_eq!(d, vec!["model: the record says RTX 3090, this machine has NVIDIA GeForce RTX 4090"]);
        let d = differences(&record(HardwareClass::ConsumerGpu, "RTX 4090", 1, 24), &no_gpu());
        assert_eq!(d, vec!["GPU count: the record says 1, this machine has 0 (no NVIDIA driver)"]);
        let d = differences(
            &record(HardwareClass::WorkstationGpu, "T4", 1, 16),
            &machine(&[("Tesla T4", 15360)]),
        );
        assert_eq!(d, vec!["class: Tesla T4 is not in the worker's model table, so it cannot be shown to be workstation_gpu"]);
    }

    #[test]
    fn pcie_h100_is_not_flagship() {
        assert_eq!(class_of_model("NVIDIA H100 PCIe"), Some(HardwareClass::DatacenterGpu));
        assert_eq!(class_of_model("NVIDIA H100 80GB HBM3"), Some(HardwareClass::FlagshipGpu));
        assert_eq!(class_of_model("NVIDIA L40S"), Some(HardwareClass::WorkstationGpu));
        assert_eq!(vram_tolerance_gb(24), 1);
        assert_eq!(vram_tolerance_gb(141), 4);
    }
}
