//! Figures of an operator's history rather than of one account: the commission rate in force at
//! any past time (replayed through io_staking's own `Operator::apply_due_commission`), and the
//! median the overview shows of the operators' estimated net APYs
//! ([`super::staking::estimated_net_apy_bps`]). The indexer serves them and the app shows them,
//! so both compute them here, once.
use super::staking::zeroed;
use io_staking::Operator;
use serde::{Deserialize, Serialize};

/// The median of `values` (the lower of the two middle values for an even count, so the result
/// is always one of the values); `None` for none.
pub fn median(values: &mut [u64]) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

/// An event that sets an operator's commission, in chain order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommissionEvent {
    /// `OperatorRegistered`: the rate from `ts` on.
    Registered { ts: i64, commission_bps: u16 },
    /// `CommissionChangeRequested` at chain time `ts`: the rate then in force, and the requested
    /// rate with the time it applies (`io_staking` applies it lazily, by `apply_due_commission`).
    ChangeRequested { ts: i64, commission_bps: u16, requested_bps: u16, effective_ts: i64 },
}

impl CommissionEvent {
    fn ts(&self) -> i64 {
        match self {
            CommissionEvent::Registered { ts, .. } | CommissionEvent::ChangeRequested { ts, .. } => *ts,
        }
    }
}

/// The commission (bps) in force at each of `times`: the operator's events up to that time
/// replayed into an io_staking `Operator`, then its `apply_due_commission(time)` — so a pending
/// change counts from its effective time, and one replaced by a later request before it applied
/// never does. `None` before the operator registered. `events` in chain order; `times` in any
/// order.
pub fn commission_in_force(events: &[CommissionEvent], times: &[i64]) -> Vec<Option<u16>> {
    let Ok(base) = zeroed::<Operator>() else { return vec![None; times.len()] };
    times
        .iter()
        .map(|&t| {
            let mut o = base.clone();
            let mut registered = false;
            for e in events.iter().take_while(|e| e.ts() <= t) {
                match *e {
                    CommissionEvent::Registered { commission_bps, .. } => {
                        o.commission_bps = commission_bps;
                        o.pending_commission_bps = 0;
                        o.commission_effective_ts = 0;
                        registered = true;
                    }
                    CommissionEvent::ChangeRequested { ts, commission_bps, requested_bps, effective_ts } => {
                        o.apply_due_commission(ts);
                        o.commission_bps = commission_bps;
                        o.pending_commission_bps = requested_bps;
                        o.commission_effective_ts = effective_ts;
                    }
                }
            }
            o.apply_due_commission(t);
            registered.then_some(o.commission_bps)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn median_is_one_of_the_values() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5, 3]), Some(3));
    }

    #[test]
    fn commission_follows_the_program() {
        use CommissionEvent::*;
        let events = [
            Registered { ts: 100, commission_bps: 500 },
            // Requested at 200, applies at 300.
            ChangeRequested { ts: 200, commission_bps: 500, requested_bps: 800, effective_ts: 300 },
            // Requested at 400 (800 in force), applies at 1,000 — replaced at 600 before it applied.
            ChangeRequested { ts: 400, commission_bps: 800, requested_bps: 100, effective_ts: 1_000 },
            ChangeRequested { ts: 600, commission_bps: 800, requested_bps: 900, effective_ts: 700 },
        ];
        let at = commission_in_force(&events, &[50, 100, 299, 300, 500, 650, 700, 1_000, 5_000]);
        assert_eq!(
            at,
            vec![
                None,
                Some(500),
                Some(500),
                Some(800),
                Some(800),
                Some(800),
                Some(900),
                Some(900),
                Some(900)
            ]
        );
    }

    proptest! {
        /// The rate in force is always a rate some event named.
        #[test]
        fn commission_is_a_named_rate(reqs in proptest::collection::vec((1i64..1_000, 0u16..10_000, 0i64..500), 0..8),
                                      t in 0i64..20_000) {
            let mut events = vec![CommissionEvent::Registered { ts: 0, commission_bps: 1_234 }];
            let (mut ts, mut in_force) = (0, 1_234);
            for (gap, bps, delay) in reqs {
                ts += gap;
                in_force = commission_in_force(&events, &[ts])[0].unwrap();
                events.push(CommissionEvent::ChangeRequested { ts, commission_bps: in_force, requested_bps: bps,
                                                               effective_ts: ts + delay });
            }
            let _ = in_force;
            let got = commission_in_force(&events, &[t])[0].unwrap();
            let named = events.iter().any(|e| match *e {
                CommissionEvent::Registered { commission_bps, .. } => commission_bps == got,
                CommissionEvent::ChangeRequested { commission_bps, requested_bps, .. } =>
                    commission_bps == got || requested_bps == got,
            });
            prop_assert!(named);
        }
    }
}
