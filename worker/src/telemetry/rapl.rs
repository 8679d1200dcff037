//! CPU package power from RAPL energy counters: `/sys/class/powercap/intel-rapl:N/energy_uj`
//! (µJ, wrapping at `max_energy_range_uj`), the package domains only (`name` = `package-N`).
//! Reading them usually needs root since 2020 (CVE-2020-8694); unreadable is reported, not guessed.
use std::path::{Path, PathBuf};

/// One package counter: where it is and its wrap point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub energy: PathBuf,
    pub max_uj: u64,
}

/// The package domains under `root` (normally /sys/class/powercap), or why none.
pub fn domains(root: &Path) -> Result<Vec<Domain>, String> {
    let entries = std::fs::read_dir(root).map_err(|e| format!("{} unreadable: {e}", root.display()))?;
    let mut found = vec![];
    for e in entries.flatten() {
        let dir = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        // Top-level domains only: intel-rapl:0, not the subzone intel-rapl:0:0.
        if !name.starts_with("intel-rapl:") || name.matches(':').count() != 1 {
            continue;
        }
        let kind = std::fs::read_to_string(dir.join("name")).unwrap_or_default();
        if !kind.trim().starts_with("package") {
            continue;
        }
        let max_uj =
            std::fs::read_to_string(dir.join("max_energy_range_uj")).ok().and_then(|t| t.trim().parse().ok());
        found.push(Domain { energy: dir.join("energy_uj"), max_uj: max_uj.unwrap_or(u64::MAX) });
    }
    if found.is_empty() {
        return Err(format!("no RAPL package domain under {}", root.display()));
    }
    Ok(found)
}

/// Sum of the package counters now, µJ, or why they cannot be read.
pub fn read_uj(domains: &[Domain]) -> Result<Vec<u64>, String> {
    domains
        .iter()
        .map(|d| {
            std::fs::read_to_string(&d.energy)
                .map_err(|e| format!("{} unreadable: {e}", d.energy.display()))?
                .trim()
                .parse()
                .map_err(|_| format!("{} is not a number", d.energy.display()))
        })
        .collect()
}

/// Energy used between two readings of one counter, µJ, across one wrap.
pub fn delta_uj(before: u64, after: u64, max_uj: u64) -> u64 {
    if after >= before {
        after - before
    } else {
        max_uj.saturating_sub(before).saturating_add(after)
    }
}

/// Mean power over `secs` from two readings of every domain, W.
pub fn power_w(domains: &[Domain], before: &[u64], after: &[u64], secs: f64) -> Option<f64> {
    if secs <= 0.0 || before.len() != domains.len() || after.len() != domains.len() {
        return None;
    }
    let uj: u64 =
        domains.iter().zip(before.iter().zip(after)).map(|(d, (b, a))| delta_uj(*b, *a, d.max_uj)).sum();
    Some(uj as f64 / 1e6 / secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_wrap() {
        assert_eq!(delta_uj(100, 350, 1000), 250);
        assert_eq!(delta_uj(900, 50, 1000), 150);
        let d = [Domain { energy: "x".into(), max_uj: 262143328850 }];
        // 45 J over 3 s.
        assert_eq!(power_w(&d, &[1_000_000], &[46_000_000], 3.0), Some(15.0));
        assert_eq!(power_w(&d, &[1], &[2], 0.0), None);
    }

    #[test]
    fn finds_package_domains_only() {
        let root = std::env::temp_dir().join(format!("io-worker-rapl-{}", std::process::id()));
        for (dir, name) in
            [("intel-rapl:0", "package-0"), ("intel-rapl:0:0", "core"), ("intel-rapl:1", "psys")]
        {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            std::fs::write(root.join(dir).join("name"), format!("{name}\n")).unwrap();
            std::fs::write(root.join(dir).join("energy_uj"), "123456\n").unwrap();
            std::fs::write(root.join(dir).join("max_energy_range_uj"), "262143328850\n").unwrap();
        }
        let d = domains(&root).unwrap();
        assert_eq!(d, vec![Domain { energy: root.join("intel-rapl:0/energy_uj"), max_uj: 262143328850 }]);
        assert_eq!(read_uj(&d), Ok(vec![123456]));
        std::fs::remove_dir_all(&root).unwrap();
        assert!(domains(&root).unwrap_err().contains("unreadable"));
    }
}
