//! CPU temperature from `/sys/class/thermal/thermal_zone*/{type,temp}` (millidegrees Celsius).

/// Zone types that measure the CPU package or its cores (x86 RAPL-era drivers, AMD's k10temp,
/// ARM SoCs); other zones (battery, wifi, GPU) are not the CPU.
const CPU_ZONES: [&str; 6] = ["x86_pkg_temp", "coretemp", "k10temp", "cpu", "soc", "acpitz"];

/// Whether a zone's `type` names a CPU sensor.
pub fn is_cpu_zone(kind: &str) -> bool {
    let k = kind.trim().to_ascii_lowercase();
    CPU_ZONES.iter().any(|z| k.contains(z))
}

/// `temp` of a zone: millidegrees → °C.
pub fn parse_temp(text: &str) -> Option<f64> {
    text.trim().parse::<i64>().ok().map(|m| m as f64 / 1000.0)
}

/// Hottest CPU zone under `root` (normally /sys/class/thermal), or why none could be read.
pub fn read(root: &std::path::Path) -> Result<f64, String> {
    let entries = std::fs::read_dir(root).map_err(|e| format!("{} unreadable: {e}", root.display()))?;
    let mut hottest: Option<f64> = None;
    for e in entries.flatten() {
        let dir = e.path();
        if !e.file_name().to_string_lossy().starts_with("thermal_zone") {
            continue;
        }
        let kind = std::fs::read_to_string(dir.join("type")).unwrap_or_default();
        if !is_cpu_zone(&kind) {
            continue;
        }
        if let Some(t) = std::fs::read_to_string(dir.join("temp")).ok().and_then(|t| parse_temp(&t)) {
            hottest = Some(hottest.map_or(t, |h: f64| h.max(t)));
        }
    }
    hottest.ok_or_else(|| format!("no readable CPU thermal zone under {}", root.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_types_and_temps() {
        assert!(is_cpu_zone("x86_pkg_temp\n"));
        assert!(is_cpu_zone("k10temp"));
        assert!(!is_cpu_zone("iwlwifi_1"));
        assert!(!is_cpu_zone("BAT0"));
        assert_eq!(parse_temp("47000\n"), Some(47.0));
        assert_eq!(parse_temp("-1500"), Some(-1.5));
        assert_eq!(parse_temp("n/a"), None);
    }

    #[test]
    fn reads_a_sysfs_tree() {
        let root = std::env::temp_dir().join(format!("io-worker-thermal-{}", std::process::id()));
        for (zone, kind, temp) in [
            ("thermal_zone0", "acpitz", "41000"),
            ("thermal_zone1", "x86_pkg_temp", "55500"),
            ("thermal_zone2", "iwlwifi_1", "90000"),
        ] {
            std::fs::create_dir_all(root.join(zone)).unwrap();
            std::fs::write(root.join(zone).join("type"), format!("{kind}\n")).unwrap();
            std::fs::write(root.join(zone).join("temp"), format!("{temp}\n")).unwrap();
        }
        // The wifi zone is hotter but is not the CPU.
        assert_eq!(read(&root), Ok(55.5));
        std::fs::remove_dir_all(&root).unwrap();
        assert!(read(&root).unwrap_err().contains("unreadable"));
    }
}
