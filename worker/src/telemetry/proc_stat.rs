//! CPU utilisation from `/proc/stat`: the aggregate `cpu` line's jiffies, busy = total − idle −
//! iowait, between two samples.

/// Busy and total jiffies of the aggregate `cpu` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTimes {
    pub busy: u64,
    pub total: u64,
}

/// Parses the first line of `/proc/stat` (`cpu  user nice system idle iowait irq softirq steal
/// guest guest_nice`). guest and guest_nice are already inside user and nice, so they are not
/// added again.
pub fn parse(text: &str) -> Option<CpuTimes> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = line.split_whitespace().skip(1).map(|f| f.parse().ok()).collect::<Option<_>>()?;
    if v.len() < 4 {
        return None;
    }
    let total: u64 = v.iter().take(8).sum();
    let idle = v[3] + v.get(4).copied().unwrap_or(0);
    Some(CpuTimes { busy: total - idle, total })
}

/// Busy share between two samples, %; `None` when no time passed.
pub fn utilisation_pct(before: CpuTimes, after: CpuTimes) -> Option<f64> {
    let total = after.total.checked_sub(before.total)?;
    let busy = after.busy.checked_sub(before.busy)?;
    (total > 0).then(|| 100.0 * busy as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The head of a real /proc/stat (2 cores), then the same machine a little later.
    const A: &str = "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\n\
cpu0 1393280 32966 572056 13036645 15280 0 14386 0 0 0\nintr 199292 0 0\nctxt 5113291\n";
    const B: &str = "cpu  10132353 290696 3084819 46828783 16683 0 25195 0 175628 0\n";

    #[test]
    fn aggregate_line_and_utilisation() {
        let a = parse(A).unwrap();
        assert_eq!(a.total, 10132153 + 290696 + 3084719 + 46828483 + 16683 + 25195);
        assert_eq!(a.busy, a.total - 46828483 - 16683);
        let b = parse(B).unwrap();
        // 300 busy jiffies (200 user + 100 system) of 600.
        assert_eq!(utilisation_pct(a, b), Some(50.0));
        assert_eq!(utilisation_pct(a, a), None);
    }

    #[test]
    fn malformed_is_none() {
        assert_eq!(parse("intr 1 2 3\n"), None);
        assert_eq!(parse("cpu  1 x 3 4\n"), None);
    }
}
