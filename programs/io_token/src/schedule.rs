//! The emission schedule: pure integer math, shared by the program (`emit`) and by clients.
//!
//! Hours are counted from `emission_start_ts` (set at genesis); hour `h` belongs to month
//! `h / 730` and is *due* once it has fully elapsed, i.e. at `start + (h + 1) × 3600`.
//!
//! - Month 0 emits `first_month`; month `m + 1` emits `⌊amount(m) × (10,000 − decay_bps) / 10,000⌋`.
//! - Inside a month each hour emits `⌊amount / 730⌋`, and the month's last hour also gets the
//!   remainder `amount mod 730`, so every month emits exactly its amount.
//! - Everything is clipped to what the supply cap leaves: once the 300M emission budget is
//!   reached, hours keep passing but nothing more is minted.
//!
//! No floats anywhere: the same functions run on-chain and in clients, bit for bit.
use io_math::{add, mul, mul_div_floor, sub, MathError, MathResult, MAX_BPS};

/// Hours in one emission month (365 × 24 / 12).
pub const HOURS_PER_MONTH: u64 = 730;
/// Seconds in one emission hour.
pub const SECS_PER_HOUR: i64 = 3_600;
/// Most hours one `emit` call catches up. Missed hours beyond it take more calls.
pub const MAX_HOURS_PER_EMIT: u64 = 720;
/// Months the schedule is designed for (about 20 years).
pub const SCHEDULE_MONTHS: u64 = 240;

/// The amount of the month after one that emitted `amount`.
pub fn decayed(amount: u64, decay_bps: u16) -> MathResult<u64> {
    let keep = MAX_BPS.checked_sub(decay_bps).ok_or(MathError::InvalidBps)?;
    mul_div_floor(amount, u64::from(keep), u64::from(MAX_BPS))
}

/// The amount of month `month` (0-based). O(month): for clients and tests; the program keeps
/// the current month's amount instead.
pub fn month_amount(first_month: u64, decay_bps: u16, month: u64) -> MathResult<u64> {
    let mut amount = first_month;
    for _ in 0..month {
        amount = decayed(amount, decay_bps)?;
    }
    Ok(amount)
}

fn month_of(hour: u64) -> MathResult<u64> {
    hour.checked_div(HOURS_PER_MONTH).ok_or(MathError::DivisionByZero)
}

fn per_hour(month_amount: u64) -> MathResult<u64> {
    month_amount.checked_div(HOURS_PER_MONTH).ok_or(MathError::DivisionByZero)
}

fn month_remainder(month_amount: u64) -> MathResult<u64> {
    month_amount.checked_rem(HOURS_PER_MONTH).ok_or(MathError::DivisionByZero)
}

/// What hour `hour_in_month` (0..730) of a month emitting `month_amount` emits.
pub fn hour_amount(month_amount: u64, hour_in_month: u64) -> MathResult<u64> {
    let base = per_hour(month_amount)?;
    if hour_in_month.checked_add(1) == Some(HOURS_PER_MONTH) {
        add(base, month_remainder(month_amount)?)
    } else {
        Ok(base)
    }
}

/// Hours fully elapsed between `start_ts` and `now`: `⌊(now − start) / 3600⌋`, 0 before the start.
pub fn hours_due(start_ts: i64, now: i64) -> MathResult<u64> {
    if now <= start_ts {
        return Ok(0);
    }
    let secs = now.checked_sub(start_ts).ok_or(MathError::Overflow)?;
    let hours = secs.checked_div(SECS_PER_HOUR).ok_or(MathError::DivisionByZero)?;
    u64::try_from(hours).map_err(|_| MathError::Overflow)
}

/// Σ of the schedule over hours `0..hours`, unclipped. O(hours / 730): for clients and tests.
pub fn cumulative(first_month: u64, decay_bps: u16, hours: u64) -> MathResult<u64> {
    let start = Cursor::start(first_month);
    Ok(advance(start, decay_bps, hours, hours, u64::MAX)?.scheduled)
}

/// Where the schedule stands: the next hour to emit and the amount of the month it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub next_hour: u64,
    pub month_amount: u64,
}

impl Cursor {
    /// Before the first hour.
    pub fn start(first_month: u64) -> Cursor {
        Cursor { next_hour: 0, month_amount: first_month }
    }

    /// The month of `next_hour`.
    pub fn month(&self) -> MathResult<u64> {
        month_of(self.next_hour)
    }
}

/// One crank of the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// First hour covered.
    pub from_hour: u64,
    /// One past the last hour covered (`from_hour` when none was due).
    pub to_hour: u64,
    /// Σ of the covered hours' amounts.
    pub scheduled: u64,
    /// What is minted: `min(scheduled, remaining)`.
    pub minted: u64,
    /// The cursor after the step.
    pub cursor: Cursor,
}

