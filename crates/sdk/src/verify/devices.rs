//! Attested devices, GPUs by class and their green share, from the certified devices trees and
//! the chain's devices (GPU count and class are the chain's; `active` and `green` are the leaf's):
//! - now: the chain's active devices (what the indexer's `/v1/network` overview counts by
//!   design) against that overview, and the chain's statuses against the latest certified report
//!   in range (`devices.chain_status`, not a failure: the chain follows a report within seconds
//!   and moves a device on after it);
//! - per certified period in range, against the indexer's record of that report;
//! - the indexer's device list against the chain's device accounts.
//!
//! Green share: green active devices × 10,000 / active devices, rounded DOWN (0 with none).
//! Work: one pass over each period's device leaves, one over the chain's and the served devices.
use super::{
    reports::{text_of, unchecked, Published},
    Area, Rows, Snapshot,
};
use crate::{names::Name, report::PeriodReport, Pubkey};
use io_staking::{Device, DeviceStatus, HardwareClass};
use serde_json::Value;
use std::collections::BTreeMap;

const AREA: Area = Area::Devices;

pub fn check(s: &Snapshot, rows: &mut Rows) {
    check_with(s, &Published::of(s), rows);
}

/// [`check`] with the published copies already chosen (`verify` chooses them once for every
/// report-derived area: choosing re-hashes every node copy's leaves).
pub(crate) fn check_with(s: &Snapshot, published: &Published<'_>, rows: &mut Rows) {
    now(s, rows, published);
    for (p, (address, _)) in s.certified() {
        per_period(s, rows, published, p, address);
    }
    listed(s, rows);
}

/// What a devices tree attests, with the chain's GPU counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Attested {
    pub devices: u64,
    pub gpus: u64,
    pub green: u64,
    /// By class name: (devices, GPUs).
    pub by_class: BTreeMap<&'static str, (u64, u64)>,
    /// Leaves whose device is not on chain or whose class is not the chain's.
    pub unlike_chain: Vec<Pubkey>,
}

impl Attested {
    pub(crate) fn of(r: &PeriodReport, chain: &BTreeMap<Pubkey, Device>) -> Attested {
        let mut a = Attested::default();
        for l in &r.devices {
            let device = chain.get(&l.device);
            let class = device.map(|d| d.class);
            if device.is_none() || class.map(HardwareClass::index) != Some(usize::from(l.class)) {
                a.unlike_chain.push(l.device);
            }
            if !l.active {
                continue;
            }
            let gpus = device.map_or(0, |d| u64::from(d.gpu_count));
            a.devices += 1;
            a.gpus += gpus;
            a.green += u64::from(l.green);
            let name = HardwareClass::ALL.get(usize::from(l.class)).map_or("unknown", Name::name);
            let e = a.by_class.entry(name).or_default();
            e.0 += 1;
            e.1 += gpus;
        }
        a
    }

    /// What the chain marks active now (what an honest indexer counts).
    pub(crate) fn active_on_chain(chain: &BTreeMap<Pubkey, Device>) -> Attested {
        let mut a = Attested::default();
        for d in chain.values().filter(|d| d.status == DeviceStatus::Active) {
            a.devices += 1;
            a.gpus += u64::from(d.gpu_count);
            a.green += u64::from(d.green);
            let e = a.by_class.entry(d.class.name()).or_default();
            e.0 += 1;
            e.1 += u64::from(d.gpu_count);
        }
        a
    }

    /// Green active devices in bps of the active ones, floored; 0 with none.
    pub(crate) fn green_share_bps(&self) -> u64 {
        green_share_bps(self.green, self.devices)
    }
}

pub(crate) fn green_share_bps(green: u64, devices: u64) -> u64 {
    (u128::from(green) * 10_000).checked_div(u128::from(devices)).map_or(0, |b| b as u64)
}

