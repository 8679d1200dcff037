//! The $IO ledger: cap, minted, burned by reason, circulating supply and the next emissions, from
//! io_token's config counters and `io_token::schedule`.
use super::ViewError;
use crate::names::Name;
use io_token::{
    schedule::{advance, month_amount, Cursor, HOURS_PER_MONTH, SECS_PER_HOUR},
    BurnReason, TokenConfig, BUCKET_COUNT, BURN_REASON_COUNT,
};
use serde::{Deserialize, Serialize};

/// `EmissionState` and `EmissionParams` counters, named as in `TokenConfig`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmissionCounters {
    pub start_ts: i64,
    pub next_hour: u64,
    pub month_amount: u64,
    pub emitted: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleParams {
    pub first_month_emission: u64,
    pub decay_bps: u16,
}

/// The io_token config counters the supply figures need. Field names are `TokenConfig`'s, so
/// the indexer can read them straight from the projected config account's JSON
/// (`serde_json::from_value`; other fields are ignored).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplyCounters {
    pub decimals: u8,
    pub max_supply: u64,
    pub total_minted: u64,
    pub total_burned: u64,
    pub burned: [u64; BURN_REASON_COUNT],
    pub allocations: [u64; BUCKET_COUNT],
    pub released: [u64; BUCKET_COUNT],
    pub rewards_withdrawn: u64,
    pub emission: EmissionCounters,
    pub params: ScheduleParams,
}

impl From<&TokenConfig> for SupplyCounters {
    fn from(t: &TokenConfig) -> Self {
        SupplyCounters {
            decimals: t.decimals,
            max_supply: t.max_supply,
            total_minted: t.total_minted,
            total_burned: t.total_burned,
            burned: t.burned,
            allocations: t.allocations,
            released: t.released,
            rewards_withdrawn: t.rewards_withdrawn,
            emission: EmissionCounters {
                start_ts: t.emission.start_ts,
                next_hour: t.emission.next_hour,
                month_amount: t.emission.month_amount,
                emitted: t.emission.emitted,
            },
            params: ScheduleParams {
                first_month_emission: t.params.first_month_emission,
                decay_bps: t.params.decay_bps,
            },
        }
    }
}

/// The next hour `emit` will cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct NextEmission {
    /// Hour index since the genesis time.
    pub hour: u64,
    /// When the hour starts; it becomes due (emittable) one hour later, at `due_ts`.
    pub starts_ts: i64,
    pub due_ts: i64,
    /// What `emit` mints for it: the schedule's hour amount (the month's last hour carries the
    /// month's remainder), clipped to what the cap leaves.
    pub amount: u64,
}

/// One month of the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MonthEmission {
    pub month: u64,
    pub starts_ts: i64,
    /// Unclipped schedule amount.
    pub amount: u64,
}

/// The ledger as users see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SupplyView {
    pub decimals: u8,
    pub cap: u64,
    pub minted: u64,
    pub burned: u64,
    /// Burned per reason, by the reasons' user-facing names, in `BurnReason` order (JSON: an
    /// object `{"lease_fee": …, "buyback": …}`).
    #[serde(serialize_with = "pairs_as_map")]
    pub burned_by_reason: Vec<(&'static str, u64)>,
    /// See [`circulating`].
    pub circulating: u64,
    pub next_emission: NextEmission,
}

