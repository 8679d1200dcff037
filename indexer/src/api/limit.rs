//! Bounded API concurrency: at most `max_concurrent_requests` requests run at once; the rest
//! wait for a slot up to `queue_timeout` and are then answered 503 with `Retry-After`. Short
//! bursts (1,000 connections at once) are served in turn rather than refused, sustained overload
//! is shed, and the database's read pool — a few connections more than the slots — always has
//! one for `/health`, `/status` and `/metrics`, which skip the queue so that they tell the truth
//! under load. SSE streams hold a connection for hours: they have a limit of their own.
use super::params::ApiError;
use crate::metrics::METRICS;
use crate::settings::ApiSettings;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Paths that never queue.
const EXEMPT: &[&str] = &["/health", "/status", "/metrics", "/v1/stream"];

#[derive(Clone, Debug)]
pub struct Limits {
    requests: Arc<Semaphore>,
    queue_timeout: Duration,
    streams: Arc<Semaphore>,
    max_streams: usize,
}

impl Limits {
    pub fn new(s: &ApiSettings) -> Limits {
        Limits {
            requests: Arc::new(Semaphore::new(s.max_concurrent_requests.max(1))),
            queue_timeout: s.queue_timeout(),
            streams: Arc::new(Semaphore::new(s.max_stream_clients)),
            max_streams: s.max_stream_clients,
        }
    }

    /// A slot for one more SSE client, or the 503 saying there is none.
    pub fn stream_slot(&self) -> Result<OwnedSemaphorePermit, Box<Response>> {
        self.streams.clone().try_acquire_owned().map_err(|_| {
            Box::new(busy(format!(
                "{} stream clients are connected, the most this server takes",
                self.max_streams
            )))
        })
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new(&ApiSettings::default())
    }
}

fn busy(message: String) -> Response {
    METRICS.shed_requests.fetch_add(1, Ordering::Relaxed);
    let mut res =
        ApiError { status: StatusCode::SERVICE_UNAVAILABLE, parameter: None, message }.into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    res
}

pub async fn limit(State(l): State<Limits>, req: Request, next: Next) -> Response {
    if EXEMPT.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    match tokio::time::timeout(l.queue_timeout, l.requests.clone().acquire_owned()).await {
        Ok(Ok(_slot)) => next.run(req).await,
        _ => {
            busy(format!("busy: no request slot came free within {} ms; retry", l.queue_timeout.as_millis()))
        }
    }
}
