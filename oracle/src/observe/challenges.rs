//! Full proof-of-work challenges: one per device per period, at a random chain time in the first
//! half of the period (or the device's first heartbeat after it), each with its own io-proof
//! `Round` (a recent blockhash as beacon, a fresh secret reveal), signed by the node's oracle key.
//!
//! A challenge's life: issued (the request goes out in every heartbeat reply until committed) →
//! committed (the device's signed root accepted on time; the reveal goes out in every reply
//! until the answer is judged) → passed or failed. Every step is written before it is answered,
//! so a restart neither loses a verdict nor issues a second challenge for the period; the
//! verifier's in-memory state is rebuilt from the stored request and reveal when needed.
//!
//! Failures: a refused or missing commitment, a missing answer and a refused answer fail without
//! evidence; wrong rows (io-proof's `Reject::WrongRow`) fail WITH evidence anyone can re-verify.
//! A message nobody can attribute to the device (a commitment not signed by its key) is refused
//! without changing anything.
use super::registry::Registered;
use crate::{
    clock::{period_bounds, PERIOD_SECS},
    node::Node,
    store::observations::{ChallengeRow, ChallengeStatus},
};
use anyhow::{anyhow, Context, Result};
use io_proof::{Challenge, Reject, Round, Verifier};
use io_sdk::{
    names::Name,
    report::Evidence,
    worker::{
        proof as wire, Answer, Bytes32, ChallengeRequest, CommitmentMsg, Kind, Reveal, Signed, Verdict,
        PROTOCOL_VERSION,
    },
    Pubkey,
};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Rounds (B·r) derived in parallel at most: one per core of a small node.
const ROUNDS_AT_ONCE: usize = 2;

/// Least wall time between two attempts to read a beacon after a failed one.
const BEACON_RETRY: Duration = Duration::from_secs(2);

/// Why a commitment or answer is refused without being judged (nothing changes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// This node never issued that challenge.
    Unknown,
    /// Already judged; its outcome.
    Closed {
        status: &'static str,
    },
    /// The commitment is not signed by the challenged device key for this challenge.
    BadSignature,
    /// The answer is signed by another key than the challenged device's.
    NotBound,
    /// An answer before any accepted commitment.
    NotCommitted,
    BadPayload(String),
}

/// A verdict to record.
struct Judgement<'a> {
    status: ChallengeStatus,
    answer: Option<&'a Signed>,
    reason: Option<String>,
    evidence: Option<&'a Evidence>,
}

impl Judgement<'_> {
    fn failed(reason: String) -> Judgement<'static> {
        Judgement { status: ChallengeStatus::Failed, answer: None, reason: Some(reason), evidence: None }
    }
}

/// A challenge not judged yet.
pub struct Open {
    pub id: Bytes32,
    pub device: Pubkey,
    pub worker_key: Pubkey,
    pub period: u64,
    /// The signed request, as sent.
    pub signed: Signed,
    pub challenge: Challenge,
    reveal: [u8; 32],
    /// None after a restart until first needed.
    verifier: Option<Verifier>,
    /// The accepted commitment and when it arrived (wall ms).
    commitment: Option<(CommitmentMsg, u64)>,
    judged: bool,
}

#[derive(Default)]
struct Beacons {
    by_period: HashMap<u64, [u8; 32]>,
    failed_at: Option<Instant>,
}

