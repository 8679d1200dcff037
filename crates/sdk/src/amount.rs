//! Token amounts as people write them (`100`, `99.5`) and as programs store them (base units).
//! The number of decimals is always passed in, read from the chain: io_token's config holds the
//! $IO decimals (an `initialize` parameter), a mint account holds any other mint's.

/// Why an amount was refused. Each message names the argument and says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("invalid {what}: empty; write a plain number of tokens, like 100 or 99.5")]
    Empty { what: String },
    #[error("invalid {what} '{text}': an amount cannot be negative")]
    Negative { what: String, text: String },
    #[error("invalid {what} '{text}': write a plain number of tokens, like 100 or 99.5")]
    Format { what: String, text: String },
    #[error("invalid {what} '{text}': at most {decimals} decimals")]
    TooManyDecimals { what: String, text: String, decimals: u8 },
    #[error("invalid {what} '{text}': too large (at most {max})")]
    TooLarge { what: String, text: String, max: String },
}

/// 10^decimals, or `None` past what u128 holds (no real mint has more than 38 decimals).
fn scale(decimals: u8) -> Option<u128> {
    10u128.checked_pow(u32::from(decimals))
}

/// Checks that `text` is written as an amount, before the mint's decimals are known: a typo is
/// reported without touching the network. The number of decimals and the range are checked by
/// [`parse`] once the decimals are read from the chain.
pub fn check_syntax(text: &str, what: &str) -> Result<(), AmountError> {
    match parse(text, MAX_SYNTAX_DECIMALS, what) {
        Err(e @ (AmountError::Empty { .. } | AmountError::Negative { .. } | AmountError::Format { .. })) => {
            Err(e)
        }
        _ => Ok(()),
    }
}

/// Enough decimals for any digit string in [`check_syntax`]; u128 holds 10^38.
const MAX_SYNTAX_DECIMALS: u8 = 38;

/// Parses a whole-token amount with up to `decimals` decimals into base units. Refuses signs,
/// exponents, separators, empty parts, more decimals than the mint has and amounts past
/// `u64::MAX` base units. `what` names the argument in the error (`amount`, `--usdc price`).
pub fn parse(text: &str, decimals: u8, what: &str) -> Result<u64, AmountError> {
    let t = text.trim();
    let (w, tx) = (what.to_owned(), text.to_owned());
    if t.is_empty() {
        return Err(AmountError::Empty { what: w });
    }
    if t.starts_with('-') {
        return Err(AmountError::Negative { what: w, text: tx });
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) || (whole.is_empty() && digits(frac));
    if !whole_ok || (!frac.is_empty() && !digits(frac)) {
        return Err(AmountError::Format { what: w, text: tx });
    }
    if frac.len() > usize::from(decimals) {
        return Err(AmountError::TooManyDecimals { what: w, text: tx, decimals });
    }
    let too_large = || AmountError::TooLarge {
        what: what.to_owned(),
        text: text.to_owned(),
        max: format(u64::MAX, decimals),
    };
    let unit = scale(decimals).ok_or_else(too_large)?;
    // Digits only, so a parse failure can only be an overflow.
    let whole_units: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        // frac.len() <= decimals, checked above.
        let pad = scale(decimals.saturating_sub(u8::try_from(frac.len()).unwrap_or(u8::MAX)))
            .ok_or_else(too_large)?;
        frac.parse::<u128>().ok().and_then(|f| f.checked_mul(pad)).ok_or_else(too_large)?
    };
    whole_units
        .checked_mul(unit)
        .and_then(|v| v.checked_add(frac_units))
        .and_then(|v| u64::try_from(v).ok())
        .ok_or_else(too_large)
}

/// Base units as a whole-token string without trailing zeros (`99.5`, `100`).
pub fn format(base: u64, decimals: u8) -> String {
    let Some(unit) = scale(decimals) else {
        // More decimals than u128 holds: every u64 is a tiny fraction.
        let digits = base.to_string();
        let zeros = usize::from(decimals).saturating_sub(digits.len());
        return format!("0.{}{}", "0".repeat(zeros), digits.trim_end_matches('0'));
    };
    let base = u128::from(base);
    let (whole, frac) = (base / unit, base % unit);
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
        assert_eq!(parse("100", 9, "amount"), Ok(100_000_000_000));
        assert_eq!(parse("99.5", 9, "amount"), Ok(99_500_000_000));
        assert_eq!(parse("0.000000001", 9, "amount"), Ok(1));
        assert_eq!(parse(".5", 6, "amount"), Ok(500_000));
        assert_eq!(parse("2.", 6, "amount"), Ok(2_000_000));
        assert_eq!(parse(" 7 ", 0, "amount"), Ok(7));
        assert_eq!(parse("18446744073.709551615", 9, "amount"), Ok(u64::MAX));
    }

    #[test]
    fn refuses_with_a_reason() {
        for bad in ["abc", "1.2.3", "1e9", " . ", "1,5", "+5", "0x10", "1 000"] {
            assert!(matches!(parse(bad, 9, "amount"), Err(AmountError::Format { .. })), "{bad}");
            assert!(parse(bad, 9, "amount").unwrap_err().to_string().contains("invalid amount"), "{bad}");
        }
        assert!(matches!(parse("", 9, "amount"), Err(AmountError::Empty { .. })));
        assert!(matches!(parse("   ", 9, "amount"), Err(AmountError::Empty { .. })));
        let neg = parse("-5", 9, "--io price").unwrap_err().to_string();
        assert_eq!(neg, "invalid --io price '-5': an amount cannot be negative");
        let e = parse("1.0000000001", 9, "amount").unwrap_err().to_string();
        assert!(e.contains("at most 9 decimals"), "{e}");
        assert!(parse("1.5", 0, "amount").unwrap_err().to_string().contains("at most 0 decimals"));
        for big in
            ["99999999999999999999", "18446744073.709551616", "340282366920938463463374607431768211456"]
        {
            let e = parse(big, 9, "amount").unwrap_err();
            assert!(matches!(e, AmountError::TooLarge { .. }), "{big}: {e}");
            assert!(e.to_string().contains("too large (at most 18446744073.709551615)"), "{e}");
        }
        assert!(matches!(parse("1", 40, "amount"), Err(AmountError::TooLarge { .. })));
    }

    #[test]
    fn syntax_alone() {
        assert_eq!(check_syntax("99.123456789012345", "amount"), Ok(()));
        assert_eq!(check_syntax("99999999999999999999999", "amount"), Ok(()));
        assert!(matches!(check_syntax("1e9", "amount"), Err(AmountError::Format { .. })));
        assert!(matches!(check_syntax("-1", "amount"), Err(AmountError::Negative { .. })));
        assert!(matches!(check_syntax("", "amount"), Err(AmountError::Empty { .. })));
    }

    #[test]
    fn formats_back() {
        assert_eq!(format(99_500_000_000, 9), "99.5");
        assert_eq!(format(100_000_000_000, 9), "100");
        assert_eq!(format(1, 6), "0.000001");
        assert_eq!(format(0, 6), "0");
        assert_eq!(format(u64::MAX, 0), u64::MAX.to_string());
        assert_eq!(format(5, 40), "0.0000000000000000000000000000000000000005");
        for d in [0u8, 2, 6, 9, 19, 20, 30] {
            for v in [0u64, 1, 7, 123_456_789, u64::MAX] {
                assert_eq!(parse(&format(v, d), d, "amount"), Ok(v), "{v} with {d} decimals");
            }
        }
    }
}
