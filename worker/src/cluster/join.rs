//! A leased device that does not head the lease joins the head's cluster: it finds the head
//! worker's gateway in the head's last signed heartbeat (served by the oracle nodes, checked
//! against the head device's worker key on chain, so no node can redirect the join), then asks
//! that gateway for the Ray head's address and token with a [`Join`] signed by its own worker key.
use io_sdk::{
    worker::{
        cluster::{paths, Join, JoinGrant},
        Bytes32, Kind, Signed, PROTOCOL_VERSION,
    },
    Pubkey,
};

/// Why a join did not give a grant, and whether asking again soon may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The head is not reachable or not ready yet (starting, or it has not seen the lease).
    NotYet(String),
    /// The head refused this join: asking again at once gives the same answer.
    Refused(String),
}

impl JoinError {
    pub fn why(&self) -> &str {
        match self {
            JoinError::NotYet(w) | JoinError::Refused(w) => w,
        }
    }
}

/// The head worker's gateway URL, from the first oracle node that has a heartbeat of `head`
/// signed by `head_worker` naming an endpoint.
pub async fn head_endpoint(
    http: &reqwest::Client,
    oracles: &[String],
    head: &Pubkey,
    head_worker: &Pubkey,
    lease: &Pubkey,
) -> Result<String, JoinError> {
    let mut whys = vec![];
    for o in oracles {
        let url = format!(
            "{}{}",
            o.trim_end_matches('/'),
            io_sdk::worker::paths::device_heartbeat(&head.to_string())
        );
        match fetch_endpoint(http, &url, head, head_worker, lease).await {
            Ok(e) => return Ok(e),
            Err(w) => whys.push(w),
        }
    }
    Err(JoinError::NotYet(format!("no oracle node knows the head's gateway yet: {}", whys.join("; "))))
}

async fn fetch_endpoint(
    http: &reqwest::Client,
    url: &str,
    head: &Pubkey,
    head_worker: &Pubkey,
    lease: &Pubkey,
) -> Result<String, String> {
    let resp = http.get(url).send().await.map_err(|e| format!("{url}: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!("{url} answered {}", resp.status()));
    }
    let signed: Signed = resp.json().await.map_err(|e| format!("{url}: not a signed envelope: {e}"))?;
    io_sdk::worker::cluster::endpoint_of(&signed, head, head_worker, lease).map_err(|e| format!("{url}: {e}"))
}

/// A signed join of `device` to `head`'s cluster of `lease`.
pub fn signed_join(
    genesis: &str,
    lease: &Pubkey,
    device: &Pubkey,
    head: &Pubkey,
    secret: &[u8; 32],
    nonce: [u8; 32],
    now_ms: u64,
) -> Signed {
    let join = Join {
        version: PROTOCOL_VERSION,
        cluster: genesis.to_string(),
        lease: lease.to_string(),
        device: device.to_string(),
        head: head.to_string(),
        nonce: Bytes32(nonce),
        timestamp_ms: now_ms,
    };
    Signed::sign(Kind::ClusterJoin, &join, secret)
}

/// POSTs `join` to the gateway at `endpoint`.
pub async fn ask(http: &reqwest::Client, endpoint: &str, join: &Signed) -> Result<JoinGrant, JoinError> {
    let url = format!("{}{}", endpoint.trim_end_matches('/'), paths::JOIN);
    let resp =
        http.post(&url).json(join).send().await.map_err(|e| JoinError::NotYet(format!("{url}: {e}")))?;
    let status = resp.status();
    if status.is_success() {
        return resp
            .json()
            .await
            .map_err(|e| JoinError::NotYet(format!("{url}: the grant is not JSON: {e}")));
    }
    let text: String = resp.text().await.unwrap_or_default().chars().take(300).collect();
    let why = format!("{url} answered {status}: {text}");
    // 503: the head is starting; 404: the head's worker has not seen the lease yet.
    if status.as_u16() == 503 || status.as_u16() == 404 {
        Err(JoinError::NotYet(why))
    } else {
        Err(JoinError::Refused(why))
    }
}
