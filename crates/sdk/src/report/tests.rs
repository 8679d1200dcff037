//! The builder on a small hand-computed fleet, and its properties on random fleets.
use super::{fixtures::*, *};
use crate::names::Name;
use io_staking::{DeviceStatus, HardwareClass};
use proptest::prelude::*;

fn leaf_of(r: &PeriodReport, n: u8) -> &DeviceLeaf {
    &r.devices[r.device_index(&key(n)).unwrap()]
}

#[test]
fn devices_tree_follows_the_rules() {
    let r = build(&inputs()).unwrap();
    assert_eq!(r.devices.len(), 4);
    let l1 = leaf_of(&r, 1);
    assert_eq!(
        (l1.operator, l1.class, l1.green, l1.active, l1.uptime_bps),
        (key(10), 1, false, true, 10_000)
    );
    let l2 = leaf_of(&r, 2);
    assert_eq!((l2.class, l2.green, l2.active, l2.uptime_bps), (0, true, true, 7_500));
    assert_eq!((leaf_of(&r, 3).active, leaf_of(&r, 3).uptime_bps), (true, 8_333));
    // Failed (late): inactive though live all period.
    assert_eq!((leaf_of(&r, 4).active, leaf_of(&r, 4).uptime_bps), (false, 10_000));
    assert_eq!(r.body.devices_attested, 3);
    assert_eq!(r.body.device_seconds, 3_600 + 2_700 + 3_000 + 3_600);
    assert_eq!(
        (r.body.period, r.body.set_epoch, r.body.usdc_per_io, r.body.expiry_slot),
        (PERIOD, 3, 1_500_000, 9_999)
    );
}

#[test]
fn below_threshold_unobserved_and_retired_devices() {
    let mut i = inputs();
    i.observations.insert(key(2), seen(1_799, ChallengeOutcome::Passed)); // 4,997 bps
    i.observations.remove(&key(3));
    i.devices.push(ChainDevice { status: DeviceStatus::Retired, ..device(5, 10, HardwareClass::Cpu, 0) });
    let r = build(&i).unwrap();
    assert_eq!((leaf_of(&r, 2).active, leaf_of(&r, 2).uptime_bps), (false, 4_997));
    assert_eq!((leaf_of(&r, 3).active, leaf_of(&r, 3).uptime_bps), (false, 0));
    assert_eq!(r.device_index(&key(5)), None, "a retired device is in no tree");
    // Intervals outside the period or overlapping count once, clipped.
    i.observations.insert(
        key(1),
        DeviceObservation {
            live: vec![
                (start() - 500, start() + 100),
                (start() + 50, start() + 200),
                (start() + 3_500, start() + 9_000),
            ],
            unserved: vec![],
            challenge: ChallengeOutcome::Passed,
        },
    );
    assert_eq!(leaf_of(&build(&i).unwrap(), 1).uptime_bps, RULES.uptime_bps(300));
}

#[test]
fn usage_counts_live_seconds_inside_the_lease() {
    let r = build(&inputs()).unwrap();
    let usage: Vec<_> = r.usage.iter().map(|l| (l.lease, l.device, l.seconds)).collect();
    // The lease starts half-way: device 1 live all of it (1,800 s), device 2 until 2,700 s (900 s)
    // on top of its previous 100.
    assert_eq!(usage, vec![(key(50), key(1), 1_800), (key(50), key(2), 1_000)]);

    // A lease that has not started, a device with no observation: no leaf (cumulative 0); a
    // previous cumulative carries over even without new seconds.
    let mut i = inputs();
    i.leases.push(ChainLease {
        address: key(51),
        start_ts: start() + 3_600,
        end_ts: start() + 9_000,
        devices: vec![key(1)],
    });
    i.leases.push(ChainLease {
        address: key(52),
        start_ts: start(),
        end_ts: start() + 9_000,
        devices: vec![key(9), key(4)],
    });
    i.previous.usage.insert((key(52), key(9)), 42);
    let r = build(&i).unwrap();
    assert_eq!(r.usage_index(&key(51), &key(1)), None);
    assert_eq!(r.usage[r.usage_index(&key(52), &key(9)).unwrap()].seconds, 42);
    assert_eq!(r.usage[r.usage_index(&key(52), &key(4)).unwrap()].seconds, 3_600);
}

