//! The worker's gateway: the only way into a lease's Ray cluster from outside the lease.
//!
//! One TCP listener (`io-worker run --gateway`). Each connection carries one request (the
//! client's `Connection` is forced to `close`, so every request is signed and checked on its
//! own); the head is read and routed:
//! - `POST` [`paths::JOIN`]: another device of the lease asks for the head's GCS address and
//!   Ray's token ([`Join`] signed by that device's worker key → [`JoinGrant`]).
//! - `GET` [`paths::CLUSTER`]: the renter asks how the cluster stands ([`ClusterView`]).
//! - anything else: a renter request for Ray's dashboard / job API. It is checked
//!   ([`check_access`]: the lease's renter signed it, for this lease and this device, fresh
//!   nonce) before any connection to Ray is made; then the access header is removed, Ray's
//!   bearer token added, and the bytes spliced both ways (WebSocket upgrades included, for
//!   `ray job logs -f`).
//!
//! Refusals are JSON `{"error": code, "message": text}`; the Ray CLI prints the body of a 401 /
//! 403, so the message says what to do.
use super::context::{LeaseCluster, Shared};
use io_sdk::{
    worker::{
        cluster::{
            check_access, paths, AccessRefusal, ClusterState, ClusterView, Expected, Join, JoinGrant,
            NonceCache, ACCESS_HEADER, ACCESS_WINDOW_MS, RAY_VERSION,
        },
        http_head::{error_body, head_end, json_response, RequestHead, MAX_HEAD},
        Kind, Signed,
    },
    Pubkey,
};
use std::{
    sync::{atomic::Ordering, Arc, Mutex},
    time::Duration,
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use tracing::{debug, info, warn};

/// The longest a client may take to send its request head (and a join its body): a stalled
/// client must not hold a connection slot for long.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once (a request being read, or a renter's exchange with Ray); the
/// others wait in the listen backlog.
const MAX_CONNECTIONS: usize = 512;
/// A join's body is one small envelope.
const MAX_JOIN_BODY: usize = 16 * 1024;
/// Connecting to the Ray dashboard on the same machine or the lease's network.
const UPSTREAM_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The gateway of one device.
#[derive(Debug)]
pub struct Gateway {
    /// The chain's genesis hash, base58: what every signed request names.
    pub genesis: String,
    /// This device (its io_staking address).
    pub device: Pubkey,
    pub shared: Arc<Shared>,
    access_nonces: Mutex<NonceCache>,
    join_nonces: Mutex<NonceCache>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A refusal: HTTP status, error code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(status: u16, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal { status, code, message: message.into() }
    }

    fn bytes(&self) -> Vec<u8> {
        json_response(self.status, reason(self.status), &error_body(self.code, &self.message))
    }
}

impl From<AccessRefusal> for Refusal {
    fn from(r: AccessRefusal) -> Refusal {
        Refusal::new(r.http_status(), r.code(), r.to_string())
    }
}

/// The reason phrase of the statuses the gateway answers itself.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn ok_json(body: &impl serde::Serialize) -> Vec<u8> {
    json_response(200, "OK", &serde_json::to_string(body).expect("replies serialise"))
}

impl Gateway {
    pub fn new(genesis: String, device: Pubkey, shared: Arc<Shared>) -> Arc<Gateway> {
        Arc::new(Gateway {
            genesis,
            device,
            shared,
            access_nonces: Mutex::new(NonceCache::default()),
            join_nonces: Mutex::new(NonceCache::default()),
        })
    }

    /// Accepts connections for as long as the worker runs; each is served on its own task, at
    /// most [`MAX_CONNECTIONS`] at once. A failed accept (out of file descriptors under a flood
    /// of idle connections) is logged and retried: the gateway must outlive whoever floods it.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) -> std::io::Result<()> {
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else { return Ok(()) };
            let (conn, peer) = match listener.accept().await {
                Ok(c) => c,
                Err(e) => {
                    warn!("the gateway could not accept a connection: {e}; retrying");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let g = self.clone();
            tokio::spawn(async move {
                if let Err(e) = g.handle(conn).await {
                    debug!("gateway connection from {peer}: {e}");
                }
                drop(slot);
            });
        }
    }

    fn refused(&self, r: &Refusal) {
        self.shared.refused.fetch_add(1, Ordering::Relaxed);
        debug!("gateway refused a request: {} {}", r.code, r.message);
    }

