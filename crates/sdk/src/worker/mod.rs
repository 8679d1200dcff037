//! The IO Worker's wire protocol, shared by the worker (`worker/`) and the oracle nodes that
//! challenge it (issue 13): message bodies, the signed envelope, and the HTTP endpoints an oracle
//! node serves. Everything is JSON; keys and addresses are base58, hashes and signatures hex.
//!
//! A worker never listens: it polls. Every few seconds it POSTs a signed [`Heartbeat`] to
//! [`paths::HEARTBEAT`] of every oracle node it is configured with; the reply
//! ([`HeartbeatReply`]) carries the node's new challenges (each a [`Signed`] [`ChallengeRequest`]
//! by an oracle-set member key) and the reveals of rounds that closed. The worker answers a
//! challenge with the io-proof commitment ([`CommitmentMsg`], signed by the device key inside
//! io-proof's own domain) to [`paths::COMMITMENT`], and, once the reveal comes, with the opened
//! rows ([`Answer`], in a [`Signed`] envelope) to [`paths::ANSWER`]. Both replies are a [`Verdict`].
//!
//! Signatures: ed25519 over `DOMAIN ‖ kind tag ‖ 0x00 ‖ payload`, where the payload is the exact
//! JSON text carried in the envelope (so no re-serialisation can change what was signed). The
//! kind tag separates heartbeats, challenges and answers; [`PROTOCOL_VERSION`] is in every body
//! and in the domain. Every body names the cluster (its genesis hash), so a message of one
//! cluster is never valid on another.
pub mod cluster;
pub mod http_head;
pub mod proof;

use crate::Pubkey;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{de::DeserializeOwned, Deserialize, Deserializer, Serialize, Serializer};
use std::str::FromStr;

/// The worker key's file name in a worker's state directory (the worker reads it there; the
/// local network writes each demo device's key there).
pub const KEY_FILE: &str = "worker-key.json";

/// Version of the message bodies; a node refuses other versions.
pub const PROTOCOL_VERSION: u32 = 1;

/// Prefix of every signed message (the version is part of it).
pub const DOMAIN: &[u8] = b"io-worker/v1/";

/// The endpoints an oracle node serves to workers (POST, JSON in and out), and the public one
/// that serves a device's latest heartbeat.
pub mod paths {
    /// Body: [`super::Signed`] of a [`super::Heartbeat`]. Reply: [`super::HeartbeatReply`].
    pub const HEARTBEAT: &str = "/v1/worker/heartbeat";
    /// Body: [`super::CommitmentMsg`]. Reply: [`super::Verdict`].
    pub const COMMITMENT: &str = "/v1/worker/commitment";
    /// Body: [`super::Signed`] of an [`super::Answer`]. Reply: [`super::Verdict`].
    pub const ANSWER: &str = "/v1/worker/answer";
    /// Body: [`super::Signed`] of a [`super::Pong`]. Reply: 204, no body.
    pub const PONG: &str = "/v1/worker/pong";

    /// GET (public): the device's latest heartbeat the node accepted, the [`super::Signed`]
    /// envelope exactly as its worker signed it (verify it against the device's on-chain worker
    /// key); 404 when the node has had none since it started. The route, `{device}` a device
    /// account.
    pub const DEVICE_HEARTBEAT: &str = "/v1/devices/{device}/heartbeat";

    /// [`DEVICE_HEARTBEAT`] for `device` (base58 io_staking account).
    pub fn device_heartbeat(device: &str) -> String {
        DEVICE_HEARTBEAT.replace("{device}", device)
    }
}

/// What a signature is over: one tag per message kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A device's heartbeat, signed by its worker (device) key.
    Heartbeat,
    /// A challenge, signed by an oracle-set member key.
    Challenge,
    /// A device's opened rows, signed by its worker key.
    Answer,
    /// A device's answer to a liveness ping, signed by its worker key.
    Pong,
    /// A renter's request to reach its lease's cluster, signed by the lease's renter wallet
    /// ([`cluster::LeaseAccess`]).
    LeaseAccess,
    /// A leased device's worker asking the lease's head worker to join its cluster, signed by
    /// the joining device's worker key ([`cluster::Join`]).
    ClusterJoin,
}

impl Kind {
    pub fn tag(self) -> &'static [u8] {
        match self {
            Kind::Heartbeat => b"heartbeat",
            Kind::Challenge => b"challenge",
            Kind::Answer => b"answer",
            Kind::Pong => b"pong",
            Kind::LeaseAccess => b"lease-access",
            Kind::ClusterJoin => b"cluster-join",
        }
    }
}

/// The bytes an envelope's signature covers: `DOMAIN ‖ kind tag ‖ 0x00 ‖ payload`.
pub fn signing_message(kind: Kind, payload: &[u8]) -> Vec<u8> {
    [DOMAIN, kind.tag(), &[0], payload].concat()
}

