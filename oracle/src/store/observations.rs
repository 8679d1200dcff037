//! The observations' queries: live and unserved intervals, ping counts and heartbeat marks written in batches
//! (one transaction, multi-row upserts: never one write per heartbeat), and the challenges, one
//! row each from issue to verdict.
use super::{Backend, Store};
use anyhow::{anyhow, Result};
use sqlx::{any::AnyRow, Row};

/// Rows per multi-row statement: 4 values each stays far below SQLite's 32,766 parameters.
const CHUNK: usize = 500;

/// What an interval records of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntervalKind {
    /// In contact: accepted heartbeats and in-time pongs.
    Live,
    /// Live, but its heartbeats said the lease's cluster was not serving on it: not lease time.
    Unserved,
}

impl IntervalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IntervalKind::Live => "live",
            IntervalKind::Unserved => "unserved",
        }
    }

    fn parse(s: &str) -> Result<IntervalKind> {
        match s {
            "live" => Ok(IntervalKind::Live),
            "unserved" => Ok(IntervalKind::Unserved),
            _ => Err(anyhow!("unknown interval kind {s:?} in the database")),
        }
    }
}

/// One interval as stored: chain seconds, both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalRow {
    pub device: String,
    pub kind: IntervalKind,
    pub start_ts: i64,
    pub end_ts: i64,
}

/// Pings sent and answered in time, added to a device's count for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PingDelta {
    pub device: String,
    pub period: i64,
    pub sent: i64,
    pub answered: i64,
}

/// Everything a flush writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub intervals: Vec<IntervalRow>,
    pub pings: Vec<PingDelta>,
    /// (device, newest accepted heartbeat timestamp, ms).
    pub marks: Vec<(String, i64)>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty() && self.pings.is_empty() && self.marks.is_empty()
    }
}

/// Where a challenge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeStatus {
    /// Sent; no commitment yet.
    Issued,
    /// Commitment accepted, reveal disclosed; no answer judged yet.
    Committed,
    Passed,
    Failed,
}

impl ChallengeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeStatus::Issued => "issued",
            ChallengeStatus::Committed => "committed",
            ChallengeStatus::Passed => "passed",
            ChallengeStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<ChallengeStatus> {
        Ok(match s {
            "issued" => ChallengeStatus::Issued,
            "committed" => ChallengeStatus::Committed,
            "passed" => ChallengeStatus::Passed,
            "failed" => ChallengeStatus::Failed,
            _ => return Err(anyhow!("unknown challenge status {s:?} in the database")),
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, ChallengeStatus::Issued | ChallengeStatus::Committed)
    }
}

/// A challenge row. JSON columns hold the wire types exactly as sent and received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRow {
    /// Challenge id, hex.
    pub id: String,
    /// The io_staking device account.
    pub device: String,
    /// The worker key it was bound to when challenged.
    pub worker_key: String,
    pub period: i64,
    /// Chain seconds at issue.
    pub issued_ts: i64,
    /// Wall ms at issue (the request's `issued_at_ms`).
    pub issued_at_ms: i64,
    /// The signed `ChallengeRequest` envelope, JSON.
    pub request: String,
    /// The verifier's secret reveal, hex.
    pub reveal: String,
    pub status: ChallengeStatus,
    /// The accepted `CommitmentMsg`, JSON.
    pub commitment: Option<String>,
    pub committed_at_ms: Option<i64>,
    /// The signed `Answer` envelope, JSON (once judged).
    pub answer: Option<String>,
    pub reason: Option<String>,
    /// `io_sdk::report::Evidence`, JSON: wrong rows only.
    pub evidence: Option<String>,
    pub judged_at_ms: Option<i64>,
}

const CHALLENGE_COLUMNS: &str = "id, device, worker_key, period, issued_ts, issued_at_ms, request, reveal, \
     status, commitment, committed_at_ms, answer, reason, evidence, judged_at_ms";