/// Covers the hours `[cursor.next_hour, min(due_hours, cursor.next_hour + max_hours))` — never an
/// hour that is not yet due, never an hour twice — and clips their sum to `remaining`. Covered
/// hours are consumed even when clipped. Runs in O(months crossed), not O(hours).
pub fn advance(
    cursor: Cursor,
    decay_bps: u16,
    due_hours: u64,
    max_hours: u64,
    remaining: u64,
) -> MathResult<Step> {
    let from = cursor.next_hour;
    let end = due_hours.min(from.saturating_add(max_hours));
    let mut hour = from;
    let mut amount = cursor.month_amount;
    let mut scheduled: u64 = 0;
    while hour < end {
        let month_end = mul(add(month_of(hour)?, 1)?, HOURS_PER_MONTH)?;
        let stop = end.min(month_end);
        let hours = sub(stop, hour)?;
        scheduled = add(scheduled, mul(hours, per_hour(amount)?)?)?;
        if stop == month_end {
            scheduled = add(scheduled, month_remainder(amount)?)?;
            amount = decayed(amount, decay_bps)?;
        }
        hour = stop;
    }
    Ok(Step {
        from_hour: from,
        to_hour: hour.max(from),
        scheduled,
        minted: scheduled.min(remaining),
        cursor: Cursor { next_hour: hour.max(from), month_amount: amount },
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test expectations, not consensus math
mod tests {
    use super::*;

    const IO: u64 = 1_000_000_000;

    #[test]
    fn decay_rounds_down() {
        assert_eq!(decayed(3_330_000 * IO, 100), Ok(3_296_700 * IO));
        assert_eq!(decayed(199, 100), Ok(197)); // 197.01
        assert_eq!(decayed(5, 0), Ok(5));
        assert_eq!(decayed(5, 10_000), Ok(0));
        assert_eq!(decayed(5, 10_001), Err(MathError::InvalidBps));
    }

    #[test]
    fn last_hour_takes_the_remainder() {
        let m = 730 * 5 + 3;
        assert_eq!(hour_amount(m, 0), Ok(5));
        assert_eq!(hour_amount(m, 728), Ok(5));
        assert_eq!(hour_amount(m, 729), Ok(8));
        let month: u64 = (0..HOURS_PER_MONTH).map(|h| hour_amount(m, h).unwrap()).sum();
        assert_eq!(month, m);
    }

    #[test]
    fn hours_due_counts_full_hours_only() {
        assert_eq!(hours_due(1_000, 999), Ok(0));
        assert_eq!(hours_due(1_000, 1_000), Ok(0));
        assert_eq!(hours_due(1_000, 4_599), Ok(0));
        assert_eq!(hours_due(1_000, 4_600), Ok(1));
        assert_eq!(hours_due(0, 7_199), Ok(1));
    }

    #[test]
    fn advance_is_bounded_and_crosses_months_exactly() {
        let first = 3_330_000 * IO;
        let c = Cursor::start(first);
        let s = advance(c, 100, 10_000, MAX_HOURS_PER_EMIT, u64::MAX).unwrap();
        assert_eq!((s.from_hour, s.to_hour), (0, 720));
        assert_eq!(s.scheduled, 720 * (first / 730));
        let s2 = advance(s.cursor, 100, 10_000, MAX_HOURS_PER_EMIT, u64::MAX).unwrap();
        assert_eq!((s2.from_hour, s2.to_hour), (720, 1_440));
        // Month 0 finishes exactly; 710 hours of month 1 follow.
        let m1 = decayed(first, 100).unwrap();
        assert_eq!(s.scheduled + s2.scheduled, first + 710 * (m1 / 730));
        assert_eq!(s2.cursor.month_amount, m1);
        assert_eq!(s2.cursor.month(), Ok(1));
        // Nothing due: an empty step.
        let s3 = advance(s2.cursor, 100, 1_440, MAX_HOURS_PER_EMIT, u64::MAX).unwrap();
        assert_eq!((s3.from_hour, s3.to_hour, s3.scheduled), (1_440, 1_440, 0));
        assert_eq!(s3.cursor, s2.cursor);
    }

    #[test]
    fn clipping_consumes_the_hours() {
        let s = advance(Cursor::start(730 * 10), 0, 730, 730, 25).unwrap();
        assert_eq!((s.scheduled, s.minted, s.cursor.next_hour), (7_300, 25, 730));
    }

    #[test]
    fn default_schedule_reaches_the_budget_in_month_230() {
        let (first, decay, budget) = (3_330_000 * IO, 100, 300_000_000 * IO);
        let total = cumulative(first, decay, SCHEDULE_MONTHS * HOURS_PER_MONTH).unwrap();
        assert!(total > budget, "uncapped 20-year sum {total} exceeds the budget: the cap clips it");
        let through = |m: u64| cumulative(first, decay, m * HOURS_PER_MONTH).unwrap();
        assert!(through(230) < budget && through(231) >= budget);
        assert_eq!(month_amount(first, decay, 1), Ok(3_296_700 * IO));
    }
}
