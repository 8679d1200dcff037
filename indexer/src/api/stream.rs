//! `/v1/stream`: Server-Sent Events of new events. A client resuming from an event id (`cursor`
//! or `Last-Event-ID`) first reads what it missed from the database, then follows the writer's
//! broadcast ([`crate::feed`]); an idle client costs nothing but its connection. A client that
//! falls behind the broadcast's buffer reads the gap from the database and rejoins.
use super::params::ApiError;
use super::query::{StreamQuery, TypedQuery};
use super::AppState;
use crate::feed::FeedEvent;
use crate::metrics::METRICS;
use crate::store::Store;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{error::RecvError, Receiver};
use tokio::sync::OwnedSemaphorePermit;

/// Events read per database query while catching up.
const PAGE: u32 = 500;

struct Client {
    store: Store,
    feed: Arc<crate::feed::Feed>,
    /// The feed's generation this client's position belongs to.
    generation: u64,
    rx: Receiver<Arc<FeedEvent>>,
    /// Highest event id sent (or skipped as not wanted).
    after: i64,
    name: Option<String>,
    program: Option<String>,
    /// Reading from the database (a resume, or after lagging) rather than the broadcast.
    catching_up: bool,
    buf: VecDeque<Arc<FeedEvent>>,
    closed: Pin<Box<dyn Future<Output = ()> + Send>>,
    _slot: OwnedSemaphorePermit,
    _count: Counted,
}

/// Counts connected stream clients.
struct Counted;

impl Counted {
    fn new() -> Counted {
        METRICS.stream_clients.fetch_add(1, Ordering::Relaxed);
        Counted
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        METRICS.stream_clients.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Client {
    fn wants(&self, e: &FeedEvent) -> bool {
        self.name.as_deref().is_none_or(|n| n == e.name)
            && self.program.as_deref().is_none_or(|p| p == e.program)
    }

    /// The next event to send; `None` when the server shuts down.
    async fn next(&mut self) -> Option<Arc<FeedEvent>> {
        loop {
            let generation = self.feed.generation();
            if generation != self.generation {
                // The database was wiped for a new chain: its events, from the start.
                self.generation = generation;
                self.after = -1;
                self.buf.clear();
                self.catching_up = true;
            }
            if let Some(e) = self.buf.pop_front() {
                return Some(e);
            }
            if self.catching_up {
                match self
                    .store
                    .events_since(self.after, self.name.as_deref(), self.program.as_deref(), PAGE)
                    .await
                {
                    Ok((_, rows)) => {
                        if rows.is_empty() {
                            self.catching_up = false;
                        }
                        for row in &rows {
                            let e = FeedEvent::from_row(row);
                            self.after = self.after.max(e.id);
                            self.buf.push_back(Arc::new(e));
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "stream catch-up failed; retrying");
                        tokio::select! {
                            () = &mut self.closed => return None,
                            () = tokio::time::sleep(Duration::from_millis(250)) => {}
                        }
                    }
                }
                continue;
            }
            let got = tokio::select! {
                () = &mut self.closed => return None,
                r = self.rx.recv() => r,
            };
            match got {
                // Already sent by the catch-up.
                Ok(e) if e.id <= self.after => {}
                Ok(e) => {
                    self.after = e.id;
                    if self.wants(&e) {
                        return Some(e);
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(
                        missed,
                        after = self.after,
                        "stream client lagged; reading the gap from the database"
                    );
                    self.catching_up = true;
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

pub async fn stream(
    State(st): State<AppState>,
    headers: HeaderMap,
    TypedQuery(q): TypedQuery<StreamQuery>,
) -> Result<Response, ApiError> {
    if let Some(n) = &q.name {
        if !super::names::event_types().contains(&n.as_str()) {
            return Err(ApiError::bad(
                "type",
                format!("unknown event name {n:?}; see the enum in /openapi.json"),
            ));
        }
    }
    if let Some(p) = &q.program {
        let all = super::names::programs();
        if !all.contains(&p.as_str()) {
            return Err(ApiError::bad(
                "program",
                format!("unknown value {p:?}; expected one of: {}", all.join(", ")),
            ));
        }
    }
    let cursor = super::query::up_to_i64("cursor", q.cursor)?;
    let from_header = match headers.get("last-event-id") {
        None => None,
        Some(v) => match v.to_str().ok().and_then(|s| s.parse::<i64>().ok()).filter(|n| *n >= 0) {
            Some(n) => Some(n),
            None => {
                return Err(ApiError::bad("Last-Event-ID", "must be an event id (a non-negative integer)"))
            }
        },
    };
    let slot = match st.limits.stream_slot() {
        Ok(s) => s,
        Err(res) => return Ok(*res),
    };
    // No cursor: only events from now on. Read before subscribing, and the database read once
    // after it: an event broadcast in between is found there, so none is missed.
    let after = cursor.or(from_header).unwrap_or_else(|| st.feed.published());
    let rx = st.feed.subscribe();
    let client = Client {
        store: st.store.clone(),
        feed: st.feed.clone(),
        generation: st.feed.generation(),
        rx,
        after,
        name: q.name,
        program: q.program,
        catching_up: true,
        buf: VecDeque::new(),
        closed: Box::pin(st.feed.closed()),
        _slot: slot,
        _count: Counted::new(),
    };
    let events = futures_util::stream::unfold(client, |mut c| async move {
        let e = c.next().await?;
        let ev = Event::default().id(e.id.to_string()).event(&e.name).data(&e.data);
        Some((Ok::<_, std::convert::Infallible>(ev), c))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}
