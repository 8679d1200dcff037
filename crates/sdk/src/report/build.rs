//! The deterministic builder: one node's [`Inputs`] for a period → the report every honest node
//! with the same inputs proposes. Pure: no clock, no I/O, no randomness; maps are ordered, so the
//! order in which a node gathered its observations changes nothing.
use super::{
    leaves::{DeviceLeaf, RewardLeaf, SlashLeaf, UsageLeaf},
    period::PeriodReport,
    rules::RULES,
    ChainDevice, ChallengeOutcome, Cumulative, DeviceObservation, Inputs,
};
use crate::Pubkey;
use io_oracle::ReportBody;
use io_staking::DeviceStatus;
use std::collections::{BTreeMap, BTreeSet};

/// Why no report can be built from these inputs (a node's own inputs are malformed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("device {0} is listed twice in the chain devices")]
    DuplicateDevice(Pubkey),
    #[error("lease {0} is listed twice in the chain leases")]
    DuplicateLease(Pubkey),
    #[error("period {0} is past the last period chain time can express")]
    PeriodOutOfRange(u64),
    #[error("{0} overflows")]
    Overflow(&'static str),
}

/// The chain-second bounds `[start, end)` of `period`.
pub fn period_bounds(period: u64) -> Result<(i64, i64), ReportError> {
    let len = RULES.period_secs;
    let start = period.checked_mul(len).and_then(|s| i64::try_from(s).ok());
    let end = period.checked_add(1).and_then(|p| p.checked_mul(len)).and_then(|e| i64::try_from(e).ok());
    match (start, end) {
        (Some(s), Some(e)) => Ok((s, e)),
        _ => Err(ReportError::PeriodOutOfRange(period)),
    }
}

/// Seconds of `live` inside `[from, to)`. The intervals are clipped and merged here, so a node's
/// overlapping or unsorted intervals never count a second twice.
pub fn live_within(live: &[(i64, i64)], from: i64, to: i64) -> u64 {
    clipped_merged(live, from, to).iter().map(|(s, e)| e.abs_diff(*s)).sum()
}