    async fn handle(&self, mut conn: TcpStream) -> std::io::Result<()> {
        let (head, buf, end) = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut conn)).await {
            Ok(Ok(Some(v))) => v,
            Ok(Ok(None)) => return Ok(()), // Closed before a request.
            Ok(Err(r)) => {
                self.refused(&r);
                return conn.write_all(&r.bytes()).await;
            }
            Err(_) => {
                let r = Refusal::new(408, "timeout", "the request head did not arrive in time");
                return conn.write_all(&r.bytes()).await;
            }
        };
        let path = head.target.split('?').next().unwrap_or("");
        if path == paths::JOIN {
            let reply =
                match tokio::time::timeout(READ_TIMEOUT, read_body(&mut conn, &head, &buf[end..])).await {
                    Ok(Ok(body)) => self.join(&head, &body, crate::now_ms()),
                    Ok(Err(r)) => Err(r),
                    Err(_) => Err(Refusal::new(408, "timeout", "the join's body did not arrive in time")),
                };
            let bytes = reply.unwrap_or_else(|r| {
                self.refused(&r);
                r.bytes()
            });
            return conn.write_all(&bytes).await;
        }
        if path == paths::CLUSTER {
            let bytes = self.cluster_view(&head, crate::now_ms()).map_or_else(
                |r| {
                    self.refused(&r);
                    r.bytes()
                },
                |v| ok_json(&v),
            );
            return conn.write_all(&bytes).await;
        }
        match self.admit(head, crate::now_ms()) {
            Ok((head, dashboard)) => self.forward(conn, head, &buf[end..], &dashboard).await,
            Err(r) => {
                self.refused(&r);
                conn.write_all(&r.bytes()).await
            }
        }
    }

    /// The lease this device heads and serves, or why there is none.
    fn headed(&self) -> Result<LeaseCluster, Refusal> {
        let Some(c) = self.shared.get() else {
            return Err(Refusal::new(
                404,
                "no_cluster",
                format!("device {} serves no lease now: open a lease on it first", self.device),
            ));
        };
        if c.head() != self.device {
            return Err(Refusal::new(
                404,
                "no_cluster",
                format!(
                    "device {} does not head lease {}: its cluster is reached through the gateway of device {}",
                    self.device,
                    c.lease,
                    c.head()
                ),
            ));
        }
        Ok(c)
    }

    /// Checks a renter request; on success, the head to send to Ray (access header removed,
    /// Ray's token added, one request per connection) and the dashboard address.
    pub fn admit(&self, mut head: RequestHead, now_ms: u64) -> Result<(RequestHead, String), Refusal> {
        let c = self.headed()?;
        self.check_renter(&head, &c, now_ms)?;
        let dashboard = match (&c.dashboard, c.state) {
            (Some(d), ClusterState::Serving) => d.clone(),
            _ => return Err(starting(&c)),
        };
        head.remove(ACCESS_HEADER);
        // The renter's own Authorization (e.g. a stale RAY_AUTH_TOKEN) is replaced, never passed.
        head.set("Authorization", &format!("Bearer {}", c.token));
        head.one_per_connection();
        Ok((head, dashboard))
    }

    fn check_renter(&self, head: &RequestHead, c: &LeaseCluster, now_ms: u64) -> Result<(), Refusal> {
        let want =
            Expected { cluster: &self.genesis, lease: &c.lease, device: &self.device, renter: &c.renter };
        check_access(head.header(ACCESS_HEADER), &want, now_ms, &mut lock(&self.access_nonces))?;
        Ok(())
    }

    /// `GET /io/v1/cluster`, renter-signed.
    pub fn cluster_view(&self, head: &RequestHead, now_ms: u64) -> Result<ClusterView, Refusal> {
        let c = self.headed()?;
        self.check_renter(head, &c, now_ms)?;
        Ok(ClusterView {
            lease: c.lease.to_string(),
            head: c.head().to_string(),
            state: c.state,
            ray_version: RAY_VERSION.to_string(),
            nodes: c.nodes.clone(),
            ready_ms: c.ready_ms,
        })
    }

    /// `POST /io/v1/join`: the reply's bytes (a grant), or a refusal.
    pub fn join(&self, head: &RequestHead, body: &[u8], now_ms: u64) -> Result<Vec<u8>, Refusal> {
        if head.method != "POST" {
            return Err(Refusal::new(405, "method", format!("{} takes POST", paths::JOIN)));
        }
        let signed: Signed = serde_json::from_slice(body).map_err(|e| {
            Refusal::new(400, "malformed_join", format!("the body is not a signed envelope: {e}"))
        })?;
        let (signer, join) = signed
            .open::<Join>(Kind::ClusterJoin)
            .map_err(|e| Refusal::new(400, "malformed_join", format!("not a signed join: {e}")))?;
        let c = self.headed()?;
        let device: Pubkey = join.device.parse().map_err(|_| {
            Refusal::new(400, "malformed_join", format!("device {:?} is not an address", join.device))
        })?;
        if join.cluster != self.genesis {
            return Err(Refusal::new(
                403,
                "wrong_cluster",
                format!("the join names cluster {}, this is cluster {}", join.cluster, self.genesis),
            ));
        }
        if join.lease != c.lease.to_string() {
            return Err(Refusal::new(
                403,
                "wrong_lease",
                format!("the join names lease {}, this head serves lease {}", join.lease, c.lease),
            ));
        }
        if join.head != self.device.to_string() {
            return Err(Refusal::new(
                403,
                "wrong_device",
                format!("the join asks head {}, this gateway is device {}", join.head, self.device),
            ));
        }
        let Some(worker) = c.worker_of(&device) else {
            return Err(Refusal::new(
                403,
                "not_in_lease",
                format!("device {device} is not one of lease {}'s devices", c.lease),
            ));
        };
        if signer != worker {
            return Err(Refusal::new(
                403,
                "wrong_signer",
                format!("the join is signed by {signer}, device {device}'s worker key on chain is {worker}"),
            ));
        }
        let skew_ms = now_ms.abs_diff(join.timestamp_ms);
        if skew_ms > ACCESS_WINDOW_MS {
            return Err(Refusal::new(
                403,
                "stale",
                format!("the join's timestamp is {skew_ms} ms from this gateway's clock (at most {ACCESS_WINDOW_MS} ms): check the clock"),
            ));
        }
        if !lock(&self.join_nonces).insert(join.nonce, now_ms) {
            return Err(Refusal::new(403, "replayed", "the join's nonce was used before"));
        }
        match (&c.gcs, c.state) {
            (Some(gcs), ClusterState::Serving) => {
                info!("lease {}: device {device} joins the cluster", c.lease);
                Ok(ok_json(&JoinGrant {
                    lease: c.lease.to_string(),
                    gcs: gcs.clone(),
                    token: c.token.clone(),
                    dashboard: c.dashboard.clone(),
                }))
            }
            _ => Err(starting(&c)),
        }
    }

    async fn forward(
        &self,
        mut conn: TcpStream,
        head: RequestHead,
        rest: &[u8],
        dashboard: &str,
    ) -> std::io::Result<()> {
        let connected = tokio::time::timeout(UPSTREAM_CONNECT_TIMEOUT, TcpStream::connect(dashboard)).await;
        let mut up = match connected {
            Ok(Ok(up)) => up,
            Ok(Err(e)) => return conn.write_all(&unreachable_ray(dashboard, &e.to_string()).bytes()).await,
            Err(_) => return conn.write_all(&unreachable_ray(dashboard, "timed out").bytes()).await,
        };
        self.shared.forwarded.fetch_add(1, Ordering::Relaxed);
        up.set_nodelay(true)?;
        conn.set_nodelay(true)?;
        up.write_all(&head.to_bytes()).await?;
        up.write_all(rest).await?;
        tokio::io::copy_bidirectional(&mut conn, &mut up).await?;
        Ok(())
    }
}

