//! Clusters on leases (issue 17): the words the worker, the oracle nodes and the CLI share about
//! the Ray cluster a lease's devices form.
//!
//! - A lease's **head** is its first device: that device's worker starts the Ray head; every
//!   other device's worker joins it ([`Join`], signed by the joining device's worker key and
//!   checked by the head's worker against the lease and the chain).
//! - Each worker's heartbeat says how the lease's cluster stands on its device
//!   ([`ClusterReport`]); the oracle nodes attest lease seconds only while it says
//!   [`ClusterState::Serving`].
//! - The renter reaches the cluster only through the head worker's gateway, with every request
//!   signed by the lease's renter wallet ([`LeaseAccess`] in the [`ACCESS_HEADER`] header): a
//!   fresh nonce, the lease and the head device named. `io lease connect` signs for the renter.
use super::{Bytes32, Kind, Signed, WireError, PROTOCOL_VERSION};
use crate::Pubkey;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The Ray release the workers run, installed from PyPI into a virtual environment.
pub const RAY_VERSION: &str = "2.58.0";
/// The pip requirement: `[default]` brings the dashboard and the job API the renter uses.
pub const RAY_REQUIREMENT: &str = "ray[default]==2.58.0";

/// Where the pinned Ray lives unless told otherwise: `$IO_RAY_VENV`, else
/// `$XDG_CACHE_HOME/io-compute/ray-<RAY_VERSION>` (`~/.cache/...` without it). One venv serves every
/// worker of the machine (it is 380 MB); `io-worker ray install` creates it.
pub fn default_ray_venv() -> std::path::PathBuf {
    ray_venv_from(|k| std::env::var_os(k).filter(|v| !v.is_empty()).map(std::path::PathBuf::from))
}

/// [`default_ray_venv`] with the environment read through `var` (so that it can be tested).
pub fn ray_venv_from(var: impl Fn(&str) -> Option<std::path::PathBuf>) -> std::path::PathBuf {
    if let Some(v) = var("IO_RAY_VENV") {
        return v;
    }
    let cache = var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .unwrap_or_else(|| std::path::PathBuf::from(".cache"));
    cache.join("io-compute").join(format!("ray-{RAY_VERSION}"))
}

/// The gateway a device's heartbeat names for `lease`, once the heartbeat is that device's own,
/// signed by its bound worker key (`key`, read on chain), and says it serves `lease`: what a
/// renter's CLI and a joining worker trust, so an oracle node serving the heartbeat can withhold
/// the address but never change it, nor pass off one from before the lease.
pub fn endpoint_of(signed: &Signed, device: &Pubkey, key: &Pubkey, lease: &Pubkey) -> Result<String, String> {
    let (signer, hb) = signed.open::<super::Heartbeat>(Kind::Heartbeat).map_err(|e| e.to_string())?;
    if signer != *key {
        return Err(format!("the heartbeat is signed by {signer}, not by the device's worker key {key}"));
    }
    if hb.device != device.to_string() {
        return Err(format!("the heartbeat is device {}'s, not {device}'s", hb.device));
    }
    if hb.serving_lease.as_deref() != Some(lease.to_string().as_str()) {
        return Err(format!(
            "the device's last heartbeat says it serves {}, not lease {lease} (its worker sees a new lease within \
             seconds: try again)",
            hb.serving_lease.as_deref().unwrap_or("no lease")
        ));
    }
    hb.endpoint
        .ok_or_else(|| "the device's worker runs without a cluster gateway (--no-clusters)".to_string())
}

/// The environment variable every process of a lease's Ray node carries, set to the node's
/// working directory ([`node_dir`]): how the worker (and anyone on the machine) finds all of a
/// node's processes, job drivers in their own sessions included.
pub const NODE_MARK: &str = "IO_RAY_NODE";

/// The working directory (Ray's `--temp-dir`) of `lease`'s node on `device`:
/// `/tmp/io-ray/<lease 8>-<device 8>`, the first 8 alphanumeric characters of each address. Short:
/// Ray's socket paths under it must stay within 107 bytes.
pub fn node_dir(lease: &str, device: &str) -> std::path::PathBuf {
    let short = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).take(8).collect::<String>();
    std::path::PathBuf::from(format!("/tmp/io-ray/{}-{}", short(lease), short(device)))
}

/// The header carrying a renter's signed [`LeaseAccess`] (the compact JSON of its [`Signed`]
/// envelope).
pub const ACCESS_HEADER: &str = "x-io-lease-access";
/// How far a [`LeaseAccess`] timestamp may be from the gateway's clock, either way.
pub const ACCESS_WINDOW_MS: u64 = 30_000;