pub struct Challenges {
    open: Mutex<HashMap<Bytes32, Arc<tokio::sync::Mutex<Open>>>>,
    /// Device → its open challenge.
    by_device: Mutex<HashMap<Pubkey, Bytes32>>,
    /// Device → newest period it was challenged in (claimed before issuing).
    last_period: Mutex<HashMap<Pubkey, u64>>,
    beacons: tokio::sync::Mutex<Beacons>,
    /// Rounds derived at once: each derives B (n² bytes, 256 MiB at the GPU classes' n = 16,384)
    /// to compute B·r, so a burst of due devices must not derive hundreds in parallel.
    rounds: tokio::sync::Semaphore,
    /// Secret of this process: the devices cannot compute when they will be challenged.
    salt: [u8; 32],
    grace_ms: u64,
    answer_timeout_ms: u64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Wall clock, ms since the Unix epoch (challenge deadlines are wall time).
pub fn wall_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn random32() -> [u8; 32] {
    rand::thread_rng().gen()
}

fn accepted(id: Bytes32) -> Verdict {
    Verdict { challenge_id: id, accepted: true, reason: None }
}

fn refused(id: Bytes32, reason: impl Into<String>) -> Verdict {
    Verdict { challenge_id: id, accepted: false, reason: Some(reason.into()) }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl Open {
    fn from_row(r: &ChallengeRow) -> Result<Open> {
        let signed: Signed = serde_json::from_str(&r.request)?;
        let req: ChallengeRequest = serde_json::from_str(&signed.payload)?;
        let challenge = wire::challenge(&req).map_err(|e| anyhow!(e))?;
        let id = Bytes32(challenge.id());
        let reveal: Bytes32 = r.reveal.parse().map_err(|e: String| anyhow!(e))?;
        let commitment = match (&r.commitment, r.committed_at_ms) {
            (Some(c), Some(at)) => {
                Some((serde_json::from_str::<CommitmentMsg>(c)?, crate::store::to_u64(at)?))
            }
            _ => None,
        };
        Ok(Open {
            id,
            device: r.device.parse()?,
            worker_key: r.worker_key.parse()?,
            period: crate::store::to_u64(r.period)?,
            signed,
            challenge,
            reveal: reveal.0,
            verifier: None,
            commitment,
            judged: false,
        })
    }

    /// The verifier, rebuilt from the stored parameters, beacon and reveal (and the accepted
    /// commitment, replayed at its recorded arrival time) when this process does not hold it.
    async fn verifier(&mut self, rounds: &tokio::sync::Semaphore) -> Result<&mut Verifier> {
        if self.verifier.is_none() {
            let (params, beacon, reveal) = (self.challenge.params, self.challenge.beacon, self.reveal);
            let _permit = rounds.acquire().await?;
            let round = tokio::task::spawn_blocking(move || Round::new(params, beacon, reveal)).await??;
            let mut v = Verifier::new(round);
            if let Some((msg, at)) = &self.commitment {
                let c = wire::commitment(msg).map_err(|e| anyhow!(e))?;
                v.accept_commitment(&self.challenge, &c, *at)
                    .map_err(|e| anyhow!("the stored commitment of {} no longer verifies: {e}", self.id))?;
                v.disclose();
            }
            self.verifier = Some(v);
        }
        Ok(self.verifier.as_mut().expect("set above"))
    }
}

impl Challenges {
    /// Reloads the open challenges and each device's last challenged period.
    pub async fn load(
        s: &crate::settings::WorkerSettings,
        store: &crate::store::Store,
    ) -> Result<Challenges> {
        let c = Challenges {
            open: Mutex::default(),
            by_device: Mutex::default(),
            last_period: Mutex::default(),
            beacons: tokio::sync::Mutex::default(),
            rounds: tokio::sync::Semaphore::new(ROUNDS_AT_ONCE),
            salt: random32(),
            grace_ms: s.challenge_grace_ms,
            answer_timeout_ms: s.answer_timeout_ms,
        };
        for (d, p) in store.last_challenged_periods().await? {
            lock(&c.last_period).insert(d.parse()?, crate::store::to_u64(p)?);
        }
        for row in store.open_challenges().await? {
            let o = Open::from_row(&row).with_context(|| format!("reload challenge {}", row.id))?;
            lock(&c.by_device).insert(o.device, o.id);
            lock(&c.open).insert(o.id, Arc::new(tokio::sync::Mutex::new(o)));
        }
        Ok(c)
    }

    /// The chain second of `period` at which `device` is due for its challenge: uniform over the
    /// first half of the period, unpredictable without this process's secret.
    pub fn due_at(&self, device: &Pubkey, period: u64) -> i64 {
        let h = Sha256::new()
            .chain_update(b"io-oracle/challenge-time")
            .chain_update(self.salt)
            .chain_update(device.to_bytes())
            .chain_update(period.to_le_bytes())
            .finalize();
        let r = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
        let half = u64::try_from(PERIOD_SECS / 2).expect("positive");
        period_bounds(period).0 + to_i64(r % half)
    }

    fn get(&self, id: &Bytes32) -> Option<Arc<tokio::sync::Mutex<Open>>> {
        lock(&self.open).get(id).cloned()
    }

    /// How many challenges are open (tests, status).
    pub fn open_count(&self) -> usize {
        lock(&self.open).len()
    }

    /// After an accepted heartbeat at chain second `now`: issues the device's challenge of the
    /// period if it is due and none was issued. A failure (no beacon readable) is logged and
    /// retried at a later heartbeat; it never refuses the heartbeat.
    pub async fn maybe_issue(&self, node: &Node, reg: &Registered, simulated: bool, now: i64) {
        let period = crate::clock::period_of(now);
        if now < self.due_at(&reg.address, period) {
            return;
        }
        let previous = {
            let mut g = lock(&self.last_period);
            let prev = g.get(&reg.address).copied();
            if prev.is_some_and(|p| p >= period) {
                return;
            }
            g.insert(reg.address, period);
            prev
        };
        let issued = self.issue(node, reg, simulated, period, now).await;
        if let Err(e) = &issued {
            tracing::warn!("challenge of device {} not issued yet: {e:#}", reg.address);
        }
        if !matches!(issued, Ok(true)) {
            let mut g = lock(&self.last_period);
            match previous {
                Some(p) => g.insert(reg.address, p),
                None => g.remove(&reg.address),
            };
        }
    }

    /// The period's beacon; `None` while backing off after a failed read (every due device's
    /// heartbeat asks: one read and one warning per `BEACON_RETRY`, not one per heartbeat).
    async fn beacon(&self, node: &Node, period: u64) -> Result<Option<[u8; 32]>> {
        let mut b = self.beacons.lock().await;
        if let Some(h) = b.by_period.get(&period) {
            return Ok(Some(*h));
        }
        if b.failed_at.is_some_and(|t| t.elapsed() < BEACON_RETRY) {
            return Ok(None);
        }
        match node.client.rpc.get_latest_blockhash().await {
            Ok(h) => {
                b.by_period.retain(|p, _| *p + 2 > period);
                b.by_period.insert(period, h.to_bytes());
                b.failed_at = None;
                Ok(Some(h.to_bytes()))
            }
            Err(e) => {
                b.failed_at = Some(Instant::now());
                Err(anyhow!("read a recent blockhash for the beacon: {}", node.client.error(&e)))
            }
        }
    }

    async fn issue(
        &self,
        node: &Node,
        reg: &Registered,
        simulated: bool,
        period: u64,
        now: i64,
    ) -> Result<bool> {
        let Some(beacon) = self.beacon(node, period).await? else { return Ok(false) };
        let params = wire::expected_params(reg.class, simulated);
        let (reveal, nonce) = (random32(), random32());
        let round = {
            let _permit = self.rounds.acquire().await?;
            tokio::task::spawn_blocking(move || Round::new(params, beacon, reveal)).await??
        };
        let issued_at_ms = wall_ms();
        let challenge = round.challenge(reg.worker_key.to_bytes(), nonce, issued_at_ms);
        let id = Bytes32(challenge.id());
        let req = ChallengeRequest {
            version: PROTOCOL_VERSION,
            cluster: node.cluster.clone(),
            oracle: node.pubkey().to_string(),
            device_account: reg.address.to_string(),
            device: reg.worker_key.to_string(),
            class: reg.class.name().to_string(),
            simulated,
            n: params.n,
            k: params.k,
            samples: params.samples,
            deadline_ms: params.deadline_ms,
            beacon: Bytes32(beacon),
            nonce: Bytes32(nonce),
            reveal_commitment: Bytes32(challenge.reveal_commitment),
            issued_at_ms,
        };
        let signed = Signed::sign(Kind::Challenge, &req, node.key.secret_bytes());
        let row = ChallengeRow {
            id: id.to_string(),
            device: reg.address.to_string(),
            worker_key: reg.worker_key.to_string(),
            period: to_i64(period),
            issued_ts: now,
            issued_at_ms: to_i64(issued_at_ms),
            request: serde_json::to_string(&signed)?,
            reveal: Bytes32(reveal).to_string(),
            status: ChallengeStatus::Issued,
            commitment: None,
            committed_at_ms: None,
            answer: None,
            reason: None,
            evidence: None,
            judged_at_ms: None,
        };
        if !node.store.insert_challenge(&row).await? {
            return Ok(true); // Another run of the node already challenged it this period.
        }
        tracing::info!(
            "challenge {id} issued to device {} (n={} K={} s={}{})",
            reg.address,
            params.n,
            params.k,
            params.samples,
            if simulated { ", simulated" } else { "" }
        );
        let open = Open {
            id,
            device: reg.address,
            worker_key: reg.worker_key,
            period,
            signed,
            challenge,
            reveal,
            verifier: Some(Verifier::new(round)),
            commitment: None,
            judged: false,
        };
        lock(&self.by_device).insert(reg.address, id);
        lock(&self.open).insert(id, Arc::new(tokio::sync::Mutex::new(open)));
        Ok(true)
    }

    /// What a heartbeat reply carries for `device`: its open challenge until committed (while
    /// the deadline lasts), then the reveal until the answer is judged.
    pub async fn reply_for(&self, device: &Pubkey, now_ms: u64) -> (Vec<Signed>, Vec<Reveal>) {
        let Some(oc) = lock(&self.by_device).get(device).and_then(|id| self.get(id)) else {
            return (vec![], vec![]);
        };
        let g = oc.lock().await;
        if g.judged {
            return (vec![], vec![]);
        }
        match &g.commitment {
            None if now_ms <= g.challenge.issued_at_ms.saturating_add(g.challenge.params.deadline_ms) => {
                (vec![g.signed.clone()], vec![])
            }
            None => (vec![], vec![]),
            Some(_) => (vec![], vec![Reveal { challenge_id: g.id, reveal: Bytes32(g.reveal) }]),
        }
    }

    /// Writes the verdict and forgets the challenge.
    async fn judge(&self, node: &Node, g: &mut Open, j: Judgement<'_>, now_ms: u64) -> Result<()> {
        let Judgement { status, answer, reason, evidence } = j;
        let answer = answer.map(serde_json::to_string).transpose()?;
        let evidence = evidence.map(serde_json::to_string).transpose()?;
        let written = node
            .store
            .judge_challenge(
                &g.id.to_string(),
                status,
                answer.as_deref(),
                reason.as_deref(),
                evidence.as_deref(),
                to_i64(now_ms),
            )
            .await?;
        g.judged = true;
        if !written {
            tracing::warn!("challenge {} was already judged in the database; its verdict stands", g.id);
        } else if status == ChallengeStatus::Failed {
            tracing::info!(
                "challenge {} of device {} failed: {}{}",
                g.id,
                g.device,
                reason.as_deref().unwrap_or(""),
                if evidence.is_some() { " (evidence kept)" } else { "" }
            );
        } else {
            tracing::info!("challenge {} of device {} passed", g.id, g.device);
        }
        lock(&self.open).remove(&g.id);
        let mut by_device = lock(&self.by_device);
        if by_device.get(&g.device) == Some(&g.id) {
            by_device.remove(&g.device);
        }
        Ok(())
    }

    /// The stored outcome of a challenge that is not open.
    async fn closed(&self, node: &Node, id: &Bytes32) -> Result<Result<Verdict, Refused>> {
        Ok(match node.store.challenge(&id.to_string()).await? {
            None => Err(Refused::Unknown),
            Some(r) => match r.status {
                ChallengeStatus::Passed => Ok(accepted(*id)),
                ChallengeStatus::Failed => Ok(refused(*id, r.reason.unwrap_or_default())),
                s => Err(Refused::Closed { status: s.as_str() }),
            },
        })
    }

    /// A commitment (io-proof's signed root) for an open challenge, received at `now_ms`.
    pub async fn commit(
        &self,
        node: &Node,
        msg: &CommitmentMsg,
        now_ms: u64,
    ) -> Result<Result<Verdict, Refused>> {
        let id = msg.challenge_id;
        let Some(oc) = self.get(&id) else {
            return Ok(match self.closed(node, &id).await? {
                Ok(v) => Err(Refused::Closed { status: if v.accepted { "passed" } else { "failed" } }),
                Err(r) => Err(r),
            });
        };
        let mut g = oc.lock().await;
        if g.judged {
            return Ok(Err(Refused::Closed { status: "judged" }));
        }
        if let Some((c, _)) = &g.commitment {
            // A repeat of the accepted one (its reply was lost) is accepted again; another is not.
            // `done_at_ms` is the worker's note, not part of what it signed.
            let same = (c.device == msg.device && c.nonce == msg.nonce)
                && (c.root, c.signature) == (msg.root, msg.signature);
            return Ok(Ok(if same {
                accepted(id)
            } else {
                refused(id, "a commitment for this challenge was already accepted")
            }));
        }
        let c = match wire::commitment(msg) {
            Ok(c) => c,
            Err(e) => return Ok(Err(Refused::BadPayload(e))),
        };
        if c.challenge_id != g.challenge.id() || !c.signature_valid(&g.challenge.device) {
            return Ok(Err(Refused::BadSignature));
        }
        let challenge = g.challenge.clone();
        let result = g.verifier(&self.rounds).await?.accept_commitment(&challenge, &c, now_ms);
        match result {
            Ok(()) => {
                let stored = node
                    .store
                    .commit_challenge(&id.to_string(), &serde_json::to_string(msg)?, to_i64(now_ms))
                    .await;
                if let Err(e) = stored {
                    // Not recorded: forget the verifier's acceptance too, so that both agree.
                    g.verifier = None;
                    return Err(e);
                }
                g.commitment = Some((msg.clone(), now_ms));
                if let Some(v) = g.verifier.as_mut() {
                    v.disclose();
                }
                Ok(Ok(accepted(id)))
            }
            Err(r) => {
                let reason = format!("commitment refused: {r}");
                if let Err(e) = self.judge(node, &mut g, Judgement::failed(reason.clone()), now_ms).await {
                    g.verifier = None;
                    return Err(e);
                }
                Ok(Ok(refused(id, reason)))
            }
        }
    }

    /// An answer whose envelope opened, signed by `signer`.
    pub async fn answer(
        &self,
        node: &Node,
        signed: &Signed,
        signer: &Pubkey,
        answer: &Answer,
        now_ms: u64,
    ) -> Result<Result<Verdict, Refused>> {
        let id = answer.challenge_id;
        let Some(oc) = self.get(&id) else { return self.closed(node, &id).await };
        let mut g = oc.lock().await;
        if g.judged {
            drop(g);
            return self.closed(node, &id).await;
        }
        if *signer != g.worker_key {
            return Ok(Err(Refused::NotBound));
        }
        let Some((commitment, _)) = g.commitment.clone() else { return Ok(Err(Refused::NotCommitted)) };
        let openings: Vec<_> = answer.openings.iter().map(wire::opening).collect();
        let challenge = g.challenge.clone();
        let verdict = g.verifier(&self.rounds).await?.check_openings(&challenge, &openings);
        let (status, reason, evidence) = match verdict {
            Ok(_) => (ChallengeStatus::Passed, None, None),
            Err(r @ Reject::WrongRow { .. }) => {
                let e = Evidence {
                    challenge: g.signed.clone(),
                    commitment,
                    reveal: Bytes32(g.reveal),
                    answer: signed.clone(),
                };
                (ChallengeStatus::Failed, Some(r.to_string()), Some(e))
            }
            Err(r) => (ChallengeStatus::Failed, Some(r.to_string()), None),
        };
        let j =
            Judgement { status, answer: Some(signed), reason: reason.clone(), evidence: evidence.as_ref() };
        if let Err(e) = self.judge(node, &mut g, j, now_ms).await {
            // The verifier counted the judgement; rebuilt on the next try so the answer can count.
            g.verifier = None;
            return Err(e);
        }
        Ok(Ok(match reason {
            None => accepted(id),
            Some(r) => refused(id, r),
        }))
    }

    /// Fails what ran out of time: no commitment by the deadline (+ grace), no answer within
    /// the answer timeout after the commitment.
    pub async fn expire(&self, node: &Node, now_ms: u64) -> Result<()> {
        let all: Vec<_> = lock(&self.open).values().cloned().collect();
        for oc in all {
            // One being judged now is left to its judge (and to the next sweep): the sweeper
            // never waits behind a round being derived.
            let Ok(mut g) = oc.try_lock() else { continue };
            if g.judged {
                continue;
            }
            let reason = match &g.commitment {
                None => {
                    let until = g.challenge.issued_at_ms.saturating_add(g.challenge.params.deadline_ms);
                    (now_ms > until.saturating_add(self.grace_ms)).then(|| {
                        format!("no commitment within the {} ms deadline", g.challenge.params.deadline_ms)
                    })
                }
                Some((_, at)) => (now_ms > at.saturating_add(self.answer_timeout_ms))
                    .then(|| format!("no answer within {} ms of the reveal", self.answer_timeout_ms)),
            };
            if let Some(reason) = reason {
                self.judge(node, &mut g, Judgement::failed(reason), now_ms).await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn due_times_fall_in_the_first_half_and_differ_per_device() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("o.db").display());
        let store = crate::store::Store::open(&url, 2).await.unwrap();
        let c = Challenges::load(&Default::default(), &store).await.unwrap();
        let mut seen = std::collections::HashSet::new();
        for i in 0..200u8 {
            let t = c.due_at(&Pubkey::new_from_array([i; 32]), 7);
            assert!((7 * 3600..7 * 3600 + 1800).contains(&t), "{t}");
            seen.insert(t);
        }
        assert!(seen.len() > 150, "{}", seen.len());
        // Stable within the process.
        assert_eq!(
            c.due_at(&Pubkey::new_from_array([1; 32]), 7),
            c.due_at(&Pubkey::new_from_array([1; 32]), 7)
        );
    }
}
