//! Signing report digests, checking others' signatures, the never-two-contents rule and the
//! equivocation watch.
use super::codec;
use crate::{node::Node, outbox, outbox::actions::Action, store::reports::SignatureRow};
use anyhow::{anyhow, Result};
use ed25519_dalek::{Signature, VerifyingKey};
use io_oracle::ReportBody;
use io_sdk::{report::PeriodReport, Pubkey};
use solana_signer::Signer;

/// This node's ed25519 signature over `digest`.
pub fn sign_digest(node: &Node, digest: &[u8; 32]) -> [u8; 64] {
    let sig = node.key.sign_message(digest);
    let mut out = [0u8; 64];
    out.copy_from_slice(sig.as_ref());
    out
}

/// Whether `signature` is `signer`'s over `digest` (strict: what the Ed25519 precompile accepts).
pub fn verify(signer: &Pubkey, digest: &[u8; 32], signature: &[u8; 64]) -> bool {
    VerifyingKey::from_bytes(&signer.to_bytes())
        .and_then(|k| k.verify_strict(digest, &Signature::from_bytes(signature)))
        .is_ok()
}

/// Signs `report` for its period unless this node already signed another content for it; then
/// `Err` carries what it signed (its digest and body). The record is written before the
/// signature exists, in one statement: a crash between the two leaves the record, never a
/// signature without it. A re-sign of the same content (a later expiry, the next set epoch) is
/// allowed. `testing.sign_different_root` (an equivocating node) ignores the record.
pub async fn sign_once(
    node: &Node,
    report: &PeriodReport,
) -> Result<std::result::Result<[u8; 64], (String, ReportBody)>> {
    let p = report.body.period;
    let digest = report.digest(&node.cluster_id);
    let digest_hex = hex::encode(digest);
    node.store.report_put(p, &digest_hex, &serde_json::to_string(report)?, false).await?;
    let row = node.store.sign_once(p, &digest_hex, &codec::body_hex(&report.body)).await?;
    let before = codec::body_from_hex(&row.body)?;
    if row.digest != digest_hex
        && !before.same_content(&report.body)
        && !node.settings.testing.sign_different_root
    {
        return Ok(Err((row.digest, before)));
    }
    let signature = sign_digest(node, &digest);
    record(node, &node.pubkey(), &report.body, &signature).await?;
    Ok(Ok(signature))
}

/// Keeps a member's signature over a body (checked by the caller), then watches for
/// equivocation: two signatures by one member for one period over contents that are not
/// `same_content` queue `prove_equivocation`.
pub async fn record(node: &Node, signer: &Pubkey, body: &ReportBody, signature: &[u8; 64]) -> Result<()> {
    let digest = io_oracle::report_digest(&node.cluster_id, body);
    if !verify(signer, &digest, signature) {
        return Err(anyhow!("signature by {signer} does not verify over digest {}", hex::encode(digest)));
    }
    let row = SignatureRow {
        period: body.period,
        signer: signer.to_string(),
        digest: hex::encode(digest),
        body: codec::body_hex(body),
        signature: hex::encode(signature),
    };
    node.store.signature_put(&row).await?;
    if *signer == node.pubkey() {
        return Ok(());
    }
    for other in node.store.signatures_of(body.period).await? {
        if other.signer != row.signer || other.digest == row.digest {
            continue;
        }
        let b = codec::body_from_hex(&other.body)?;
        if !b.same_content(body) {
            tracing::warn!(
                "oracle {signer} signed two contents for period {}: {} and {}: proving the equivocation",
                body.period,
                other.digest,
                row.digest
            );
            let action = Action::ProveEquivocation {
                oracle: row.signer.clone(),
                body_a: other.body.clone(),
                signature_a: other.signature.clone(),
                body_b: row.body.clone(),
                signature_b: row.signature.clone(),
            };
            outbox::queue(node, &action).await?;
            break;
        }
    }
    Ok(())
}

/// The signatures this node holds over `digest` of `period`, by members of `members`, as the
/// Ed25519 instruction takes them (at most one per member).
pub async fn quorum(
    node: &Node,
    period: u64,
    digest: &[u8; 32],
    members: &[Pubkey],
) -> Result<Vec<(String, String)>> {
    let digest_hex = hex::encode(digest);
    let mut out: Vec<(String, String)> = vec![];
    for s in node.store.signatures_of(period).await? {
        let member = s.signer.parse::<Pubkey>().is_ok_and(|k| members.contains(&k));
        if s.digest == digest_hex && member && !out.iter().any(|(k, _)| *k == s.signer) {
            out.push((s.signer, s.signature));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_strictly() {
        let k = solana_keypair::Keypair::new();
        let d = [7u8; 32];
        let s = k.sign_message(&d);
        let mut sig = [0u8; 64];
        sig.copy_from_slice(s.as_ref());
        assert!(verify(&k.pubkey(), &d, &sig));
        assert!(!verify(&k.pubkey(), &[8u8; 32], &sig));
        assert!(!verify(&Pubkey::new_unique(), &d, &sig));
    }
}
