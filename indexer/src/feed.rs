//! The event feed: after each commit the writer reads the events it just stored, once, and
//! broadcasts them to every `/v1/stream` client — instead of each client polling the database
//! (200 idle clients polling every 250 ms cost 43% of a core). A client that falls more than the
//! channel's capacity behind is not dropped: it reads what it missed from the database and
//! rejoins the broadcast.
//!
//! Event ids order events by slot (see [`crate::store::ids`]), and a program whose cursor is
//! behind another's can still store events below ids already stored. The store's
//! `events_since` therefore returns only events at or below the indexed slot — which it raises
//! once every program is stored up to it — so "after id N" never skips one; the feed publishes
//! after each commit and when a caught-up round raises the indexed slot.
use crate::store::rows::events::EventRow;
use crate::store::{Store, StoreError};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Events kept for slow clients before they must catch up from the database.
const CAPACITY: usize = 4096;
/// Events read per query when publishing.
const PAGE: u32 = 1000;

/// One stored event as the stream sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedEvent {
    pub id: i64,
    pub name: String,
    pub program: String,
    /// The event row as JSON text (the SSE `data`).
    pub data: String,
}

impl FeedEvent {
    /// From an event row as the store reads it.
    pub fn from_row(row: &EventRow) -> FeedEvent {
        FeedEvent {
            id: row.id,
            name: row.event_name.clone(),
            program: row.program.clone(),
            data: serde_json::to_string(row).unwrap_or_default(),
        }
    }
}

#[derive(Debug)]
pub struct Feed {
    tx: broadcast::Sender<Arc<FeedEvent>>,
    /// Highest event id broadcast so far.
    published: AtomicI64,
    /// Counts database wipes (a new chain): the ids before one mean nothing after it.
    generation: std::sync::atomic::AtomicU64,
    /// Serializes publishers (the writer and, serving only, the poller).
    publishing: tokio::sync::Mutex<()>,
    closed: watch::Sender<bool>,
}

impl Feed {
    /// A feed that starts after `last_id` (the newest stored event).
    pub fn new(last_id: i64) -> Arc<Feed> {
        let (tx, _) = broadcast::channel(CAPACITY);
        let (closed, _) = watch::channel(false);
        Arc::new(Feed {
            tx,
            published: AtomicI64::new(last_id),
            generation: std::sync::atomic::AtomicU64::new(0),
            publishing: tokio::sync::Mutex::new(()),
            closed,
        })
    }

    /// A feed starting after the newest event `store` holds.
    pub async fn for_store(store: &Store) -> Result<Arc<Feed>, StoreError> {
        Ok(Feed::new(store.status().await?.1 .1))
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<FeedEvent>> {
        self.tx.subscribe()
    }

    /// The newest event id broadcast (a client without a cursor starts after it).
    pub fn published(&self) -> i64 {
        self.published.load(Ordering::Acquire)
    }

    /// Reads the events stored since the last publication and broadcasts them; how many.
    pub async fn publish_new(&self, store: &Store) -> Result<usize, StoreError> {
        let _one = self.publishing.lock().await;
        let mut n = 0;
        loop {
            let after = self.published();
            let (_, rows) = store.events_since(after, None, None, PAGE).await?;
            let full = rows.len() == PAGE as usize;
            for row in &rows {
                let ev = FeedEvent::from_row(row);
                self.published.fetch_max(ev.id, Ordering::AcqRel);
                // No receiver is not an error: nobody is listening.
                let _ = self.tx.send(Arc::new(ev));
                n += 1;
            }
            if !full {
                return Ok(n);
            }
        }
    }

    /// After the database was wiped (a new chain): ids start again, and every stream client
    /// reads the new chain's events from its start (see [`Feed::generation`]).
    pub fn restart(&self, last_id: i64) {
        self.published.store(last_id, Ordering::Release);
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Changes when the database is wiped: a client's position (an event id of the old chain)
    /// no longer means anything.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Ends every stream (shutdown: the server's graceful stop waits for open responses).
    pub fn close(&self) {
        let _ = self.closed.send(true);
    }

    /// Resolves once [`Feed::close`] was called.
    pub fn closed(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.closed.subscribe();
        async move {
            let _ = rx.wait_for(|c| *c).await;
        }
    }

    /// Serving without ingesting: another process writes, so look for its events every `every`
    /// (one query for all clients).
    pub fn spawn_poller(self: &Arc<Feed>, store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
        let feed = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = feed.publish_new(&store).await {
                    tracing::warn!(error = %e, "reading new events failed");
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}