fn starting(c: &LeaseCluster) -> Refusal {
    let why = c.why.as_deref().map(|w| format!(": {w}")).unwrap_or_default();
    let state = match c.state {
        ClusterState::Failed => "has failed",
        _ => "is starting",
    };
    Refusal::new(
        503,
        "starting",
        format!("lease {}'s cluster {state}{why}; try again in a few seconds", c.lease),
    )
}

fn unreachable_ray(dashboard: &str, e: &str) -> Refusal {
    warn!("gateway: the Ray dashboard {dashboard} is unreachable: {e}");
    Refusal::new(
        502,
        "ray_unreachable",
        format!("the lease's Ray dashboard does not answer ({e}); try again shortly"),
    )
}

/// Reads until the end of the request head: the parsed head, everything read, and where the
/// head ends in it. `None` when the client closed before sending anything.
async fn read_head(conn: &mut TcpStream) -> Result<Option<(RequestHead, Vec<u8>, usize)>, Refusal> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = head_end(&buf) {
            let head = RequestHead::parse(&buf[..end]).map_err(|e| Refusal::new(400, "bad_request", e))?;
            return Ok(Some((head, buf, end)));
        }
        if buf.len() > MAX_HEAD {
            return Err(Refusal::new(
                431,
                "head_too_large",
                format!("the request head passes {MAX_HEAD} bytes"),
            ));
        }
        let n = conn
            .read(&mut chunk)
            .await
            .map_err(|e| Refusal::new(400, "bad_request", format!("reading the request: {e}")))?;
        if n == 0 {
            if buf.is_empty() {
                return Ok(None);
            }
            return Err(Refusal::new(400, "bad_request", "the connection closed inside the request head"));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A join's body: `Content-Length` bytes, of which `already` were read with the head.
async fn read_body(conn: &mut TcpStream, head: &RequestHead, already: &[u8]) -> Result<Vec<u8>, Refusal> {
    let len: usize = head
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Refusal::new(400, "bad_request", "a join needs a Content-Length"))?;
    if len > MAX_JOIN_BODY {
        return Err(Refusal::new(
            413,
            "body_too_large",
            format!("a join's body is at most {MAX_JOIN_BODY} bytes"),
        ));
    }
    let mut body = already.to_vec();
    body.truncate(len);
    let mut chunk = [0u8; 4096];
    while body.len() < len {
        let n = conn
            .read(&mut chunk)
            .await
            .map_err(|e| Refusal::new(400, "bad_request", format!("reading the join: {e}")))?;
        if n == 0 {
            return Err(Refusal::new(400, "bad_request", "the connection closed inside the join's body"));
        }
        let take = n.min(len - body.len());
        body.extend_from_slice(&chunk[..take]);
    }
    Ok(body)
}
