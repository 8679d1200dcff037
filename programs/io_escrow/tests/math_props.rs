//! Property tests of the lease money math: whatever the rates, hours, settlements and close time,
//! payouts + fees + refund == deposit exactly, fees are charged on payouts rounded up, and
//! splitting a payment never pays less fee.
use io_escrow::math::{deposit_for, device_owed_floor, fee_due_ceil};
use io_math::Bps;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn a_lease_always_balances(
        rates in prop::collection::vec(1u64..50_000_000_000, 1..=8),
        hours in 1u32..=720,
        top_up in 0u32..=48,
        fee_bps in prop::sample::select(vec![0u16, 200, 250, 10_000]),
        settle_fracs in prop::collection::vec((0usize..8, 0u64..=1_000), 0..30),
        close_frac in 0u64..=1_000,
    ) {
        let fee = Bps::new(fee_bps).unwrap();
        let (base, reserve) = deposit_for(&rates, hours, fee).unwrap();
        let (base2, reserve2) = deposit_for(&rates, top_up, fee).unwrap();
        let deposit = base + reserve + base2 + reserve2;
        let total_hours = hours + top_up;
        let lease_secs = u64::from(total_hours) * 3_600;
        let closed_at = lease_secs * close_frac / 1_000;
        let (mut paid, mut fees) = (0u64, 0u64);
        let mut attested = vec![0u64; rates.len()];
        let mut device_paid = vec![0u64; rates.len()];
        for (i, frac) in settle_fracs {
            let i = i % rates.len();
            let secs = closed_at * frac / 1_000;
            if secs <= attested[i] { continue; }
            let owed = device_owed_floor(secs, rates[i], total_hours).unwrap();
            let pay = owed - device_paid[i];
            let f = fee_due_ceil(paid, pay, fees, fee).unwrap();
            attested[i] = secs;
            device_paid[i] += pay;
            paid += pay;
            fees += f;
            // The vault never goes negative.
            prop_assert!(paid + fees <= deposit);
        }
        prop_assert_eq!(fees, fee.of_ceil(paid).unwrap(), "fees are ⌈paid × bps⌉");
        let refund = deposit - paid - fees;
        prop_assert_eq!(paid + fees + refund, deposit);
        // Nobody is paid for more time than the lease ran.
        for (i, r) in rates.iter().enumerate() {
            prop_assert!(u128::from(device_paid[i]) * 3_600 <= u128::from(closed_at) * u128::from(*r));
        }
    }

    #[test]
    fn splitting_never_pays_less_fee(a in 0u64..u64::MAX / 4, b in 0u64..u64::MAX / 4, bps in 0u16..=10_000) {
        let fee = Bps::new(bps).unwrap();
        prop_assert!(fee.of_ceil(a).unwrap() + fee.of_ceil(b).unwrap() >= fee.of_ceil(a + b).unwrap());
    }

    #[test]
    fn per_second_payout_is_monotone_and_capped(rate in 0u64..100_000_000_000, hours in 1u32..=8_760, s1 in 0u64..40_000_000, s2 in 0u64..40_000_000) {
        let (lo, hi) = (s1.min(s2), s1.max(s2));
        let a = device_owed_floor(lo, rate, hours).unwrap();
        let b = device_owed_floor(hi, rate, hours).unwrap();
        prop_assert!(a <= b);
        prop_assert!(b <= rate * u64::from(hours));
    }
}
