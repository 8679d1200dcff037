//! Ingestion on a thread of its own: the writer's store, its RPC clients and the slot probe run
//! on a single-threaded runtime that nothing else uses. On the server's runtime, every await of
//! the ingest loop would queue behind the ready tasks of up to thousands of API connections (a
//! confirmed transaction took seconds to appear under 1,000 connections); here the operating
//! system shares the cores between the API's threads and this one.
use super::{IngestError, Ingestor};
use crate::feed::Feed;
use crate::ingest::liveness::Liveness;
use crate::settings::IngestSettings;
use crate::store::Store;
use std::future::Future;
use std::sync::Arc;

/// The running ingestion: its health, and the thread to join for its result.
pub struct Running {
    pub liveness: Arc<Liveness>,
    pub thread: std::thread::JoinHandle<Result<(), IngestError>>,
}

/// Connects the writer's store (`max_connections` 2) to `database_url` and runs an
/// [`Ingestor`] until `shutdown` resolves, on a new thread and runtime.
pub fn spawn(
    database_url: String,
    settings: IngestSettings,
    feed: Option<Arc<Feed>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<Running> {
    let liveness = Arc::new(Liveness::for_settings(&settings));
    let shared = liveness.clone();
    let thread = std::thread::Builder::new().name("ingest".into()).spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(IngestError::Thread)?;
        rt.block_on(async move {
            let writer = Store::connect_with(&database_url, 2).await?;
            let mut ingestor = Ingestor::new(writer.clone(), settings).with_liveness(shared);
            if let Some(f) = feed {
                ingestor = ingestor.with_feed(f);
            }
            let r = ingestor.run(shutdown).await;
            writer.close().await;
            r
        })
    })?;
    Ok(Running { liveness, thread })
}