/// The gateway's own endpoints; every other path goes to the lease's Ray dashboard (job API).
pub mod paths {
    /// POST, body: [`super::Signed`] of a [`super::Join`]. Reply: [`super::JoinGrant`].
    pub const JOIN: &str = "/io/v1/join";
    /// GET, a renter-signed request: the cluster's state ([`super::ClusterView`]).
    pub const CLUSTER: &str = "/io/v1/cluster";
}

/// Which part of the lease's cluster a device runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The first device of the lease: the Ray head, the dashboard and the job API.
    Head,
    /// Any other device: a Ray worker node joined to the head.
    Node,
}

/// How the lease's cluster stands on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterState {
    /// Ray is starting (or joining the head): not yet usable, not attested.
    Starting,
    /// The device's Ray node runs and is part of the cluster: attested.
    Serving,
    /// The device cannot serve the cluster (the reason says why): not attested.
    Failed,
}

/// What a heartbeat says of the lease's cluster on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterReport {
    /// The io_escrow lease (base58).
    pub lease: String,
    pub role: Role,
    pub state: ClusterState,
    /// Why not serving, in words (absent while serving).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl ClusterReport {
    /// Whether this report lets the oracle attest `lease`'s seconds on the device.
    pub fn serves(&self, lease: &str) -> bool {
        self.state == ClusterState::Serving && self.lease == lease
    }
}

/// A renter's signed request to reach `lease`'s cluster through `device`'s gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseAccess {
    pub version: u32,
    /// The cluster's genesis hash (base58).
    pub cluster: String,
    pub lease: String,
    /// The device whose gateway is asked (the lease's head).
    pub device: String,
    /// Fresh randomness: a gateway accepts each nonce once.
    pub nonce: Bytes32,
    /// The renter's clock, ms since the Unix epoch.
    pub timestamp_ms: u64,
}

/// A leased device's worker asking the head's worker to join the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Join {
    pub version: u32,
    pub cluster: String,
    pub lease: String,
    /// The joining device (its worker key signs).
    pub device: String,
    /// The head device asked.
    pub head: String,
    pub nonce: Bytes32,
    pub timestamp_ms: u64,
}

/// The head worker's answer to a [`Join`]: where the Ray head listens and the cluster's token.
/// It travels only from worker to worker, never on chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinGrant {
    pub lease: String,
    /// The Ray head's GCS address, `ip:port`.
    pub gcs: String,
    /// Ray's cluster token (`RAY_AUTH_TOKEN`).
    pub token: String,
    /// The Ray head's dashboard, `ip:port`: where the joining worker sees its node come ALIVE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboard: Option<String>,
}

/// One Ray node of the cluster, as the head sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeView {
    pub ip: String,
    pub alive: bool,
    /// The io device resource the node declares (`io_device_<device>`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// What the head's gateway says of the cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterView {
    pub lease: String,
    pub head: String,
    pub state: ClusterState,
    pub ray_version: String,
    pub nodes: Vec<NodeView>,
    /// The head's worker's own measure: lease first seen → head serving, wall ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_ms: Option<u64>,
}

/// The Ray custom resource naming a device: a job pins a task to a device with
/// `resources={device_resource(d): 1}`.
pub fn device_resource(device: &str) -> String {
    format!("io_device_{device}")
}

/// The renter's header value: `access` signed with the renter's secret.
pub fn access_header(renter_secret: &[u8; 32], access: &LeaseAccess) -> String {
    let signed = Signed::sign(Kind::LeaseAccess, access, renter_secret);
    serde_json::to_string(&signed).expect("an envelope serialises")
}

/// A fresh [`LeaseAccess`] for `lease` at `device`.
pub fn access(cluster: &str, lease: &Pubkey, device: &Pubkey, nonce: [u8; 32], now_ms: u64) -> LeaseAccess {
    LeaseAccess {
        version: PROTOCOL_VERSION,
        cluster: cluster.to_string(),
        lease: lease.to_string(),
        device: device.to_string(),
        nonce: Bytes32(nonce),
        timestamp_ms: now_ms,
    }
}

