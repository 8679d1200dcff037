//! The store: sqlx on SQLite (embedded default, WAL) or PostgreSQL (scale), one schema
//! (`migrations/{sqlite,postgres}`), idempotent writes keyed by each event's natural key
//! `(signature, ix_path, event_index)`, the ingest cursor written in the same database
//! transaction as the rows it covers, and never moved past a gap.
pub mod chain;
pub mod conn;
pub mod ids;
pub mod operators;
pub mod plan;
pub mod quote;
pub mod read;
pub mod rows;
pub mod u64;
pub mod write;

use crate::decode::{DecodedTx, Program};
use conn::{Conn, Rows, Stmt};
use serde_json::Value;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

include!("../../../migrations/migrator.rs");

/// The SQLite migrations (`migrations/sqlite`), embedded at build time.
pub static SQLITE_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::SQLITE));
/// The PostgreSQL migrations (`migrations/postgres`), embedded at build time.
pub static POSTGRES_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::POSTGRES));

/// Store errors at the library boundary.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database url {0:?} (expected sqlite:… or postgres://…)")]
    Url(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A signature the source listed for a range (`getSignaturesForAddress`), oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigRef {
    pub signature: String,
    pub slot: u64,
}

/// Ingest cursor of one program: everything up to `last_signature` is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub program: String,
    pub last_signature: String,
    pub last_slot: u64,
}

/// A decoded account state at a slot.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountSnapshot {
    pub address: String,
    pub program: Program,
    pub account_type: String,
    pub slot: u64,
    pub state: Value,
}

/// What one commit stores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    /// Every signature the source listed for the range this batch covers, oldest first. The
    /// cursor moves only as far as all of them are stored; empty means "the batch's own
    /// transactions".
    pub expected: Vec<SigRef>,
    /// Decoded transactions, oldest first.
    pub transactions: Vec<DecodedTx>,
    /// Account snapshots read with the batch.
    pub accounts: Vec<AccountSnapshot>,
}

/// Result of [`Store::commit_batch`]: what the commit did, for the caller to act on and to
/// record (the store records no metrics itself).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommitOutcome {
    /// The cursor as written, `None` when it did not move.
    pub cursor: Option<Cursor>,
    /// The first expected signature that is stored nowhere (the cursor stopped before it).
    pub gap: Option<String>,
    /// Transactions stored by this commit (not stored before).
    pub transactions_inserted: u64,
    /// Events stored (and projected) by this commit.
    pub events_inserted: u64,
    /// Failed transactions in the batch (recorded, without events).
    pub failed_transactions: u64,
    /// Event-shaped inner instructions of the batch that did not decode.
    pub undecoded: u64,
}

/// How far ingestion and finalization have come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncState {
    pub indexed_slot: i64,
    pub indexed_block_time: Option<i64>,
    pub finalized_slot: i64,
    pub chain_slot: i64,
}

/// A connection pool of either database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$c` bound to a connection of the store (`$how`: `conn` for a pooled
/// connection, `tx` for a transaction committed when the body succeeds).
macro_rules! with_conn {
    (@tx $self:expr, $sqlite_begin:literal, |$c:ident| $body:expr) => {
        match $self {
            Store::Sqlite(p) => {
                let mut t = p.begin_with($sqlite_begin).await?;
                let $c = &mut *t;
                let out = $body.await?;
                t.commit().await?;
                out
            }
            Store::Postgres(p) => {
                let mut t = p.begin().await?;
                let $c = &mut *t;
                let out = $body.await?;
                t.commit().await?;
                out
            }
        }
    };
    // A write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE): a deferred
    // transaction that reads first and writes later cannot wait for the lock when another
    // connection committed in between — SQLite answers SQLITE_BUSY ("database is locked") at once,
    // without the busy timeout — so the ingest commit, the account sync and the finality promotion
    // queue for the lock instead of failing the round.
    ($self:expr, wtx, |$c:ident| $body:expr) => {
        with_conn!(@tx $self, "BEGIN IMMEDIATE", |$c| $body)
    };
    ($self:expr, tx, |$c:ident| $body:expr) => {
        with_conn!(@tx $self, "BEGIN", |$c| $body)
    };
    ($self:expr, conn, |$c:ident| $body:expr) => {
        match $self {
            Store::Sqlite(p) => {
                let mut t = p.acquire().await?;
                let $c = &mut *t;
                $body.await?
            }
            Store::Postgres(p) => {
                let mut t = p.acquire().await?;
                let $c = &mut *t;
                $body.await?
            }
        }
    };
}

