//! Each certified report in range, from the chain's account and every oracle node's copy:
//! - its address and digest (`io_oracle::report_digest` of the certified body on this cluster);
//! - its signers against the oracle set of its epoch, and each published signature;
//! - its roots against the leaves each node publishes: a node serving leaves that are not the
//!   certified ones is named; a report no node publishes leaves for is a finding; the pool (in no
//!   root) is the one that reproduces the certified rewards root, and a node serving another is
//!   named;
//! - what its body claims (devices attested, device-seconds, emission distributed, the rewards
//!   tree itself) recomputed from the leaves, the previous certified report and the chain;
//! - the indexer's record of it (`/v1/reports/<p>`) against the chain's account.
//!
//! Work per period: one digest, one signature verification per published signature, four Merkle
//! roots per node copy, one rewards distribution over the devices tree.
use super::{row::Row, Area, NodeCopy, Rows, Snapshot, Verdict};
use crate::{
    names::Name,
    report::{distribute_floor, json::hex, leaves::Tree, Cumulative, PeriodReport, RULES},
    Pubkey,
};
use ed25519_dalek::{Signature, VerifyingKey};
use io_merkle::MerkleTree;
use io_oracle::{OracleSet, Report, ReportStatus};
use io_staking::HardwareClass;
use serde_json::Value;
use std::collections::BTreeMap;

const AREA: Area = Area::Reports;

pub fn check(s: &Snapshot, rows: &mut Rows) {
    check_with(s, &Published::of(s), rows);
}

/// [`check`] with the published copies already chosen (`verify` chooses them once for every
/// report-derived area: choosing re-hashes every node copy's leaves).
pub(crate) fn check_with(s: &Snapshot, published: &Published<'_>, rows: &mut Rows) {
    for (period, (address, onchain)) in s.certified() {
        identity(s, rows, period, address, onchain);
        signers(s, rows, period, onchain);
        copies(s, rows, published, period, onchain);
        claims(s, rows, published, period, onchain);
        indexer(s, rows, period, address, onchain);
    }
}

fn fig(period: u64, what: &str) -> String {
    format!("report.{period}.{what}")
}

/// A figure that cannot be recomputed from what was gathered, and why: not a failure.
pub(crate) fn unchecked(rows: &mut Rows, area: Area, figure: String, why: String) {
    rows.push(Row {
        area,
        figure,
        recomputed: None,
        served: None,
        served_by: None,
        verdict: Verdict::Recomputed,
        note: Some(why),
    });
}

// ---------------------------------------------------------------------------------------------
// Shared lookups (the other report-derived areas use them)

/// Every certified report account on chain, in or out of range, by period (at most one per
/// period: periods only move forward).
pub(crate) fn all_certified(s: &Snapshot) -> BTreeMap<u64, &Report> {
    s.chain
        .reports
        .values()
        .filter(|r| r.status == ReportStatus::Certified)
        .map(|r| (r.body.period, r))
        .collect()
}

/// The leaves of every certified report on chain (in or out of range), found once per run.
///
/// A copy publishes the certified leaves when its body is the certified body (or the same content
/// re-signed with another expiry or set epoch: `ReportBody::same_content`, roots included) and
/// its leaves' roots are its body's. Those copies hold the same leaves, but their `pool` is
/// committed by no root: the copy checked is one whose pool, shared by the devices tree's weights
/// (`distribute_floor`), reproduces the certified rewards root, so that the result does not
/// depend on the order of the nodes (and [`Snapshot::leaves_of`] picks the same copy). Finding
/// them costs four Merkle roots per copy tried and one distribution per distinct pool; every
/// lookup after that is free.
pub(crate) struct Published<'a> {
    by_period: BTreeMap<u64, Option<Chosen<'a>>>,
}

/// The copy of a certified period whose leaves are checked.
#[derive(Clone, Copy)]
pub(crate) struct Chosen<'a> {
    pub(crate) report: &'a PeriodReport,
    /// The node that published it (the first, in node order, of those publishing its pool).
    pub(crate) node: &'a str,
    pub(crate) pool: PoolProof,
}