/// The network's devices now. The indexer's `/v1/network` figures are by design the devices the
/// chain marks active (io_staking's status, GPU count, class and green flag), so they are compared
/// with the chain's Device accounts; how the chain's statuses stand against the latest certified
/// report in range is said in `devices.chain_status` (the report's own figures are compared per
/// period).
fn now(s: &Snapshot, rows: &mut Rows, published: &Published<'_>) {
    let c = Attested::active_on_chain(&s.chain.devices);
    let net = "/v1/network";
    let indexed = s.served.url.is_some();
    let served = |pointer: &str| s.served.number(net, pointer);
    let mut figure = |name: String, chain: u64, served: Option<String>| {
        if indexed {
            rows.compare(AREA, name, chain, served, "indexer");
        } else {
            rows.recomputed(AREA, name, chain);
        }
    };
    figure("devices.attested".into(), c.devices, served("/overview/devices_attested"));
    figure("devices.gpus".into(), c.gpus, served("/overview/gpus_attested"));
    figure("devices.green".into(), c.green, served("/devices/green_active"));
    // The indexer lists only classes with active devices: an absent class serves 0.
    let by_class = s.served.get(net).and_then(|n| n.pointer("/overview/by_class")).and_then(Value::as_array);
    for class in HardwareClass::ALL {
        let name = class.name();
        let (n, g) = c.by_class.get(name).copied().unwrap_or_default();
        let entry =
            by_class.map(|list| list.iter().find(|e| e.get("class").and_then(Value::as_str) == Some(name)));
        let served_of = |field: &str| match entry {
            None => None,
            Some(None) => Some("0".to_owned()),
            Some(Some(e)) => text_of(e.get(field)),
        };
        figure(format!("devices.attested.{name}"), n, served_of("devices"));
        figure(format!("devices.gpus.{name}"), g, served_of("gpus"));
    }
    // The indexer serves no share, only the counts compared above: a share derived from them
    // could never fail on its own.
    rows.push(super::Row {
        area: AREA,
        figure: "devices.green_share_bps".into(),
        recomputed: Some(c.green_share_bps().to_string()),
        served: None,
        served_by: None,
        verdict: super::Verdict::Recomputed,
        note: Some("of the devices the chain marks active (the indexer serves the counts only)".into()),
    });
    match published.latest(s) {
        None => unchecked(rows, AREA, "devices.chain_status".into(), "no certified report in range".into()),
        Some((p, None)) => {
            rows.recomputed(AREA, "devices.period", p);
            unchecked(
                rows,
                AREA,
                "devices.chain_status".into(),
                format!("not recomputed: report {p}'s leaves are not published (see report.{p}.leaves)"),
            );
        }
        Some((p, Some(leaves))) => {
            rows.recomputed(AREA, "devices.period", p);
            chain_status(s, rows, p, leaves);
        }
    }
}

/// How many devices the chain marks unlike report `p` attests them, and why that is allowed: the
/// chain follows a certified report once the cranks apply its device leaves (an activation also
/// waits for the operator's bond), and io_staking moves a device on after the report (jailed,
/// retired, a later report applied: its `attested_period` passes `p`). The indexer serves the
/// chain's figures, compared above; the report's own are compared per period. Not a failure.
fn chain_status(s: &Snapshot, rows: &mut Rows, p: u64, leaves: &PeriodReport) {
    let mut pending = Vec::new();
    let mut since = Vec::new();
    for l in &leaves.devices {
        let Some(d) = s.chain.devices.get(&l.device) else { continue };
        if (d.status == DeviceStatus::Active) != l.active {
            if d.attested_period < p {
                pending.push(l.device.to_string());
            } else {
                since.push(l.device.to_string());
            }
        }
    }
    let listed = |a: &Pubkey| leaves.device_index(a).is_some();
    let unlisted =
        s.chain.devices.iter().filter(|(a, d)| d.status == DeviceStatus::Active && !listed(a)).count();
    let differ = pending.len() + since.len();
    let examples: Vec<String> = pending.iter().chain(&since).take(3).cloned().collect();
    rows.push(super::Row {
        area: AREA,
        figure: "devices.chain_status".into(),
        recomputed: Some(format!("{differ} of {} unlike report {p}", leaves.devices.len())),
        served: None,
        served_by: None,
        verdict: super::Verdict::Recomputed,
        note: (differ > 0 || unlisted > 0).then(|| {
            format!(
                "the chain marks {differ} device(s) unlike report {p} ({}): {} not yet applied by the cranks or \
                 waiting for the operator's bond (attested_period < {p}), {} moved on since (jailed, retired or a \
                 later report applied: attested_period ≥ {p}); {unlisted} active on chain not in report {p}. \
                 Allowed: devices.attested compares the indexer with the chain, the report's own figures are \
                 devices.{p}.*",
                examples.join(", "),
                pending.len(),
                since.len(),
            )
        }),
    });
}

