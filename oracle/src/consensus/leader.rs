//! The leader's turn for a period: settle the content (what this node signed already, else what a
//! peer signed and this node's check accepts, else its own build), sign it, gather the peers'
//! signatures, and once a quorum holds, queue `post_report` and `certify` in the outbox.
use super::{
    codec, inputs, sign,
    wire::{Proposal, RefusalReply, SignatureReply, SignedContent},
};
use crate::{node::Node, outbox, outbox::actions::Action};
use anyhow::{anyhow, Result};
use io_oracle::OracleConfig;
use io_sdk::{
    report::{self, Inputs, PeriodReport, RewardLeaf},
    worker::Bytes64,
    Pubkey,
};
use std::sync::Arc;

/// The same content with this attempt's expiry and set epoch (a re-sign, not a new content).
fn refreshed(mut r: PeriodReport, own: &Inputs) -> PeriodReport {
    r.body.expiry_slot = own.expiry_slot;
    r.body.set_epoch = own.set_epoch;
    r
}

/// The content this leader proposes for `own.period`.
async fn content(node: &Node, own: &Inputs) -> Result<PeriodReport> {
    let p = own.period;
    if let Some(row) = node.store.signed_for(p).await? {
        if let Some(stored) = node.store.reports_of(p).await?.into_iter().find(|r| r.digest == row.digest) {
            tracing::info!("period {p}: proposing again what this node signed ({})", row.digest);
            return Ok(refreshed(serde_json::from_str(&stored.report)?, own));
        }
    }
    for peer in &node.settings.peers {
        let url = format!("{}/v1/peer/signed/{p}", peer.url.trim_end_matches('/'));
        let signed = match node.http.get(&url).send().await {
            Ok(r) if r.status().is_success() => r.json::<SignedContent>().await.ok(),
            _ => None,
        };
        let Some(s) = signed else { continue };
        if s.period != p {
            continue;
        }
        match report::check(&s.report, own) {
            Ok(()) => {
                tracing::info!(
                    "period {p}: adopting the content {} already signed at {}",
                    s.digest,
                    peer.url
                );
                return Ok(refreshed(s.report, own));
            }
            Err(r) => tracing::info!("period {p}: not adopting {}'s signed content: {r}", peer.url),
        }
    }
    Ok(report::build(own)?)
}

/// The equivocating node of the end-to-end tests: one reward leaf changed by one base unit (or
/// one added when there is none), roots recomputed. The others refuse that leaf.
fn tamper(mut r: PeriodReport, own: &Inputs) -> PeriodReport {
    if let Some(l) = r.rewards.first_mut() {
        l.cumulative = l.cumulative.saturating_add(1);
    } else if let Some(d) = own.devices.first() {
        r.rewards.push(RewardLeaf { operator: d.operator, cumulative: 1 });
    }
    r.reroot();
    r
}

/// One turn as leader of `period`.
pub async fn lead(node: &Arc<Node>, period: u64, cfg: &OracleConfig) -> Result<()> {
    let previous = inputs::previous(node, cfg).await?;
    let mut own = inputs::inputs(node, period, cfg, previous.as_deref()).await?;
    inputs::merge_peer_evidence(node, cfg, &mut own).await;
    let mut report = content(node, &own).await?;
    if node.settings.testing.sign_different_root {
        report = tamper(report, &own);
    }
    let digest = report.digest(&node.cluster_id);
    let own_sig = match sign::sign_once(node, &report).await? {
        Ok(s) => s,
        Err((other, _)) => {
            return Err(anyhow!(
                "period {period}: this node already signed another content ({other}); it signs no other"
            ))
        }
    };
    tracing::info!(
        "period {period}: proposing {} ({} devices, {} active, {} distributed)",
        hex::encode(digest),
        report.devices.len(),
        report.body.devices_attested,
        report.body.emission_distributed
    );
    let proposal =
        Proposal { report: report.clone(), proposer: node.pubkey().to_string(), signature: Bytes64(own_sig) };
    let members: Vec<Pubkey> = cfg.set.keys().to_vec();
    let asks = node.settings.peers.iter().map(|peer| {
        let node = node.clone();
        let (proposal, members) = (&proposal, &members);
        async move {
            let url = format!("{}/v1/peer/propose", peer.url.trim_end_matches('/'));
            let resp = match node.http.post(&url).json(proposal).send().await {
                Ok(r) => r,
                Err(e) => {
                    tracing::info!("period {period}: peer {} unreachable: {e}", peer.url);
                    return;
                }
            };
            let status = resp.status();
            if status.is_success() {
                match resp.json::<SignatureReply>().await {
                    Ok(s) => match s.signer.parse::<Pubkey>() {
                        Ok(k) if members.contains(&k) => {
                            if let Err(e) =
                                sign::record(&node, &k, &proposal.report.body, &s.signature.0).await
                            {
                                tracing::warn!("period {period}: {}'s signature: {e:#}", peer.url);
                            }
                        }
                        _ => tracing::warn!(
                            "period {period}: {} signed as {}, not a member",
                            peer.url,
                            s.signer
                        ),
                    },
                    Err(e) => tracing::warn!("period {period}: {}'s answer: {e}", peer.url),
                }
            } else if status.as_u16() == 422 {
                match resp.json::<RefusalReply>().await {
                    Ok(r) => tracing::warn!("period {period}: {} refused: {}", peer.url, r.refusal),
                    Err(e) => tracing::warn!("period {period}: {} refused: {e}", peer.url),
                }
            } else {
                let text = resp.text().await.unwrap_or_default();
                tracing::warn!("period {period}: {} answered {status}: {text}", peer.url);
            }
        }
    });
    futures_util::future::join_all(asks).await;
    let sigs = sign::quorum(node, period, &digest, &members).await?;
    if sigs.len() < usize::from(cfg.set.threshold) {
        return Err(anyhow!(
            "period {period}: {} of {} signatures needed; the next leader takes over",
            sigs.len(),
            cfg.set.threshold
        ));
    }
    tracing::info!("period {period}: {} signatures; posting and certifying", sigs.len());
    let body = codec::body_hex(&report.body);
    outbox::queue(node, &Action::PostReport { body: body.clone() }).await?;
    outbox::queue(node, &Action::Certify { body, signatures: sigs }).await?;
    Ok(())
}
