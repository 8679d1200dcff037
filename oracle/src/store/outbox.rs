//! The outbox's rows: one per transaction the node intends, unique by its key (what makes a
//! second intent for the same effect a no-op), written before anything is sent.
use super::{to_u64, Store};
use anyhow::{anyhow, Result};
use sqlx::{any::AnyRow, Row};

/// Where an intent stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Written, not sent (or to be sent again after a check of the chain).
    Pending,
    /// Sent with a signature, not yet confirmed.
    Sent,
    /// Confirmed on chain.
    Confirmed,
    /// The effect was already on chain (another node, or an earlier attempt): nothing sent.
    Obsolete,
    /// Refused by a program for a reason repeating cannot fix; the error says which.
    Failed,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Pending, Status::Sent, Status::Confirmed, Status::Obsolete, Status::Failed];

    pub fn name(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Confirmed => "confirmed",
            Status::Obsolete => "obsolete",
            Status::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Result<Status> {
        Status::ALL.into_iter().find(|x| x.name() == s).ok_or_else(|| anyhow!("unknown outbox status {s:?}"))
    }
}

/// One intent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    pub id: i64,
    pub key: String,
    pub kind: String,
    /// JSON: everything needed to build the instructions.
    pub params: String,
    pub status: Status,
    pub signature: Option<String>,
    pub error: Option<String>,
    pub attempts: u64,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn from_row(r: &AnyRow) -> Result<Intent> {
    Ok(Intent {
        id: r.try_get("id")?,
        key: r.try_get("key")?,
        kind: r.try_get("kind")?,
        params: r.try_get("params")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        signature: r.try_get("signature")?,
        error: r.try_get("error")?,
        attempts: to_u64(r.try_get("attempts")?)?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

const COLUMNS: &str = "id, key, kind, params, status, signature, error, attempts, created_ms, updated_ms";

/// Wall ms since the epoch (row timestamps: when a person reads the outbox).
pub fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Store {
    /// Writes an intent unless one with its key exists; true when it was new.
    pub async fn outbox_insert(&self, key: &str, kind: &str, params: &str) -> Result<bool> {
        let now = wall_ms();
        let r = sqlx::query(
            "INSERT INTO outbox (key, kind, params, status, attempts, created_ms, updated_ms) \
             VALUES ($1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(kind)
        .bind(params)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The intents still to be driven (pending or sent), oldest first.
    pub async fn outbox_open(&self, limit: u32) -> Result<Vec<Intent>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE status IN ('pending', 'sent') ORDER BY id LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn outbox_get(&self, key: &str) -> Result<Option<Intent>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Every intent of `kind` (all statuses), oldest first.
    pub async fn outbox_of_kind(&self, kind: &str) -> Result<Vec<Intent>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM outbox WHERE kind = $1 ORDER BY id"))
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Moves an intent to `status`, with its signature and error (attempts counted on `Sent`).
    pub async fn outbox_mark(
        &self,
        id: i64,
        status: Status,
        signature: Option<&str>,
        error: Option<&str>,
    ) -> Result<()> {
        let bump = i64::from(status == Status::Sent);
        sqlx::query(
            "UPDATE outbox SET status = $1, signature = $2, error = $3, attempts = attempts + $4, \
             updated_ms = $5 WHERE id = $6",
        )
        .bind(status.name())
        .bind(signature)
        .bind(error)
        .bind(bump)
        .bind(wall_ms())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Number of intents per status (every status listed, zeros included).
    pub async fn outbox_counts(&self) -> Result<Vec<(Status, u64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<(Status, u64)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
        for r in rows {
            let s = Status::parse(&r.try_get::<String, _>("status")?)?;
            let n: i64 = r.try_get("n")?;
            if let Some(slot) = out.iter_mut().find(|(x, _)| *x == s) {
                slot.1 = to_u64(n)?;
            }
        }
        Ok(out)
    }
}