/// Whether the checked copy's pool was proven by the certified rewards root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PoolProof {
    /// Its pool, shared by the devices tree's weights, reproduces the certified rewards root.
    Reproduces,
    /// No published pool reproduces it (`report.<p>.rewards` says so).
    NoneReproduces,
    /// The rewards tree cannot be recomputed (the previous leaves are unknown, a device is not
    /// on chain, or the distribution overflows).
    Unknown,
}

/// The copies of certified period `p` that publish its leaves, with their node, in node order.
fn certified_copies<'a>(s: &'a Snapshot, p: u64, onchain: &Report) -> Vec<(&'a str, &'a PeriodReport)> {
    s.copies
        .get(&p)
        .into_iter()
        .flatten()
        .filter_map(|c| match &c.result {
            Ok(x)
                if (x.report.body == onchain.body || x.report.body.same_content(&onchain.body))
                    && x.report.roots_match() =>
            {
                Some((c.node.as_str(), &x.report))
            }
            _ => None,
        })
        .collect()
}

impl<'a> Published<'a> {
    pub(crate) fn of(s: &'a Snapshot) -> Published<'a> {
        let mut by_period: BTreeMap<u64, Option<Chosen<'a>>> = BTreeMap::new();
        // Oldest first: each period's previous cumulative rewards are its predecessor's chosen leaves.
        for (p, onchain) in all_certified(s) {
            let candidates = certified_copies(s, p, onchain);
            let previous = match by_period.range(..p).next_back() {
                None => Some(Cumulative::default()),
                Some((_, chosen)) => chosen.map(|c| cumulative_of(c.report)),
            };
            let chosen = choose(s, &candidates, previous.as_ref(), onchain);
            by_period.insert(p, chosen);
        }
        Published { by_period }
    }

    /// The checked copy of certified period `p`, `None` when not gathered or not published.
    pub(crate) fn chosen(&self, p: u64) -> Option<Chosen<'a>> {
        self.by_period.get(&p).copied().flatten()
    }

    /// The leaves of certified period `p`, `None` when not gathered or not published.
    pub(crate) fn at(&self, p: u64) -> Option<&'a PeriodReport> {
        self.chosen(p).map(|c| c.report)
    }

    /// What came before certified period `p`.
    pub(crate) fn before(&self, p: u64) -> Before<'a> {
        match self.by_period.range(..p).next_back() {
            None => Before::Genesis,
            Some((&q, chosen)) => chosen.map_or(Before::Unknown(q), |c| Before::Leaves(c.report)),
        }
    }

    /// Every certified period, newest first, with its leaves.
    pub(crate) fn newest_first(&self) -> impl Iterator<Item = (u64, Option<&'a PeriodReport>)> + '_ {
        self.by_period.iter().rev().map(|(p, c)| (*p, c.map(|c| c.report)))
    }

    /// The newest certified period on chain.
    pub(crate) fn newest(&self) -> Option<u64> {
        self.by_period.keys().next_back().copied()
    }

    /// The latest certified period in range and its leaves: the period the "now" figures come
    /// from.
    pub(crate) fn latest(&self, s: &Snapshot) -> Option<(u64, Option<&'a PeriodReport>)> {
        let (p, _) = s.certified().into_iter().next_back()?;
        Some((p, self.at(p)))
    }
}

