//! Shared test helpers: a fresh store per test on SQLite (temporary file) or PostgreSQL (see
//! `io_indexer::pgtemp`), events built through the real decoder, a small network fixture and
//! table checksums.
pub mod fixtures;

use io_indexer::store::conn::Stmt;
use io_indexer::store::Store;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// A migrated store and what keeps it alive.
pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("indexer.db").display());
    let store = Store::connect(&url).await.expect("connect sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb { store, _dir: Some(dir) }
}

pub async fn postgres() -> TestDb {
    let url = io_indexer::pgtemp::fresh_database().await;
    let store = Store::connect(&url).await.expect("connect postgres");
    store.migrate().await.expect("migrate postgres");
    TestDb { store, _dir: None }
}

/// Runs `$f(TestDb)` once on SQLite and once on PostgreSQL, as `<name>::sqlite` and
/// `<name>::postgres`.
#[macro_export]
macro_rules! dual {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::postgres().await).await
            }
        }
    )*};
}

/// The current-state and log tables the projection writes, with their key order.
pub const ENTITY_TABLES: &[(&str, &str)] = &[
    ("operators", "address"),
    ("devices", "address"),
    ("positions", "operator, staker"),
    ("slashes", "address"),
    ("offers", "device"),
    ("leases", "address"),
    ("lease_devices", "lease, device"),
    ("reports", "address"),
    ("oracle_set", "epoch"),
    ("oracles", "address"),
    ("supply", "id"),
    ("unstake_tickets", "event_id"),
    ("reward_claims", "event_id"),
    ("settlements", "event_id"),
    ("fees", "event_id"),
    ("buybacks", "event_id"),
    ("burns", "event_id"),
    ("emissions", "event_id"),
    // The history logs behind the charts' series.
    ("stake_history", "event_id"),
    ("device_status_history", "event_id"),
    ("supply_history", "event_id"),
    ("operator_rewards", "event_id"),
];

/// The bookkeeping tables (events, transactions, cursors, sync state, accounts), with their key order.
const BOOK_TABLES: &[(&str, &str)] = &[
    ("events", "signature, ix_path, event_index"),
    ("event_accounts", "account, slot, event_id"),
    ("transactions", "signature"),
    ("cursors", "program"),
    ("sync_state", "id"),
    ("accounts", "address"),
];

/// Every table with its key order.
pub fn tables() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    BOOK_TABLES.iter().chain(ENTITY_TABLES)
}

/// Row count and a checksum of the content of every table.
pub async fn snapshot(store: &Store) -> Vec<(String, usize, u64)> {
    let mut out = Vec::new();
    for (t, key) in tables() {
        let rows = store.fetch(Stmt::new(format!("SELECT * FROM {t} ORDER BY {key}"))).await.expect("select");
        let mut h = DefaultHasher::new();
        for r in &rows {
            serde_json::Value::Object(r.clone()).to_string().hash(&mut h);
        }
        out.push(((*t).to_owned(), rows.len(), h.finish()));
    }
    out
}

/// Rows of a table, as JSON, for assertions.
pub async fn rows(store: &Store, sql: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    store.fetch(Stmt::new(sql)).await.expect(sql)
}