fn challenge_row(r: &AnyRow) -> Result<ChallengeRow> {
    Ok(ChallengeRow {
        id: r.try_get(0)?,
        device: r.try_get(1)?,
        worker_key: r.try_get(2)?,
        period: r.try_get(3)?,
        issued_ts: r.try_get(4)?,
        issued_at_ms: r.try_get(5)?,
        request: r.try_get(6)?,
        reveal: r.try_get(7)?,
        status: ChallengeStatus::parse(&r.try_get::<String, _>(8)?)?,
        commitment: r.try_get(9)?,
        committed_at_ms: r.try_get(10)?,
        answer: r.try_get(11)?,
        reason: r.try_get(12)?,
        evidence: r.try_get(13)?,
        judged_at_ms: r.try_get(14)?,
    })
}

/// `($1, $2, …), (…)` for `rows` rows of `width` values.
fn placeholders(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    fn greatest(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "MAX",
            Backend::Postgres => "GREATEST",
        }
    }

    /// Writes a flush batch in one transaction: an interval's row takes the end the batch
    /// carries (memory is the authority: a missed ping may cut an interval below an end already
    /// written), a mark only grows, ping counts add up.
    pub async fn write_batch(&self, b: &Batch) -> Result<()> {
        let g = self.greatest();
        let mut tx = self.pool.begin().await?;
        for chunk in b.intervals.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO device_intervals (device, kind, start_ts, end_ts) VALUES {} \
                 ON CONFLICT (device, kind, start_ts) DO UPDATE SET end_ts = excluded.end_ts",
                placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(&sql);
            for i in chunk {
                q = q.bind(i.device.clone()).bind(i.kind.as_str()).bind(i.start_ts).bind(i.end_ts);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in b.pings.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO ping_counts (device, period, sent, answered) VALUES {} \
                 ON CONFLICT (device, period) DO UPDATE SET sent = ping_counts.sent + excluded.sent, \
                 answered = ping_counts.answered + excluded.answered",
                placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(&sql);
            for p in chunk {
                q = q.bind(p.device.clone()).bind(p.period).bind(p.sent).bind(p.answered);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in b.marks.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO heartbeat_marks (device, timestamp_ms) VALUES {} \
                 ON CONFLICT (device) DO UPDATE SET timestamp_ms = {g}(heartbeat_marks.timestamp_ms, excluded.timestamp_ms)",
                placeholders(chunk.len(), 2)
            );
            let mut q = sqlx::query(&sql);
            for (d, ts) in chunk {
                q = q.bind(d.clone()).bind(*ts);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Intervals of every kind that reach into `[start, end)` (chain seconds), unclipped.
    pub async fn intervals_between(&self, start: i64, end: i64) -> Result<Vec<IntervalRow>> {
        let rows = sqlx::query(
            "SELECT device, kind, start_ts, end_ts FROM device_intervals WHERE end_ts > $1 AND start_ts < $2 \
             ORDER BY device, kind, start_ts",
        )
        .bind(start)
        .bind(end)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IntervalRow {
                    device: r.try_get(0)?,
                    kind: IntervalKind::parse(&r.try_get::<String, _>(1)?)?,
                    start_ts: r.try_get(2)?,
                    end_ts: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Pings (sent, answered in time) per device in `period`.
    pub async fn ping_counts(&self, period: i64) -> Result<Vec<PingDelta>> {
        let rows = sqlx::query("SELECT device, period, sent, answered FROM ping_counts WHERE period = $1")
            .bind(period)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(PingDelta {
                    device: r.try_get(0)?,
                    period: r.try_get(1)?,
                    sent: r.try_get(2)?,
                    answered: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every device's newest accepted heartbeat timestamp (ms).
    pub async fn heartbeat_marks(&self) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT device, timestamp_ms FROM heartbeat_marks").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Records a new challenge; false when the device already has one for that period.
    pub async fn insert_challenge(&self, c: &ChallengeRow) -> Result<bool> {
        let sql = format!(
            "INSERT INTO challenges ({CHALLENGE_COLUMNS}) VALUES {} ON CONFLICT DO NOTHING",
            placeholders(1, 15)
        );
        let done = sqlx::query(&sql)
            .bind(c.id.clone())
            .bind(c.device.clone())
            .bind(c.worker_key.clone())
            .bind(c.period)
            .bind(c.issued_ts)
            .bind(c.issued_at_ms)
            .bind(c.request.clone())
            .bind(c.reveal.clone())
            .bind(c.status.as_str())
            .bind(c.commitment.clone())
            .bind(c.committed_at_ms)
            .bind(c.answer.clone())
            .bind(c.reason.clone())
            .bind(c.evidence.clone())
            .bind(c.judged_at_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// An issued challenge's accepted commitment.
    pub async fn commit_challenge(&self, id: &str, commitment: &str, at_ms: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE challenges SET status = 'committed', commitment = $2, committed_at_ms = $3 \
             WHERE id = $1 AND status = 'issued'",
        )
        .bind(id)
        .bind(commitment)
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(anyhow!("challenge {id} is not awaiting a commitment"));
        }
        Ok(())
    }

    /// An open challenge's verdict (passed or failed), once: a judged challenge is never judged
    /// again (false when it already was, by another run of the node on this database).
    pub async fn judge_challenge(
        &self,
        id: &str,
        status: ChallengeStatus,
        answer: Option<&str>,
        reason: Option<&str>,
        evidence: Option<&str>,
        at_ms: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE challenges SET status = $2, answer = $3, reason = $4, evidence = $5, judged_at_ms = $6 \
             WHERE id = $1 AND status IN ('issued', 'committed')",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(answer.map(str::to_string))
        .bind(reason.map(str::to_string))
        .bind(evidence.map(str::to_string))
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn challenge(&self, id: &str) -> Result<Option<ChallengeRow>> {
        let sql = format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE id = $1");
        let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(challenge_row).transpose()
    }

    /// Challenges not judged yet (reloaded at start).
    pub async fn open_challenges(&self) -> Result<Vec<ChallengeRow>> {
        let sql = format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE status IN ('issued', 'committed') ORDER BY id"
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(challenge_row).collect()
    }

    /// Every challenge issued in `period`.
    pub async fn challenges_in_period(&self, period: i64) -> Result<Vec<ChallengeRow>> {
        let sql = format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE period = $1 ORDER BY device, id");
        let rows = sqlx::query(&sql).bind(period).fetch_all(&self.pool).await?;
        rows.iter().map(challenge_row).collect()
    }

    /// The newest period each device was challenged in (so a restart does not challenge twice).
    pub async fn last_challenged_periods(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT device, MAX(period) FROM challenges GROUP BY device")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn batches_grow_intervals_and_add_counts() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("o.db").display());
        batches_on(&url).await;
        challenges_on(&url).await;
        let old = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
        upgrade_on(&old, super::super::embedded::SQLITE).await;
    }

    /// The same queries on PostgreSQL (a throwaway server, or `DATABASE_URL`).
    #[tokio::test]
    async fn the_same_queries_on_postgres() {
        let url = io_indexer::pgtemp::fresh_database().await;
        batches_on(&url).await;
        challenges_on(&url).await;
        upgrade_on(&io_indexer::pgtemp::fresh_database().await, super::super::embedded::POSTGRES).await;
    }

    async fn challenges_on(url: &str) {
        let s = Store::open(url, 2).await.unwrap();
        let row = ChallengeRow {
            id: "ab".repeat(32),
            device: "D".into(),
            worker_key: "W".into(),
            period: 7,
            issued_ts: 7 * 3600 + 5,
            issued_at_ms: 1_000,
            request: "{}".into(),
            reveal: "cd".repeat(32),
            status: ChallengeStatus::Issued,
            commitment: None,
            committed_at_ms: None,
            answer: None,
            reason: None,
            evidence: None,
            judged_at_ms: None,
        };
        assert!(s.insert_challenge(&row).await.unwrap());
        // One per device and period: another id for the same period is not recorded.
        assert!(!s.insert_challenge(&ChallengeRow { id: "ef".repeat(32), ..row.clone() }).await.unwrap());
        assert_eq!(s.open_challenges().await.unwrap(), vec![row.clone()]);
        s.commit_challenge(&row.id, "{\"root\": 1}", 2_000).await.unwrap();
        assert!(s.commit_challenge(&row.id, "{}", 2_001).await.is_err(), "committed once");
        assert!(s
            .judge_challenge(
                &row.id,
                ChallengeStatus::Failed,
                Some("{}"),
                Some("wrong row"),
                Some("{}"),
                3_000
            )
            .await
            .unwrap());
        assert!(!s.judge_challenge(&row.id, ChallengeStatus::Passed, None, None, None, 3_001).await.unwrap());
        let got = s.challenge(&row.id).await.unwrap().unwrap();
        assert_eq!(
            (got.status, got.committed_at_ms, got.reason.as_deref(), got.evidence.as_deref()),
            (ChallengeStatus::Failed, Some(2_000), Some("wrong row"), Some("{}"))
        );
        assert!(s.open_challenges().await.unwrap().is_empty());
        assert_eq!(s.challenges_in_period(7).await.unwrap().len(), 1);
        assert_eq!(s.last_challenged_periods().await.unwrap(), vec![("D".to_string(), 7)]);
    }

    async fn batches_on(url: &str) {
        let s = Store::open(url, 2).await.unwrap();
        let iv = |start, end| IntervalRow {
            device: "D".into(),
            kind: IntervalKind::Live,
            start_ts: start,
            end_ts: end,
        };
        let b = Batch {
            intervals: vec![iv(100, 150)],
            pings: vec![PingDelta { device: "D".into(), period: 0, sent: 2, answered: 1 }],
            marks: vec![("D".into(), 5_000)],
        };
        s.write_batch(&b).await.unwrap();
        // The open interval rewritten longer, an older mark and more pings; then cut shorter.
        let b2 = Batch {
            intervals: vec![iv(100, 180), iv(300, 320)],
            pings: vec![PingDelta { device: "D".into(), period: 0, sent: 1, answered: 1 }],
            marks: vec![("D".into(), 4_000)],
        };
        s.write_batch(&b2).await.unwrap();
        assert_eq!(s.intervals_between(0, 3600).await.unwrap(), vec![iv(100, 180), iv(300, 320)]);
        s.write_batch(&Batch { intervals: vec![iv(300, 310)], ..Batch::default() }).await.unwrap();
        assert_eq!(s.intervals_between(181, 300).await.unwrap(), vec![]);
        assert_eq!(s.intervals_between(150, 301).await.unwrap(), vec![iv(100, 180), iv(300, 310)]);
        let p = s.ping_counts(0).await.unwrap();
        assert_eq!((p[0].sent, p[0].answered), (3, 2));
        assert_eq!(s.heartbeat_marks().await.unwrap(), vec![("D".to_string(), 5_000)]);
        // Many devices in one batch, past one statement's chunk.
        let many: Vec<IntervalRow> = (0..1_200)
            .map(|i| IntervalRow {
                device: format!("M{i:04}"),
                kind: IntervalKind::Live,
                start_ts: 1_800_000_000,
                end_ts: 1_800_000_000 + i,
            })
            .collect();
        s.write_batch(&Batch { intervals: many, ..Batch::default() }).await.unwrap();
        assert_eq!(s.intervals_between(0, i64::MAX).await.unwrap().len(), 2 + 1_200);
        // An unserved interval may start where the live one does: the kind tells them apart.
        let unserved = IntervalRow { kind: IntervalKind::Unserved, ..iv(100, 120) };
        s.write_batch(&Batch { intervals: vec![unserved.clone()], ..Batch::default() }).await.unwrap();
        s.write_batch(&Batch {
            intervals: vec![IntervalRow { end_ts: 130, ..unserved.clone() }],
            ..Batch::default()
        })
        .await
        .unwrap();
        assert_eq!(
            s.intervals_between(150, 160).await.unwrap(),
            vec![iv(100, 180)],
            "the unserved one ends at 130"
        );
        assert_eq!(
            s.intervals_between(100, 101).await.unwrap(),
            vec![iv(100, 180), IntervalRow { end_ts: 130, ..unserved }]
        );
    }

    /// A database written before interval kinds keeps its live intervals.
    async fn upgrade_on(url: &str, list: &'static [(i64, &'static str, &'static str)]) {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(url).await.unwrap();
        let before: Vec<_> = list.iter().filter(|(v, _, _)| *v < 20261201000300).copied().collect();
        super::super::migrator(Box::leak(before.into_boxed_slice())).run(&pool).await.unwrap();
        sqlx::query("INSERT INTO live_intervals (device, start_ts, end_ts) VALUES ('D', 100, 150)")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        let s = Store::open(url, 2).await.unwrap();
        assert_eq!(
            s.intervals_between(0, 3600).await.unwrap(),
            vec![IntervalRow { device: "D".into(), kind: IntervalKind::Live, start_ts: 100, end_ts: 150 }]
        );
    }
}