#[test]
fn an_unserved_stretch_is_not_lease_time_but_still_uptime() {
    // Device 1 is live all period and leased from mid-period (1,800 s). Its worker reported the
    // lease's cluster not serving for 300 s inside the lease and 200 s before it started (that
    // stretch was outside the lease's window: it changes nothing).
    let before = build(&inputs()).unwrap();
    let mut i = inputs();
    let o = i.observations.get_mut(&key(1)).unwrap();
    o.unserved = vec![(start() + 2_000, start() + 2_300), (start() + 1_000, start() + 1_200)];
    let r = build(&i).unwrap();
    assert_eq!(r.usage[r.usage_index(&key(50), &key(1)).unwrap()].seconds, 1_800 - 300);
    // Uptime, activity and rewards are those of a device that served.
    assert_eq!(r.devices, before.devices);
    assert_eq!(r.rewards, before.rewards);
    assert_eq!(r.body.device_seconds, before.body.device_seconds);
    // An unserved stretch where the device was not live takes nothing twice: device 2 is live
    // until 2,700 s (900 s of the lease); unserved [2,600, 3,000) overlaps 100 s of it.
    i.observations.get_mut(&key(2)).unwrap().unserved = vec![(start() + 2_600, start() + 3_000)];
    let r = build(&i).unwrap();
    assert_eq!(r.usage[r.usage_index(&key(50), &key(2)).unwrap()].seconds, 100 + 900 - 100);
    // Unserved all through the lease: only the previous cumulative stands.
    i.observations.get_mut(&key(2)).unwrap().unserved = vec![(start(), start() + 3_600)];
    let r = build(&i).unwrap();
    assert_eq!(r.usage[r.usage_index(&key(50), &key(2)).unwrap()].seconds, 100);
}

#[test]
fn an_observation_without_unserved_reads_as_none() {
    let json = serde_json::json!({ "live": [[1, 5]], "challenge": { "outcome": "none" } });
    let o: DeviceObservation = serde_json::from_value(json).unwrap();
    assert_eq!((o.live, o.unserved), (vec![(1, 5)], vec![]));
}

#[test]
fn rewards_share_the_pool_by_weight_floored() {
    let r = build(&inputs()).unwrap();
    let rewards: Vec<_> = r.rewards.iter().map(|l| (l.operator, l.cumulative)).collect();
    // Weights: operator 10 = 4·2·10,000 + 1·1·7,500 = 87,500; operator 11 = 32·8·8,333 =
    // 2,133,248 (device 4 failed). Shares of 1,000,003: 39,401 and 960,601 (floored; 1 stays).
    assert_eq!(rewards, vec![(key(10), 5_000 + 39_401), (key(11), 960_601), (key(12), 777)]);
    assert_eq!(r.body.emission_distributed, 1_000_002);
    assert_eq!(r.pool, 1_000_003);

    // No active device: nothing shared, the previous leaves stand unchanged.
    let mut i = inputs();
    i.observations.clear();
    let r = build(&i).unwrap();
    assert_eq!(r.body.emission_distributed, 0);
    let rewards: Vec<_> = r.rewards.iter().map(|l| (l.operator, l.cumulative)).collect();
    assert_eq!(rewards, vec![(key(10), 5_000), (key(12), 777)]);
}

#[test]
fn a_proven_cheat_is_slashed_by_the_rule_once() {
    let mut i = inputs_with_cheat();
    let r = build(&i).unwrap();
    assert!(!leaf_of(&r, 3).active);
    assert_eq!(r.slashes.len(), 1);
    let s = &r.slashes[0];
    assert_eq!((s.operator, s.device, s.amount), (key(11), key(3), 100_001)); // ceil(10 % of 1,000,003)
    assert_eq!(s.evidence_hash, cheat_of_3().hash());
    assert_eq!(r.slash_index(&key(11), &s.evidence_hash), Some(0));
    // Operator 11 has no active device left: operator 10 takes the whole pool.
    assert_eq!(r.rewards[r.reward_index(&key(10)).unwrap()].cumulative, 5_000 + 1_000_003);

    // Honest answers, or wrong rows proved against another device's key, open no slash.
    let failed = |e| seen(3_000, ChallengeOutcome::Failed { reason: "x".into(), evidence: Some(e) });
    i.observations.insert(key(3), failed(honest_of_3()));
    assert!(build(&i).unwrap().slashes.is_empty());
    i.observations.insert(key(3), seen(3_000, ChallengeOutcome::Passed));
    i.observations.insert(key(4), failed(cheat_of_3()));
    assert!(build(&i).unwrap().slashes.is_empty());
}