/// Per certified period in range: the attested count against the indexer's record of the
/// report, the GPUs and green share recomputed, and every leaf's class against the chain's.
fn per_period(s: &Snapshot, rows: &mut Rows, published: &Published<'_>, p: u64, address: &Pubkey) {
    let Some(leaves) = published.at(p) else { return };
    let a = Attested::of(leaves, &s.chain.devices);
    let figure = |what: &str| format!("devices.{p}.{what}");
    if s.served.url.is_some() {
        let served = s.served.report_record(p, address).and_then(|r| text_of(r.get("devices_attested")));
        rows.compare(AREA, figure("attested"), a.devices, served, "indexer");
    } else {
        rows.recomputed(AREA, figure("attested"), a.devices);
    }
    rows.recomputed(AREA, figure("gpus"), a.gpus);
    rows.recomputed(AREA, figure("green_share_bps"), a.green_share_bps());
    let unlike: Vec<String> = a.unlike_chain.iter().take(3).map(Pubkey::to_string).collect();
    rows.invariant(
        AREA,
        figure("classes"),
        format!("{} leaves", leaves.devices.len()),
        format!("{} unlike the chain", a.unlike_chain.len()),
        "chain",
        a.unlike_chain.is_empty(),
        format!(
            "device leaves whose device is not on chain or whose class is not the chain's: {}",
            unlike.join(", ")
        ),
    );
}

/// The indexer's device list against the chain's accounts: the same devices, with the same
/// class, GPU count, green flag and status.
fn listed(s: &Snapshot, rows: &mut Rows) {
    if s.served.url.is_none() {
        return;
    }
    let Some(list) = s.served.get("/v1/devices").and_then(Value::as_array) else {
        rows.missing(AREA, "devices.listed", s.served.why_absent("/v1/devices"));
        return;
    };
    rows.compare(AREA, "devices.listed", s.chain.devices.len(), Some(list.len()), "indexer");
    let served: BTreeMap<&str, &Value> =
        list.iter().filter_map(|d| Some((d.get("address")?.as_str()?, d))).collect();
    let mut differ = Vec::new();
    for (address, d) in &s.chain.devices {
        let a = address.to_string();
        let same = served.get(a.as_str()).is_some_and(|v| {
            text_of(v.get("class")).as_deref() == Some(d.class.name())
                && text_of(v.get("gpu_count")) == Some(d.gpu_count.to_string())
                && bool_of(v.get("green")) == Some(d.green)
                && text_of(v.get("status")).as_deref() == Some(d.status.name())
        });
        if !same {
            differ.push(a);
        }
    }
    rows.invariant(
        AREA,
        "devices.records",
        format!("{} on chain", s.chain.devices.len()),
        format!("{} differ", differ.len()),
        "indexer",
        differ.is_empty(),
        format!(
            "the indexer serves these devices unlike the chain (class, gpu_count, green, status): {}",
            differ.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
        ),
    );
}

/// A served flag: a JSON boolean, or 0/1 as some stores write it.
fn bool_of(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1).map(|n| n == 1),
        _ => None,
    }
}

#[cfg(test)]
#[path = "devices_tests.rs"]
mod tests;
