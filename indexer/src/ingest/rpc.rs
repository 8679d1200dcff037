//! A small Solana JSON-RPC client for ingestion: the handful of methods the indexer reads,
//! JSON-RPC batches for `getTransaction` and `getMultipleAccounts`, and retries with backoff on
//! what a busy or restarting node answers (timeouts, refused connections, HTTP 429 and 5xx,
//! "node is behind"). Any other error is returned at once: retrying a bad request never helps.
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};
use solana_transaction_status_client_types::EncodedConfirmedTransactionWithStatusMeta;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// JSON-RPC error codes a node answers while it catches up (retried).
const NODE_BEHIND: [i64; 3] = [-32004, -32005, -32016];

#[derive(Debug, thiserror::Error)]
pub enum RpcError {
    #[error("{method}: {message} (after {attempts} attempts)")]
    Transport { method: String, message: String, attempts: u32 },
    #[error("{method}: node answered error {code}: {message}")]
    Node { method: String, code: i64, message: String },
    #[error("{method}: unexpected answer: {message}")]
    Shape { method: String, message: String },
}

/// How hard to retry.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    pub attempts: u32,
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry { attempts: 8, first_backoff: Duration::from_millis(100), max_backoff: Duration::from_secs(5) }
    }
}

/// One signature as `getSignaturesForAddress` lists it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SignatureInfo {
    pub signature: String,
    pub slot: u64,
}

