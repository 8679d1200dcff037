//! Token amounts as people write them (`100`, `99.5`) and as programs store them (base units).
use anyhow::{bail, Result};

/// Parses a whole-token amount with up to `decimals` decimals into base units. Refuses signs,
/// exponents, empty parts and more decimals than the mint has, saying what to write instead.
pub fn parse(text: &str, decimals: u8, what: &str) -> Result<u64> {
    let t = text.trim();
    let hint = "write a plain number of tokens, like 100 or 99.5";
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) || (whole.is_empty() && digits(frac))) || (!frac.is_empty() && !digits(frac)) {
        bail!("invalid {what} '{text}': {hint}");
    }
    if frac.len() > usize::from(decimals) {
        bail!("invalid {what} '{text}': at most {decimals} decimals");
    }
    let scale = 10u128.pow(u32::from(decimals));
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse()? };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        frac.parse::<u128>()? * 10u128.pow(u32::from(decimals) - frac.len() as u32)
    };
    let total = whole.checked_mul(scale).and_then(|w| w.checked_add(frac_units));
    match total.and_then(|t| u64::try_from(t).ok()) {
        Some(v) => Ok(v),
        None => bail!("invalid {what} '{text}': too large"),
    }
}

/// Checks that `text` is written like an amount (`100`, `99.5`) before the mint's decimals are
/// known, so a typo is reported without touching the network; [`parse`] checks the rest.
pub fn check_syntax(text: &str, what: &str) -> Result<()> {
    let t = text.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) || (whole.is_empty() && digits(frac))) || (!frac.is_empty() && !digits(frac)) {
        bail!("invalid {what} '{text}': write a plain number of tokens, like 100 or 99.5");
    }
    Ok(())
}

/// Base units as a whole-token string without trailing zeros (`99.5`, `100`).
pub fn format(base: u64, decimals: u8) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    let (whole, frac) = (base / scale, base % scale);
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:0width$}", width = usize::from(decimals));
    format!("{whole}.{}", f.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_write() {
        assert_eq!(parse("100", 9, "amount").unwrap(), 100_000_000_000);
        assert_eq!(parse("99.5", 9, "amount").unwrap(), 99_500_000_000);
        assert_eq!(parse("0.000000001", 9, "amount").unwrap(), 1);
        assert_eq!(parse(".5", 6, "amount").unwrap(), 500_000);
        assert_eq!(parse("2.", 6, "amount").unwrap(), 2_000_000);
    }

    #[test]
    fn refuses_with_a_hint() {
        for bad in ["", "abc", "1.2.3", "-5", "1e9", " . ", "1,5"] {
            let e = parse(bad, 9, "amount").unwrap_err().to_string();
            assert!(e.contains("invalid amount"), "{bad}: {e}");
        }
        assert!(parse("1.0000000001", 9, "amount").unwrap_err().to_string().contains("at most 9 decimals"));
        assert!(parse("99999999999999999999", 9, "amount").unwrap_err().to_string().contains("too large"));
    }

    #[test]
    fn formats_back() {
        assert_eq!(format(99_500_000_000, 9), "99.5");
        assert_eq!(format(100_000_000_000, 9), "100");
        assert_eq!(format(1, 6), "0.000001");
        for v in [0u64, 1, 7, 123_456_789, u64::MAX] {
            assert_eq!(parse(&format(v, 9), 9, "amount").unwrap(), v);
        }
    }
}
