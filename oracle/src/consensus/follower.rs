//! A follower's answer to a proposal: the proposer is a member and signed it, the period is over
//! and not certified yet, every leaf agrees with this node's own inputs (`io_sdk::report::check`),
//! and this node signed no other content for the period. Then it signs the digest.
use super::{inputs, sign, wire::Proposal};
use crate::{chain, node::Node};
use io_oracle::ReportBody;
use io_sdk::{
    report::{self, Refusal},
    Pubkey,
};

/// Why a follower does not sign.
#[derive(Debug)]
pub enum NoSignature {
    /// 400: the proposal itself is malformed (key, signature).
    Bad(&'static str, String),
    /// 403: the proposer is not a member of the set.
    NotMember(String),
    /// 409: the period is not over here yet, or already certified.
    Conflict(&'static str, String),
    /// 409: this node signed another content for the period (its digest and body).
    AlreadySigned { digest: String, body: ReportBody },
    /// 422: a leaf this node does not agree with.
    Refused(Refusal),
    /// 500/503: this node could not read what it needs (chain, database).
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for NoSignature {
    fn from(e: anyhow::Error) -> Self {
        NoSignature::Internal(e)
    }
}

/// Checks and signs `proposal`; returns this node's signature over its digest.
pub async fn answer(node: &Node, proposal: &Proposal) -> Result<[u8; 64], NoSignature> {
    let body = &proposal.report.body;
    let p = body.period;
    let proposer: Pubkey = proposal.proposer.parse().map_err(|_| {
        NoSignature::Bad("bad_key", format!("proposer {:?} is not a base58 key", proposal.proposer))
    })?;
    let digest = proposal.report.digest(&node.cluster_id);
    if !sign::verify(&proposer, &digest, &proposal.signature.0) {
        return Err(NoSignature::Bad(
            "bad_signature",
            format!("the signature is not {proposer}'s over the digest {}", hex::encode(digest)),
        ));
    }
    let cfg = chain::oracle_config(&node.client).await?;
    if cfg.set.position(&proposer).is_none() {
        return Err(NoSignature::NotMember(format!(
            "{proposer} is not a member of the oracle set (epoch {})",
            cfg.set.epoch
        )));
    }
    // Equivocation watch first: the proposer's signature counts whatever this node decides.
    sign::record(node, &proposer, body, &proposal.signature.0).await?;
    if p <= cfg.last_period && cfg.reports_certified > 0 {
        return Err(NoSignature::Conflict(
            "already_certified",
            format!("period {p} is not after the last certified period {}", cfg.last_period),
        ));
    }
    let (_, end) = crate::clock::period_bounds(p);
    if node.clock.now() < end {
        return Err(NoSignature::Conflict(
            "period_not_over",
            format!("period {p} is not over on this node's clock"),
        ));
    }
    let previous = inputs::previous(node, &cfg).await?;
    let mut own = inputs::inputs(node, p, &cfg, previous.as_deref()).await?;
    // A device the proposal slashes with evidence that verifies is failed here too.
    for s in &proposal.report.slashes {
        inputs::merge_evidence(&mut own, &cfg, &s.device, &s.evidence);
    }
    if let Err(refusal) = report::check(&proposal.report, &own) {
        tracing::warn!("period {p}: refusing {proposer}'s proposal: {refusal}");
        return Err(NoSignature::Refused(refusal));
    }
    match sign::sign_once(node, &proposal.report).await? {
        Ok(sig) => {
            tracing::info!("period {p}: signed {}'s proposal {}", proposer, hex::encode(digest));
            Ok(sig)
        }
        Err((digest, body)) => Err(NoSignature::AlreadySigned { digest, body }),
    }
}