/// An account's owner and data at a slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawAccount {
    pub address: String,
    pub owner: String,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Rpc {
    url: String,
    http: reqwest::Client,
    retry: Retry,
    next_id: std::sync::Arc<AtomicU64>,
    /// Cleared when the node refuses JSON-RPC batches (surfpool 1.3.1 does): calls then go
    /// out one per request, `CONCURRENCY` at a time.
    batches: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Requests in flight when the node takes no batches.
const CONCURRENCY: usize = 16;
/// "Invalid request": what a node without batch support answers a batch with.
const INVALID_REQUEST: i64 = -32600;

enum Attempt {
    /// Worth another try.
    Again(String),
    Fatal(RpcError),
}

impl Rpc {
    pub fn new(url: &str, retry: Retry) -> Rpc {
        Rpc::with_timeout(url, retry, Duration::from_secs(30))
    }

    /// A client whose every request gives up after `timeout` (the slot probe's is short: a
    /// node that hangs must show in `/health` within seconds).
    pub fn with_timeout(url: &str, retry: Retry, timeout: Duration) -> Rpc {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        Rpc {
            url: url.to_owned(),
            http,
            retry,
            next_id: std::sync::Arc::default(),
            batches: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Posts `body`, retrying transient failures with exponential backoff.
    async fn post(&self, method: &str, body: &Value) -> Result<Value, RpcError> {
        let mut backoff = self.retry.first_backoff;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            match self.post_once(method, body).await {
                Ok(v) => return Ok(v),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::Again(message)) => {
                    crate::metrics::METRICS.rpc_retries.fetch_add(1, Ordering::Relaxed);
                    if attempt >= self.retry.attempts {
                        return Err(RpcError::Transport {
                            method: method.to_owned(),
                            message,
                            attempts: attempt,
                        });
                    }
                    tracing::debug!(method, attempt, %message, "rpc retry");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(self.retry.max_backoff);
                }
            }
        }
    }

    async fn post_once(&self, method: &str, body: &Value) -> Result<Value, Attempt> {
        let res =
            self.http.post(&self.url).json(body).send().await.map_err(|e| Attempt::Again(e.to_string()))?;
        let status = res.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(Attempt::Again(format!("HTTP {status}")));
        }
        let text = res.text().await.map_err(|e| Attempt::Again(e.to_string()))?;
        if !status.is_success() {
            return Err(Attempt::Fatal(RpcError::Shape {
                method: method.to_owned(),
                message: format!("HTTP {status}: {}", text.chars().take(200).collect::<String>()),
            }));
        }
        let v: Value = serde_json::from_str(&text).map_err(|e| {
            Attempt::Fatal(RpcError::Shape { method: method.to_owned(), message: format!("not JSON: {e}") })
        })?;
        // A batch answer carries an error per element; a single one may be "node behind".
        let errors: Vec<&Value> = match &v {
            Value::Array(items) => items.iter().filter_map(|i| i.get("error")).collect(),
            other => other.get("error").into_iter().collect(),
        };
        if let Some(err) = errors.first() {
            let code = err.get("code").and_then(Value::as_i64).unwrap_or(0);
            let message = err.get("message").and_then(Value::as_str).unwrap_or("").to_owned();
            if NODE_BEHIND.contains(&code) {
                return Err(Attempt::Again(format!("error {code}: {message}")));
            }
            return Err(Attempt::Fatal(RpcError::Node { method: method.to_owned(), code, message }));
        }
        Ok(v)
    }

    fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// One call; its `result`.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({ "jsonrpc": "2.0", "id": self.id(), "method": method, "params": params });
        let mut v = self.post(method, &body).await?;
        Ok(v.get_mut("result").map(Value::take).unwrap_or(Value::Null))
    }

    /// Calls in one JSON-RPC batch (or concurrent single calls where the node takes no
    /// batches); the results in the order of `params`.
    pub async fn batch(&self, method: &str, params: Vec<Value>) -> Result<Vec<Value>, RpcError> {
        if params.is_empty() {
            return Ok(Vec::new());
        }
        if self.batches.load(Ordering::Relaxed) {
            match self.batch_once(method, params.clone()).await {
                Err(RpcError::Node { code: INVALID_REQUEST, .. }) => {
                    tracing::info!(url = %self.url, "the node takes no JSON-RPC batches; sending calls one by one");
                    self.batches.store(false, Ordering::Relaxed);
                }
                other => return other,
            }
        }
        use futures_util::StreamExt;
        futures_util::stream::iter(params.into_iter().map(|p| self.call(method, p)))
            .buffered(CONCURRENCY)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    async fn batch_once(&self, method: &str, params: Vec<Value>) -> Result<Vec<Value>, RpcError> {
        let first = self.id();
        let n = params.len() as u64;
        self.next_id.fetch_add(n, Ordering::Relaxed);
        let body: Vec<Value> = params
            .into_iter()
            .enumerate()
            .map(|(i, p)| json!({ "jsonrpc": "2.0", "id": first + i as u64, "method": method, "params": p }))
            .collect();
        let v = self.post(method, &Value::Array(body)).await?;
        let shape =
            |message: &str| RpcError::Shape { method: method.to_owned(), message: message.to_owned() };
        let Value::Array(items) = v else { return Err(shape("a batch was answered with a single object")) };
        // Elements may come back in any order: match them by id.
        let mut by_id: HashMap<u64, Value> = HashMap::with_capacity(items.len());
        for mut item in items {
            let id =
                item.get("id").and_then(Value::as_u64).ok_or_else(|| shape("batch element without id"))?;
            by_id.insert(id, item.get_mut("result").map(Value::take).unwrap_or(Value::Null));
        }
        (0..n).map(|i| by_id.remove(&(first + i)).ok_or_else(|| shape("batch element missing"))).collect()
    }

    pub async fn get_slot(&self, commitment: &str) -> Result<u64, RpcError> {
        let v = self.call("getSlot", json!([{ "commitment": commitment }])).await?;
        v.as_u64().ok_or_else(|| RpcError::Shape { method: "getSlot".into(), message: v.to_string() })
    }

    /// The hash of the node's genesis block: which chain it serves.
    pub async fn genesis_hash(&self) -> Result<String, RpcError> {
        let v = self.call("getGenesisHash", json!([])).await?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| RpcError::Shape { method: "getGenesisHash".into(), message: v.to_string() })
    }

    /// Whether the node knows each of `signatures` (searching its whole history). A signature
    /// `getSignatureStatuses` does not report is asked for with `getTransaction` before it counts
    /// as unknown: surfpool (the local network) lists and serves a transaction before its block is
    /// produced but hides its status until then, and a cursor taken in that window is no fork.
    pub async fn known_signatures(&self, signatures: &[String]) -> Result<Vec<bool>, RpcError> {
        let v = self
            .call("getSignatureStatuses", json!([signatures, { "searchTransactionHistory": true }]))
            .await?;
        let list = v.get("value").and_then(Value::as_array).ok_or_else(|| RpcError::Shape {
            method: "getSignatureStatuses".into(),
            message: v.to_string(),
        })?;
        let mut known: Vec<bool> = list.iter().map(|s| !s.is_null()).collect();
        // One call each: these are the few cursor signatures, and rarely any.
        let cfg =
            json!({ "encoding": "json", "maxSupportedTransactionVersion": 0, "commitment": "confirmed" });
        for (k, s) in known.iter_mut().zip(signatures).filter(|(k, _)| !**k) {
            *k = !self.call("getTransaction", json!([s, cfg])).await?.is_null();
        }
        Ok(known)
    }

    /// The block time of `slot`, if the node has one.
    pub async fn get_block_time(&self, slot: u64) -> Option<i64> {
        self.call("getBlockTime", json!([slot])).await.ok()?.as_i64()
    }

    /// One page of `getSignaturesForAddress`, newest first, at `confirmed`.
    pub async fn signatures(
        &self,
        address: &str,
        before: Option<&str>,
        until: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SignatureInfo>, RpcError> {
        let mut cfg = json!({ "limit": limit, "commitment": "confirmed" });
        if let Some(b) = before {
            cfg["before"] = json!(b);
        }
        if let Some(u) = until {
            cfg["until"] = json!(u);
        }
        let v = self.call("getSignaturesForAddress", json!([address, cfg])).await?;
        serde_json::from_value(v)
            .map_err(|e| RpcError::Shape { method: "getSignaturesForAddress".into(), message: e.to_string() })
    }

    /// `getTransaction` (json, v0) for each signature in one batch; `None` where the node has none.
    pub async fn transactions(
        &self,
        signatures: &[String],
    ) -> Result<Vec<Option<EncodedConfirmedTransactionWithStatusMeta>>, RpcError> {
        let cfg =
            json!({ "encoding": "json", "maxSupportedTransactionVersion": 0, "commitment": "confirmed" });
        let params = signatures.iter().map(|s| json!([s, cfg])).collect();
        let results = self.batch("getTransaction", params).await?;
        results
            .into_iter()
            .map(|v| {
                if v.is_null() {
                    return Ok(None);
                }
                serde_json::from_value(v)
                    .map(Some)
                    .map_err(|e| RpcError::Shape { method: "getTransaction".into(), message: e.to_string() })
            })
            .collect()
    }

    /// Every account of `program` (base64) and the slot they were read at.
    pub async fn program_accounts(&self, program: &str) -> Result<(u64, Vec<RawAccount>), RpcError> {
        // Read the slot first: the accounts are at least that new, and an account snapshot
        // labelled older than it is only ever overwritten, never wrongly preferred.
        let slot = self.get_slot("confirmed").await?;
        let v = self
            .call(
                "getProgramAccounts",
                json!([program, { "encoding": "base64", "commitment": "confirmed", "withContext": true }]),
            )
            .await?;
        let (slot, list) = match v {
            Value::Object(mut o) => {
                let s = o.get("context").and_then(|c| c.get("slot")).and_then(Value::as_u64).unwrap_or(slot);
                (s, o.remove("value").unwrap_or(Value::Null))
            }
            list => (slot, list),
        };
        let items = list.as_array().cloned().unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let address = item.get("pubkey").and_then(Value::as_str).unwrap_or_default().to_owned();
            if let Some(acc) = item.get("account").and_then(|a| raw_account(&address, a)) {
                out.push(acc);
            }
        }
        Ok((slot, out))
    }

    /// `getMultipleAccounts` (base64) for up to 100 addresses per request, in one batch; the
    /// accounts that exist and the lowest context slot of the answers.
    pub async fn multiple_accounts(&self, addresses: &[String]) -> Result<(u64, Vec<RawAccount>), RpcError> {
        let chunks: Vec<&[String]> = addresses.chunks(100).collect();
        let params =
            chunks.iter().map(|c| json!([c, { "encoding": "base64", "commitment": "confirmed" }])).collect();
        let results = self.batch("getMultipleAccounts", params).await?;
        let mut slot = u64::MAX;
        let mut out = Vec::new();
        for (chunk, v) in chunks.iter().zip(results) {
            slot =
                slot.min(v.get("context").and_then(|c| c.get("slot")).and_then(Value::as_u64).unwrap_or(0));
            let values = v.get("value").and_then(Value::as_array).cloned().unwrap_or_default();
            for (address, a) in chunk.iter().zip(values) {
                if let Some(acc) = raw_account(address, &a) {
                    out.push(acc);
                }
            }
        }
        Ok((if slot == u64::MAX { 0 } else { slot }, out))
    }
}

