//! The outbox: every transaction the node intends is a row written BEFORE it is sent (key
//! unique per effect, kind, params), then marked sent with its signature, and confirmed — or
//! obsolete when the chain shows the effect already done (by anyone), or failed when a program
//! refuses it for a reason repeating cannot fix (the program's error, explained).
//!
//! One sender task drives the rows oldest first. Before sending, and again for a `sent` row whose
//! signature the cluster no longer knows (after a crash or an expired blockhash), it asks the
//! chain whether the effect is there: so a crash at any point neither loses an intent (the row
//! is durable) nor doubles it (the check comes before every resend).
pub mod actions;
pub mod v0;

use crate::{
    node::Node,
    store::outbox::{wall_ms, Intent, Status},
};
use actions::{Action, Chain};
use anyhow::Result;
use io_sdk::client::ClientError;
use solana_transaction_error::TransactionError;
use std::{sync::Arc, time::Duration};

/// Wall ms after which a sent transaction the cluster does not know is looked at again (its
/// blockhash has expired by then, so it can never land later).
pub const RESEND_AFTER_MS: i64 = 30_000;

/// Writes an intent (a no-op when its key exists) and wakes the sender. Returns its key.
pub async fn queue(node: &Node, action: &Action) -> Result<String> {
    let key = action.key(&node.cluster_id)?;
    if node.store.outbox_insert(&key, action.kind(), &serde_json::to_string(action)?).await? {
        tracing::info!("outbox: queued {key}");
    }
    node.consensus.outbox_wake.notify_one();
    Ok(key)
}

/// The sender: drives the open rows until the process ends.
pub fn spawn(node: Arc<Node>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = drive(&node).await {
                tracing::warn!("outbox: {e:#}");
            }
            let _ =
                tokio::time::timeout(Duration::from_millis(500), node.consensus.outbox_wake.notified()).await;
        }
    });
}

/// One pass over the open rows, oldest first.
pub async fn drive(node: &Node) -> Result<()> {
    for row in node.store.outbox_open(256).await? {
        if let Err(e) = step(node, &row).await {
            tracing::warn!("outbox: {}: {e:#}", row.key);
        }
    }
    Ok(())
}

/// Whether a transaction error is a refusal that sending again cannot change (a program's
/// verdict), as opposed to one of the cluster's passing states (an expired blockhash…).
fn permanent(e: &TransactionError) -> bool {
    matches!(e, TransactionError::InstructionError(..))
}

async fn step(node: &Node, row: &Intent) -> Result<()> {
    let action: Action = serde_json::from_str(&row.params)?;
    if row.status == Status::Sent {
        if let Some(sig) = &row.signature {
            let parsed = sig.parse()?;
            let st =
                node.client.rpc.get_signature_statuses(&[parsed]).await.map_err(|e| node.client.error(&e))?;
            match st.value.into_iter().next().flatten() {
                Some(s) if s.err.is_none() => {
                    if s.satisfies_commitment(node.client.rpc.commitment()) {
                        node.store.outbox_mark(row.id, Status::Confirmed, Some(sig), None).await?;
                        tracing::info!("outbox: {} confirmed ({sig})", row.key);
                    }
                    return Ok(());
                }
                Some(s) => {
                    let err = s.err.expect("an error");
                    if action.state(node).await? == Chain::Done {
                        node.store.outbox_mark(row.id, Status::Obsolete, Some(sig), None).await?;
                        return Ok(());
                    }
                    let ixs = action.instructions(node).await.unwrap_or_default();
                    let why = io_sdk::errors::explain(&err, &ixs);
                    return fail_or_retry(node, row, &err, why).await;
                }
                None if wall_ms().saturating_sub(row.updated_ms) < RESEND_AFTER_MS => return Ok(()),
                // Unknown after the blockhash expired: it never landed, or landed and was
                // forgotten; the chain says which before anything is sent again.
                None => {}
            }
        }
    }
    match action.state(node).await? {
        Chain::Done => {
            node.store.outbox_mark(row.id, Status::Obsolete, row.signature.as_deref(), None).await?;
            tracing::info!("outbox: {} already on chain", row.key);
            Ok(())
        }
        Chain::Waiting(why) => {
            tracing::debug!("outbox: {} waits: {why}", row.key);
            Ok(())
        }
        Chain::Due => {
            let ixs = action.instructions(node).await?;
            let sent = if action.needs_lookup_table() {
                v0::send(node, &ixs).await
            } else {
                node.client.submit(&ixs, &[&node.key]).await.map(|s| s.signature.to_string())
            };
            match sent {
                Ok(sig) => {
                    node.store.outbox_mark(row.id, Status::Sent, Some(&sig), None).await?;
                    tracing::info!("outbox: {} sent ({sig})", row.key);
                    Ok(())
                }
                Err(ClientError::Refused { message, error, .. }) => {
                    // The preflight refused it: maybe because another node just did it.
                    if action.state(node).await? == Chain::Done {
                        node.store.outbox_mark(row.id, Status::Obsolete, None, None).await?;
                        return Ok(());
                    }
                    fail_or_retry(node, row, &error, message).await
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

async fn fail_or_retry(node: &Node, row: &Intent, error: &TransactionError, why: String) -> Result<()> {
    if permanent(error) {
        tracing::warn!("outbox: {} failed: {why}", row.key);
        node.store.outbox_mark(row.id, Status::Failed, row.signature.as_deref(), Some(&why)).await?;
    } else {
        tracing::info!("outbox: {} will be sent again: {why}", row.key);
        node.store.outbox_mark(row.id, Status::Pending, None, Some(&why)).await?;
    }
    Ok(())
}
