//! Reports, what this node signed, and every signature it has seen. Keys base58, digests and
//! signatures hex, bodies borsh hex, reports JSON (io_sdk::report::PeriodReport).
use super::{outbox::wall_ms, to_i64, to_u64, Store};
use anyhow::Result;
use sqlx::Row;

/// A stored report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub period: u64,
    pub digest: String,
    /// The `PeriodReport`, JSON.
    pub report: String,
    /// `proposed` or `certified`.
    pub status: String,
}

/// A signature over a report digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    pub period: u64,
    pub signer: String,
    pub digest: String,
    /// The signed body, borsh hex.
    pub body: String,
    pub signature: String,
}

/// What this node signed for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRow {
    pub digest: String,
    pub body: String,
}

impl Store {
    /// Keeps a report (a second put of the same digest changes nothing but may certify it).
    pub async fn report_put(&self, period: u64, digest: &str, report: &str, certified: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO reports (period, digest, report, status, created_ms) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (period, digest) DO NOTHING",
        )
        .bind(to_i64(period)?)
        .bind(digest)
        .bind(report)
        .bind(if certified { "certified" } else { "proposed" })
        .bind(wall_ms())
        .execute(&self.pool)
        .await?;
        if certified {
            sqlx::query("UPDATE reports SET status = 'certified' WHERE period = $1 AND digest = $2")
                .bind(to_i64(period)?)
                .bind(digest)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Every report known for `period`, the certified one first.
    pub async fn reports_of(&self, period: u64) -> Result<Vec<StoredReport>> {
        let rows = sqlx::query(
            "SELECT period, digest, report, status FROM reports WHERE period = $1 \
             ORDER BY CASE status WHEN 'certified' THEN 0 ELSE 1 END, created_ms",
        )
        .bind(to_i64(period)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredReport {
                    period: to_u64(r.try_get("period")?)?,
                    digest: r.try_get("digest")?,
                    report: r.try_get("report")?,
                    status: r.try_get("status")?,
                })
            })
            .collect()
    }

    /// The highest certified period this node holds a report of.
    pub async fn latest_certified(&self) -> Result<Option<u64>> {
        let row = sqlx::query("SELECT MAX(period) AS p FROM reports WHERE status = 'certified'")
            .fetch_one(&self.pool)
            .await?;
        let p: Option<i64> = row.try_get("p")?;
        p.map(to_u64).transpose()
    }

    /// Records that this node signs `(digest, body)` for `period` — unless it already signed
    /// something for that period: then that stays, and is returned for the caller to compare.
    /// The primary key makes the first write the only one, whatever runs concurrently.
    pub async fn sign_once(&self, period: u64, digest: &str, body: &str) -> Result<SignedRow> {
        sqlx::query(
            "INSERT INTO signed (period, digest, body, created_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (period) DO NOTHING",
        )
        .bind(to_i64(period)?)
        .bind(digest)
        .bind(body)
        .bind(wall_ms())
        .execute(&self.pool)
        .await?;
        Ok(self.signed_for(period).await?.expect("the row just written or the earlier one"))
    }

    pub async fn signed_for(&self, period: u64) -> Result<Option<SignedRow>> {
        let row = sqlx::query("SELECT digest, body FROM signed WHERE period = $1")
            .bind(to_i64(period)?)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(SignedRow { digest: r.try_get("digest")?, body: r.try_get("body")? })).transpose()
    }

    /// Keeps a signature (idempotent).
    pub async fn signature_put(&self, s: &SignatureRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO signatures (period, signer, digest, body, signature) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (period, signer, digest) DO NOTHING",
        )
        .bind(to_i64(s.period)?)
        .bind(&s.signer)
        .bind(&s.digest)
        .bind(&s.body)
        .bind(&s.signature)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every signature seen for `period`.
    pub async fn signatures_of(&self, period: u64) -> Result<Vec<SignatureRow>> {
        let rows = sqlx::query(
            "SELECT period, signer, digest, body, signature FROM signatures WHERE period = $1 ORDER BY signer, digest",
        )
        .bind(to_i64(period)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SignatureRow {
                    period: to_u64(r.try_get("period")?)?,
                    signer: r.try_get("signer")?,
                    digest: r.try_get("digest")?,
                    body: r.try_get("body")?,
                    signature: r.try_get("signature")?,
                })
            })
            .collect()
    }
}
