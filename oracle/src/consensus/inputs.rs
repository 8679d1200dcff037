//! A node's `io_sdk::report::Inputs` for a period: the chain state read now, this node's
//! observations, and the last certified report (its cumulative leaves and what they allotted).
use super::wire::EvidenceList;
use crate::{chain, node::Node};
use anyhow::{anyhow, Context, Result};
use io_oracle::{OracleConfig, Report, ReportStatus};
use io_sdk::{
    oracle,
    report::{ChallengeOutcome, Cumulative, DeviceObservation, Evidence, Inputs, PeriodReport},
    Pubkey,
};
use std::{collections::BTreeMap, sync::Arc};

/// The cumulative leaves a report leaves to the next one.
pub fn cumulative(report: &PeriodReport) -> Cumulative {
    Cumulative {
        rewards: report.rewards.iter().map(|l| (l.operator, l.cumulative)).collect(),
        usage: report.usage.iter().map(|l| ((l.lease, l.device), l.seconds)).collect(),
    }
}

/// Whether `report` is the one certified on chain for its period (its candidate account exists
/// with status Certified) and its leaves give its roots.
pub async fn certified_on_chain(node: &Node, report: &PeriodReport) -> Result<bool> {
    let addr = oracle::report(&node.cluster_id, &report.body);
    Ok(matches!(node.client.account::<Report>(&addr).await?, Some(r) if r.status == ReportStatus::Certified)
        && report.roots_match())
}

/// The certified report of `period`: from this node's store, else from a peer (accepted only
/// when the chain shows it certified and its leaves give its roots). Kept as certified.
pub async fn certified_report(node: &Node, period: u64) -> Result<Arc<PeriodReport>> {
    if let Some(r) = node.consensus.cached_certified(period) {
        return Ok(r);
    }
    let mut candidates: Vec<PeriodReport> = vec![];
    for stored in node.store.reports_of(period).await? {
        candidates.push(serde_json::from_str(&stored.report)?);
    }
    for r in candidates {
        if certified_on_chain(node, &r).await? {
            return keep(node, r).await;
        }
    }
    for peer in &node.settings.peers {
        let url = format!("{}/v1/reports/{period}", peer.url.trim_end_matches('/'));
        let Ok(resp) = node.http.get(&url).send().await else { continue };
        if !resp.status().is_success() {
            continue;
        }
        let Ok(v) = resp.json::<serde_json::Value>().await else { continue };
        let Some(r) = v.get("report").and_then(|r| serde_json::from_value::<PeriodReport>(r.clone()).ok())
        else {
            continue;
        };
        if r.body.period == period && certified_on_chain(node, &r).await? {
            tracing::info!("fetched the certified report of period {period} from {}", peer.url);
            return keep(node, r).await;
        }
    }
    Err(anyhow!(
        "the certified report of period {period} is known neither here nor at any peer: \
         the next report cannot carry its cumulative leaves"
    ))
}

async fn keep(node: &Node, r: PeriodReport) -> Result<Arc<PeriodReport>> {
    let digest = hex::encode(r.digest(&node.cluster_id));
    node.store.report_put(r.body.period, &digest, &serde_json::to_string(&r)?, true).await?;
    let r = Arc::new(r);
    node.consensus.cache_certified(r.clone());
    Ok(r)
}

/// The last certified report before a report of any later period (`None` before the first).
pub async fn previous(node: &Node, cfg: &OracleConfig) -> Result<Option<Arc<PeriodReport>>> {
    if cfg.reports_certified == 0 {
        return Ok(None);
    }
    certified_report(node, cfg.last_period).await.map(Some)
}