/// Why a message is refused before its content is looked at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("a {got:?} message where a {expected:?} message was expected")]
    WrongKind { expected: Kind, got: Kind },
    #[error("the signer {0} is not an ed25519 public key")]
    BadSigner(String),
    #[error("bad signature: the message is not signed by {0}")]
    BadSignature(String),
    #[error("the payload is not a valid message: {0}")]
    BadPayload(String),
    #[error("protocol version {got}, this side speaks {expected}", expected = PROTOCOL_VERSION)]
    Version { got: u32 },
}

/// A signed message: the JSON text of the body, who signed it, and the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub kind: Kind,
    /// base58 ed25519 public key.
    pub signer: String,
    /// The body as JSON text, exactly as signed.
    pub payload: String,
    /// hex ed25519 signature over [`signing_message`].
    pub signature: Bytes64,
}

impl Signed {
    /// Serialises `body` and signs it with `key` (a Solana keypair's 32-byte secret).
    pub fn sign<T: Serialize>(kind: Kind, body: &T, secret: &[u8; 32]) -> Signed {
        let key = SigningKey::from_bytes(secret);
        let payload = serde_json::to_string(body).expect("message bodies serialise");
        let signature = key.sign(&signing_message(kind, payload.as_bytes())).to_bytes();
        Signed {
            kind,
            signer: Pubkey::new_from_array(key.verifying_key().to_bytes()).to_string(),
            payload,
            signature: Bytes64(signature),
        }
    }

    /// Checks kind and signature (strict ed25519), then parses the body. Who the signer may be
    /// is the caller's rule (a device's bound key, an oracle-set member).
    pub fn open<T: DeserializeOwned + Versioned>(&self, expected: Kind) -> Result<(Pubkey, T), WireError> {
        if self.kind != expected {
            return Err(WireError::WrongKind { expected, got: self.kind });
        }
        let signer = Pubkey::from_str(&self.signer).map_err(|_| WireError::BadSigner(self.signer.clone()))?;
        let key = VerifyingKey::from_bytes(&signer.to_bytes())
            .map_err(|_| WireError::BadSigner(self.signer.clone()))?;
        key.verify_strict(
            &signing_message(self.kind, self.payload.as_bytes()),
            &Signature::from_bytes(&self.signature.0),
        )
        .map_err(|_| WireError::BadSignature(self.signer.clone()))?;
        let body: T =
            serde_json::from_str(&self.payload).map_err(|e| WireError::BadPayload(e.to_string()))?;
        if body.version() != PROTOCOL_VERSION {
            return Err(WireError::Version { got: body.version() });
        }
        Ok((signer, body))
    }
}

/// A message body that names its protocol version.
pub trait Versioned {
    fn version(&self) -> u32;
}

macro_rules! versioned {
    ($($t:ty),*) => {$(impl Versioned for $t { fn version(&self) -> u32 { self.version } })*};
}
versioned!(Heartbeat, ChallengeRequest, Answer, Pong, cluster::LeaseAccess, cluster::Join);

/// A value the machine could not read is `{"value": null, "unavailable": "why"}`; never a
/// made-up number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<String>,
}

impl Reading {
    pub fn of(value: f64) -> Reading {
        Reading { value: Some(value), unavailable: None }
    }
    pub fn unavailable(why: impl Into<String>) -> Reading {
        Reading { value: None, unavailable: Some(why.into()) }
    }
}

/// One GPU's live figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpuTelemetry {
    pub index: u32,
    pub uuid: String,
    pub temperature_c: Reading,
    pub power_w: Reading,
    pub utilisation_pct: Reading,
}

/// The host CPU's live figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpuTelemetry {
    /// Busy share of all cores since the previous sample (/proc/stat).
    pub utilisation_pct: Reading,
    /// Hottest CPU thermal zone (/sys/class/thermal).
    pub temperature_c: Reading,
    /// Package power from RAPL energy counters between two samples (/sys/class/powercap).
    pub power_w: Reading,
}

/// One telemetry sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Telemetry {
    pub sampled_at_ms: u64,
    pub gpus: Vec<GpuTelemetry>,
    pub cpu: CpuTelemetry,
}

/// What the worker detected on its machine (and, when simulated, what it stands in for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hardware {
    /// The on-chain class the device is registered as (io-sdk name, e.g. `consumer_gpu`).
    pub class: String,
    pub gpu_model: String,
    pub gpu_count: u16,
    /// Per GPU, GB (the on-chain record's unit).
    pub vram_gb: u16,
    pub driver: Option<String>,
    pub gpu_uuids: Vec<String>,
    pub cpu_model: String,
    pub cpu_cores: u32,
    pub memory_mb: u64,
}

