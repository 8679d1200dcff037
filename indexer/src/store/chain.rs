//! Which chain the database holds: the genesis hash of the node it was indexed from, so that a
//! node restarted with a fresh genesis (a new local network) is noticed instead of mixed in; and
//! the wipe that starts a database afresh when the operator asks for it.
use super::{Store, StoreError};
use sqlx::Row;

/// The chain recorded in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainIdentity {
    pub genesis_hash: String,
    /// The RPC URL it was first read from (for the error message: which node that was).
    pub rpc_url: String,
    /// Unix seconds.
    pub recorded_at: i64,
}

impl Store {
    /// The recorded chain; `None` for a database that never ingested.
    pub async fn chain_identity(&self) -> Result<Option<ChainIdentity>, StoreError> {
        const SQL: &str = "SELECT genesis_hash, rpc_url, recorded_at FROM chain_identity WHERE id = 1";
        let row = match self {
            Store::Sqlite(p) => sqlx::query(SQL)
                .fetch_optional(p)
                .await?
                .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<i64, _>(2))),
            Store::Postgres(p) => sqlx::query(SQL)
                .fetch_optional(p)
                .await?
                .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1), r.get::<i64, _>(2))),
        };
        Ok(row.map(|(genesis_hash, rpc_url, recorded_at)| ChainIdentity {
            genesis_hash,
            rpc_url,
            recorded_at,
        }))
    }

    /// Records the chain of a database that has none yet; an existing record is kept (the
    /// caller compares first: changing it is [`Store::wipe`]'s business).
    pub async fn record_chain(&self, genesis_hash: &str, rpc_url: &str) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO chain_identity (id, genesis_hash, rpc_url, recorded_at) \
                           VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING";
        let now = super::unix_now();
        match self {
            Store::Sqlite(p) => {
                sqlx::query(SQL).bind(genesis_hash).bind(rpc_url).bind(now).execute(p).await?;
            }
            Store::Postgres(p) => {
                sqlx::query(SQL).bind(genesis_hash).bind(rpc_url).bind(now).execute(p).await?;
            }
        }
        Ok(())
    }

    /// Drops everything the migrations created and applies them again: an empty database of
    /// the current schema. Listing what exists (rather than naming the tables here) keeps it
    /// right whatever later migrations add.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(p) => {
                let mut c = p.acquire().await?;
                let objects: Vec<(String, String)> = sqlx::query_as(
                    "SELECT type, name FROM sqlite_master \
                     WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type DESC",
                )
                .fetch_all(&mut *c)
                .await?;
                sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *c).await?;
                for (kind, name) in objects {
                    let kind = if kind == "view" { "VIEW" } else { "TABLE" };
                    sqlx::query(&format!("DROP {kind} IF EXISTS \"{}\"", name.replace('"', "\"\"")))
                        .execute(&mut *c)
                        .await?;
                }
                sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *c).await?;
            }
            Store::Postgres(p) => {
                let mut t = p.begin().await?;
                // Tables (with their indexes, sequences and dependent views), then what is left:
                // views, sequences, functions and types the migrations made.
                let objects: Vec<(String, String)> = sqlx::query_as(
                    "SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'TABLE' WHEN 'v' THEN 'VIEW' \
                                 WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'SEQUENCE' END, c.relname \
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S') \
                     ORDER BY c.relkind DESC",
                )
                .fetch_all(&mut *t)
                .await?;
                for (kind, name) in objects {
                    let q = format!("DROP {kind} IF EXISTS \"{}\" CASCADE", name.replace('"', "\"\""));
                    sqlx::query(&q).execute(&mut *t).await?;
                }
                let routines: Vec<(String,)> = sqlx::query_as(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                     WHERE n.nspname = current_schema()",
                )
                .fetch_all(&mut *t)
                .await?;
                for (sig,) in routines {
                    sqlx::query(&format!("DROP ROUTINE IF EXISTS {sig} CASCADE")).execute(&mut *t).await?;
                }
                let types: Vec<(String,)> = sqlx::query_as(
                    "SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
                     WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd', 'c') \
                     AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)",
                )
                .fetch_all(&mut *t)
                .await?;
                for (name,) in types {
                    let q = format!("DROP TYPE IF EXISTS \"{}\" CASCADE", name.replace('"', "\"\""));
                    sqlx::query(&q).execute(&mut *t).await?;
                }
                t.commit().await?;
            }
        }
        self.migrate().await
    }
}