/// Why a gateway refuses a request (HTTP 401 for a missing or unreadable header, 403 else).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessRefusal {
    #[error("no {ACCESS_HEADER} header: reach a lease's cluster through `io lease connect LEASE`")]
    Missing,
    #[error("the {ACCESS_HEADER} header is not a signed lease access: {0}")]
    Malformed(String),
    #[error("not signed by the lease's renter {renter} (signed by {signer}): only the renter's wallet reaches the cluster")]
    NotRenter { renter: String, signer: String },
    #[error("the request names lease {got}, this gateway serves lease {want}")]
    WrongLease { want: String, got: String },
    #[error("the request names device {got}, this gateway is device {want}")]
    WrongDevice { want: String, got: String },
    #[error("the request names cluster {got}, this is cluster {want}")]
    WrongCluster { want: String, got: String },
    #[error("the request's timestamp is {skew_ms} ms from this gateway's clock (at most {ACCESS_WINDOW_MS} ms): check the clock")]
    Stale { skew_ms: u64 },
    #[error("the request's nonce was used before: every request needs a fresh signature")]
    Replayed,
}

impl AccessRefusal {
    /// The error code in the gateway's JSON refusal.
    pub fn code(&self) -> &'static str {
        match self {
            AccessRefusal::Missing => "missing_access",
            AccessRefusal::Malformed(_) => "malformed_access",
            AccessRefusal::NotRenter { .. } => "not_renter",
            AccessRefusal::WrongLease { .. } => "wrong_lease",
            AccessRefusal::WrongDevice { .. } => "wrong_device",
            AccessRefusal::WrongCluster { .. } => "wrong_cluster",
            AccessRefusal::Stale { .. } => "stale",
            AccessRefusal::Replayed => "replayed",
        }
    }

    /// 401 when no access could be read, 403 when it was read and refused.
    pub fn http_status(&self) -> u16 {
        match self {
            AccessRefusal::Missing | AccessRefusal::Malformed(_) => 401,
            _ => 403,
        }
    }
}

impl From<WireError> for AccessRefusal {
    fn from(e: WireError) -> Self {
        AccessRefusal::Malformed(e.to_string())
    }
}

/// What a gateway expects of a request: its cluster, the lease it serves, its own device and the
/// lease's renter (read on chain).
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub cluster: &'a str,
    pub lease: &'a Pubkey,
    pub device: &'a Pubkey,
    pub renter: &'a Pubkey,
}

/// Nonces seen within the freshness window: a nonce is accepted once. Entries older than the
/// window are dropped (a request that old is refused as stale anyway).
#[derive(Debug, Default)]
pub struct NonceCache {
    seen: HashMap<Bytes32, u64>,
}

