//! What a node verifies before it signs another node's proposal: the proposal's leaves against
//! the chain and against its own observations, within the published tolerances ([`RULES`]). The
//! first disagreement is returned as a [`Refusal`] naming the leaf and the reason, for the
//! proposer's log and the follower's.
use super::{
    build::{build, chain_devices, class_index, distribute_floor, proves_wrong_rows},
    leaves::{self, Tree},
    rules::RULES,
    ChainDevice, ChallengeOutcome, Inputs, PeriodReport,
};
use crate::{names::Name, Pubkey};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Why a node will not sign a proposal: the tree and leaf key it disagrees with (`tree` is `None`
/// for the body: period, set epoch, price, pool, totals, roots), and why, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub tree: Option<Tree>,
    /// The leaf's published key (`leaves::*_key_text`), or the body field's name.
    pub key: String,
    pub why: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.tree {
            Some(t) => write!(f, "{} leaf {}: {}", t.name(), self.key, self.why),
            None => write!(f, "body {}: {}", self.key, self.why),
        }
    }
}

impl std::error::Error for Refusal {}

fn body(key: &str, why: String) -> Refusal {
    Refusal { tree: None, key: key.into(), why }
}

fn leaf(tree: Tree, key: String, why: impl Into<String>) -> Refusal {
    Refusal { tree: Some(tree), key, why: why.into() }
}

/// Ok when this node (whose inputs are `own`) may sign `proposal`.
pub fn check(proposal: &PeriodReport, own: &Inputs) -> Result<(), Refusal> {
    let b = &proposal.body;
    if !proposal.roots_match() {
        return Err(body("roots", "the body's roots are not the roots of the published leaves".into()));
    }
    for (key, got, want) in [
        ("period", b.period, own.period),
        ("set_epoch", b.set_epoch, own.set_epoch),
        ("usdc_per_io", b.usdc_per_io, own.usdc_per_io),
    ] {
        if got != want {
            return Err(body(key, format!("{got}, this node has {want}")));
        }
    }
    if proposal.pool > own.pool {
        return Err(body(
            "pool",
            format!(
                "{} exceeds the {} $IO base units emitted and not yet allotted on chain",
                proposal.pool, own.pool
            ),
        ));
    }
    // This node's own report: its uptimes, usage and verdicts, under the same rules.
    let mine =
        build(own).map_err(|e| body("inputs", format!("this node cannot build its own report: {e}")))?;
    let chain = chain_devices(&own.devices).map_err(|e| body("inputs", e.to_string()))?;

    let slashed = check_slashes(proposal, own, &chain)?;
    check_devices(proposal, &mine, own, &chain, &slashed)?;
    check_usage(proposal, &mine, own)?;
    check_rewards(proposal, own, &chain)?;

    let active = proposal.devices.iter().filter(|l| l.active).count();
    if u32::try_from(active).ok() != Some(b.devices_attested) {
        return Err(body(
            "devices_attested",
            format!("{}, the devices tree has {active} active", b.devices_attested),
        ));
    }
    // Σ live seconds is not published per device (uptime is, floored), so it is held to the
    // uptime tolerance per device.
    let slack = u64::try_from(chain.len()).unwrap_or(u64::MAX).saturating_mul(uptime_tolerance_secs());
    if b.device_seconds.abs_diff(mine.body.device_seconds) > slack {
        return Err(body(
            "device_seconds",
            format!(
                "{}, this node counts {} (tolerance {slack})",
                b.device_seconds, mine.body.device_seconds
            ),
        ));
    }
    Ok(())
}

fn uptime_tolerance_secs() -> u64 {
    RULES.period_secs * u64::from(RULES.uptime_tolerance_bps) / u64::from(super::rules::BPS)
}

/// Whether `keys` are strictly increasing (one leaf per key, in the published order).
fn first_out_of_order<K: Ord>(keys: impl Iterator<Item = K>) -> Option<usize> {
    let mut prev: Option<K> = None;
    for (i, k) in keys.enumerate() {
        if prev.as_ref().is_some_and(|p| *p >= k) {
            return Some(i);
        }
        prev = Some(k);
    }
    None
}

