//! Property tests of the emission schedule: whatever the parameters and however late or irregular
//! the cranks, 20 years of hours never emit more than the 300M budget, no hour is emitted twice or
//! before it is due, each month emits exactly its amount, and the total does not depend on the
//! crank pattern.
use io_token::schedule::*;
use proptest::prelude::*;

const IO: u64 = 1_000_000_000;
const BUDGET: u64 = 300_000_000 * IO;
const HORIZON: u64 = SCHEDULE_MONTHS * HOURS_PER_MONTH;

/// The schedule's 240-month total by months, in u128, independent of the hourly spreading.
fn reference_total(first_month: u64, decay_bps: u16, months: u64) -> u128 {
    let mut amount = u128::from(first_month);
    let mut total = 0u128;
    for _ in 0..months {
        total += amount;
        amount = amount * u128::from(10_000 - decay_bps) / 10_000;
    }
    total
}

fn params() -> impl Strategy<Value = (u64, u16)> {
    (
        prop_oneof![Just(3_330_000 * IO), 1u64..=BUDGET, 1u64..=10_000],
        prop_oneof![Just(100u16), Just(0u16), 0u16..10_000],
    )
}

/// Runs cranks at the given gaps (hours between calls, 0 = same hour), then catches up to the
/// horizon; checks each step and returns (emitted, cursor).
fn run(first: u64, decay: u16, gaps: &[u64]) -> (u64, Cursor) {
    let mut cursor = Cursor::start(first);
    let mut emitted = 0u64;
    let mut now_hour = 0u64;
    let crank = |due: u64, cursor: &mut Cursor, emitted: &mut u64| {
        let step = advance(*cursor, decay, due, MAX_HOURS_PER_EMIT, BUDGET - *emitted).unwrap();
        // Never an hour twice, never a future hour, never more than the per-call bound.
        assert_eq!(step.from_hour, cursor.next_hour);
        assert!(step.to_hour <= due.max(step.from_hour));
        assert!(step.to_hour - step.from_hour <= MAX_HOURS_PER_EMIT);
        assert!(step.minted <= step.scheduled);
        *emitted += step.minted;
        assert!(*emitted <= BUDGET);
        *cursor = step.cursor;
    };
    for gap in gaps {
        now_hour = (now_hour + gap).min(HORIZON);
        crank(now_hour, &mut cursor, &mut emitted);
    }
    while cursor.next_hour < HORIZON {
        crank(HORIZON, &mut cursor, &mut emitted);
    }
    (emitted, cursor)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn twenty_years_of_late_cranks_never_pass_the_budget(
        (first, decay) in params(),
        gaps in prop::collection::vec(prop_oneof![0u64..3, 0u64..800, 0u64..20_000], 0..60),
    ) {
        let (emitted, cursor) = run(first, decay, &gaps);
        prop_assert!(emitted <= BUDGET);
        prop_assert_eq!(cursor.next_hour, HORIZON);
        // Whatever the pattern, the total is the schedule's, clipped to the budget.
        let expected = reference_total(first, decay, SCHEDULE_MONTHS).min(u128::from(BUDGET));
        prop_assert_eq!(u128::from(emitted), expected);
        prop_assert_eq!(cursor.month_amount, month_amount(first, decay, SCHEDULE_MONTHS).unwrap());
    }

    #[test]
    fn every_month_emits_exactly_its_amount(amount in 0u64..=BUDGET, decay in 0u16..10_000) {
        let by_hour: u64 = (0..HOURS_PER_MONTH).map(|h| hour_amount(amount, h).unwrap()).sum();
        prop_assert_eq!(by_hour, amount);
        // Crossing the month through advance as well, from any hour inside it.
        let cursor = Cursor { next_hour: 3 * HOURS_PER_MONTH, month_amount: amount };
        let step = advance(cursor, decay, 4 * HOURS_PER_MONTH, HOURS_PER_MONTH, u64::MAX).unwrap();
        prop_assert_eq!(step.scheduled, amount);
        prop_assert_eq!(step.cursor.month_amount, decayed(amount, decay).unwrap());
    }

    #[test]
    fn hour_by_hour_equals_catching_up((first, decay) in params(), hours in 0u64..4_000) {
        let mut one = Cursor::start(first);
        let mut sum_one = 0u64;
        for due in 1..=hours {
            let s = advance(one, decay, due, MAX_HOURS_PER_EMIT, u64::MAX).unwrap();
            prop_assert_eq!(s.to_hour - s.from_hour, 1);
            let h = s.from_hour % HOURS_PER_MONTH;
            prop_assert_eq!(s.scheduled, hour_amount(one.month_amount, h).unwrap());
            sum_one += s.scheduled;
            one = s.cursor;
        }
        let mut bulk = Cursor::start(first);
        let mut sum_bulk = 0u64;
        while bulk.next_hour < hours {
            let s = advance(bulk, decay, hours, MAX_HOURS_PER_EMIT, u64::MAX).unwrap();
            sum_bulk += s.scheduled;
            bulk = s.cursor;
        }
        prop_assert_eq!(one, bulk);
        prop_assert_eq!(sum_one, sum_bulk);
        prop_assert_eq!(sum_one, cumulative(first, decay, hours).unwrap());
    }

    #[test]
    fn nothing_is_due_before_a_full_hour(start in -1_000_000_000i64..1_000_000_000, secs in 0i64..10_000_000) {
        let due = hours_due(start, start + secs).unwrap();
        prop_assert_eq!(due, (secs / SECS_PER_HOUR) as u64);
        prop_assert!(i64::try_from(due).unwrap() * SECS_PER_HOUR <= secs);
        prop_assert_eq!(hours_due(start, start - secs).unwrap(), 0);
    }
}