/// A read of the data together with the sync state it reflects, in one transaction.
macro_rules! read_tx {
    ($self:expr, |$c:ident, $sync:ident| $body:expr) => {
        with_conn!($self, tx, |$c| async move {
            let $sync = read::read_sync($c).await?;
            let data = $body.await?;
            Ok::<_, sqlx::Error>(($sync, data))
        })
    };
}

/// Unix time now (the fallback clock before any block time is known).
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Store {
    /// Connects to `sqlite:…` (WAL, `synchronous = NORMAL`) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, if url.starts_with("sqlite:") { 8 } else { 16 }).await
    }

    /// [`Store::connect`] with a pool of at most `max_connections` (the ingest writer opens a
    /// store of its own, so API reads never queue in front of it).
    pub async fn connect_with(url: &str, max_connections: u32) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory")
                .pragma("cache_size", "-65536")
                // Fewer, larger checkpoints: a page rewritten by several batches is copied back
                // once (the WAL grows to ~64 MiB between checkpoints).
                .pragma("wal_autocheckpoint", "16384")
                .pragma("mmap_size", "1073741824");
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                // A connection still inside a transaction (its owner was cancelled between the
                // BEGIN and the Transaction that would have rolled it back) is closed, never
                // pooled or handed out: it would hold the write lock taken by `BEGIN IMMEDIATE`
                // (every other writer then fails with "database is locked"), and a transaction
                // begun on it would nest in the stale one.
                .after_release(|conn, _| {
                    Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
                })
                .before_acquire(|conn, _| {
                    Box::pin(async move { Ok(!sqlx::Connection::is_in_transaction(conn)) })
                })
                .connect_with(opts)
                .await?;
            Ok(Store::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Store::Postgres(pool))
        } else {
            Err(StoreError::Url(url.to_owned()))
        }
    }

    /// Applies the embedded migrations of the store's database.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(p) => SQLITE_MIGRATOR.run(p).await?,
            Store::Postgres(p) => POSTGRES_MIGRATOR.run(p).await?,
        }
        Ok(())
    }

    pub fn dialect(&self) -> conn::Dialect {
        match self {
            Store::Sqlite(_) => conn::Dialect::Sqlite,
            Store::Postgres(_) => conn::Dialect::Postgres,
        }
    }

    /// Writes a batch of decoded transactions (rows, projections, account snapshots) and the
    /// cursor in one database transaction. Replaying a batch changes nothing; the cursor never
    /// moves back and never past an expected signature that is stored nowhere.
    pub async fn commit_batch(&self, batch: &Batch, cursor: &Cursor) -> Result<CommitOutcome, StoreError> {
        Ok(with_conn!(self, wtx, |c| write::commit_batch(c, batch, cursor)))
    }

    /// Writes account snapshots alone (each guarded by its slot).
    pub async fn commit_accounts(&self, accounts: &[AccountSnapshot]) -> Result<(), StoreError> {
        with_conn!(self, wtx, |c| write::commit_accounts(c, accounts));
        Ok(())
    }

    /// Marks everything at or below `slot` finalized.
    pub async fn promote_finalized(&self, slot: u64) -> Result<u64, StoreError> {
        Ok(with_conn!(self, wtx, |c| write::promote_finalized(c, plan::i64_of(slot))))
    }

    /// Records the chain tip last seen.
    pub async fn set_chain_slot(&self, slot: u64) -> Result<(), StoreError> {
        with_conn!(self, conn, |c| write::set_chain_slot(c, plan::i64_of(slot)));
        Ok(())
    }

    /// Raises the indexed slot when every program is known to be caught up to `slot` (e.g. no
    /// new signatures up to a polled tip).
    pub async fn mark_caught_up(&self, slot: u64, block_time: Option<i64>) -> Result<(), StoreError> {
        with_conn!(self, conn, |c| write::advance_indexed(c, plan::i64_of(slot), block_time));
        Ok(())
    }

    pub async fn sync_state(&self) -> Result<SyncState, StoreError> {
        Ok(with_conn!(self, conn, |c| read::read_sync(c)))
    }

    /// The stored cursor of `program`.
    pub async fn cursor(&self, program: &str) -> Result<Option<Cursor>, StoreError> {
        let rows = self
            .fetch(
                Stmt::new("SELECT program, last_signature, last_slot FROM cursors WHERE program = $1")
                    .arg(plan::Val::T(program.to_owned())),
            )
            .await?;
        Ok(rows.first().map(|r| Cursor {
            program: program.to_owned(),
            last_signature: r.get("last_signature").and_then(Value::as_str).unwrap_or_default().to_owned(),
            last_slot: r.get("last_slot").and_then(Value::as_u64).unwrap_or(0),
        }))
    }

    /// Runs one read statement.
    pub async fn fetch(&self, s: Stmt) -> Result<Rows, StoreError> {
        Ok(with_conn!(self, conn, |c| c.fetch(&s)))
    }

    /// Runs statements in one transaction; the rows they affected.
    pub async fn exec_in_tx(&self, stmts: &[Stmt]) -> Result<u64, StoreError> {
        Ok(with_conn!(self, wtx, |c| async move {
            let mut n = 0;
            for s in stmts {
                n += c.exec(s).await?;
            }
            Ok::<u64, sqlx::Error>(n)
        }))
    }

    /// Runs one statement.
    pub async fn exec(&self, s: Stmt) -> Result<u64, StoreError> {
        Ok(with_conn!(self, conn, |c| c.exec(&s)))
    }

    /// A page of the operators table at the chain time of the indexed slot.
    pub async fn operators(
        &self,
        f: &operators::OperatorFilter,
    ) -> Result<(SyncState, operators::OperatorTable), StoreError> {
        Ok(read_tx!(self, |c, sync| operators::operators(c, f, history::chain_time(&sync))))
    }

    /// One operator with its provider page's figures, at the chain time of the indexed slot.
    pub async fn operator(&self, address: &str) -> Result<(SyncState, Option<Value>), StoreError> {
        Ok(read_tx!(self, |c, sync| operators::operator(c, address, history::chain_time(&sync))))
    }

    /// What `/v1/quote` prices, at the chain time of the indexed slot (returned with it).
    pub async fn quote_inputs(
        &self,
        devices: &[String],
    ) -> Result<(SyncState, (Vec<quote::QuoteDeviceRow>, Option<quote::EscrowTerms>, i64)), StoreError> {
        Ok(read_tx!(self, |c, sync| quote::quote_inputs(c, devices, history::chain_time(&sync))))
    }

    /// Devices, availability evaluated at the chain time of the indexed slot.
    pub async fn devices(
        &self,
        f: &read::DeviceFilter,
    ) -> Result<(SyncState, read::Page<rows::staking::DeviceListRow, (i64, String)>), StoreError> {
        Ok(read_tx!(self, |c, sync| read::devices(c, f, history::chain_time(&sync))))
    }

    pub async fn wallet_positions(
        &self,
        staker: &str,
    ) -> Result<(SyncState, Vec<rows::staking::WalletPosition>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::wallet_positions(c, staker)))
    }

    pub async fn leases(
        &self,
        f: &read::LeaseFilter,
    ) -> Result<(SyncState, read::Page<rows::escrow::LeaseRow, (i64, String)>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::leases(c, f)))
    }

    pub async fn transaction(&self, signature: &str) -> Result<(SyncState, Option<Value>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::transaction(c, signature)))
    }

    pub async fn lease(&self, address: &str) -> Result<(SyncState, Option<Value>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::lease(c, address)))
    }

    pub async fn burns(
        &self,
        f: &read::BurnFilter,
    ) -> Result<
        (SyncState, (read::Page<rows::token::BurnRow, i64>, Option<rows::token::BurnTotals>)),
        StoreError,
    > {
        Ok(read_tx!(self, |c, _s| read::burns(c, f)))
    }

    pub async fn supply(&self) -> Result<(SyncState, Value), StoreError> {
        Ok(read_tx!(self, |c, _s| read::supply(c)))
    }

    pub async fn network(&self) -> Result<(SyncState, Value), StoreError> {
        Ok(read_tx!(self, |c, _s| read::network(c)))
    }

    pub async fn reports(
        &self,
        period: i64,
    ) -> Result<(SyncState, Vec<rows::oracle::ReportRow>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::reports(c, period)))
    }

    pub async fn events(
        &self,
        f: &read::EventFilter,
    ) -> Result<(SyncState, read::Page<rows::events::EventRow, (i64, i64)>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::events(c, f)))
    }

    pub async fn events_since(
        &self,
        after: i64,
        name: Option<&str>,
        program: Option<&str>,
        limit: u32,
    ) -> Result<(SyncState, Vec<rows::events::EventRow>), StoreError> {
        Ok(read_tx!(self, |c, _s| read::events_since(c, after, name, program, limit)))
    }

    pub async fn status(&self) -> Result<(SyncState, (Vec<rows::events::CursorRow>, i64)), StoreError> {
        Ok(read_tx!(self, |c, _s| read::status(c)))
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(p) => p.close().await,
            Store::Postgres(p) => p.close().await,
        }
    }
}

// Declared after the macros above (`read_tx!`), which it uses.
pub mod history;