/// Among the copies publishing the certified leaves, the one checked: a pool that reproduces the
/// certified rewards root first, then the pool most copies publish, then the smaller pool (so
/// that the choice never depends on node order); among copies of that pool, an exact body first.
fn choose<'a>(
    s: &Snapshot,
    candidates: &[(&'a str, &'a PeriodReport)],
    previous: Option<&Cumulative>,
    onchain: &Report,
) -> Option<Chosen<'a>> {
    let (_, first) = candidates.first()?;
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for (_, r) in candidates {
        *counts.entry(r.pool).or_default() += 1;
    }
    // The devices leaves are the same in every candidate (their roots are the certified roots).
    let weights = weights_of(s, first).ok();
    let reproduces = |pool: u64| -> PoolProof {
        let (Some(w), Some(prev)) = (&weights, previous) else { return PoolProof::Unknown };
        match distribute_floor(w, pool, prev) {
            Ok((leaves, _)) if rewards_root(&leaves) == onchain.body.rewards_root => PoolProof::Reproduces,
            Ok(_) => PoolProof::NoneReproduces,
            Err(_) => PoolProof::Unknown,
        }
    };
    let proofs: BTreeMap<u64, PoolProof> = counts.keys().map(|&pool| (pool, reproduces(pool))).collect();
    let (&pool, _) = counts.iter().max_by(|(pa, ca), (pb, cb)| {
        let rank = |pool: &u64| u8::from(proofs[pool] == PoolProof::Reproduces);
        // max_by: a higher rank, then more copies, then the SMALLER pool wins.
        (rank(pa), *ca).cmp(&(rank(pb), *cb)).then(pb.cmp(pa))
    })?;
    let exact = |r: &PeriodReport| r.body == onchain.body;
    let of_pool = || candidates.iter().filter(|(_, r)| r.pool == pool);
    let (node, report) = of_pool().find(|(_, r)| exact(r)).or_else(|| of_pool().next()).copied()?;
    let proof = match proofs[&pool] {
        PoolProof::Reproduces => PoolProof::Reproduces,
        // No pool reproduces: say so only when the tree could be recomputed at all.
        _ if proofs.values().any(|p| *p == PoolProof::Unknown) => PoolProof::Unknown,
        _ => PoolProof::NoneReproduces,
    };
    Some(Chosen { report, node, pool: proof })
}

/// Each operator's reward weight from the devices tree's active leaves and the chain's GPU
/// counts (`RULES.device_weight`, the builder's own); `Err` says why not (a device of the devices
/// tree is not on chain, or its class is unknown).
fn weights_of(s: &Snapshot, leaves: &PeriodReport) -> Result<BTreeMap<Pubkey, u128>, String> {
    let mut weights: BTreeMap<Pubkey, u128> = BTreeMap::new();
    for l in leaves.devices.iter().filter(|l| l.active) {
        let class = HardwareClass::ALL.get(usize::from(l.class)).copied();
        let (Some(class), Some(device)) = (class, s.chain.devices.get(&l.device)) else {
            return Err(format!(
                "not recomputed: device {} of the devices tree is not on chain (or its class {} is unknown)",
                l.device, l.class
            ));
        };
        let w = weights.entry(l.operator).or_insert(0);
        *w = w.saturating_add(RULES.device_weight(class, device.gpu_count, l.uptime_bps));
    }
    Ok(weights)
}

fn rewards_root(leaves: &[crate::report::RewardLeaf]) -> [u8; 32] {
    MerkleTree::new(leaves.iter().map(|l| l.hash()).collect()).root()
}

/// What came before a certified period: its cumulative leaves are the base of this one's.
pub(crate) enum Before<'a> {
    /// No report was certified before: everything starts at zero.
    Genesis,
    /// The previous certified report's leaves.
    Leaves(&'a PeriodReport),
    /// The previous certified period, whose leaves were not gathered (outside `--period`) or
    /// are not published.
    Unknown(u64),
}

impl Before<'_> {
    /// The cumulative leaves before, `None` when unknown.
    pub(crate) fn cumulative(&self) -> Option<Cumulative> {
        match self {
            Before::Genesis => Some(Cumulative::default()),
            Before::Leaves(r) => Some(cumulative_of(r)),
            Before::Unknown(_) => None,
        }
    }

    /// Why a figure that needs the previous leaves is not recomputed.
    pub(crate) fn why_unknown(&self) -> String {
        match self {
            Before::Unknown(q) => format!(
                "not recomputed: it needs the leaves of the previous certified report ({q}), which were \
                 not gathered (outside --period) or no node publishes"
            ),
            _ => String::new(),
        }
    }
}

/// A report's cumulative leaves, as the next report's builder takes them.
pub(crate) fn cumulative_of(r: &PeriodReport) -> Cumulative {
    Cumulative {
        rewards: r.rewards.iter().map(|l| (l.operator, l.cumulative)).collect(),
        usage: r.usage.iter().map(|l| ((l.lease, l.device), l.seconds)).collect(),
    }
}