fn raw_account(address: &str, a: &Value) -> Option<RawAccount> {
    let owner = a.get("owner")?.as_str()?.to_owned();
    let b64 = a.get("data")?.get(0)?.as_str()?;
    let data = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    Some(RawAccount { address: address.to_owned(), owner, data })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{extract::State, routing::post, Json, Router};
    use std::sync::atomic::AtomicU32;
    use std::sync::Arc;

    /// A node that fails `fail` times with `status`, then answers the batch in reverse order.
    async fn node(fail: u32, status: u16) -> (String, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let app = Router::new()
            .route(
                "/",
                post(
                    |State((calls, fail, status)): State<(Arc<AtomicU32>, u32, u16)>,
                     Json(body): Json<Value>| async move {
                        let n = calls.fetch_add(1, Ordering::SeqCst);
                        if n < fail {
                            return (axum::http::StatusCode::from_u16(status).unwrap(), Json(json!({})))
                                .into_response();
                        }
                        let mut items: Vec<Value> = body
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|r| json!({ "jsonrpc": "2.0", "id": r["id"], "result": r["params"][0] }))
                            .collect();
                        items.reverse();
                        Json(Value::Array(items)).into_response()
                    },
                ),
            )
            .with_state((calls.clone(), fail, status));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), calls)
    }
    use axum::response::IntoResponse;

    fn quick() -> Retry {
        Retry { attempts: 4, first_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(4) }
    }

    #[tokio::test]
    async fn batch_results_come_back_in_request_order_after_retries() {
        let (url, calls) = node(2, 429).await;
        let rpc = Rpc::new(&url, quick());
        let out = rpc.batch("echo", vec![json!(["a"]), json!(["b"]), json!(["c"])]).await.unwrap();
        assert_eq!(out, vec![json!("a"), json!("b"), json!("c")]);
        assert_eq!(calls.load(Ordering::SeqCst), 3, "two 429s retried, then answered");
    }

    #[tokio::test]
    async fn gives_up_after_the_configured_attempts_and_does_not_retry_client_errors() {
        let (url, calls) = node(100, 503).await;
        let err = Rpc::new(&url, quick()).batch("echo", vec![json!([1])]).await.unwrap_err();
        assert!(matches!(err, RpcError::Transport { attempts: 4, .. }), "{err}");
        assert_eq!(calls.load(Ordering::SeqCst), 4);

        let (url, calls) = node(100, 400).await;
        let err = Rpc::new(&url, quick()).batch("echo", vec![json!([1])]).await.unwrap_err();
        assert!(matches!(err, RpcError::Shape { .. }), "{err}");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "a 400 is not retried");
    }

    #[tokio::test]
    async fn falls_back_to_single_calls_when_the_node_refuses_batches() {
        let app = Router::new().route(
            "/",
            post(|Json(body): Json<Value>| async move {
                if body.is_array() {
                    return Json(json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32600, "message": "Only method calls are supported" } }));
                }
                Json(json!({ "jsonrpc": "2.0", "id": body["id"], "result": body["params"][0] }))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let rpc = Rpc::new(&format!("http://{addr}"), quick());
        let params: Vec<Value> = (0..40).map(|i| json!([i])).collect();
        let out = rpc.batch("echo", params).await.unwrap();
        assert_eq!(out, (0..40).map(|i| json!(i)).collect::<Vec<_>>());
        assert!(!rpc.batches.load(Ordering::Relaxed));
    }
}