/// Lease seconds inside `[from, to)`: the seconds of `live` that no `unserved` interval covers
/// (the device was live but its worker said the lease's cluster was not serving on it).
pub fn served_within(live: &[(i64, i64)], unserved: &[(i64, i64)], from: i64, to: i64) -> u64 {
    let live = clipped_merged(live, from, to);
    let gone = clipped_merged(unserved, from, to);
    let total: u64 = live.iter().map(|(s, e)| e.abs_diff(*s)).sum();
    // Both lists are sorted and disjoint: one pass over the pair finds every overlap.
    let (mut i, mut j, mut overlap) = (0, 0, 0u64);
    while i < live.len() && j < gone.len() {
        let (s, e) = (live[i].0.max(gone[j].0), live[i].1.min(gone[j].1));
        if e > s {
            overlap += e.abs_diff(s);
        }
        if live[i].1 <= gone[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    total - overlap
}

/// `v` clipped to `[from, to)`, sorted, the empty ones dropped and the overlapping or touching
/// ones merged.
fn clipped_merged(v: &[(i64, i64)], from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut clipped: Vec<(i64, i64)> =
        v.iter().map(|&(s, e)| (s.max(from), e.min(to))).filter(|(s, e)| s < e).collect();
    clipped.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(clipped.len());
    for (s, e) in clipped {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Live seconds of an observation within the period, 0 without one.
fn observed_secs(obs: Option<&DeviceObservation>, from: i64, to: i64) -> u64 {
    obs.map_or(0, |o| live_within(&o.live, from, to))
}

/// Lease seconds of an observation within the lease's window, 0 without one.
fn served_secs(obs: Option<&DeviceObservation>, from: i64, to: i64) -> u64 {
    obs.map_or(0, |o| served_within(&o.live, &o.unserved, from, to))
}

/// The period's pool shared by weight: per operator `floor(pool × W_op / W_total)`, cumulative on
/// top of `previous`. Operators of the previous report keep their leaf (unchanged when they earned
/// nothing), so every claimable amount stays provable; an operator that never earned has no leaf.
/// Nothing is shared when no weight exists: the pool carries over. Returns the leaves (by
/// operator) and the period's total shared.
pub fn distribute_floor(
    weights: &BTreeMap<Pubkey, u128>,
    pool: u64,
    previous: &Cumulative,
) -> Result<(Vec<RewardLeaf>, u64), ReportError> {
    let total: u128 = weights
        .values()
        .try_fold(0u128, |a, w| a.checked_add(*w))
        .ok_or(ReportError::Overflow("total weight"))?;
    let mut cumulative: BTreeMap<Pubkey, u64> = previous.rewards.clone();
    let mut shared = 0u64;
    for (operator, w) in weights {
        let product = u128::from(pool).checked_mul(*w).ok_or(ReportError::Overflow("pool × weight"))?;
        // No weight at all: nothing is shared and the pool carries over.
        let Some(share) = product.checked_div(total) else { break };
        // share ≤ pool since w ≤ total.
        let share = u64::try_from(share).map_err(|_| ReportError::Overflow("a reward share"))?;
        if share == 0 {
            continue;
        }
        shared = shared.checked_add(share).ok_or(ReportError::Overflow("the period's rewards"))?;
        let c = cumulative.entry(*operator).or_insert(0);
        *c = c.checked_add(share).ok_or(ReportError::Overflow("a cumulative reward"))?;
    }
    let leaves =
        cumulative.into_iter().map(|(operator, cumulative)| RewardLeaf { operator, cumulative }).collect();
    Ok((leaves, shared))
}

/// The report for `inputs.period`.
pub fn build(inputs: &Inputs) -> Result<PeriodReport, ReportError> {
    let (start, end) = period_bounds(inputs.period)?;
    let devices = chain_devices(&inputs.devices)?;

    // Devices tree, weights and totals.
    let mut device_leaves = Vec::with_capacity(devices.len());
    let mut weights: BTreeMap<Pubkey, u128> = BTreeMap::new();
    let (mut device_seconds, mut attested) = (0u64, 0u32);
    for d in devices.values() {
        let obs = inputs.observations.get(&d.address);
        let live = observed_secs(obs, start, end);
        let uptime_bps = RULES.uptime_bps(live);
        let passed = matches!(obs.map(|o| &o.challenge), Some(ChallengeOutcome::Passed));
        let active = RULES.is_active(passed, uptime_bps);
        device_seconds = device_seconds.checked_add(live).ok_or(ReportError::Overflow("device seconds"))?;
        if active {
            attested = attested.checked_add(1).ok_or(ReportError::Overflow("devices attested"))?;
            let w = weights.entry(d.operator).or_insert(0);
            *w = w
                .checked_add(RULES.device_weight(d.class, d.gpu_count, uptime_bps))
                .ok_or(ReportError::Overflow("an operator's weight"))?;
        }
        device_leaves.push(DeviceLeaf {
            device: d.address,
            operator: d.operator,
            class: class_index(d),
            green: d.green,
            active,
            uptime_bps,
        });
    }

    let usage = usage_leaves(inputs, start, end)?;
    let (rewards, distributed) = distribute_floor(&weights, inputs.pool, &inputs.previous)?;
    let slashes = slash_leaves(inputs, &devices);

    let body = ReportBody {
        period: inputs.period,
        set_epoch: inputs.set_epoch,
        usdc_per_io: inputs.usdc_per_io,
        emission_distributed: distributed,
        device_seconds,
        devices_attested: attested,
        expiry_slot: inputs.expiry_slot,
        ..ReportBody::default()
    };
    Ok(PeriodReport::new(body, inputs.pool, device_leaves, usage, rewards, slashes))
}

/// The chain devices a report covers (all but retired ones), by address; a device listed twice
/// is an error in the node's chain read, not something to paper over.
pub(super) fn chain_devices(devices: &[ChainDevice]) -> Result<BTreeMap<Pubkey, &ChainDevice>, ReportError> {
    let mut out = BTreeMap::new();
    for d in devices {
        if out.insert(d.address, d).is_some() {
            return Err(ReportError::DuplicateDevice(d.address));
        }
    }
    out.retain(|_, d| d.status != DeviceStatus::Retired);
    Ok(out)
}

pub(super) fn class_index(d: &ChainDevice) -> u8 {
    // Five classes: the index always fits.
    u8::try_from(d.class.index()).unwrap_or(u8::MAX)
}

/// Usage tree: every lease × device, cumulative = previous + the device's live seconds inside the
/// lease's service window within the period, less the seconds its worker reported the lease's
/// cluster not serving on it (issue 17: the renter pays only while the cluster serves); a leaf
/// only when the cumulative is above zero.
fn usage_leaves(inputs: &Inputs, start: i64, end: i64) -> Result<Vec<UsageLeaf>, ReportError> {
    let mut seen = BTreeSet::new();
    let mut out: BTreeMap<(Pubkey, Pubkey), u64> = BTreeMap::new();
    for lease in &inputs.leases {
        if !seen.insert(lease.address) {
            return Err(ReportError::DuplicateLease(lease.address));
        }
        let (from, to) = (lease.start_ts.max(start), lease.end_ts.min(end));
        for device in &lease.devices {
            let key = (lease.address, *device);
            if out.contains_key(&key) {
                continue;
            }
            let secs = if from < to { served_secs(inputs.observations.get(device), from, to) } else { 0 };
            let before = inputs.previous.usage.get(&key).copied().unwrap_or(0);
            let seconds = before.checked_add(secs).ok_or(ReportError::Overflow("a usage leaf"))?;
            out.insert(key, seconds);
        }
    }
    Ok(out
        .into_iter()
        .filter(|(_, s)| *s > 0)
        .map(|((lease, device), seconds)| UsageLeaf { lease, device, seconds })
        .collect())
}

/// Slashes tree: every wrong-rows failure whose evidence proves it against the device's bound
/// key, sized by the rule, one leaf per evidence hash. Evidence that does not verify is dropped
/// (the device is still inactive: it did not pass).
fn slash_leaves(inputs: &Inputs, devices: &BTreeMap<Pubkey, &ChainDevice>) -> Vec<SlashLeaf> {
    let mut out: BTreeMap<(Pubkey, [u8; 32]), SlashLeaf> = BTreeMap::new();
    let mut hashes = BTreeSet::new();
    for (address, obs) in &inputs.observations {
        let ChallengeOutcome::Failed { evidence: Some(e), .. } = &obs.challenge else { continue };
        let Some(d) = devices.get(address) else { continue };
        if proves_wrong_rows(e, &inputs.cluster, d).is_err() {
            continue;
        }
        let evidence_hash = e.hash();
        if !hashes.insert(evidence_hash) {
            continue;
        }
        let leaf = SlashLeaf {
            operator: d.operator,
            device: d.address,
            amount: RULES.slash_amount_ceil(d.bonded),
            evidence_hash,
            evidence: e.clone(),
        };
        out.insert(leaf.key(), leaf);
    }
    out.into_values().collect()
}

/// Whether `e` proves wrong rows by `d`: by its bound key, for its account.
pub(super) fn proves_wrong_rows(e: &super::Evidence, cluster: &str, d: &ChainDevice) -> Result<(), String> {
    let failure = e.verify(cluster, &d.worker_key)?;
    if failure.device_account != d.address {
        return Err(format!(
            "the challenge names device account {}, not {}",
            failure.device_account, d.address
        ));
    }
    Ok(())
}