/// Σ of u64s without overflow (u128), as text-comparable.
pub(crate) fn sum_u128(values: impl IntoIterator<Item = u64>) -> u128 {
    values.into_iter().map(u128::from).sum()
}

/// The indexer's row of the report account `address` in `/v1/reports/<period>`: `Err` with why
/// there is none (`Ok(None)`: no indexer to compare with).
fn served_row<'a>(s: &'a Snapshot, period: u64, address: &Pubkey) -> Result<Option<&'a Value>, String> {
    if s.served.url.is_none() {
        return Ok(None);
    }
    let path = format!("/v1/reports/{period}");
    let Some(answer) = s.served.get(&path) else {
        return Err(s.served.why_absent(&path));
    };
    if !answer.is_array() {
        return Err(format!("the indexer's {path} is not a list of reports"));
    }
    let row = s.served.report_record(period, address);
    row.map(Some).ok_or_else(|| format!("the indexer's {path} lists no report {address}"))
}

pub(crate) use super::snapshot::text_of;

// ---------------------------------------------------------------------------------------------
// The checks

/// The account's address and digest are those of its body on this cluster.
fn identity(s: &Snapshot, rows: &mut Rows, p: u64, address: &Pubkey, onchain: &Report) {
    let cluster = &s.chain.oracle.cluster_id;
    let derived = crate::oracle::report(cluster, &onchain.body);
    rows.invariant(
        AREA,
        fig(p, "address"),
        derived,
        address,
        "chain",
        derived == *address,
        "the certified report account is not at the address of its body's digest",
    );
    let digest = io_oracle::report_digest(cluster, &onchain.body);
    rows.compare(AREA, fig(p, "digest"), hex(&digest), Some(hex(&onchain.digest)), format!("report {p}"));
}

/// The oracle set of `epoch`, when current state still holds it.
fn set_of(s: &Snapshot, epoch: u64) -> Option<&OracleSet> {
    let o = &s.chain.oracle;
    if o.set.epoch == epoch {
        Some(&o.set)
    } else if o.prev_set.epoch == epoch && o.prev_set.count > 0 {
        Some(&o.prev_set)
    } else {
        None
    }
}

/// The signers bitmap names a quorum of the set of the body's epoch, and every signature the
/// nodes publish for the certified digest is a member's and verifies.
fn signers(s: &Snapshot, rows: &mut Rows, p: u64, onchain: &Report) {
    let epoch = onchain.body.set_epoch;
    let Some(set) = set_of(s, epoch) else {
        unchecked(
            rows,
            AREA,
            fig(p, "signers"),
            format!(
                "set epoch {epoch} is neither the current ({}) nor the previous set: its members \
                 cannot be read from current state (the chain checked them when it certified)",
                s.chain.oracle.set.epoch
            ),
        );
        return;
    };
    let bits = onchain.signers;
    let members = u32::from(set.count.min(8));
    let outside = if members >= 8 { 0 } else { u32::from(bits) >> members };
    let count = bits.count_ones();
    rows.invariant(
        AREA,
        fig(p, "signers"),
        format!("{count} of {}", set.count),
        format!("threshold {} of set {epoch}", set.threshold),
        "chain",
        outside == 0 && count >= u32::from(set.threshold),
        if outside != 0 {
            format!("the signers bitmap {bits:#010b} names keys past the set's {} members", set.count)
        } else {
            format!("{count} signers are below the set's threshold {}", set.threshold)
        },
    );

    // Every published signature over the certified digest; nodes publish the same signatures,
    // each verified once.
    let mut verified: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for copy in s.copies.get(&p).into_iter().flatten() {
        let Ok(published) = &copy.result else { continue };
        if published.report.body != onchain.body {
            continue;
        }
        for (signer, signature) in &published.signatures {
            if verified.get(&(signer.as_str(), signature.as_str())) == Some(&true) {
                continue;
            }
            let outcome = verify_signature(set, signer, signature, &onchain.digest);
            verified.insert((signer, signature), outcome == Ok(true));
            match outcome {
                Ok(true) => {}
                Ok(false) => unchecked(
                    rows,
                    AREA,
                    fig(p, "signature"),
                    format!(
                        "{signer} (published by {}) signed, but is not a member of set {epoch}: not counted",
                        copy.node
                    ),
                ),
                Err(why) => rows.push(Row {
                    area: AREA,
                    figure: fig(p, "signature"),
                    recomputed: Some(hex(&onchain.digest)),
                    served: Some(format!("{signer}: {signature}")),
                    served_by: Some(format!("node {}", copy.node)),
                    verdict: Verdict::Mismatch,
                    note: Some(why),
                }),
            }
        }
    }
    let good: std::collections::BTreeSet<&str> =
        verified.iter().filter(|(_, ok)| **ok).map(|((k, _), _)| *k).collect();
    rows.recomputed(AREA, fig(p, "signatures_verified"), format!("{} signers", good.len()));
}