#[test]
fn every_leaf_proves_against_its_root() {
    let r = build(&inputs_with_cheat()).unwrap();
    assert!(r.roots_match());
    for t in Tree::ALL_FOUR {
        let n = r.leaf_hashes(t).len();
        assert!(n > 0, "{t} has leaves");
        for i in 0..n {
            let proof = r.proof(t, i).unwrap();
            assert!(io_merkle::verify(&proof, &r.root(t), &r.leaf_hash(t, i).unwrap()), "{t} leaf {i}");
        }
        assert_eq!(r.proof(t, n), None);
    }
    // The leaf hashes are io_oracle's, which the programs verify.
    let d = leaf_of(&r, 1);
    assert_eq!(d.hash(), io_oracle::leaves::device_leaf(&key(1), 1, false, true));
    // Keys as the proof endpoint spells them.
    let s = &r.slashes[0];
    let key_text = leaves::slash_key_text(&s.operator, &s.evidence_hash);
    assert_eq!(r.index_of_key(Tree::Slashes, &key_text), Ok(Some(0)));
    assert_eq!(r.index_of_key(Tree::Usage, &leaves::usage_key_text(&key(50), &key(2))), Ok(Some(1)));
    assert_eq!(
        r.index_of_key(Tree::Devices, &key(4).to_string()),
        Ok(Some(r.device_index(&key(4)).unwrap()))
    );
    assert_eq!(r.index_of_key(Tree::Rewards, &key(99).to_string()), Ok(None));
    assert!(r.index_of_key(Tree::Usage, "nocolon").unwrap_err().contains("':'"));
    assert!(r.index_of_key(Tree::Rewards, "0OIl").unwrap_err().contains("base58"));
}

#[test]
fn empty_trees_have_the_zero_root() {
    let mut i = inputs();
    i.devices.clear();
    i.leases.clear();
    i.previous = Cumulative::default();
    let r = build(&i).unwrap();
    for t in Tree::ALL_FOUR {
        assert_eq!(r.root(t), [0; 32]);
        assert_eq!(r.proof(t, 0), None);
    }
    assert!(r.roots_match());
}

#[test]
fn json_round_trip_keeps_the_digest_and_proofs() {
    let r = build(&inputs_with_cheat()).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["body"]["devices_root"], serde_json::json!(json::hex(&r.body.devices_root)));
    assert_eq!(v["devices"][0]["device"], serde_json::json!(r.devices[0].device.to_string()));
    let back: PeriodReport = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.digest(&[1; 32]), r.digest(&[1; 32]));
    assert_eq!(back.proof(Tree::Rewards, 1), r.proof(Tree::Rewards, 1));
    assert!(back.roots_match());
    // The published evidence still verifies after the trip.
    assert!(back.slashes[0]
        .evidence
        .verify(CLUSTER, &device(3, 11, HardwareClass::FlagshipGpu, 8).worker_key)
        .is_ok());
}

#[test]
fn reroot_follows_changed_leaves() {
    let mut r = build(&inputs()).unwrap();
    let _ = r.proof(Tree::Rewards, 0); // trees kept
    r.rewards[0].cumulative += 1;
    assert!(!r.roots_match());
    r.reroot();
    assert!(r.roots_match());
    assert!(io_merkle::verify(
        &r.proof(Tree::Rewards, 0).unwrap(),
        &r.body.rewards_root,
        &r.rewards[0].hash()
    ));
}

#[test]
fn malformed_inputs_are_errors() {
    let mut i = inputs();
    i.devices.push(i.devices[0].clone());
    assert_eq!(build(&i).unwrap_err(), ReportError::DuplicateDevice(key(1)));
    let mut i = inputs();
    i.leases.push(i.leases[0].clone());
    assert_eq!(build(&i).unwrap_err(), ReportError::DuplicateLease(key(50)));
    let mut i = inputs();
    i.period = u64::MAX / 3_600;
    assert!(matches!(build(&i), Err(ReportError::PeriodOutOfRange(_))));
    let mut i = inputs();
    i.previous.rewards.insert(key(10), u64::MAX);
    assert!(matches!(build(&i), Err(ReportError::Overflow(_))));
}

