//! Property tests of the money math: nothing ever pays out more than was put in.
use io_math::*;
use proptest::prelude::*;

fn cfg() -> ProptestConfig {
    ProptestConfig { cases: 2_000, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn mul_div_floor_le_ceil_and_within_one(a in any::<u64>(), b in any::<u64>(), d in 1..u64::MAX) {
        let exact = u128::from(a) * u128::from(b);
        let f = mul_div_floor_u128(a.into(), b.into(), d.into()).unwrap();
        let c = mul_div_ceil_u128(a.into(), b.into(), d.into()).unwrap();
        prop_assert!(f <= c && c - f <= 1);
        prop_assert!(f * u128::from(d) <= exact);
        prop_assert!(c * u128::from(d) >= exact);
    }

    #[test]
    fn fee_split_balances_and_splitting_never_pays_less(a in 0..u64::MAX / 2, b in 0..u64::MAX / 2, bps in 0..=MAX_BPS) {
        let fee = Bps::new(bps).unwrap();
        let (f, rest) = split_fee_ceil(a, fee).unwrap();
        prop_assert_eq!(f + rest, a);
        let fa = fee.of_ceil(a).unwrap();
        let fb = fee.of_ceil(b).unwrap();
        let fab = fee.of_ceil(a + b).unwrap();
        prop_assert!(fa + fb >= fab);
        prop_assert!(fee.of_floor(a).unwrap() <= fa);
    }

    #[test]
    fn deposit_then_redeem_never_returns_more(
        pool_shares in 1..1_000_000_000_000_000u64,
        pool_tokens in 1..1_000_000_000_000_000u64,
        amount in 0..1_000_000_000_000_000u64,
    ) {
        let mut p = SharePool::new(pool_shares, pool_tokens);
        let minted = p.deposit(amount).unwrap();
        let out = p.redeem(minted).unwrap();
        prop_assert!(out <= amount);
    }

    #[test]
    fn withdraw_by_amount_burns_enough_shares(
        pool_shares in 1..1_000_000_000_000_000u64,
        pool_tokens in 1..1_000_000_000_000_000u64,
        held_frac in 1..=1000u64,
        want_frac in 0..=1000u64,
    ) {
        let p = SharePool::new(pool_shares, pool_tokens);
        let held = pool_shares / 1000 * held_frac;
        let value = p.value_of_floor(held).unwrap();
        let want = value / 1000 * want_frac;
        let burn = p.shares_to_burn_ceil(want).unwrap();
        // Burning at least the shares the amount is worth: the holder cannot take value for free.
        prop_assert!(p.value_of_floor(burn).unwrap() >= want.saturating_sub(1));
        prop_assert!(u128::from(burn) * u128::from(pool_tokens) >= u128::from(want) * u128::from(pool_shares));
    }

    #[test]
    fn two_half_redeems_never_beat_one(
        pool_shares in 2..1_000_000_000_000u64,
        pool_tokens in 1..1_000_000_000_000u64,
        frac in 2..=1000u64,
    ) {
        let held = pool_shares / frac * 2;
        let mut one = SharePool::new(pool_shares, pool_tokens);
        let whole = one.redeem(held).unwrap();
        let mut two = SharePool::new(pool_shares, pool_tokens);
        let halves = two.redeem(held / 2).unwrap() + two.redeem(held / 2).unwrap();
        prop_assert!(halves <= whole);
    }

    #[test]
    fn slash_keeps_sum_owed_within_pool(
        deposits in prop::collection::vec(1..1_000_000_000_000u64, 1..20),
        slash_frac in 0..=1000u64,
    ) {
        let mut p = SharePool::default();
        let held: Vec<u64> = deposits.iter().map(|d| p.deposit(*d).unwrap()).collect();
        let cut = p.tokens / 1000 * slash_frac;
        p.slash(cut).unwrap();
        let owed: u128 = held.iter().map(|s| u128::from(p.value_of_floor(*s).unwrap())).sum();
        prop_assert!(owed <= u128::from(p.tokens));
        // Floor dust is at most one unit per holder.
        prop_assert!(u128::from(p.tokens) - owed <= held.len() as u128);
    }

    #[test]
    fn rewards_paid_never_exceed_funded(
        stakes in prop::collection::vec(1..1_000_000_000_000_000u64, 1..10),
        fundings in prop::collection::vec(0..1_000_000_000_000_000u64, 1..20),
    ) {
        let total: u64 = stakes.iter().sum();
        let mut acc = RewardAccumulator::default();
        let mut funded: u128 = 0;
        let mut attributed: u128 = 0;
        for f in &fundings {
            attributed += u128::from(acc.distribute_floor(*f, total).unwrap());
            funded += u128::from(*f);
        }
        let paid: u128 = stakes.iter().map(|s| u128::from(acc.earned_floor(*s, 0).unwrap())).sum();
        // What all holders together are owed never exceeds what the accumulator stands for, and
        // that never exceeds what was funded.
        let entitled = u128::from(total) * acc.per_share / REWARD_SCALE;
        prop_assert!(paid <= entitled);
        prop_assert!(entitled <= funded);
        prop_assert!(attributed <= funded);
        // Dust: each distribution loses under T/SCALE + 1 to the accumulator's floor, each holder
        // under 1 to the payout floor.
        let n_f = fundings.len() as u128;
        let n_s = stakes.len() as u128;
        prop_assert!(funded - paid <= n_f * (u128::from(total) / REWARD_SCALE + 1) + n_s);
    }

    #[test]
    fn eligible_periods_count_only_periods_after_activation(
        from in 0..1_000_000u64, len in 0..10_000u64, activation in 0..1_020_000u64,
    ) {
        let to = from + len;
        let n = eligible_periods(activation, from, to);
        prop_assert!(n <= len);
        if activation > to {
            prop_assert_eq!(n, 0);
        } else if activation <= from + 1 {
            prop_assert_eq!(n, len);
        } else {
            // Exactly the periods activation ..= to.
            prop_assert_eq!(n, to - activation + 1);
        }
    }

    /// One time-weighted reward as io_staking splits it (F-10): earning shares held the whole
    /// window through the accumulator, warming-up positions directly by their share-periods. What
    /// the holders are paid never exceeds the amount; the dust is bounded; every part is
    /// proportional to its share-periods within one unit.
    #[test]
    fn a_time_weighted_split_pays_at_most_the_amount_and_in_proportion(
        amount in 0..1_000_000_000_000_000_000u64,
        earning in prop::collection::vec(1..1_000_000_000_000_000u64, 0..6),
        warming in prop::collection::vec((1..1_000_000_000_000_000u64, 0..2_000u64), 0..8),
        from in 0..1_000u64,
        span in 1..1_000u64,
    ) {
        let to = from + span;
        let e: u64 = earning.iter().sum();
        let weights: Vec<u128> = warming
            .iter()
            .map(|(s, a)| u128::from(*s) * u128::from(eligible_periods(*a, from, to)))
            .collect();
        let total = u128::from(e) * u128::from(span) + weights.iter().sum::<u128>();
        prop_assume!(total > 0);
        let split = WeightedSplit::new_floor(amount, total).unwrap();
        let mut acc = RewardAccumulator::default();
        let attributed = if e == 0 { 0 } else { split.accrue_floor(&mut acc, e, span).unwrap() };
        let credits: Vec<u64> = weights.iter().map(|w| split.part_floor(*w).unwrap()).collect();
        let earned: Vec<u64> = earning.iter().map(|s| acc.earned_floor(*s, 0).unwrap()).collect();
        let paid = earned.iter().map(|x| u128::from(*x)).sum::<u128>()
            + credits.iter().map(|x| u128::from(*x)).sum::<u128>();
        let booked = u128::from(attributed) + credits.iter().map(|x| u128::from(*x)).sum::<u128>();
        prop_assert!(earned.iter().map(|x| u128::from(*x)).sum::<u128>() <= u128::from(attributed));
        prop_assert!(paid <= booked && booked <= u128::from(amount));
        // Dust: the rate's floor loses under total / SCALE + 1, each part under 1.
        let parts = (earning.len() + warming.len()) as u128;
        prop_assert!(u128::from(amount) - paid <= total / REWARD_SCALE + 2 + parts);
        // Proportional: a part is amount × weight / total, less at most the floors.
        for (c, w) in credits.iter().zip(&weights) {
            let exact = u128::from(amount) * w / total;
            prop_assert!(u128::from(*c) <= exact && exact - u128::from(*c) <= w / REWARD_SCALE + 1);
        }
        // A position that activates after the window gets nothing.
        for ((c, (_, a)), _) in credits.iter().zip(&warming).zip(&weights) {
            if *a > to {
                prop_assert_eq!(*c, 0);
            }
        }
    }
}
