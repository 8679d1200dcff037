//! Ingestion from a Solana JSON-RPC node into the store.
//!
//! One task owns every write (the store's one-writer rule), through a store of its own so that
//! API reads never hold the connection a commit needs. It first checks that the node serves the
//! database's chain (see [`chain`]). Then each round it:
//! 1. reads the confirmed tip; a tip below the indexed slot is a node behind (waited for) or a
//!    fork (refused, or reset with `reset_on_new_chain`);
//! 2. for each program, lists the signatures newer than its durable cursor
//!    (`getSignaturesForAddress … until = cursor`, confirmed, paged by 1,000); before storing any,
//!    checks the genesis hash and that the node knows every cursor signature; fetches them oldest
//!    first in JSON-RPC batches (`getTransaction`, json, v0), decodes them, re-reads the accounts
//!    they could write (writable keys) that our programs own (`getMultipleAccounts`), and commits
//!    rows, account states and the cursor in one database transaction per chunk — a transaction
//!    the node cannot return yet leaves a gap the cursor stops before, and the next round retries
//!    it; after each commit it records the metrics and broadcasts the new events ([`crate::feed`]);
//! 3. raises the indexed slot to the tip when every program is caught up;
//! 4. promotes rows at or below the finalized slot.
//!
//! A round starts every `poll_ms`, or at once when a `logsSubscribe` notification (see [`ws`])
//! says one of our programs was just mentioned. At start-up, and every `resync_secs`,
//! `getProgramAccounts` refreshes every account of the four programs: what no event carries
//! (report certification, slash counters, rewards owed) comes from there. Beside the rounds, the
//! [`probe`] reads the node's slot on its own with a short timeout: `/status`'s lag and
//! `/health` come from it and from [`liveness`], not from the loop, which a hanging node stalls.
pub mod chain;
pub mod liveness;
pub mod probe;
pub mod rpc;
pub mod thread;
pub mod ws;

use crate::decode::{self, Program, ProgramIds};
use crate::feed::Feed;
use crate::metrics::METRICS;
use crate::settings::IngestSettings;
use crate::store::{AccountSnapshot, Batch, Cursor, SigRef, Store, StoreError};
use liveness::Liveness;
use rpc::{RawAccount, Rpc, RpcError};
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Notify;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Rpc(#[from] RpcError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The node serves another chain than the database holds (or forked below it), and the
    /// settings do not allow a reset.
    #[error("{0}")]
    OtherChain(String),
    #[error("starting the ingest thread: {0}")]
    Thread(std::io::Error),
}

/// The WebSocket URL a Solana node serves next to `rpc_url`: same host, `ws(s)`, port + 1 (the
/// Solana CLI's rule).
pub fn ws_url_for(rpc_url: &str) -> String {
    let (scheme, rest) = match rpc_url.split_once("://") {
        Some(("https", r)) => ("wss", r),
        Some((_, r)) => ("ws", r),
        None => ("ws", rpc_url),
    };
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
    match authority.rsplit_once(':').and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?))) {
        Some((host, port)) => format!("{scheme}://{host}:{}/{path}", port.saturating_add(1)),
        None => format!("{scheme}://{authority}/{path}"),
    }
    .trim_end_matches('/')
    .to_owned()
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// The confirmed tip read at the start of the round.
    pub tip: u64,
    pub signatures: u64,
    pub events: u64,
    pub commits: u64,
    /// Every program's listing was stored without a gap.
    pub caught_up: bool,
}

/// The ingestion service.
pub struct Ingestor {
    store: Store,
    rpc: Rpc,
    cfg: IngestSettings,
    wake: Arc<Notify>,
    liveness: Arc<Liveness>,
    feed: Option<Arc<Feed>>,
    progress: Option<indicatif::ProgressBar>,
}

impl Ingestor {
    /// `store` should be the writer's own (see [`Store::connect_with`]): API reads on another
    /// pool then never delay a commit.
    pub fn new(store: Store, cfg: IngestSettings) -> Ingestor {
        let rpc = Rpc::new(&cfg.rpc_url, rpc::Retry::default());
        let liveness = Arc::new(Liveness::for_settings(&cfg));
        Ingestor { store, rpc, cfg, wake: Arc::new(Notify::new()), liveness, feed: None, progress: None }
    }

    /// Retries of the ingest RPC client (tests shorten them).
    pub fn with_retry(mut self, retry: rpc::Retry) -> Ingestor {
        self.rpc = Rpc::new(&self.cfg.rpc_url, retry);
        self
    }

