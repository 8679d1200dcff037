//! Prometheus metrics in the text exposition format: a fixed set of counters and gauges kept in
//! atomics, plus request counts per route and status. The ingest loop records its commits here
//! (the store only reports what it did); the API records requests.
use crate::store::CommitOutcome;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

#[derive(Default)]
pub struct Metrics {
    pub batches: AtomicU64,
    pub transactions: AtomicU64,
    pub failed_transactions: AtomicU64,
    pub events: AtomicU64,
    pub undecoded: AtomicU64,
    pub gaps: AtomicU64,
    pub cursor_slot: AtomicI64,
    pub stream_clients: AtomicI64,
    pub rpc_retries: AtomicU64,
    pub chain_resets: AtomicU64,
    pub shed_requests: AtomicU64,
    requests: Mutex<BTreeMap<(String, u16), u64>>,
}

pub static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::default);

impl Metrics {
    pub fn record_commit(&self, out: &CommitOutcome) {
        self.batches.fetch_add(1, Ordering::Relaxed);
        self.transactions.fetch_add(out.transactions_inserted, Ordering::Relaxed);
        self.events.fetch_add(out.events_inserted, Ordering::Relaxed);
        self.failed_transactions.fetch_add(out.failed_transactions, Ordering::Relaxed);
        self.undecoded.fetch_add(out.undecoded, Ordering::Relaxed);
        if out.gap.is_some() {
            self.gaps.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(c) = &out.cursor {
            self.cursor_slot.fetch_max(i64::try_from(c.last_slot).unwrap_or(i64::MAX), Ordering::Relaxed);
        }
    }

    pub fn record_request(&self, route: &str, status: u16) {
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_owned(), status)).or_default() += 1;
        }
    }

    /// The exposition text; `sync` adds the store's slots as gauges, `live` the node's slot as
    /// the probe read it (the lag) and the health.
    pub fn render(
        &self,
        sync: Option<&crate::store::SyncState>,
        live: Option<&crate::ingest::liveness::Report>,
    ) -> String {
        let mut out = String::new();
        let counters = [
            ("indexer_batches_committed_total", "Batches committed.", self.batches.load(Ordering::Relaxed)),
            (
                "indexer_transactions_stored_total",
                "Transactions stored.",
                self.transactions.load(Ordering::Relaxed),
            ),
            (
                "indexer_transactions_failed_total",
                "Failed transactions seen (stored, no events).",
                self.failed_transactions.load(Ordering::Relaxed),
            ),
            ("indexer_events_stored_total", "Events stored.", self.events.load(Ordering::Relaxed)),
            (
                "indexer_events_undecoded_total",
                "Event-shaped instructions of our programs that did not decode.",
                self.undecoded.load(Ordering::Relaxed),
            ),
            (
                "indexer_cursor_gaps_total",
                "Commits whose cursor stopped at a gap.",
                self.gaps.load(Ordering::Relaxed),
            ),
            (
                "indexer_rpc_retries_total",
                "RPC requests retried after a timeout, 429, 5xx or node-behind answer.",
                self.rpc_retries.load(Ordering::Relaxed),
            ),
            (
                "indexer_chain_resets_total",
                "Database wipes for a node on another chain (reset_on_new_chain).",
                self.chain_resets.load(Ordering::Relaxed),
            ),
            (
                "indexer_requests_shed_total",
                "API requests answered 503 because every slot stayed busy.",
                self.shed_requests.load(Ordering::Relaxed),
            ),
        ];
        for (name, help, v) in counters {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}");
        }
        let _ = writeln!(
            out,
            "# HELP indexer_stream_clients Connected SSE clients.\n# TYPE indexer_stream_clients gauge\nindexer_stream_clients {}",
            self.stream_clients.load(Ordering::Relaxed)
        );
        if let Some(s) = sync {
            for (name, v) in
                [("indexer_indexed_slot", s.indexed_slot), ("indexer_finalized_slot", s.finalized_slot)]
            {
                let _ = writeln!(out, "# TYPE {name} gauge\n{name} {v}");
            }
            if let Some(node) = live.and_then(|l| l.node_slot) {
                let node = i64::try_from(node).unwrap_or(i64::MAX);
                for (name, v) in
                    [("indexer_chain_slot", node), ("indexer_lag_slots", (node - s.indexed_slot).max(0))]
                {
                    let _ = writeln!(out, "# TYPE {name} gauge\n{name} {v}");
                }
            }
        }
        if let Some(l) = live {
            for (name, v) in [
                ("indexer_healthy", u64::from(l.healthy)),
                ("indexer_last_progress_age_ms", l.last_progress_age_ms),
            ] {
                let _ = writeln!(out, "# TYPE {name} gauge\n{name} {v}");
            }
        }
        let _ = writeln!(out, "# HELP http_requests_total API requests by route and status.\n# TYPE http_requests_total counter");
        if let Ok(m) = self.requests.lock() {
            for ((route, status), n) in m.iter() {
                let _ = writeln!(out, "http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
            }
        }
        out
    }
}