fn check_devices(
    proposal: &PeriodReport,
    mine: &PeriodReport,
    own: &Inputs,
    chain: &BTreeMap<Pubkey, &ChainDevice>,
    slashed: &BTreeSet<Pubkey>,
) -> Result<(), Refusal> {
    let t = Tree::Devices;
    if let Some(i) = first_out_of_order(proposal.devices.iter().map(|l| l.device)) {
        return Err(leaf(t, proposal.devices[i].device.to_string(), "leaves out of order or repeated"));
    }
    for l in &proposal.devices {
        let key = leaves::device_key_text(&l.device);
        let Some(d) = chain.get(&l.device) else {
            return Err(leaf(t, key, "not a device on chain (or retired)"));
        };
        if l.operator != d.operator {
            return Err(leaf(t, key, format!("operator {}, the chain has {}", l.operator, d.operator)));
        }
        if l.class != class_index(d) {
            return Err(leaf(t, key, format!("class {}, the chain has {}", l.class, class_index(d))));
        }
        if l.green != d.green {
            return Err(leaf(t, key, format!("green {}, the chain has {}", l.green, d.green)));
        }
        let Some(m) = mine.device_index(&l.device).map(|i| &mine.devices[i]) else {
            return Err(leaf(t, key, "not a device this node reports"));
        };
        if !RULES.uptime_agrees(m.uptime_bps, l.uptime_bps) {
            return Err(leaf(
                t,
                key,
                format!(
                    "uptime {} bps, this node saw {} bps (tolerance {} bps)",
                    l.uptime_bps, m.uptime_bps, RULES.uptime_tolerance_bps
                ),
            ));
        }
        if l.active && l.uptime_bps < RULES.active_uptime_bps {
            return Err(leaf(
                t,
                key,
                format!("active with uptime {} bps, below the threshold", l.uptime_bps),
            ));
        }
        if l.active && slashed.contains(&l.device) {
            return Err(leaf(
                t,
                key,
                "active, yet the report's slashes tree proves it answered with wrong rows",
            ));
        }
        if l.active != m.active {
            let outcome = own.observations.get(&l.device).map(|o| &o.challenge);
            let undecided =
                matches!(outcome, None | Some(ChallengeOutcome::None | ChallengeOutcome::Pending));
            // Inactive because some node proved wrong rows (a slash leaf of this report).
            let caught = !l.active && slashed.contains(&l.device);
            if !(undecided || caught || RULES.near_threshold(m.uptime_bps)) {
                return Err(leaf(
                    t,
                    key,
                    format!(
                        "active {}, this node judges {} (uptime {} bps, challenge {})",
                        l.active,
                        m.active,
                        m.uptime_bps,
                        outcome_name(outcome)
                    ),
                ));
            }
        }
    }
    if let Some(missing) = chain.keys().find(|k| proposal.device_index(k).is_none()) {
        return Err(leaf(t, missing.to_string(), "missing: the device is on chain"));
    }
    Ok(())
}

fn outcome_name(o: Option<&ChallengeOutcome>) -> &'static str {
    match o {
        None | Some(ChallengeOutcome::None) => "none",
        Some(ChallengeOutcome::Pending) => "pending",
        Some(ChallengeOutcome::Passed) => "passed",
        Some(ChallengeOutcome::Failed { .. }) => "failed",
    }
}

fn check_usage(proposal: &PeriodReport, mine: &PeriodReport, own: &Inputs) -> Result<(), Refusal> {
    let t = Tree::Usage;
    if let Some(i) = first_out_of_order(proposal.usage.iter().map(|l| l.key())) {
        let l = &proposal.usage[i];
        return Err(leaf(t, leaves::usage_key_text(&l.lease, &l.device), "leaves out of order or repeated"));
    }
    let lease_devices: BTreeSet<(Pubkey, Pubkey)> =
        own.leases.iter().flat_map(|l| l.devices.iter().map(move |d| (l.address, *d))).collect();
    let proposed: BTreeMap<_, _> = proposal.usage.iter().map(|l| (l.key(), l.seconds)).collect();
    let own_leaves: BTreeMap<_, _> = mine.usage.iter().map(|l| (l.key(), l.seconds)).collect();
    for key in proposed.keys().chain(own_leaves.keys()).collect::<BTreeSet<_>>() {
        let text = leaves::usage_key_text(&key.0, &key.1);
        if !lease_devices.contains(key) {
            return Err(leaf(t, text, "not a device of an open lease on chain"));
        }
        let before = own.previous.usage.get(key).copied().unwrap_or(0);
        let got = proposed.get(key).copied().unwrap_or(0);
        let want = own_leaves.get(key).copied().unwrap_or(0);
        if got < before {
            return Err(leaf(t, text, format!("{got} s, below the last certified {before} s")));
        }
        let tolerance = RULES.usage_tolerance(want.saturating_sub(before));
        if got.abs_diff(want) > tolerance {
            let what = if proposed.contains_key(key) { format!("{got} s") } else { "no leaf".into() };
            return Err(leaf(
                t,
                text,
                format!("{what}, this node attests {want} s (tolerance {tolerance} s)"),
            ));
        }
    }
    Ok(())
}