/// A published signature: a valid ed25519 signature over `digest` (strict, as the Ed25519
/// precompile checks), `Ok(true)` by a member of `set`, `Ok(false)` by another key (a node outside
/// the set may sign too: the chain never counts it, so it is no forgery). Signatures are
/// published hex (the oracle node's form); base58 is accepted too.
fn verify_signature(
    set: &OracleSet,
    signer: &str,
    signature: &str,
    digest: &[u8; 32],
) -> Result<bool, String> {
    let key: Pubkey = signer.parse().map_err(|_| format!("signer '{signer}' is not a base58 key"))?;
    let bytes = signature_bytes(signature).ok_or_else(|| format!("'{signature}' is not a signature"))?;
    let vk = VerifyingKey::from_bytes(&key.to_bytes()).map_err(|_| format!("{key} is not an ed25519 key"))?;
    vk.verify_strict(digest, &Signature::from_bytes(&bytes))
        .map_err(|_| format!("{key}'s signature does not verify over the certified digest"))?;
    Ok(set.position(&key).is_some())
}

fn signature_bytes(text: &str) -> Option<[u8; 64]> {
    if text.len() == 128 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut out = [0u8; 64];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        return Some(out);
    }
    let sig: solana_keypair::Signature = text.parse().ok()?;
    Some(sig.into())
}

/// Each node's copy against the certified body: a different body or leaves whose roots are not
/// the certified roots name the node; no node publishing the certified leaves is a finding.
fn copies(s: &Snapshot, rows: &mut Rows, published_leaves: &Published<'_>, p: u64, onchain: &Report) {
    let copies: &[NodeCopy] = s.copies.get(&p).map_or(&[], Vec::as_slice);
    let cluster = &s.chain.oracle.cluster_id;
    let mut good = 0usize;
    let mut absent = Vec::new();
    for copy in copies {
        let by = format!("node {}", copy.node);
        let published = match &copy.result {
            Ok(published) => published,
            Err(why) => {
                absent.push(format!("{}: {why}", copy.node));
                continue;
            }
        };
        let r = &published.report;
        // The digest the node says it signed is the digest of the body it publishes.
        let own = hex(&r.digest(cluster));
        if published.digest != own {
            rows.compare(AREA, fig(p, "digest"), &own, Some(&published.digest), by.clone());
        }
        // A copy equal, leaf for leaf, to the one whose roots were already checked is that one.
        if published_leaves.at(p).is_some_and(|good| good == r) {
            good += 1;
            continue;
        }
        let mut differs = false;
        for tree in Tree::ALL_FOUR {
            let root = MerkleTree::new(r.leaf_hashes(tree)).root();
            let certified = onchain_root(onchain, tree);
            if root != certified {
                differs = true;
                rows.push(Row {
                    area: AREA,
                    figure: fig(p, &format!("{}_root", tree.name())),
                    recomputed: Some(hex(&root)),
                    served: Some(hex(&certified)),
                    served_by: Some(by.clone()),
                    verdict: Verdict::Mismatch,
                    note: Some(format!(
                        "the root of the {} leaves {} publishes is not the certified root",
                        tree.name(),
                        copy.node
                    )),
                });
            }
        }
        // The same content re-signed with another expiry or set epoch (honest: see
        // `ReportBody::same_content`) publishes the same leaves.
        if r.body != onchain.body && !r.body.same_content(&onchain.body) {
            differs = true;
            rows.compare(AREA, fig(p, "body"), hex(&onchain.digest), Some(own), by.clone());
        }
        if differs {
            absent.push(format!("{}: publishes other leaves", copy.node));
            continue;
        }
        good += 1;
        // The certified leaves beside a pool that is not the checked copy's: the pool is
        // committed by no root, so the nodes' copies must agree on it.
        if let Some(chosen) = published_leaves.chosen(p).filter(|c| c.report.pool != r.pool) {
            rows.push(Row {
                area: AREA,
                figure: fig(p, "pool"),
                recomputed: Some(chosen.report.pool.to_string()),
                served: Some(r.pool.to_string()),
                served_by: Some(by.clone()),
                verdict: Verdict::Mismatch,
                note: Some(format!(
                    "{} publishes the certified leaves with another pool than {}'s, {}",
                    copy.node,
                    chosen.node,
                    match chosen.pool {
                        PoolProof::Reproduces => "whose pool reproduces the certified rewards root",
                        PoolProof::NoneReproduces =>
                            "and no published pool reproduces the certified rewards root",
                        PoolProof::Unknown =>
                            "and the rewards tree cannot be recomputed to tell which pool is the report's",
                    }
                )),
            });
        }
    }
    if good == 0 {
        let why = if absent.is_empty() { "no oracle node was asked".to_owned() } else { absent.join("; ") };
        rows.missing(
            AREA,
            fig(p, "leaves"),
            format!("no node publishes the leaves of the certified report: {why}"),
        );
    } else {
        rows.recomputed(AREA, fig(p, "leaves"), format!("published by {good} of {} nodes", copies.len()));
    }
}