fn pairs_as_map<S: serde::Serializer>(pairs: &[(&'static str, u64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (*k, *v)))
}

/// **Circulating supply**: the $IO that has left io_token's vaults — released from the genesis
/// buckets (vesting and airdrop claims) plus withdrawn from the rewards vault — less what was
/// burned through io_token's `burn`:
///
/// `Σ released + rewards_withdrawn − total_burned`
///
/// This equals *minted − burned − what io_token's vaults must hold* (each bucket's
/// `allocation − released`, the rewards vault's `emitted − rewards_withdrawn`), and needs only
/// the config counters: the CLI reads them from the account, the indexer from its projected
/// config row, and both get the same number. Tokens sent into a vault by a third party and direct
/// SPL burns (which bypass the ledger) are not counted; the mint's own `supply` shows the latter.
pub fn circulating(c: &SupplyCounters) -> Result<u64, ViewError> {
    let err = || ViewError { figure: "circulating supply" };
    let released =
        c.released.iter().try_fold(0u128, |acc, r| acc.checked_add(u128::from(*r))).ok_or_else(err)?;
    let out = released.checked_add(u128::from(c.rewards_withdrawn)).ok_or_else(err)?;
    let left = out.checked_sub(u128::from(c.total_burned)).ok_or_else(err)?;
    u64::try_from(left).map_err(|_| err())
}

fn hour_start(start_ts: i64, hour: u64) -> Option<i64> {
    i64::try_from(hour).ok()?.checked_mul(SECS_PER_HOUR)?.checked_add(start_ts)
}

/// What the next `emit` mints for hour `next_hour`: io_token's own `advance` over that one hour
/// with the cap's remainder, exactly the step `emit` takes.
pub fn next_emission(c: &SupplyCounters) -> Result<NextEmission, ViewError> {
    let err = || ViewError { figure: "next emission" };
    let hour = c.emission.next_hour;
    let cursor = Cursor { next_hour: hour, month_amount: c.emission.month_amount };
    let remaining = c.max_supply.checked_sub(c.total_minted).ok_or_else(err)?;
    let due = hour.checked_add(1).ok_or_else(err)?;
    let step = advance(cursor, c.params.decay_bps, due, 1, remaining).map_err(|_| err())?;
    let starts_ts = hour_start(c.emission.start_ts, hour).ok_or_else(err)?;
    let due_ts = hour_start(c.emission.start_ts, due).ok_or_else(err)?;
    Ok(NextEmission { hour, starts_ts, due_ts, amount: step.minted })
}

/// The schedule's next `count` months from the month of `next_hour` (unclipped amounts, from
/// `io_token::schedule::month_amount`).
pub fn months_ahead(c: &SupplyCounters, count: u64) -> Result<Vec<MonthEmission>, ViewError> {
    let err = || ViewError { figure: "emission schedule" };
    let first = c.emission.next_hour / HOURS_PER_MONTH;
    (first..first.checked_add(count).ok_or_else(err)?)
        .map(|month| {
            let amount =
                month_amount(c.params.first_month_emission, c.params.decay_bps, month).map_err(|_| err())?;
            let hour = month.checked_mul(HOURS_PER_MONTH).ok_or_else(err)?;
            let starts_ts = hour_start(c.emission.start_ts, hour).ok_or_else(err)?;
            Ok(MonthEmission { month, starts_ts, amount })
        })
        .collect()
}

impl SupplyView {
    pub fn new(config: &TokenConfig) -> Result<SupplyView, ViewError> {
        SupplyView::from_counters(&SupplyCounters::from(config))
    }

    pub fn from_counters(c: &SupplyCounters) -> Result<SupplyView, ViewError> {
        Ok(SupplyView {
            decimals: c.decimals,
            cap: c.max_supply,
            minted: c.total_minted,
            burned: c.total_burned,
            burned_by_reason: BurnReason::ALL.iter().map(|r| (r.name(), c.burned[r.index()])).collect(),
            circulating: circulating(c)?,
            next_emission: next_emission(c)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use io_token::schedule::hour_amount;

    const IO: u64 = 1_000_000_000;

    fn counters() -> SupplyCounters {
        let allocations =
            [250_000_000 * IO, 80_000_000 * IO, 56_500_000 * IO, 51_000_000 * IO, 62_500_000 * IO];
        SupplyCounters {
            decimals: 9,
            max_supply: 800_000_000 * IO,
            total_minted: 500_000_000 * IO + 9_000 * IO,
            total_burned: 1_500 * IO,
            burned: [1_000 * IO, 300 * IO, 200 * IO, 0],
            allocations,
            released: [2_000 * IO, 0, 500 * IO, 0, 0],
            rewards_withdrawn: 6_000 * IO,
            emission: EmissionCounters {
                start_ts: 1_700_000_000,
                next_hour: 2,
                month_amount: 3_330_000 * IO,
                emitted: 9_000 * IO,
            },
            params: ScheduleParams { first_month_emission: 3_330_000 * IO, decay_bps: 100 },
        }
    }

    /// Circulating = minted − burned − what the vaults hold (the indexer's old
    /// allocation − released + emitted − withdrawn form), from the counters alone.
    #[test]
    fn circulating_is_the_ledger_less_the_vaults() {
        let c = counters();
        assert_eq!(circulating(&c), Ok(2_000 * IO + 500 * IO + 6_000 * IO - 1_500 * IO));
        let locked: u64 = (0..BUCKET_COUNT).map(|i| c.allocations[i] - c.released[i]).sum::<u64>()
            + (c.emission.emitted - c.rewards_withdrawn);
        assert_eq!(circulating(&c), Ok(c.total_minted - c.total_burned - locked));
        let broken = SupplyCounters { total_burned: u64::MAX, ..c };
        assert_eq!(circulating(&broken), Err(ViewError { figure: "circulating supply" }));
    }

    /// The last hour of a month carries the month's remainder (the CLI's old
    /// `month_amount / HOURS_PER_MONTH` missed it); the first hour of the next month decays.
    #[test]
    fn next_emission_matches_emit_on_the_last_hour_of_a_month() {
        let month = 730 * 5 + 3;
        let mut c = counters();
        c.emission = EmissionCounters { next_hour: 729, month_amount: month, ..c.emission };
        let n = next_emission(&c).unwrap();
        assert_eq!(n.amount, 8);
        assert_eq!(n.amount, hour_amount(month, 729).unwrap());
        assert_ne!(n.amount, month / HOURS_PER_MONTH);
        assert_eq!((n.starts_ts, n.due_ts), (1_700_000_000 + 729 * 3_600, 1_700_000_000 + 730 * 3_600));
        // Every hour of a month, one step at a time as `emit` does, adds up to the month.
        let mut total = 0;
        for h in 0..HOURS_PER_MONTH {
            c.emission.next_hour = h;
            total += next_emission(&c).unwrap().amount;
        }
        assert_eq!(total, month);
    }

    #[test]
    fn next_emission_is_clipped_at_the_cap() {
        let mut c = counters();
        c.total_minted = c.max_supply - 5;
        assert_eq!(next_emission(&c).unwrap().amount, 5);
        c.total_minted = c.max_supply;
        assert_eq!(next_emission(&c).unwrap().amount, 0);
    }

    #[test]
    fn view_and_months() {
        let v = SupplyView::from_counters(&counters()).unwrap();
        assert_eq!(
            v.burned_by_reason,
            vec![("lease_fee", 1_000 * IO), ("buyback", 300 * IO), ("slash", 200 * IO), ("other", 0)]
        );
        assert_eq!(v.next_emission.amount, 3_330_000 * IO / 730);
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["burned_by_reason"]["lease_fee"], 1_000 * IO);
        assert_eq!(json["next_emission"]["hour"], 2);
        let months = months_ahead(&counters(), 3).unwrap();
        assert_eq!(months.iter().map(|m| m.month).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(months[1].amount, 3_296_700 * IO);
        assert_eq!(months[1].starts_ts, 1_700_000_000 + 730 * 3_600);
    }

    #[test]
    fn counters_read_from_the_config_json_names() {
        let json = serde_json::json!({
            "decimals": 9, "max_supply": 10, "total_minted": 4, "total_burned": 1, "burned": [1, 0, 0, 0],
            "allocations": [1, 1, 1, 0, 0], "released": [1, 0, 0, 0, 0], "rewards_withdrawn": 1,
            "emission": { "start_ts": 0, "next_hour": 0, "month_amount": 730, "emitted": 1 },
            "params": { "first_month_emission": 730, "decay_bps": 100 }, "admin": "ignored"
        });
        let c: SupplyCounters = serde_json::from_value(json).unwrap();
        assert_eq!(circulating(&c), Ok(1));
    }
}
