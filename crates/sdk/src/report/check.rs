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
        let key = || leaves::device_key_text(&l.device);
        let Some(d) = chain.get(&l.device) else {
            return Err(leaf(t, key(), "not a device on chain (or retired)"));
        };
        if l.operator != d.operator {
            return Err(leaf(t, key(), format!("operator {}, the chain has {}", l.operator, d.operator)));
        }
        if l.class != class_index(d) {
            return Err(leaf(t, key(), format!("class {}, the chain has {}", l.class, class_index(d))));
        }
        if l.green != d.green {
            return Err(leaf(t, key(), format!("green {}, the chain has {}", l.green, d.green)));
        }
        let Some(m) = mine.device_index(&l.device).map(|i| &mine.devices[i]) else {
            return Err(leaf(t, key(), "not a device this node reports"));
        };
        if !RULES.uptime_agrees(m.uptime_bps, l.uptime_bps) {
            return Err(leaf(
                t,
                key(),
                format!(
                    "uptime {} bps, this node saw {} bps (tolerance {} bps)",
                    l.uptime_bps, m.uptime_bps, RULES.uptime_tolerance_bps
                ),
            ));
        }
        if l.active && l.uptime_bps < RULES.active_uptime_bps {
            return Err(leaf(
                t,
                key(),
                format!("active with uptime {} bps, below the threshold", l.uptime_bps),
            ));
        }
        if l.active && slashed.contains(&l.device) {
            return Err(leaf(
                t,
                key(),
                "active, yet the report's slashes tree proves it answered with wrong rows",
            ));
        }
        // This node holds proof of wrong rows: no tolerance makes the device honest.
        if l.active && mine.slashes.iter().any(|s| s.device == l.device) {
            return Err(leaf(
                t,
                key(),
                "active, yet this node holds evidence that it answered with wrong rows",
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
                    key(),
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
        let text = || leaves::usage_key_text(&key.0, &key.1);
        if !lease_devices.contains(key) {
            return Err(leaf(t, text(), "not a device of an open lease on chain"));
        }
        let before = own.previous.usage.get(key).copied().unwrap_or(0);
        let got = proposed.get(key).copied().unwrap_or(0);
        let want = own_leaves.get(key).copied().unwrap_or(0);
        if got < before {
            return Err(leaf(t, text(), format!("{got} s, below the last certified {before} s")));
        }
        let tolerance = RULES.usage_tolerance(want.saturating_sub(before));
        if got.abs_diff(want) > tolerance {
            let what = if proposed.contains_key(key) { format!("{got} s") } else { "no leaf".into() };
            return Err(leaf(
                t,
                text(),
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
    if let Some(i) = first_out_of_order(proposal.rewards.iter().map(|l| l.operator)) {
        return Err(leaf(t, proposal.rewards[i].operator.to_string(), "leaves out of order or repeated"));
    }
    let got: BTreeMap<_, _> = proposal.rewards.iter().map(|l| (l.operator, l.cumulative)).collect();
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
        let key = || leaves::slash_key_text(&l.operator, &l.evidence_hash);
        let Some(d) = chain.get(&l.device) else {
            return Err(leaf(t, key(), format!("device {} is not on chain", l.device)));
        };
        if l.operator != d.operator {
            return Err(leaf(t, key(), format!("device {} belongs to operator {}", l.device, d.operator)));
        }
        if l.evidence_hash != l.evidence.hash() {
            return Err(leaf(t, key(), "the evidence hash is not the hash of the published evidence"));
        }
        if !hashes.insert(l.evidence_hash) {
            return Err(leaf(t, key(), "the same evidence is slashed twice"));
        }
        let amount = RULES.slash_amount_ceil(d.bonded);
        if l.amount != amount {
            return Err(leaf(t, key(), format!("amount {}, the rule gives {amount}", l.amount)));
        }
        proves_wrong_rows(&l.evidence, &own.cluster, d)
            .map_err(|why| leaf(t, key(), format!("the evidence proves no wrong rows: {why}")))?;
        devices.insert(l.device);
    }
    Ok(devices)
}

#[cfg(test)]
mod tests {
    use super::super::{fixtures::*, *};
    use super::*;

    fn refusal(p: &PeriodReport, own: &Inputs) -> Refusal {
        check(p, own).expect_err("the proposal should be refused")
    }

    fn index(p: &PeriodReport, n: u8) -> usize {
        p.device_index(&key(n)).unwrap()
    }

    #[test]
    fn an_honest_proposal_from_slightly_different_observations_passes() {
        let own = inputs();
        let mut theirs = inputs();
        // They saw device 2 drop 100 s earlier and device 3 300 s longer, and read the pool a
        // moment earlier (less emitted).
        theirs.observations.insert(key(2), seen(2_600, ChallengeOutcome::Passed));
        theirs.observations.insert(key(3), seen(3_300, ChallengeOutcome::Passed));
        theirs.pool -= 3;
        let p = build(&theirs).unwrap();
        assert_ne!(p.body, build(&own).unwrap().body);
        assert_eq!(check(&p, &own), Ok(()));
    }

    #[test]
    fn a_tampered_uptime_is_refused() {
        let own = inputs();
        let mut p = build(&own).unwrap();
        let i = index(&p, 1);
        p.devices[i].uptime_bps = 8_999; // this node saw 10,000
        p.reroot();
        let r = refusal(&p, &own);
        assert_eq!((r.tree, r.key.as_str()), (Some(Tree::Devices), key(1).to_string().as_str()));
        assert!(r.why.contains("uptime 8999 bps, this node saw 10000 bps"), "{}", r.why);
        // Within the tolerance it passes the devices check (and then the rewards must follow it).
        p.devices[i].uptime_bps = 9_000;
        p.reroot();
        assert_eq!(refusal(&p, &own).tree, Some(Tree::Rewards));
    }

    #[test]
    fn the_chain_fixes_class_green_operator_and_the_device_set() {
        let own = inputs();
        let base = build(&own).unwrap();
        let refuse = |change: &dyn Fn(&mut PeriodReport)| {
            let mut p = base.clone();
            change(&mut p);
            p.reroot();
            refusal(&p, &own)
        };
        assert!(refuse(&|p| p.devices[0].class = 4).why.contains("class 4, the chain has 1"));
        assert!(refuse(&|p| p.devices[0].green = true).why.contains("green true"));
        assert!(refuse(&|p| p.devices[0].operator = key(11)).why.contains("operator"));
        let missing = refuse(&|p| {
            p.devices.remove(1);
        });
        assert_eq!(
            (missing.tree, missing.why.as_str()),
            (Some(Tree::Devices), "missing: the device is on chain")
        );
        let extra = refuse(&|p| {
            let mut l = p.devices[0].clone();
            l.device = key(90);
            p.devices.push(l);
        });
        assert!(extra.why.contains("not a device on chain"));
        let unordered = refuse(&|p| p.devices.swap(0, 1));
        assert!(unordered.why.contains("out of order"));
    }

    #[test]
    fn active_must_match_unless_this_node_cannot_judge() {
        let own = inputs();
        // The proposer failed device 1 (say, a missed deadline); this node saw it pass, live all
        // period: refused.
        let mut theirs = inputs();
        theirs
            .observations
            .insert(key(1), seen(3_600, ChallengeOutcome::Failed { reason: "late".into(), evidence: None }));
        let p = build(&theirs).unwrap();
        let r = refusal(&p, &own);
        assert_eq!(r.tree, Some(Tree::Devices));
        assert!(r.why.contains("active false, this node judges true"), "{}", r.why);
        // This node's challenge of device 1 is still pending: it signs.
        let mut pending = inputs();
        pending.observations.insert(key(1), seen(3_600, ChallengeOutcome::Pending));
        assert_eq!(check(&p, &pending), Ok(()));

        // Near the threshold either view stands: this node saw 5,500 bps, the proposer 4,861.
        let (mut own, mut theirs) = (inputs(), inputs());
        own.leases.clear();
        theirs.leases.clear();
        own.observations.insert(key(2), seen(1_980, ChallengeOutcome::Passed));
        theirs.observations.insert(key(2), seen(1_750, ChallengeOutcome::Passed));
        let p = build(&theirs).unwrap();
        assert!(!p.devices[index(&p, 2)].active && build(&own).unwrap().devices[index(&p, 2)].active);
        assert_eq!(check(&p, &own), Ok(()));

        // Active below the threshold contradicts the proposal's own uptime (this node, at the
        // threshold with its challenge pending, could not dispute the flag itself).
        let mut near = inputs();
        near.observations.insert(key(3), seen(1_800, ChallengeOutcome::Pending));
        let mut p = build(&near).unwrap();
        let i = index(&p, 3);
        p.devices[i].uptime_bps = 4_999;
        p.devices[i].active = true;
        p.reroot();
        let r = refusal(&p, &near);
        assert!(r.why.contains("below the threshold"), "{}", r.why);
    }

    #[test]
    fn usage_leaves_must_agree_within_tolerance() {
        let mut own = inputs();
        own.leases.push(ChainLease {
            address: key(51),
            start_ts: start() + 3_600,
            end_ts: start() + 7_200,
            devices: vec![key(4)],
        });
        let base = build(&own).unwrap();
        let with = |leaf: UsageLeaf| {
            let mut p = base.clone();
            p.usage.push(leaf);
            p.usage.sort_by_key(UsageLeaf::key);
            p.reroot();
            p
        };
        // A device that is in no lease.
        let r = refusal(&with(UsageLeaf { lease: key(50), device: key(3), seconds: 500 }), &own);
        assert_eq!(r.tree, Some(Tree::Usage));
        assert_eq!(r.key, format!("{}:{}", key(50), key(3)));
        assert!(r.why.contains("not a device of an open lease"));
        // A lease device this node attests 0 s for (its lease starts next period).
        let r = refusal(&with(UsageLeaf { lease: key(51), device: key(4), seconds: 500 }), &own);
        assert!(r.why.contains("500 s, this node attests 0 s (tolerance 120 s)"), "{}", r.why);
        // … but a leaf within the tolerance of 0 is an honest difference.
        assert_eq!(check(&with(UsageLeaf { lease: key(51), device: key(4), seconds: 100 }), &own), Ok(()));
        // A missing leaf this node counts 1,800 s for.
        let mut p = base.clone();
        p.usage.remove(0);
        p.reroot();
        assert!(refusal(&p, &own).why.contains("no leaf, this node attests 1800 s"));
        // A value below the last certified one (this node adds nothing: device 2 dropped before
        // the lease began).
        let mut low = own.clone();
        low.observations.insert(key(2), seen(1_800, ChallengeOutcome::Passed));
        let mut p = build(&low).unwrap();
        let j = p.usage_index(&key(50), &key(2)).unwrap();
        assert_eq!(p.usage[j].seconds, 100);
        p.usage[j].seconds = 99;
        p.reroot();
        let r = refusal(&p, &low);
        assert!(r.why.contains("99 s, below the last certified 100 s"), "{}", r.why);
    }

    #[test]
    fn rewards_must_follow_the_formula_exactly() {
        let own = inputs();
        let mut p = build(&own).unwrap();
        let i = p.reward_index(&key(10)).unwrap();
        p.rewards[i].cumulative += 1;
        p.reroot();
        let r = refusal(&p, &own);
        assert_eq!((r.tree, r.key.clone()), (Some(Tree::Rewards), key(10).to_string()));
        assert!(r.why.contains("cumulative 44402, the formula gives 44401"), "{}", r.why);

        // A leaf dropped (operator 12's earlier reward must stay provable).
        let mut p = build(&own).unwrap();
        p.rewards.retain(|l| l.operator != key(12));
        p.reroot();
        assert!(refusal(&p, &own).why.contains("cumulative no leaf, the formula gives 777"));

        // Out of order (the lookups and every honest root assume the key order).
        let mut p = build(&own).unwrap();
        p.rewards.swap(0, 1);
        p.reroot();
        assert!(refusal(&p, &own).why.contains("out of order"));

        // The body's total must be the tree's.
        let mut p = build(&own).unwrap();
        p.body.emission_distributed -= 1;
        assert_eq!(refusal(&p, &own).key, "emission_distributed");
    }

    #[test]
    fn the_body_must_match() {
        let own = inputs();
        let base = build(&own).unwrap();
        let mut p = base.clone();
        p.pool = own.pool + 1;
        let r = refusal(&p, &own);
        assert_eq!((r.tree, r.key.as_str()), (None, "pool"));
        assert!(r.why.contains("exceeds"));
        let mut p = base.clone();
        p.rewards[0].cumulative += 1; // not re-rooted
        assert_eq!(refusal(&p, &own).key, "roots");
        for (field, change) in [
            ("period", &(|p: &mut PeriodReport| p.body.period += 1) as &dyn Fn(&mut PeriodReport)),
            ("set_epoch", &|p| p.body.set_epoch += 1),
            ("usdc_per_io", &|p| p.body.usdc_per_io += 1),
            ("devices_attested", &|p| p.body.devices_attested += 1),
            ("device_seconds", &|p| p.body.device_seconds += 4 * 360 + 1),
        ] {
            let mut p = base.clone();
            change(&mut p);
            assert_eq!(refusal(&p, &own).key, field);
        }
    }

    #[test]
    fn slashes_must_prove_wrong_rows_by_the_rule() {
        let own = inputs();
        let cheat = build(&inputs_with_cheat()).unwrap();
        // The proposer caught device 3; this node saw it pass: the evidence convinces it, and the
        // device's inactive leaf stands.
        assert_eq!(check(&cheat, &own), Ok(()));

        let refuse = |change: &dyn Fn(&mut SlashLeaf)| {
            let mut p = cheat.clone();
            change(&mut p.slashes[0]);
            p.reroot();
            refusal(&p, &own)
        };
        // A fake: an honest answer presented as evidence.
        let fake = refuse(&|s| {
            s.evidence = honest_of_3();
            s.evidence_hash = s.evidence.hash();
        });
        assert_eq!(fake.tree, Some(Tree::Slashes));
        assert!(fake.why.contains("proves no wrong rows: the answer is correct"), "{}", fake.why);
        assert!(refuse(&|s| s.evidence_hash = [1; 32]).why.contains("not the hash"));
        assert!(refuse(&|s| s.amount += 1).why.contains("amount 100002, the rule gives 100001"));
        assert!(refuse(&|s| s.operator = key(10)).why.contains("belongs to operator"));
        // A device pinned as active despite the slash in the same report.
        let mut p = cheat.clone();
        let i = index(&p, 3);
        p.devices[i].active = true;
        p.reroot();
        assert!(refusal(&p, &own).why.contains("wrong rows"));

        // This node caught the cheat near the threshold, the proposer saw the device pass: the
        // proposer's active flag would be within tolerance, but the evidence settles it.
        let mut caught = inputs_with_cheat();
        caught.observations.get_mut(&key(3)).unwrap().live = vec![(start(), start() + 1_800)];
        let mut theirs = inputs();
        theirs.observations.insert(key(3), seen(1_800, ChallengeOutcome::Passed));
        let r = refusal(&build(&theirs).unwrap(), &caught);
        assert!(r.why.contains("this node holds evidence"), "{}", r.why);

        // This node caught the cheat, the proposer only saw a failure: no slash leaf, still signed.
        let mut theirs = inputs();
        theirs
            .observations
            .insert(key(3), seen(3_000, ChallengeOutcome::Failed { reason: "late".into(), evidence: None }));
        assert_eq!(check(&build(&theirs).unwrap(), &inputs_with_cheat()), Ok(()));
    }

    #[test]
    fn a_refusal_reads_and_publishes() {
        let r = Refusal { tree: Some(Tree::Usage), key: "a:b".into(), why: "no".into() };
        assert_eq!(r.to_string(), "usage leaf a:b: no");
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"tree": "usage", "key": "a:b", "why": "no"})
        );
        let b = Refusal { tree: None, key: "pool".into(), why: "too much".into() };
        assert_eq!(b.to_string(), "body pool: too much");
    }
}