fn onchain_root(r: &Report, tree: Tree) -> [u8; 32] {
    match tree {
        Tree::Devices => r.body.devices_root,
        Tree::Usage => r.body.usage_root,
        Tree::Rewards => r.body.rewards_root,
        Tree::Slashes => r.body.slashes_root,
    }
}

/// The live seconds a device leaf's `uptime_bps` allows: `uptime_bps` is
/// `floor(live × 10,000 / period)` of `min(live, period)`, so `live` lies in
/// `[ceil(bps × period / 10,000), ceil((bps + 1) × period / 10,000) − 1]` (just `period` at
/// 10,000).
pub(crate) fn live_bounds(uptime_bps: u16) -> (u64, u64) {
    let period = u128::from(RULES.period_secs);
    let bps = u128::from(uptime_bps);
    let lo = (bps * period).div_ceil(10_000);
    let hi = if uptime_bps >= 10_000 { period } else { ((bps + 1) * period).div_ceil(10_000) - 1 };
    // Both ≤ period, a u64.
    (u64::try_from(lo).unwrap_or(u64::MAX), u64::try_from(hi).unwrap_or(u64::MAX))
}

/// The body's claims recomputed from its leaves (and the previous report's).
fn claims(s: &Snapshot, rows: &mut Rows, published: &Published<'_>, p: u64, onchain: &Report) {
    let Some(leaves) = published.at(p) else { return };
    let body = &onchain.body;
    let by = format!("report {p}");

    let attested = leaves.devices.iter().filter(|l| l.active).count();
    rows.compare(AREA, fig(p, "devices_attested"), attested, Some(body.devices_attested), by.clone());

    // Device-seconds are Σ live seconds of every device; each leaf's uptime bounds its own.
    let (lo, hi) = leaves
        .devices
        .iter()
        .map(|l| live_bounds(l.uptime_bps))
        .fold((0u128, 0u128), |(a, b), (l, h)| (a + u128::from(l), b + u128::from(h)));
    let claimed = u128::from(body.device_seconds);
    rows.invariant(
        AREA,
        fig(p, "device_seconds"),
        format!("{lo}..={hi}"),
        body.device_seconds,
        by.clone(),
        lo <= claimed && claimed <= hi,
        "the body's device-seconds are not what the devices' published uptimes add up to",
    );

    rows.invariant(
        AREA,
        fig(p, "distributed_vs_pool"),
        body.emission_distributed,
        leaves.pool,
        by.clone(),
        body.emission_distributed <= leaves.pool,
        "the report distributes more than its pool",
    );

    let before = published.before(p);
    let Some(previous) = before.cumulative() else {
        unchecked(rows, AREA, fig(p, "emission_distributed"), before.why_unknown());
        return;
    };
    let allotted_before = sum_u128(previous.rewards.values().copied());
    let allotted = sum_u128(leaves.rewards.iter().map(|l| l.cumulative));
    match allotted.checked_sub(allotted_before) {
        Some(d) => {
            rows.compare(AREA, fig(p, "emission_distributed"), d, Some(body.emission_distributed), by.clone())
        }
        None => rows.invariant(
            AREA,
            fig(p, "emission_distributed"),
            allotted,
            allotted_before,
            "the previous report's Σ cumulative rewards",
            false,
            "Σ cumulative rewards went down",
        ),
    }

    // The pool is what was emitted and not yet allotted when the report was built: never more
    // than what io_token has emitted by now less what the previous report allotted.
    let emitted = u128::from(s.chain.token.emission.emitted);
    rows.invariant(
        AREA,
        fig(p, "pool"),
        leaves.pool,
        emitted.saturating_sub(allotted_before),
        "io_token emitted − Σ allotted before",
        u128::from(leaves.pool) + allotted_before <= emitted,
        "the report's pool is more than io_token emitted and earlier reports did not allot",
    );

    rewards_tree(s, rows, p, leaves, &previous);
}

