//! The node's database: sqlx over SQLite (embedded, the default) or PostgreSQL, one code path
//! through sqlx's `Any` driver. Every table lives in `oracle/migrations/<backend>/`; each area of
//! the node keeps its queries in its own file here.
use anyhow::{anyhow, Context, Result};
use sqlx::migrate::Migrator;
use sqlx::{any::AnyPoolOptions, AnyPool, Row};
use std::sync::LazyLock;

pub mod observations;
pub mod outbox;
pub mod reports;

/// Which database the URL names; the few SQL differences are spelled per backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/migrations.rs"));
}

include!("../../../migrations/migrator.rs");

static SQLITE: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::SQLITE));
static POSTGRES: LazyLock<Migrator> = LazyLock::new(|| migrator(embedded::POSTGRES));

impl Store {
    /// Opens (creating a SQLite file when `mode=rwc`) and migrates.
    pub async fn open(url: &str, max_connections: u32) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(anyhow!("database URL {url:?}: expected sqlite:// or postgres://"));
        };
        let mut opts = AnyPoolOptions::new().max_connections(max_connections.max(1));
        if backend == Backend::Sqlite {
            // WAL: readers never wait for the writer; a writer waits up to 10 s for another.
            opts = opts.after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                    sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                    Ok(())
                })
            });
        }
        let pool = opts.connect(url).await.with_context(|| format!("open the database {}", redact(url)))?;
        let migrator = match backend {
            Backend::Sqlite => &*SQLITE,
            Backend::Postgres => &*POSTGRES,
        };
        migrator.run(&pool).await.context("migrate the database")?;
        Ok(Store { pool, backend })
    }

    /// Binds the database to `key` on `cluster` the first time; afterwards refuses another.
    pub async fn claim_identity(&self, key: &str, cluster: &str) -> Result<()> {
        for (name, value) in [("oracle_key", key), ("cluster", cluster)] {
            sqlx::query("INSERT INTO node_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(value)
                .execute(&self.pool)
                .await?;
            let row = sqlx::query("SELECT value FROM node_meta WHERE name = $1")
                .bind(name)
                .fetch_one(&self.pool)
                .await?;
            let stored: String = row.try_get(0)?;
            if stored != value {
                return Err(anyhow!(
                    "this database belongs to {name} {stored}, not {value}: use a database of its own per node and cluster"
                ));
            }
        }
        Ok(())
    }
}

/// A u64 as the i64 the databases store (amounts stay far below 2⁶³: the supply cap is 8·10¹⁷).
pub fn to_i64(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| anyhow!("{v} does not fit a database integer"))
}

/// Back from the database; a negative value is corruption, not a number.
pub fn to_u64(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| anyhow!("negative value {v} in the database"))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_database_belongs_to_one_key_and_cluster() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("o.db").display());
        let s = Store::open(&url, 2).await.unwrap();
        s.claim_identity("K", "C").await.unwrap();
        s.claim_identity("K", "C").await.unwrap();
        let e = s.claim_identity("K2", "C").await.unwrap_err().to_string();
        assert!(e.contains("belongs to oracle_key K"), "{e}");
        assert_eq!(redact("postgres://u:pw@h/db"), "postgres://u:***@h/db");
    }
}