/// Sent every few seconds to every oracle node, signed by the worker key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub version: u32,
    /// The cluster's genesis hash (base58), as io_oracle's config names it.
    pub cluster: String,
    /// The device's io_staking account.
    pub device: String,
    /// The worker (device) key, base58: the signer.
    pub worker: String,
    pub hardware: Hardware,
    pub telemetry: Telemetry,
    /// The io_escrow lease the device is serving now, if any.
    pub serving_lease: Option<String>,
    /// The state of that lease's Ray cluster on this device. Absent from a worker that runs
    /// without clusters (`io-worker run --no-clusters`): its lease time is its live time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_cluster: Option<cluster::ClusterReport>,
    /// The worker's gateway (base URL) where the lease's renter and the lease's other workers
    /// reach the cluster; absent when the worker runs without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// `io-worker <version>`.
    pub software: String,
    /// True when the CPU stands in for the registered hardware (local networks only): such a
    /// device answers light challenges and must never count on another cluster.
    pub simulated: bool,
    /// Worker clock, ms since the Unix epoch.
    pub timestamp_ms: u64,
}

/// A 32-byte value as 64 hex characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes32(pub [u8; 32]);

/// A 64-byte value (a signature) as 128 hex characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes64(pub [u8; 64]);

/// One challenge: the fields of io-proof's `Challenge` plus who issued it, for which device
/// account and cluster, and whether it is a simulated device's light challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRequest {
    pub version: u32,
    pub cluster: String,
    /// The oracle-set member key that signs it (base58).
    pub oracle: String,
    /// The device's io_staking account.
    pub device_account: String,
    /// The device (worker) key the chain is bound to, base58.
    pub device: String,
    pub class: String,
    pub simulated: bool,
    pub n: u32,
    pub k: u32,
    pub samples: u32,
    pub deadline_ms: u64,
    pub beacon: Bytes32,
    pub nonce: Bytes32,
    pub reveal_commitment: Bytes32,
    pub issued_at_ms: u64,
}

/// The reveal of a closed round, for one challenge: the worker checks it against the
/// challenge's reveal commitment, so it needs no signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    pub challenge_id: Bytes32,
    pub reveal: Bytes32,
}

/// An oracle node's answer to a heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatReply {
    #[serde(default)]
    pub challenges: Vec<Signed>,
    #[serde(default)]
    pub reveals: Vec<Reveal>,
    /// Liveness pings to answer at once with a signed [`Pong`] to [`paths::PONG`]. Absent in a
    /// node's reply that predates pings (hence the default).
    #[serde(default)]
    pub pings: Vec<Ping>,
}

/// A liveness ping, carried in a heartbeat reply at a random time: the device shows it is still
/// there by answering within the node's answer window (2 s by default), which a replayed or
/// pre-signed heartbeat cannot do. It needs no signature: only the answer counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ping {
    /// Fresh randomness the pong must repeat.
    pub nonce: Bytes32,
    /// The node's wall clock when it sent the ping (informative; the node times on its own clock).
    pub issued_at_ms: u64,
}

/// The answer to a [`Ping`], signed by the device's worker key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pong {
    pub version: u32,
    pub cluster: String,
    /// The device's io_staking account.
    pub device: String,
    pub nonce: Bytes32,
}

/// io-proof's signed commitment (the signature is the device key's over io-proof's
/// `"io-proof/v1/commit" ‖ challenge id ‖ root`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentMsg {
    pub challenge_id: Bytes32,
    pub device: String,
    pub nonce: Bytes32,
    pub root: Bytes32,
    pub signature: Bytes64,
    /// Worker clock when the chain finished (informative; the node times on its own clock).
    pub done_at_ms: u64,
}

/// One opened row and its Merkle path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedRow {
    pub row: Vec<i32>,
    pub path: Vec<Bytes32>,
}

/// The answer for one sampled transition `C_{k−1}[i] → C_k[i]` (`prev` absent when k = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningMsg {
    pub k: u32,
    pub i: u32,
    pub prev: Option<OpenedRow>,
    pub current: OpenedRow,
}

/// The opened rows for a challenge, signed by the worker key (so nobody else can spend the
/// challenge's one judgement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub version: u32,
    pub cluster: String,
    pub challenge_id: Bytes32,
    pub openings: Vec<OpeningMsg>,
}

/// An oracle node's judgement of a commitment or an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub challenge_id: Bytes32,
    pub accepted: bool,
    /// Why not, in words (io-proof's `Reject` text), when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

// ---- binding ---------------------------------------------------------------------------------

/// Byte offset of `worker_key` in an io_staking `Device` account, for a `getProgramAccounts`
/// memcmp: a worker finds its device with one filter on its own key.
pub const WORKER_KEY_OFFSET: usize = io_staking::Device::WORKER_KEY_OFFSET;