/// This node's inputs for `period` now: the chain's devices, leases, emission and set, its own
/// observations, the previous certified report.
pub async fn inputs(
    node: &Node,
    period: u64,
    cfg: &OracleConfig,
    previous: Option<&PeriodReport>,
) -> Result<Inputs> {
    let (devices, leases, token) = tokio::try_join!(
        chain::devices(&node.client),
        chain::leases(&node.client),
        chain::token_config(&node.client)
    )?;
    let previous = previous.map(cumulative).unwrap_or_default();
    let allotted = previous
        .rewards
        .values()
        .try_fold(0u64, |a, v| a.checked_add(*v))
        .ok_or_else(|| anyhow!("the previous report's cumulative rewards overflow"))?;
    // Never more than was emitted: a previous report allotting more than io_token emitted is
    // an error, not a zero pool.
    let pool = token.emission.emitted.checked_sub(allotted).ok_or_else(|| {
        anyhow!(
            "the certified rewards ({allotted}) exceed what io_token emitted ({})",
            token.emission.emitted
        )
    })?;
    Ok(Inputs {
        period,
        set_epoch: cfg.set.epoch,
        expiry_slot: node.clock.slot().saturating_add(node.settings.report.expiry_slots),
        usdc_per_io: node.settings.report.usdc_per_io,
        cluster: node.cluster.clone(),
        devices: devices.iter().filter_map(|(a, d)| chain::chain_device(*a, d)).collect(),
        leases: leases.iter().filter_map(|(a, l)| chain::chain_lease(*a, l)).collect(),
        observations: crate::observe::period_observations(node, period)
            .await
            .context("read this node's observations")?,
        previous,
        pool,
    })
}

/// Marks a device failed by wrong-rows evidence (re-verified against the device's bound key and
/// the set that issued the challenge): a device any node caught is failed for every node.
/// Returns whether the evidence was taken.
pub fn merge_evidence(inputs: &mut Inputs, cfg: &OracleConfig, device: &Pubkey, evidence: &Evidence) -> bool {
    let Some(d) = inputs.devices.iter().find(|d| d.address == *device) else { return false };
    let issued_by_member =
        evidence.challenge.signer.parse::<Pubkey>().is_ok_and(|k| cfg.set.keys().contains(&k));
    if !issued_by_member || evidence.verify(&inputs.cluster, &d.worker_key).is_err() {
        return false;
    }
    let obs = inputs.observations.entry(*device).or_insert_with(|| DeviceObservation {
        live: vec![],
        unserved: vec![],
        challenge: ChallengeOutcome::None,
    });
    if !matches!(obs.challenge, ChallengeOutcome::Failed { evidence: Some(_), .. }) {
        obs.challenge =
            ChallengeOutcome::Failed { reason: "wrong rows".into(), evidence: Some(evidence.clone()) };
    }
    true
}

/// Asks every peer for the evidence it holds of `period` and merges what verifies.
pub async fn merge_peer_evidence(node: &Node, cfg: &OracleConfig, inputs: &mut Inputs) {
    for peer in &node.settings.peers {
        let url = format!("{}/v1/peer/evidence/{}", peer.url.trim_end_matches('/'), inputs.period);
        let list = match node.http.get(&url).send().await {
            Ok(r) if r.status().is_success() => r.json::<EvidenceList>().await.ok(),
            _ => None,
        };
        for e in list.map(|l| l.evidence).unwrap_or_default() {
            if let Ok(device) = e.device.parse::<Pubkey>() {
                if merge_evidence(inputs, cfg, &device, &e.evidence) {
                    tracing::info!(
                        "period {}: device {device} failed by {}'s evidence",
                        inputs.period,
                        peer.url
                    );
                }
            }
        }
    }
}

/// This node's own evidence of `period` (what `GET /v1/peer/evidence/{period}` serves).
pub fn own_evidence(observations: &BTreeMap<Pubkey, DeviceObservation>) -> Vec<(Pubkey, Evidence)> {
    observations
        .iter()
        .filter_map(|(d, o)| match &o.challenge {
            ChallengeOutcome::Failed { evidence: Some(e), .. } => Some((*d, e.clone())),
            _ => None,
        })
        .collect()
}