impl NonceCache {
    /// Records `nonce` seen at `now_ms`; false when it was seen within the window.
    pub fn insert(&mut self, nonce: Bytes32, now_ms: u64) -> bool {
        self.seen.retain(|_, at| now_ms.saturating_sub(*at) <= 2 * ACCESS_WINDOW_MS);
        if self.seen.contains_key(&nonce) {
            return false;
        }
        self.seen.insert(nonce, now_ms);
        true
    }

    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// Checks a request's [`ACCESS_HEADER`] value: the envelope's signature, the renter as signer,
/// the cluster, lease and device named, the timestamp within [`ACCESS_WINDOW_MS`], and the nonce
/// unused (recorded only when everything else passed, so a refused request burns no nonce).
pub fn check_access(
    header: Option<&str>,
    want: &Expected<'_>,
    now_ms: u64,
    nonces: &mut NonceCache,
) -> Result<LeaseAccess, AccessRefusal> {
    let text = header.ok_or(AccessRefusal::Missing)?;
    let signed: Signed = serde_json::from_str(text).map_err(|e| AccessRefusal::Malformed(e.to_string()))?;
    let (signer, access) = signed.open::<LeaseAccess>(Kind::LeaseAccess)?;
    if signer != *want.renter {
        return Err(AccessRefusal::NotRenter { renter: want.renter.to_string(), signer: signer.to_string() });
    }
    if access.cluster != want.cluster {
        return Err(AccessRefusal::WrongCluster { want: want.cluster.into(), got: access.cluster });
    }
    if access.lease != want.lease.to_string() {
        return Err(AccessRefusal::WrongLease { want: want.lease.to_string(), got: access.lease });
    }
    if access.device != want.device.to_string() {
        return Err(AccessRefusal::WrongDevice { want: want.device.to_string(), got: access.device });
    }
    let skew_ms = now_ms.abs_diff(access.timestamp_ms);
    if skew_ms > ACCESS_WINDOW_MS {
        return Err(AccessRefusal::Stale { skew_ms });
    }
    if !nonces.insert(access.nonce, now_ms) {
        return Err(AccessRefusal::Replayed);
    }
    Ok(access)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn key(seed: u8) -> ([u8; 32], Pubkey) {
        let secret = [seed; 32];
        let public = SigningKey::from_bytes(&secret).verifying_key().to_bytes();
        (secret, Pubkey::new_from_array(public))
    }

    struct Case {
        renter: ([u8; 32], Pubkey),
        lease: Pubkey,
        device: Pubkey,
    }

    fn case() -> Case {
        Case {
            renter: key(7),
            lease: Pubkey::new_from_array([1; 32]),
            device: Pubkey::new_from_array([2; 32]),
        }
    }

    fn header(c: &Case, secret: &[u8; 32], nonce: u8, at: u64) -> String {
        access_header(secret, &access("genesis", &c.lease, &c.device, [nonce; 32], at))
    }

    fn check(
        c: &Case,
        h: Option<&str>,
        now: u64,
        nonces: &mut NonceCache,
    ) -> Result<LeaseAccess, AccessRefusal> {
        let want = Expected { cluster: "genesis", lease: &c.lease, device: &c.device, renter: &c.renter.1 };
        check_access(h, &want, now, nonces)
    }

    #[test]
    fn the_renters_fresh_request_passes_once() {
        let c = case();
        let mut n = NonceCache::default();
        let h = header(&c, &c.renter.0, 1, 1_000_000);
        let got = check(&c, Some(&h), 1_000_500, &mut n).unwrap();
        assert_eq!(got.lease, c.lease.to_string());
        assert_eq!(check(&c, Some(&h), 1_000_600, &mut n), Err(AccessRefusal::Replayed));
        // Another nonce at the same time passes.
        assert!(check(&c, Some(&header(&c, &c.renter.0, 2, 1_000_000)), 1_000_600, &mut n).is_ok());
    }

    #[test]
    fn each_refusal_has_its_code() {
        let c = case();
        let mut n = NonceCache::default();
        let now = 5_000_000;
        let r = check(&c, None, now, &mut n).unwrap_err();
        assert_eq!((r.code(), r.http_status()), ("missing_access", 401));
        let r = check(&c, Some("{}"), now, &mut n).unwrap_err();
        assert_eq!((r.code(), r.http_status()), ("malformed_access", 401));
        let other = key(9);
        let r = check(&c, Some(&header(&c, &other.0, 1, now)), now, &mut n).unwrap_err();
        assert_eq!(
            r,
            AccessRefusal::NotRenter { renter: c.renter.1.to_string(), signer: other.1.to_string() }
        );
        assert_eq!(r.http_status(), 403);
        let wrong_lease = Case { lease: Pubkey::new_from_array([3; 32]), ..case() };
        let r = check(&c, Some(&header(&wrong_lease, &c.renter.0, 1, now)), now, &mut n).unwrap_err();
        assert_eq!(r.code(), "wrong_lease");
        let wrong_device = Case { device: Pubkey::new_from_array([4; 32]), ..case() };
        let r = check(&c, Some(&header(&wrong_device, &c.renter.0, 1, now)), now, &mut n).unwrap_err();
        assert_eq!(r.code(), "wrong_device");
        let r = check(&c, Some(&header(&c, &c.renter.0, 1, now - ACCESS_WINDOW_MS - 1)), now, &mut n)
            .unwrap_err();
        assert_eq!(r, AccessRefusal::Stale { skew_ms: ACCESS_WINDOW_MS + 1 });
        // None of the refusals burnt the nonce.
        assert!(check(&c, Some(&header(&c, &c.renter.0, 1, now)), now, &mut n).is_ok());
    }

    #[test]
    fn a_tampered_envelope_is_malformed() {
        let c = case();
        let h = header(&c, &c.renter.0, 1, 1000);
        let mut signed: Signed = serde_json::from_str(&h).unwrap();
        signed.payload =
            signed.payload.replace(&c.lease.to_string(), &Pubkey::new_from_array([3; 32]).to_string());
        let forged = serde_json::to_string(&signed).unwrap();
        let r = check(&c, Some(&forged), 1000, &mut NonceCache::default()).unwrap_err();
        assert_eq!(r.code(), "malformed_access");
        assert!(r.to_string().contains("bad signature"), "{r}");
    }

    #[test]
    fn old_nonces_leave_the_cache() {
        let mut n = NonceCache::default();
        assert!(n.insert(Bytes32([1; 32]), 0));
        assert!(!n.insert(Bytes32([1; 32]), 10));
        assert!(n.insert(Bytes32([2; 32]), 3 * ACCESS_WINDOW_MS));
        assert_eq!(n.len(), 1);
    }

    #[test]
    fn only_a_serving_report_for_the_lease_serves_it() {
        let r =
            ClusterReport { lease: "L".into(), role: Role::Head, state: ClusterState::Serving, why: None };
        assert!(r.serves("L") && !r.serves("M"));
        let starting = ClusterReport { state: ClusterState::Starting, ..r };
        assert!(!starting.serves("L"));
    }
}
