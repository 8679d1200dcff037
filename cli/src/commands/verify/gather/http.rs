//! HTTP for the gatherer: JSON GETs bounded in time, counted (requests and bytes, for the cost a
//! run states), and failures turned into the text a row or an error shows; a bounded pool to
//! run many of them at once.
use serde::Serialize;
use serde_json::Value;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// Requests in flight at once, to a node or the indexer: enough to hide latency, few enough not
/// to load a small server (the local network's nodes share two cores with everything else).
pub const CONCURRENCY: usize = 8;
/// One request's budget: a node or an indexer slower than this is recorded as not answering.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What a run fetched, by source.
#[derive(Serialize, Default, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// JSON-RPC requests to the chain's node.
    pub chain_requests: u64,
    /// Bytes of account data read from the chain.
    pub chain_bytes: u64,
    /// GETs to the oracle nodes and the bytes of their bodies.
    pub node_requests: u64,
    pub node_bytes: u64,
    /// GETs to the indexer (every page counted) and the bytes of their bodies.
    pub indexer_requests: u64,
    pub indexer_bytes: u64,
}

impl Cost {
    pub fn requests(&self) -> u64 {
        self.chain_requests.saturating_add(self.node_requests).saturating_add(self.indexer_requests)
    }

    pub fn bytes(&self) -> u64 {
        self.chain_bytes.saturating_add(self.node_bytes).saturating_add(self.indexer_bytes)
    }
}

/// A request and byte counter shared by concurrent tasks.
#[derive(Default, Debug)]
pub struct Meter {
    requests: AtomicU64,
    bytes: AtomicU64,
}

impl Meter {
    pub fn add(&self, requests: u64, bytes: u64) {
        self.requests.fetch_add(requests, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub fn read(&self) -> (u64, u64) {
        (self.requests.load(Ordering::Relaxed), self.bytes.load(Ordering::Relaxed))
    }
}

/// Why a GET brought no JSON back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Nothing answered: refused connection, timeout, DNS.
    Unreachable(String),
    /// An answer that is not a 2xx: the status and what the body says.
    Status(u16, String),
    /// A 2xx whose body is not JSON.
    NotJson(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreachable(why) => write!(f, "no answer: {why}"),
            Failure::Status(code, why) => write!(f, "HTTP {code}: {why}"),
            Failure::NotJson(why) => write!(f, "not JSON: {why}"),
        }
    }
}

/// A JSON client counting what it fetches into `meter`.
#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    pub meter: Arc<Meter>,
}

impl Http {
    pub fn new() -> anyhow::Result<Http> {
        let client =
            reqwest::Client::builder().connect_timeout(Duration::from_secs(5)).timeout(TIMEOUT).build()?;
        Ok(Http { client, meter: Arc::new(Meter::default()) })
    }

    /// GET `url` with `query` as JSON.
    pub async fn get(&self, url: &str, query: &[(&str, &str)]) -> Result<Value, Failure> {
        let resp = self.client.get(url).query(query).send().await;
        self.meter.add(1, 0);
        let resp = resp.map_err(|e| Failure::Unreachable(root_cause(&e)))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| Failure::Unreachable(root_cause(&e)))?;
        self.meter.add(0, u64::try_from(text.len()).unwrap_or(u64::MAX));
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16(), error_text(&text)));
        }
        serde_json::from_str(&text).map_err(|e| Failure::NotJson(e.to_string()))
    }
}

/// The message of an API error body (`{"error": {"message": …, "code"|"parameter": …}}`, the
/// shape both the indexer and the oracle nodes use), else the start of the body.
fn error_text(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match v["error"]["message"].as_str() {
        Some(m) => match v["error"]["code"].as_str() {
            Some(code) => format!("{m} ({code})"),
            None => m.to_owned(),
        },
        None => body.chars().take(200).collect(),
    }
}

/// The innermost cause ("Connection refused"), not reqwest's generic "error sending request";
/// a timeout says so.
fn root_cause(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut cur: &(dyn std::error::Error + 'static) = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    let inner = cur.to_string();
    if inner.is_empty() {
        e.to_string()
    } else {
        inner
    }
}

/// Runs `jobs`, at most `limit` at once, calling `tick(done, total)` as each ends; the results
/// come back in the order of `jobs`.
pub async fn bounded<T, F>(jobs: Vec<F>, limit: usize, mut tick: impl FnMut(usize, usize)) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let total = jobs.len();
    let mut out: Vec<Option<T>> = std::iter::repeat_with(|| None).take(total).collect();
    let mut waiting = jobs.into_iter().enumerate();
    let mut running = JoinSet::new();
    let mut done = 0;
    loop {
        while running.len() < limit.max(1) {
            let Some((i, job)) = waiting.next() else { break };
            running.spawn(async move { (i, job.await) });
        }
        match running.join_next().await {
            None => break,
            Some(Ok((i, v))) => {
                out[i] = Some(v);
                done += 1;
                tick(done, total);
            }
            // The jobs are never cancelled: a join error is a panic, passed on as one.
            Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bounded_keeps_order_and_limit() {
        let live = Arc::new(AtomicU64::new(0));
        let peak = Arc::new(AtomicU64::new(0));
        let jobs: Vec<_> = (0..20u64)
            .map(|i| {
                let (live, peak) = (live.clone(), peak.clone());
                async move {
                    let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    // Later jobs end first: the order of the results is the order of the jobs.
                    tokio::time::sleep(Duration::from_millis(20 - i)).await;
                    live.fetch_sub(1, Ordering::SeqCst);
                    i * 2
                }
            })
            .collect();
        let mut ticks = vec![];
        let out = bounded(jobs, 3, |d, t| ticks.push((d, t))).await;
        assert_eq!(out, (0..20).map(|i| i * 2).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 3, "at most 3 at once: {}", peak.load(Ordering::SeqCst));
        assert_eq!(ticks.last(), Some(&(20, 20)));
        assert_eq!(ticks.len(), 20);
    }

    #[test]
    fn api_errors_are_read() {
        let node = r#"{"error":{"code":"no_report","message":"this node knows no report of period 7"}}"#;
        assert_eq!(error_text(node), "this node knows no report of period 7 (no_report)");
        let indexer = r#"{"error":{"parameter":"address","message":"no lease at this address"}}"#;
        assert_eq!(error_text(indexer), "no lease at this address");
        assert_eq!(error_text("<html>bad gateway</html>"), "<html>bad gateway</html>");
    }

    #[tokio::test]
    async fn a_refused_connection_is_unreachable_and_counted() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let http = Http::new().unwrap();
        let e = http.get(&format!("http://127.0.0.1:{port}/v1/supply"), &[]).await.unwrap_err();
        assert!(matches!(&e, Failure::Unreachable(w) if w.to_lowercase().contains("refused")), "{e}");
        assert_eq!(http.meter.read(), (1, 0));
    }
}

/// A throwaway HTTP server for the gatherer's tests: answers each GET with what `answer(path,
/// query)` gives (status, JSON body), one request per connection.
#[cfg(test)]
pub mod fake {
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    pub type Answer = Arc<dyn Fn(&str, &str) -> (u16, String) + Send + Sync>;

    /// Starts the server; its base URL.
    pub async fn serve(answer: Answer) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let answer = answer.clone();
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 1024];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match sock.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buf).to_string();
                    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
                    let (status, body) = answer(path, query);
                    let reply = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(reply.as_bytes()).await;
                    let _ = sock.shutdown().await;
                });
            }
        });
        url
    }
}
