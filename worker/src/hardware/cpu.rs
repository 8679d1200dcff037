//! The CPU and memory from /proc: model (`/proc/cpuinfo`), logical cores, total memory
//! (`/proc/meminfo`). Parsers take the file's text so that tests feed them real samples.

/// The host CPU as the OS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpuInfo {
    pub model: String,
    /// Logical cores (hardware threads) the OS lists.
    pub cores: u32,
    pub memory_mb: u64,
}

/// Model name and logical core count from `/proc/cpuinfo`: one `processor` line per logical
/// core; the model from `model name` (x86) or `Model`/`CPU part` lines elsewhere.
pub fn parse_cpuinfo(text: &str) -> (Option<String>, u32) {
    let mut model = None;
    let mut cores = 0u32;
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else { continue };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "processor" => cores = cores.saturating_add(1),
            "model name" | "Model" | "cpu model" if model.is_none() && !value.is_empty() => {
                model = Some(value.to_string())
            }
            _ => {}
        }
    }
    (model, cores)
}

/// `MemTotal` of `/proc/meminfo`, in MB (10⁶ bytes; the file counts KiB).
pub fn parse_meminfo_total_mb(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: u64 = line.trim_start_matches("MemTotal:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib.checked_mul(1024)? / 1_000_000)
}

/// Reads the host's CPU description; what cannot be read is said in the model text.
pub fn detect() -> CpuInfo {
    let (model, listed) =
        std::fs::read_to_string("/proc/cpuinfo").map(|t| parse_cpuinfo(&t)).unwrap_or((None, 0));
    let cores = if listed > 0 {
        listed
    } else {
        std::thread::available_parallelism().map_or(0, |n| u32::try_from(n.get()).unwrap_or(u32::MAX))
    };
    let memory_mb =
        std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| parse_meminfo_total_mb(&t)).unwrap_or(0);
    CpuInfo {
        model: model.unwrap_or_else(|| "unknown CPU (no model in /proc/cpuinfo)".into()),
        cores,
        memory_mb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two logical cores of an AMD EPYC as /proc/cpuinfo lists them (trimmed to the lines that matter
    // and a few around them).
    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n\
model name\t: AMD EPYC 7B13\nstepping\t: 0\ncpu MHz\t\t: 2450.000\ncache size\t: 512 KB\n\n\
processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n\
model name\t: AMD EPYC 7B13\nstepping\t: 0\n";

    const MEMINFO: &str =
        "MemTotal:        8141212 kB\nMemFree:          512344 kB\nMemAvailable:    4123456 kB\n";

    #[test]
    fn cpuinfo_model_and_cores() {
        assert_eq!(parse_cpuinfo(CPUINFO), (Some("AMD EPYC 7B13".into()), 2));
        // `model\t\t: 1` is the family's model number, not the name.
        assert_eq!(parse_cpuinfo("processor : 0\nmodel : 1\n"), (None, 1));
    }

    #[test]
    fn meminfo_total() {
        assert_eq!(parse_meminfo_total_mb(MEMINFO), Some(8336));
        assert_eq!(parse_meminfo_total_mb("MemFree: 1 kB\n"), None);
    }

    #[test]
    fn this_machine_is_described() {
        let c = detect();
        assert!(c.cores >= 1 && c.memory_mb > 0, "{c:?}");
    }
}