#[test]
fn digest_is_io_oracles() {
    let r = build(&inputs()).unwrap();
    assert_eq!(r.digest(&[9; 32]), io_oracle::report_digest(&[9; 32], &r.body));
    assert_ne!(r.digest(&[9; 32]), r.digest(&[8; 32]));
}

// ---- properties ------------------------------------------------------------------------------

const CLASSES: [HardwareClass; 5] = [
    HardwareClass::Cpu,
    HardwareClass::ConsumerGpu,
    HardwareClass::WorkstationGpu,
    HardwareClass::DatacenterGpu,
    HardwareClass::FlagshipGpu,
];

/// A random fleet: up to 24 devices of up to 5 operators, random live intervals and outcomes, up
/// to 4 leases, random previous rewards and usage, any pool.
fn arb_inputs() -> impl Strategy<Value = Inputs> {
    let dev = (
        0usize..5,
        0u16..9,
        1u8..6,
        prop::collection::vec((-600i64..4_200, 0i64..2_000), 0..4),
        0u8..4,
        any::<bool>(),
        prop::collection::vec((-600i64..4_200, 0i64..1_000), 0..3),
    );
    (
        prop::collection::vec(dev, 0..24),
        prop::collection::vec((0i64..4_000, 0i64..6_000, prop::collection::vec(0usize..24, 1..4)), 0..4),
        prop::collection::vec((1u8..6, 0u64..1_000_000), 0..4),
        any::<u64>(),
    )
        .prop_map(|(devs, leases, prev, pool)| {
            let mut i = inputs();
            i.devices.clear();
            i.observations.clear();
            i.leases.clear();
            i.previous = Cumulative::default();
            i.pool = pool;
            for (n, (class, gpus, op, live, outcome, green, unserved)) in devs.into_iter().enumerate() {
                let n = n as u8 + 1;
                let mut d = device(n, 100 + op, CLASSES[class], gpus);
                d.green = green;
                i.devices.push(d);
                let span = |v: Vec<(i64, i64)>| {
                    v.into_iter().map(|(s, len)| (start() + s, start() + s + len)).collect()
                };
                let (live, unserved) = (span(live), span(unserved));
                let challenge = match outcome {
                    0 => ChallengeOutcome::None,
                    1 => ChallengeOutcome::Pending,
                    2 => ChallengeOutcome::Failed { reason: "late".into(), evidence: None },
                    _ => ChallengeOutcome::Passed,
                };
                i.observations.insert(key(n), DeviceObservation { live, unserved, challenge });
            }
            for (j, (s, len, devices)) in leases.into_iter().enumerate() {
                let address = key(60 + j as u8);
                let devices: Vec<_> = devices.into_iter().map(|d| key(d as u8 + 1)).collect();
                i.previous.usage.insert((address, devices[0]), 7);
                i.leases.push(ChainLease {
                    address,
                    start_ts: start() + s,
                    end_ts: start() + s + len,
                    devices,
                });
            }
            for (op, c) in prev {
                i.previous.rewards.insert(key(100 + op), c);
            }
            i
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn same_inputs_same_report_whatever_the_order(i in arb_inputs(), seed in any::<u64>()) {
        let a = build(&i).unwrap();
        let mut shuffled = i.clone();
        // Reverse and rotate the chain lists; the observation map is ordered by key already.
        shuffled.devices.reverse();
        let len = shuffled.devices.len().max(1);
        shuffled.devices.rotate_left(seed as usize % len);
        shuffled.leases.reverse();
        let b = build(&shuffled).unwrap();
        prop_assert_eq!(a.digest(&[3; 32]), b.digest(&[3; 32]));
        prop_assert_eq!(&a, &b);
        prop_assert!(a.roots_match());
    }

    #[test]
    fn rewards_never_exceed_the_pool_and_are_the_floor_sum(i in arb_inputs()) {
        let r = build(&i).unwrap();
        prop_assert!(r.body.emission_distributed <= i.pool);
        let mut weights = std::collections::BTreeMap::<crate::Pubkey, u128>::new();
        for l in r.devices.iter().filter(|l| l.active) {
            let d = i.devices.iter().find(|d| d.address == l.device).unwrap();
            *weights.entry(d.operator).or_default() += RULES.device_weight(d.class, d.gpu_count, l.uptime_bps);
        }
        let total: u128 = weights.values().sum();
        let floor_sum: u128 = if total == 0 { 0 } else { weights.values().map(|w| u128::from(i.pool) * w / total).sum() };
        prop_assert_eq!(u128::from(r.body.emission_distributed), floor_sum);
        // Monotone: no operator's cumulative goes down, none vanishes.
        for (op, before) in &i.previous.rewards {
            let now = r.rewards[r.reward_index(op).unwrap()].cumulative;
            prop_assert!(now >= *before);
        }
        let before: u128 = i.previous.rewards.values().map(|v| u128::from(*v)).sum();
        let after: u128 = r.rewards.iter().map(|l| u128::from(l.cumulative)).sum();
        prop_assert_eq!(after, before + u128::from(r.body.emission_distributed));
    }

    #[test]
    fn usage_is_cumulative_and_bounded_by_the_period(i in arb_inputs()) {
        let r = build(&i).unwrap();
        for l in &r.usage {
            let before = i.previous.usage.get(&l.key()).copied().unwrap_or(0);
            prop_assert!(l.seconds >= before && l.seconds <= before + RULES.period_secs);
            prop_assert!(l.seconds > 0);
        }
        for (k, before) in &i.previous.usage {
            let now = r.usage_index(&k.0, &k.1).map(|j| r.usage[j].seconds);
            prop_assert!(now >= Some(*before));
        }
        for l in &r.devices {
            prop_assert!(l.uptime_bps <= rules::BPS);
            prop_assert!(!l.active || l.uptime_bps >= RULES.active_uptime_bps);
        }
    }

    #[test]
    fn live_seconds_count_each_second_once(
        live in prop::collection::vec((-50i64..150, 0i64..80), 0..8),
        from in -20i64..60,
        len in 0i64..120,
    ) {
        let live: Vec<_> = live.into_iter().map(|(s, l)| (s, s + l)).collect();
        let to = from + len;
        let brute = (from..to).filter(|t| live.iter().any(|(s, e)| s <= t && t < e)).count() as u64;
        prop_assert_eq!(live_within(&live, from, to), brute);
    }

    #[test]
    fn served_seconds_are_live_seconds_no_unserved_covers(
        live in prop::collection::vec((-50i64..150, 0i64..80), 0..8),
        unserved in prop::collection::vec((-50i64..150, 0i64..80), 0..5),
        from in -20i64..60,
        len in 0i64..120,
    ) {
        let span = |v: Vec<(i64, i64)>| v.into_iter().map(|(s, l)| (s, s + l)).collect::<Vec<_>>();
        let (live, unserved) = (span(live), span(unserved));
        let to = from + len;
        let covers = |v: &[(i64, i64)], t: i64| v.iter().any(|(s, e)| *s <= t && t < *e);
        let brute = (from..to).filter(|t| covers(&live, *t) && !covers(&unserved, *t)).count() as u64;
        prop_assert_eq!(served_within(&live, &unserved, from, to), brute);
        prop_assert_eq!(served_within(&live, &[], from, to), live_within(&live, from, to));
    }

    #[test]
    fn unserved_time_changes_usage_only(i in arb_inputs()) {
        // The same fleet with every unserved stretch forgotten: the devices and rewards trees
        // are the same, and no usage leaf is lower than with them.
        let with = build(&i).unwrap();
        let mut without = i.clone();
        for o in without.observations.values_mut() {
            o.unserved.clear();
        }
        let without = build(&without).unwrap();
        prop_assert_eq!(&with.devices, &without.devices);
        prop_assert_eq!(&with.rewards, &without.rewards);
        prop_assert_eq!(with.body.device_seconds, without.body.device_seconds);
        for l in &with.usage {
            let j = without.usage_index(&l.lease, &l.device).unwrap();
            prop_assert!(l.seconds <= without.usage[j].seconds);
        }
    }

    #[test]
    fn a_node_signs_its_own_report(i in arb_inputs()) {
        let r = build(&i).unwrap();
        prop_assert_eq!(check(&r, &i), Ok(()));
    }
}

#[test]
fn every_tree_has_a_name() {
    assert_eq!(Tree::names(), vec!["devices", "usage", "rewards", "slashes"]);
}