/// Rewards must be EXACTLY the published formula over the proposal's own device leaves (class
/// and GPUs from the chain), its pool and the last certified cumulative leaves.
fn check_rewards(
    proposal: &PeriodReport,
    own: &Inputs,
    chain: &BTreeMap<Pubkey, &ChainDevice>,
) -> Result<(), Refusal> {
    let mut weights: BTreeMap<Pubkey, u128> = BTreeMap::new();
    for l in proposal.devices.iter().filter(|l| l.active) {
        // Every leaf was matched to a chain device by check_devices.
        let Some(d) = chain.get(&l.device) else { continue };
        let w = weights.entry(d.operator).or_insert(0);
        *w = w.saturating_add(RULES.device_weight(d.class, d.gpu_count, l.uptime_bps));
    }
    let (want, shared) = distribute_floor(&weights, proposal.pool, &own.previous)
        .map_err(|e| body("rewards", e.to_string()))?;
    let t = Tree::Rewards;
    let got: BTreeMap<_, _> = proposal.rewards.iter().map(|l| (l.operator, l.cumulative)).collect();
    if got.len() != proposal.rewards.len() {
        return Err(leaf(t, "-".into(), "an operator has two leaves"));
    }
    let want: BTreeMap<_, _> = want.iter().map(|l| (l.operator, l.cumulative)).collect();
    for op in got.keys().chain(want.keys()).collect::<BTreeSet<_>>() {
        let (g, w) = (got.get(op), want.get(op));
        if g != w {
            let show = |v: Option<&u64>| v.map_or("no leaf".to_string(), |v| v.to_string());
            return Err(leaf(
                t,
                leaves::reward_key_text(op),
                format!("cumulative {}, the formula gives {}", show(g), show(w)),
            ));
        }
    }
    if proposal.body.emission_distributed != shared {
        return Err(body(
            "emission_distributed",
            format!("{}, the rewards tree shares {shared}", proposal.body.emission_distributed),
        ));
    }
    Ok(())
}

/// Every slash leaf must prove wrong rows by the device's bound key and follow the rule; missing
/// ones are no reason to refuse (this node may not have caught the cheat). Returns the devices
/// the leaves prove cheated.
fn check_slashes(
    proposal: &PeriodReport,
    own: &Inputs,
    chain: &BTreeMap<Pubkey, &ChainDevice>,
) -> Result<BTreeSet<Pubkey>, Refusal> {
    let t = Tree::Slashes;
    if let Some(i) = first_out_of_order(proposal.slashes.iter().map(|l| l.key())) {
        let l = &proposal.slashes[i];
        return Err(leaf(
            t,
            leaves::slash_key_text(&l.operator, &l.evidence_hash),
            "leaves out of order or repeated",
        ));
    }
    let mut hashes = BTreeSet::new();
    let mut devices = BTreeSet::new();
    for l in &proposal.slashes {
        let key = leaves::slash_key_text(&l.operator, &l.evidence_hash);
        let Some(d) = chain.get(&l.device) else {
            return Err(leaf(t, key, format!("device {} is not on chain", l.device)));
        };
        if l.operator != d.operator {
            return Err(leaf(t, key, format!("device {} belongs to operator {}", l.device, d.operator)));
        }
        if l.evidence_hash != l.evidence.hash() {
            return Err(leaf(t, key, "the evidence hash is not the hash of the published evidence"));
        }
        if !hashes.insert(l.evidence_hash) {
            return Err(leaf(t, key, "the same evidence is slashed twice"));
        }
        let amount = RULES.slash_amount_ceil(d.bonded);
        if l.amount != amount {
            return Err(leaf(t, key, format!("amount {}, the rule gives {amount}", l.amount)));
        }
        proves_wrong_rows(&l.evidence, &own.cluster, d)
            .map_err(|why| leaf(t, key, format!("the evidence proves no wrong rows: {why}")))?;
        devices.insert(l.device);
    }
    Ok(devices)
}