/// The rewards tree recomputed from the devices tree, the chain's GPU counts, the pool and the
/// previous cumulative rewards, with the builder's own distribution (`distribute_floor`).
fn rewards_tree(s: &Snapshot, rows: &mut Rows, p: u64, leaves: &PeriodReport, previous: &Cumulative) {
    let weights = match weights_of(s, leaves) {
        Ok(w) => w,
        Err(why) => {
            unchecked(rows, AREA, fig(p, "rewards"), why);
            return;
        }
    };
    let by = format!("report {p}");
    match distribute_floor(&weights, leaves.pool, previous) {
        Ok((recomputed, _)) => {
            let root = rewards_root(&recomputed);
            let differing = recomputed.len().abs_diff(leaves.rewards.len())
                + recomputed.iter().zip(&leaves.rewards).filter(|(a, b)| a != b).count();
            rows.push(Row {
                area: AREA,
                figure: fig(p, "rewards"),
                recomputed: Some(hex(&root)),
                served: Some(hex(&leaves.body.rewards_root)),
                served_by: Some(by),
                verdict: if root == leaves.body.rewards_root { Verdict::Ok } else { Verdict::Mismatch },
                note: (root != leaves.body.rewards_root).then(|| {
                    format!(
                        "the rewards tree is not the pool shared by the devices tree's weights ({differing} leaves differ)"
                    )
                }),
            });
        }
        Err(e) => rows.invariant(AREA, fig(p, "rewards"), "overflow", leaves.pool, by, false, e.to_string()),
    }
}

/// The indexer's record of the report against the chain's account.
fn indexer(s: &Snapshot, rows: &mut Rows, p: u64, address: &Pubkey, onchain: &Report) {
    let row = match served_row(s, p, address) {
        Ok(None) => return,
        Ok(Some(row)) => row,
        Err(why) => {
            rows.missing(AREA, fig(p, "indexed"), why);
            return;
        }
    };
    let b = &onchain.body;
    let field = |name: &str| text_of(row.get(name));
    let mut cmp = |what: &str, chain: String| {
        rows.compare(AREA, fig(p, what), chain, field(what), "indexer");
    };
    cmp("digest", hex(&onchain.digest));
    cmp("status", onchain.status.name().to_owned());
    cmp("signers", onchain.signers.to_string());
    cmp("set_epoch", b.set_epoch.to_string());
    for tree in Tree::ALL_FOUR {
        cmp(&format!("{}_root", tree.name()), hex(&onchain_root(onchain, tree)));
    }
    cmp("devices_attested", b.devices_attested.to_string());
    cmp("device_seconds", b.device_seconds.to_string());
    cmp("emission_distributed", b.emission_distributed.to_string());
    cmp("usdc_per_io", b.usdc_per_io.to_string());
}

#[cfg(test)]
#[path = "reports_tests.rs"]
pub(crate) mod tests;