    /// Broadcast what each commit stored to the stream clients.
    pub fn with_feed(mut self, feed: Arc<Feed>) -> Ingestor {
        self.feed = Some(feed);
        self
    }

    /// Report into `liveness` (one made before the ingestor, e.g. on another thread).
    pub fn with_liveness(mut self, liveness: Arc<Liveness>) -> Ingestor {
        self.liveness = liveness;
        self
    }

    /// What `/health` and `/status` read (share it with the API's state).
    pub fn liveness(&self) -> Arc<Liveness> {
        self.liveness.clone()
    }

    /// Wakes the loop for an immediate round (what the WebSocket trigger calls).
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Runs until `shutdown` resolves: the chain check, the start-up account sync, then rounds,
    /// with the slot probe beside them. RPC failures are logged and retried next round (the
    /// cursors do not move); a store failure or a node on another chain ends the loop.
    /// `shutdown` interrupts whatever is in flight — an RPC call to a node that hangs, or a
    /// commit, which then rolls back with its cursor — so stopping never waits on the node.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> Result<(), IngestError> {
        tokio::pin!(shutdown);
        let probe = probe::spawn(
            &self.cfg.rpc_url,
            self.cfg.probe_interval(),
            self.cfg.probe_timeout(),
            self.liveness.clone(),
        );
        let triggers = self.cfg.ws_endpoint().map(|url| ws::spawn(url, self.wake.clone()));
        let result = tokio::select! {
            () = &mut shutdown => Ok(()),
            r = self.rounds() => r,
        };
        probe.abort();
        if let Some(t) = triggers {
            t.abort();
        }
        if let Some(p) = self.progress.take() {
            p.finish_and_clear();
        }
        if let Err(e) = &result {
            tracing::error!(error = %e, "ingestion stopped");
        }
        result
    }

    async fn rounds(&mut self) -> Result<(), IngestError> {
        self.start_chain().await?;
        let mut last_resync: Option<Instant> = None;
        loop {
            if self.cfg.account_sync && last_resync.is_none_or(|t| t.elapsed() >= self.cfg.resync_interval())
            {
                match self.resync_accounts().await {
                    Ok(n) => {
                        tracing::info!(accounts = n, "accounts synchronised");
                        last_resync = Some(Instant::now());
                    }
                    Err(IngestError::Rpc(e)) => tracing::warn!(error = %e, "account sync failed; retrying"),
                    Err(e) => return Err(e),
                }
            }
            match self.round().await {
                Ok(r) => {
                    self.liveness.round_ok();
                    if r.signatures > 0 {
                        tracing::info!(tip = r.tip, signatures = r.signatures, events = r.events, "ingested");
                    }
                }
                Err(IngestError::Rpc(e)) => {
                    tracing::warn!(error = %e, "ingest round failed; retrying");
                    self.liveness.round_failed(e.to_string());
                }
                Err(IngestError::OtherChain(why)) if self.cfg.reset_on_new_chain => {
                    self.reset(&why).await?;
                    last_resync = None;
                }
                Err(e) => return Err(e),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.cfg.poll_interval()) => {}
            }
        }
    }

    /// Compares the node's genesis hash with the database's (recording it in a new database);
    /// another chain is refused, or wiped with `reset_on_new_chain`. Waits for a node that does
    /// not answer yet.
    async fn start_chain(&mut self) -> Result<(), IngestError> {
        loop {
            match chain::check(&self.store, &self.rpc).await {
                Ok(chain::Verdict::Same) => return Ok(()),
                Ok(chain::Verdict::Other(why)) => {
                    if !self.cfg.reset_on_new_chain {
                        self.liveness.chain_problem(Some(why.clone()));
                        return Err(IngestError::OtherChain(why));
                    }
                    self.reset(&why).await?;
                    return Ok(());
                }
                Err(IngestError::Rpc(e)) => {
                    tracing::warn!(error = %e, "reading the node's genesis hash failed; retrying");
                    self.liveness.round_failed(e.to_string());
                    tokio::time::sleep(self.cfg.poll_interval().max(std::time::Duration::from_millis(500)))
                        .await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Wipes the database and records the node's chain (`reset_on_new_chain`).
    async fn reset(&mut self, why: &str) -> Result<(), IngestError> {
        tracing::warn!(
            reason = why,
            "the node serves another chain: wiping the database and indexing it afresh"
        );
        self.store.wipe().await?;
        let genesis = self.rpc.genesis_hash().await?;
        self.store.record_chain(&genesis, &self.cfg.rpc_url).await?;
        if let Some(f) = &self.feed {
            f.restart(0);
        }
        self.liveness.chain_problem(None);
        self.liveness.reset_done();
        METRICS.chain_resets.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// A sign that the node may not be on the database's chain (its tip below the indexed
    /// slot, a cursor signature it does not know): decides with the genesis hash and the
    /// cursors. A node merely behind (same genesis, every cursor known) skips the round.
    async fn confirm_chain(&mut self, sign: &str) -> Result<(), IngestError> {
        match chain::verify(&self.store, &self.rpc).await? {
            chain::Verdict::Same => Ok(()),
            chain::Verdict::Other(why) => {
                let why = format!("{sign}: {why}");
                self.liveness.chain_problem(Some(why.clone()));
                Err(IngestError::OtherChain(why))
            }
        }
    }

    /// One round over every program (see the module docs).
    pub async fn round(&mut self) -> Result<Round, IngestError> {
        let tip = self.rpc.get_slot("confirmed").await?;
        let indexed = self.store.sync_state().await?.indexed_slot;
        if i64::try_from(tip).unwrap_or(i64::MAX) < indexed {
            let sign = format!("the node's confirmed tip {tip} is below the indexed slot {indexed}");
            self.confirm_chain(&sign).await?;
            // Same chain, a node behind (another node behind a load balancer): wait for it, and
            // say so in /health and /status meanwhile.
            tracing::warn!(tip, indexed, "the node is behind the indexed slot; waiting");
            self.liveness.chain_problem(Some(format!(
                "the node's confirmed tip {tip} is below the indexed slot {indexed} (same chain): waiting for it"
            )));
            return Ok(Round { tip, ..Round::default() });
        }
        // On the database's chain and not behind it (another chain ends ingestion or resets).
        self.liveness.chain_problem(None);
        let mut round = Round { tip, caught_up: true, ..Round::default() };
        let mut pending = Vec::with_capacity(Program::ALL.len());
        for program in Program::ALL {
            pending.push((program, self.list_new(program).await?));
        }
        if pending.iter().any(|(_, l)| !l.is_empty()) {
            // About to store: make sure it is the database's chain, whose cursors the node knows.
            if let chain::Verdict::Other(why) = chain::verify(&self.store, &self.rpc).await? {
                self.liveness.chain_problem(Some(why.clone()));
                return Err(IngestError::OtherChain(why));
            }
        }
        let total: usize = pending.iter().map(|(_, l)| l.len()).sum();
        self.start_progress(total);
        for (program, listed) in pending {
            if !self.ingest_listed(program, &listed, &mut round).await? {
                round.caught_up = false;
            }
        }
        if round.caught_up {
            let block_time = self.rpc.get_block_time(tip).await;
            self.store.mark_caught_up(tip, block_time).await?;
            // The indexed slot rose: events up to it may be served now.
            if let Some(feed) = &self.feed {
                feed.publish_new(&self.store).await?;
            }
            if let Some(p) = self.progress.take() {
                p.finish_and_clear();
            }
        }
        // Kept for readers of the table; `/status` and the metrics use the probe's reading.
        self.store.set_chain_slot(tip).await?;
        let finalized = self.rpc.get_slot("finalized").await?;
        self.store.promote_finalized(finalized).await?;
        Ok(round)
    }

    /// Signatures of `program` newer than its cursor, oldest first.
    async fn list_new(&self, program: Program) -> Result<Vec<SigRef>, IngestError> {
        let cursor = self.store.cursor(program.name()).await?;
        let until = cursor.as_ref().map(|c| c.last_signature.as_str()).filter(|s| !s.is_empty());
        let mut newest_first: Vec<SigRef> = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let page = self.rpc.signatures(program.id_str(), before.as_deref(), until, 1000).await?;
            let full = page.len() == 1000;
            before = page.last().map(|s| s.signature.clone());
            newest_first.extend(page.into_iter().map(|s| SigRef { signature: s.signature, slot: s.slot }));
            if !full {
                break;
            }
        }
        // A node that ignores `until` lists the cursor itself and what precedes it: drop those.
        if let Some(c) = until {
            if let Some(i) = newest_first.iter().position(|s| s.signature == c) {
                newest_first.truncate(i);
            }
        }
        newest_first.reverse();
        Ok(newest_first)
    }

    /// Fetches, decodes and commits `listed` in chunks; `false` when a gap stopped the cursor.
    async fn ingest_listed(
        &mut self,
        program: Program,
        listed: &[SigRef],
        round: &mut Round,
    ) -> Result<bool, IngestError> {
        for chunk in listed.chunks(self.cfg.signatures_per_commit.max(1)) {
            let sigs: Vec<String> = chunk.iter().map(|s| s.signature.clone()).collect();
            let mut fetched = Vec::with_capacity(sigs.len());
            for group in sigs.chunks(self.cfg.transactions_per_request.max(1)) {
                fetched.extend(self.rpc.transactions(group).await?);
            }
            let mut transactions = Vec::with_capacity(fetched.len());
            let mut touched: BTreeSet<String> = BTreeSet::new();
            for (sig, tx) in sigs.iter().zip(&fetched) {
                let Some(tx) = tx else {
                    tracing::debug!(signature = %sig, "transaction not available yet");
                    continue;
                };
                match decode::decode_transaction(tx) {
                    Ok(d) => {
                        if self.cfg.account_sync && d.err.is_none() {
                            touched.extend(decode::writable_keys(tx).unwrap_or_default());
                        }
                        transactions.push(d);
                    }
                    // Left out: the cursor stops before it, so it is retried, and said loudly.
                    Err(e) => tracing::error!(signature = %sig, error = %e, "transaction not decodable"),
                }
            }
            let accounts = if touched.is_empty() {
                Vec::new()
            } else {
                let addresses: Vec<String> = touched.into_iter().collect();
                let (slot, raw) = self.rpc.multiple_accounts(&addresses).await?;
                snapshots(slot, &raw)
            };
            let Some(newest) = chunk.last().cloned() else { continue };
            let cursor = Cursor {
                program: program.name().to_owned(),
                last_signature: newest.signature,
                last_slot: newest.slot,
            };
            let batch = Batch { expected: chunk.to_vec(), transactions, accounts };
            let out = self.store.commit_batch(&batch, &cursor).await?;
            METRICS.record_commit(&out);
            self.liveness.progress();
            if out.events_inserted > 0 {
                if let Some(feed) = &self.feed {
                    feed.publish_new(&self.store).await?;
                }
            }
            round.commits += 1;
            round.events += out.events_inserted;
            let stored = out
                .cursor
                .as_ref()
                .and_then(|c| chunk.iter().position(|s| s.signature == c.last_signature))
                .map_or(0, |i| i + 1);
            round.signatures += stored as u64;
            if let Some(p) = &self.progress {
                p.inc(stored as u64);
            }
            if let Some(gap) = out.gap {
                tracing::debug!(program = program.name(), %gap, "gap: retrying next round");
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Reads every account of the four programs and stores their states; how many.
    pub async fn resync_accounts(&self) -> Result<usize, IngestError> {
        let mut n = 0;
        for program in Program::ALL {
            let (slot, raw) = self.rpc.program_accounts(program.id_str()).await?;
            let snaps = snapshots(slot, &raw);
            for chunk in snaps.chunks(1000) {
                self.store.commit_accounts(chunk).await?;
            }
            n += snaps.len();
        }
        Ok(n)
    }

    fn start_progress(&mut self, total: usize) {
        // A bar only for a catch-up worth watching, on a terminal.
        if !self.cfg.progress || total < 1000 || self.progress.is_some() {
            return;
        }
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "catching up {bar:40} {pos}/{len} signatures  {per_sec}  eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        self.progress = Some(bar);
    }
}

/// Account states of our programs among `raw` (others are skipped: token accounts, wallets).
fn snapshots(slot: u64, raw: &[RawAccount]) -> Vec<AccountSnapshot> {
    raw.iter()
        .filter_map(|a| {
            let program = Program::from_id_str(&a.owner)?;
            let d = decode::decode_account(program, &a.data)?;
            Some(AccountSnapshot {
                address: a.address.clone(),
                program,
                account_type: d.account_type.to_owned(),
                slot,
                state: d.state,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::ws_url_for;

    #[test]
    fn websocket_url_follows_the_solana_cli_rule() {
        assert_eq!(ws_url_for("http://127.0.0.1:8899"), "ws://127.0.0.1:8900");
        assert_eq!(ws_url_for("https://rpc.example.com:443/key"), "wss://rpc.example.com:444/key");
        assert_eq!(ws_url_for("https://api.devnet.solana.com"), "wss://api.devnet.solana.com");
    }
}
