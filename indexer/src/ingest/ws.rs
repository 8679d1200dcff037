//! The WebSocket trigger: `logsSubscribe {mentions: [program]}` at `confirmed` for each of our
//! programs. A notification is a hint only — it wakes the ingest loop for an immediate round;
//! what is stored always comes from the poller, so a lost notification costs latency, never data.
use crate::decode::{Program, ProgramIds};
use futures_util::StreamExt;
use solana_commitment_config::CommitmentConfig;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client_types::config::{RpcTransactionLogsConfig, RpcTransactionLogsFilter};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Subscribes for every program, reconnecting with backoff; abort the handle to stop.
pub fn spawn(ws_url: String, wake: Arc<Notify>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(200);
        loop {
            match listen(&ws_url, &wake).await {
                Ok(()) => tracing::debug!("log subscription closed; reconnecting"),
                Err(e) => tracing::debug!(error = %e, url = %ws_url, "log subscription failed; retrying"),
            }
            // Whatever happened while disconnected is picked up by this round.
            wake.notify_one();
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(10));
        }
    })
}

async fn listen(ws_url: &str, wake: &Notify) -> anyhow::Result<()> {
    let client = PubsubClient::new(ws_url).await?;
    let mut streams = Vec::new();
    for program in Program::ALL {
        let (stream, _unsubscribe) = client
            .logs_subscribe(
                RpcTransactionLogsFilter::Mentions(vec![program.id_str().to_owned()]),
                RpcTransactionLogsConfig { commitment: Some(CommitmentConfig::confirmed()) },
            )
            .await?;
        streams.push(stream);
    }
    tracing::debug!(url = ws_url, "subscribed to program logs");
    let mut all = futures_util::stream::select_all(streams);
    while all.next().await.is_some() {
        wake.notify_one();
    }
    Ok(())
}
