//! A thin HTTP front for surfpool's JSON-RPC server that corrects its `blockTime` values.
//!
//! surfpool 1.3.1 stores block times in seconds but divides them by 1000 again in
//! `getTransaction` and `getBlock`, and answers `getSignaturesForAddress` with `blockTime: null`.
//! `getBlockTime(slot)` is right. The front forwards every request unchanged to surfpool (bound
//! to a private port) and, for those three methods only, sets `blockTime` from
//! `getBlockTime(slot)`. Everything else passes through byte for byte. The WebSocket server is
//! surfpool's own (`blockSubscribe` notifications keep the wrong value).
use anyhow::{anyhow, Context, Result};
use hyper::{
    body::Bytes,
    header::{ACCEPT_ENCODING, CONTENT_LENGTH, HOST},
    service::{make_service_fn, service_fn},
    Body, Client, Request, Response, Server, StatusCode,
};
use serde_json::Value;
use std::{
    collections::HashMap,
    convert::Infallible,
    net::TcpListener,
    sync::{Arc, Mutex},
    thread::JoinHandle,
};

const PATCHED: [&str; 3] = ["getTransaction", "getBlock", "getSignaturesForAddress"];
const CACHE_CAP: usize = 100_000;
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

struct State {
    upstream: String,
    client: Client<hyper::client::HttpConnector>,
    /// slot → block time; a slot's time never changes.
    cache: Mutex<HashMap<u64, Option<i64>>>,
}

/// The running front; dropping it stops it.
pub struct RpcProxy {
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl RpcProxy {
    /// Serves on `listener`, forwarding to `upstream` (`host:port`).
    pub fn start(listener: TcpListener, upstream: String) -> Result<RpcProxy> {
        listener.set_nonblocking(true)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::new(State { upstream, client: Client::new(), cache: Mutex::new(HashMap::new()) });
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rpc-front")
            .enable_all()
            .build()
            .context("rpc front runtime")?;
        let server = {
            let _guard = rt.enter();
            Server::from_tcp(listener).map_err(|e| anyhow!("rpc front: {e}"))?
        };
        let thread = std::thread::Builder::new().name("rpc-front".into()).spawn(move || {
            let make = make_service_fn(move |_| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(service_fn(move |req| handle(state.clone(), req))) }
            });
            let served = server.serve(make).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = rt.block_on(served) {
                eprintln!("localnet: rpc front stopped: {e}");
            }
            rt.shutdown_background();
        })?;
        Ok(RpcProxy { shutdown: Some(tx), thread: Some(thread) })
    }
}

impl Drop for RpcProxy {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn handle(state: Arc<State>, req: Request<Body>) -> Result<Response<Body>, Infallible> {
    Ok(forward(&state, req).await.unwrap_or_else(|e| {
        let mut r = Response::new(Body::from(format!("localnet rpc front: {e:#}")));
        *r.status_mut() = StatusCode::BAD_GATEWAY;
        r
    }))
}

fn needs_patch(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    PATCHED.iter().any(|m| text.contains(&format!("\"{m}\"")))
}

async fn forward(state: &State, req: Request<Body>) -> Result<Response<Body>> {
    let (parts, body) = req.into_parts();
    let body = hyper::body::to_bytes(body).await?;
    let patch = needs_patch(&body);
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut up = Request::builder().method(parts.method).uri(format!("http://{}{path}", state.upstream));
    for (name, value) in parts.headers.iter() {
        // Hop-by-hop headers stay on this hop; a patched response must be plain JSON.
        let hop = HOP_BY_HOP.contains(&name.as_str()) || name == HOST;
        let encoding = patch && name == ACCEPT_ENCODING;
        if !hop && !encoding {
            up = up.header(name, value);
        }
    }
    let resp = state.client.request(up.body(Body::from(body.clone()))?).await?;
    if !patch {
        return Ok(resp);
    }
    let (mut rparts, rbody) = resp.into_parts();
    let rbytes = hyper::body::to_bytes(rbody).await?;
    let out = match patch_response(state, &body, &rbytes).await {
        Some(v) => Bytes::from(serde_json::to_vec(&v)?),
        None => rbytes,
    };
    rparts.headers.remove(CONTENT_LENGTH);
    Ok(Response::from_parts(rparts, Body::from(out)))
}

/// The corrected response, or `None` to pass the original through.
async fn patch_response(state: &State, request: &[u8], response: &[u8]) -> Option<Value> {
    let request: Value = serde_json::from_slice(request).ok()?;
    let mut response: Value = serde_json::from_slice(response).ok()?;
    match (&request, &mut response) {
        (Value::Array(reqs), Value::Array(resps)) => {
            for r in resps.iter_mut() {
                if let Some(q) = reqs.iter().find(|q| q.get("id") == r.get("id")) {
                    patch_one(state, q, r).await;
                }
            }
        }
        (q @ Value::Object(_), r @ Value::Object(_)) => patch_one(state, q, r).await,
        _ => return None,
    }
    Some(response)
}

async fn patch_one(state: &State, request: &Value, response: &mut Value) {
    let method = request.get("method").and_then(Value::as_str).unwrap_or_default();
    let Some(result) = response.get_mut("result") else { return };
    match method {
        "getTransaction" => {
            if let Some(slot) = result.get("slot").and_then(Value::as_u64) {
                set_block_time(state, result, slot).await;
            }
        }
        "getBlock" => {
            let slot = request.get("params").and_then(|p| p.get(0)).and_then(Value::as_u64);
            if let (Some(slot), true) = (slot, result.is_object()) {
                set_block_time(state, result, slot).await;
            }
        }
        "getSignaturesForAddress" => {
            if let Some(entries) = result.as_array_mut() {
                for e in entries {
                    if let Some(slot) = e.get("slot").and_then(Value::as_u64) {
                        set_block_time(state, e, slot).await;
                    }
                }
            }
        }
        _ => {}
    }
}

async fn set_block_time(state: &State, target: &mut Value, slot: u64) {
    if let (Some(t), Some(obj)) = (block_time(state, slot).await, target.as_object_mut()) {
        obj.insert("blockTime".into(), Value::from(t));
    }
}

async fn block_time(state: &State, slot: u64) -> Option<i64> {
    if let Some(t) = state.cache.lock().ok()?.get(&slot) {
        return *t;
    }
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "getBlockTime", "params": [slot]});
    let req = Request::post(format!("http://{}/", state.upstream))
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(&body).ok()?))
        .ok()?;
    let resp = state.client.request(req).await.ok()?;
    let bytes = hyper::body::to_bytes(resp.into_body()).await.ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let t = v.get("result").and_then(Value::as_i64);
    if t.is_some() {
        let mut cache = state.cache.lock().ok()?;
        if cache.len() >= CACHE_CAP {
            cache.clear();
        }
        cache.insert(slot, t);
    }
    t
}
