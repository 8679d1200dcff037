//! After a certification: the idempotent cranks of what the report proves — io_token's hourly
//! `emit`, `claim_operator_rewards` per operator with more to claim, `apply_device_report` for
//! each device whose attested status differs from the chain's, `settle_attested` per usage leaf
//! above what the lease settled, `finalize_lease` once a lease's grace is over,
//! `propose_slash_from_report` per slash leaf and `execute_slash` after the appeal window.
//!
//! The node that certified a period queues them at once; the others after a further
//! `takeover_ms`, and only what the chain still shows undone. Every crank is an outbox intent
//! keyed by its effect and checked against the chain before it is sent, so several nodes
//! queueing the same crank send it once.
use crate::{
    chain,
    consensus::inputs,
    node::Node,
    outbox::{self, actions::Action},
    store::outbox::Status,
};
use anyhow::Result;
use io_oracle::OracleConfig;
use io_sdk::report::{PeriodReport, Tree};
use io_staking::DeviceStatus;
use std::{
    collections::BTreeMap,
    sync::Arc,
    time::{Duration, Instant},
};

/// Starts the crank scheduler (when `report.cranks` is on).
pub fn spawn(node: Arc<Node>) {
    if !node.settings.report.cranks {
        return;
    }
    tokio::spawn(async move {
        // The last period cranked, and when each newer certification was first seen.
        let mut cranked: Option<u64> = None;
        let mut seen: Option<(u64, Instant)> = None;
        loop {
            tokio::time::sleep(Duration::from_millis(1_000)).await;
            match step(&node, &mut cranked, &mut seen).await {
                Ok(()) => {}
                Err(e) => tracing::warn!("cranks: {e:#}"),
            }
        }
    });
}

async fn step(node: &Node, cranked: &mut Option<u64>, seen: &mut Option<(u64, Instant)>) -> Result<()> {
    let cfg = chain::oracle_config(&node.client).await?;
    if cfg.reports_certified == 0 {
        return Ok(());
    }
    let p = cfg.last_period;
    if *cranked == Some(p) {
        return Ok(());
    }
    if seen.is_none_or(|(q, _)| q != p) {
        *seen = Some((p, Instant::now()));
    }
    let report = inputs::certified_report(node, p).await?;
    let digest = hex::encode(report.digest(&node.cluster_id));
    let mine = node
        .store
        .outbox_get(&format!("certify:{p}:{digest}"))
        .await?
        .is_some_and(|r| matches!(r.status, Status::Confirmed | Status::Sent));
    let waited =
        seen.is_some_and(|(_, at)| at.elapsed() >= Duration::from_millis(node.settings.report.takeover_ms));
    if !mine && !waited {
        return Ok(());
    }
    let n = queue_all(node, &cfg, &report).await?;
    tracing::info!(
        "period {p}: {n} cranks queued{}",
        if mine { "" } else { " (as a backup of the certifier)" }
    );
    *cranked = Some(p);
    Ok(())
}

fn proof_hex(report: &PeriodReport, tree: Tree, index: usize) -> Vec<String> {
    report.proof(tree, index).unwrap_or_default().iter().map(hex::encode).collect()
}

/// Queues every crank `report` (certified) calls for that the chain still shows undone; returns
/// how many intents it wrote or found.
pub async fn queue_all(node: &Node, _cfg: &OracleConfig, report: &PeriodReport) -> Result<usize> {
    let p = report.body.period;
    let address = io_sdk::oracle::report(&node.cluster_id, &report.body).to_string();
    let mut actions: Vec<Action> = vec![Action::Emit { period: p }];

    // Claims: operators whose certified cumulative is above what they claimed.
    let operators: BTreeMap<_, _> = node
        .client
        .program_accounts::<io_staking::Operator>(&io_staking::ID, vec![])
        .await?
        .into_iter()
        .collect();
    for (i, leaf) in report.rewards.iter().enumerate() {
        if operators.get(&leaf.operator).is_some_and(|o| o.rewards_claimed_cumulative < leaf.cumulative) {
            actions.push(Action::Claim {
                report: address.clone(),
                operator: leaf.operator.to_string(),
                cumulative: leaf.cumulative,
                proof: proof_hex(report, Tree::Rewards, i),
            });
        }
    }

    // Devices whose attested status differs from the chain's (a pending device stays pending
    // while inactive), or whose green flag changed.
    let devices: BTreeMap<_, _> = chain::devices(&node.client).await?.into_iter().collect();
    for (i, leaf) in report.devices.iter().enumerate() {
        let Some(d) = devices.get(&leaf.device) else { continue };
        let change = match (d.status, leaf.active) {
            (DeviceStatus::Pending, true) | (DeviceStatus::Jailed, true) | (DeviceStatus::Active, false) => {
                true
            }
            (DeviceStatus::Active, true) | (DeviceStatus::Jailed, false) => d.green != leaf.green,
            _ => false,
        };
        if change && d.attested_period < p {
            actions.push(Action::DeviceReport {
                report: address.clone(),
                period: p,
                operator: leaf.operator.to_string(),
                device: leaf.device.to_string(),
                class: leaf.class,
                green: leaf.green,
                active: leaf.active,
                proof: proof_hex(report, Tree::Devices, i),
            });
        }
    }

    // Usage above what each lease device settled; leases past their end.
    let leases = chain::leases(&node.client).await?;
    for (i, leaf) in report.usage.iter().enumerate() {
        let settled = leases
            .iter()
            .find(|(a, _)| *a == leaf.lease)
            .and_then(|(_, l)| l.devices.iter().find(|d| d.device == leaf.device))
            .map(|d| d.attested_seconds);
        if settled.is_some_and(|s| s < leaf.seconds) {
            actions.push(Action::Settle {
                report: address.clone(),
                lease: leaf.lease.to_string(),
                device: leaf.device.to_string(),
                seconds: leaf.seconds,
                proof: proof_hex(report, Tree::Usage, i),
            });
        }
    }
    let now = node.clock.now();
    for (a, l) in &leases {
        if l.status != io_escrow::LeaseStatus::Closed && l.end_ts <= now {
            actions.push(Action::Finalize { lease: a.to_string() });
        }
    }

    // Slashes the report opens, and their execution after the appeal window.
    for (i, leaf) in report.slashes.iter().enumerate() {
        if leaf.amount == 0 {
            // Nothing bonded to take (a device never activated): io_staking refuses a zero slash.
            tracing::info!(
                "period {p}: slash of {} for {} is zero: nothing to propose",
                leaf.operator,
                leaf.device
            );
            continue;
        }
        let hash = hex::encode(leaf.evidence_hash);
        actions.push(Action::ProposeSlash {
            report: address.clone(),
            operator: leaf.operator.to_string(),
            amount: leaf.amount,
            evidence_hash: hash,
            proof: proof_hex(report, Tree::Slashes, i),
        });
        let slash = io_sdk::staking::slash(&leaf.operator, &leaf.evidence_hash);
        actions.push(Action::ExecuteSlash { operator: leaf.operator.to_string(), slash: slash.to_string() });
    }

    for a in &actions {
        outbox::queue(node, a).await?;
    }
    Ok(actions.len())
}