/// The worker key a device names: its own signing key, bound by the operator at registration
/// (`register_device`) and rotated only by the operator (`bind_worker`).
pub fn bound_worker(device: &io_staking::Device) -> Pubkey {
    device.worker_key
}

// ---- hex --------------------------------------------------------------------------------------

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

fn from_hex<const N: usize>(s: &str) -> Result<[u8; N], String> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(format!("'{}' is not a hex digit", c as char)),
    };
    let b = s.as_bytes();
    if b.len() != 2 * N {
        return Err(format!("expected {} hex characters, got {}", 2 * N, b.len()));
    }
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(b.chunks(2)) {
        *o = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Ok(out)
}

impl std::fmt::Display for Bytes32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&to_hex(&self.0))
    }
}

impl FromStr for Bytes32 {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        from_hex(s).map(Bytes32)
    }
}

macro_rules! hex_serde {
    ($t:ident) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&to_hex(&self.0))
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                from_hex(&s).map($t).map_err(serde::de::Error::custom)
            }
        }
    };
}
hex_serde!(Bytes32);
hex_serde!(Bytes64);

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> Answer {
        Answer {
            version: PROTOCOL_VERSION,
            cluster: "c".into(),
            challenge_id: Bytes32([7; 32]),
            openings: vec![],
        }
    }

    #[test]
    fn signed_round_trip_and_tampering() {
        let secret = [3u8; 32];
        let s = Signed::sign(Kind::Answer, &body(), &secret);
        let json = serde_json::to_string(&s).unwrap();
        let back: Signed = serde_json::from_str(&json).unwrap();
        let (signer, got): (Pubkey, Answer) = back.open(Kind::Answer).unwrap();
        assert_eq!(got, body());
        assert_eq!(signer.to_bytes(), SigningKey::from_bytes(&secret).verifying_key().to_bytes());

        // Another kind, a changed payload, another claimed signer: all refused.
        assert!(matches!(back.open::<Answer>(Kind::Heartbeat), Err(WireError::WrongKind { .. })));
        let mut changed = back.clone();
        changed.payload = changed.payload.replace("\"c\"", "\"d\"");
        assert!(matches!(changed.open::<Answer>(Kind::Answer), Err(WireError::BadSignature(_))));
        let mut other = back.clone();
        other.signer =
            Pubkey::new_from_array(SigningKey::from_bytes(&[4; 32]).verifying_key().to_bytes()).to_string();
        assert!(matches!(other.open::<Answer>(Kind::Answer), Err(WireError::BadSignature(_))));
        // The same payload signed as a heartbeat does not verify as an answer (domain separation).
        let mut relabelled = Signed::sign(Kind::Heartbeat, &body(), &secret);
        relabelled.kind = Kind::Answer;
        assert!(matches!(relabelled.open::<Answer>(Kind::Answer), Err(WireError::BadSignature(_))));
    }

    #[test]
    fn pongs_are_their_own_kind_and_old_replies_still_parse() {
        let pong = Pong {
            version: PROTOCOL_VERSION,
            cluster: "c".into(),
            device: "d".into(),
            nonce: Bytes32([9; 32]),
        };
        let s = Signed::sign(Kind::Pong, &pong, &[3; 32]);
        assert_eq!(s.open::<Pong>(Kind::Pong).unwrap().1, pong);
        assert!(matches!(s.open::<Pong>(Kind::Heartbeat), Err(WireError::WrongKind { .. })));
        // A node that predates pings sends no `pings` field.
        let r: HeartbeatReply = serde_json::from_str(r#"{"challenges": [], "reveals": []}"#).unwrap();
        assert!(r.pings.is_empty());
    }

    #[test]
    fn another_version_is_refused() {
        let s = Signed::sign(Kind::Answer, &Answer { version: 2, ..body() }, &[3; 32]);
        assert_eq!(s.open::<Answer>(Kind::Answer).unwrap_err(), WireError::Version { got: 2 });
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let v = Bytes32([0xab; 32]);
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(s, format!("\"{}\"", "ab".repeat(32)));
        assert_eq!(serde_json::from_str::<Bytes32>(&s).unwrap(), v);
        assert!(serde_json::from_str::<Bytes32>("\"ab\"").unwrap_err().to_string().contains("64 hex"));
        assert!("zz".repeat(32).parse::<Bytes32>().unwrap_err().contains("not a hex digit"));
    }

    #[test]
    fn missing_reading_says_why() {
        let r = serde_json::to_value(Reading::unavailable("no RAPL")).unwrap();
        assert_eq!(r, serde_json::json!({"value": null, "unavailable": "no RAPL"}));
        assert_eq!(serde_json::to_value(Reading::of(41.5)).unwrap(), serde_json::json!({"value": 41.5}));
    }
}
