//! Test-only writes that forge one public figure of a running [`System`], each undone by its
//! `restore` (the vault excepted): what `io verify` must catch. They go around the programs and
//! the services' own code on purpose — straight into a SQLite file, onto the wire, into the local
//! network's account state — because that is what a dishonest indexer, oracle node or custodian
//! would do.
//! - [`PhantomDevice`]: a device row the chain does not have, in the indexer's database;
//! - [`ForgedLeaf`]: one leaf of a certified report changed in one oracle node's store;
//! - [`Withheld`]: a certified period's reports deleted from every node's store;
//! - [`SupplyProxy`]: an HTTP front of the indexer that rewrites `/v1/supply`'s circulating figure;
//! - [`drain_token_account`]: a vault's amount lowered with surfpool's `surfnet_setAccount`.
use crate::System;
use anyhow::{anyhow, bail, ensure, Context, Result};
use io_sdk::Pubkey;
use serde_json::{json, Value};
use sqlx::{sqlite::SqliteConnectOptions, ConnectOptions, Row, SqliteConnection};
use std::{path::Path, str::FromStr, time::Duration};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

/// A connection to a service's SQLite file while the service runs: the service holds it open
/// too, so writes wait for its locks rather than fail.
pub async fn open(path: &Path) -> Result<SqliteConnection> {
    ensure!(path.exists(), "no database at {}", path.display());
    SqliteConnectOptions::new()
        .filename(path)
        .busy_timeout(Duration::from_secs(20))
        .connect()
        .await
        .with_context(|| format!("open {}", path.display()))
}

/// A device row copied from a real active one under an address no device has: the indexer then
/// counts one more attested device (and its GPUs) than the chain holds.
pub struct PhantomDevice {
    pub address: String,
    /// The class of the copied device (its GPUs count under it).
    pub class: String,
    pub gpu_count: i64,
    /// The real device it was copied from: touched again on restore, so the triggers that keep
    /// its operator's figures (GPUs, devices, uptime) count without the phantom.
    from: String,
}

impl PhantomDevice {
    pub async fn insert(s: &System) -> Result<PhantomDevice> {
        let mut c = open(&s.indexer_db()).await?;
        let real = sqlx::query(
            "SELECT address, class, gpu_count FROM devices WHERE status = 'active' ORDER BY gpu_count DESC LIMIT 1",
        )
        .fetch_optional(&mut c)
        .await?
        .context("the indexer lists no active device to copy")?;
        let from: String = real.try_get("address")?;
        let address = Pubkey::new_unique().to_string();
        // Every column copied, whatever the schema holds, then the key changed: a temporary table
        // keeps the statement free of the column list.
        sqlx::query("CREATE TEMP TABLE forged AS SELECT * FROM devices WHERE address = $1")
            .bind(&from)
            .execute(&mut c)
            .await?;
        sqlx::query("UPDATE forged SET address = $1").bind(&address).execute(&mut c).await?;
        sqlx::query("INSERT INTO devices SELECT * FROM forged").execute(&mut c).await?;
        sqlx::query("DROP TABLE forged").execute(&mut c).await?;
        Ok(PhantomDevice {
            address,
            class: real.try_get("class")?,
            gpu_count: real.try_get("gpu_count")?,
            from,
        })
    }

    pub async fn restore(self, s: &System) -> Result<()> {
        let mut c = open(&s.indexer_db()).await?;
        let done =
            sqlx::query("DELETE FROM devices WHERE address = $1").bind(&self.address).execute(&mut c).await?;
        ensure!(done.rows_affected() == 1, "the phantom device {} was not there to delete", self.address);
        // Deleting a device fires no trigger; an update of the real one recomputes its operator's
        // figures from the devices left.
        sqlx::query("UPDATE devices SET status = status WHERE address = $1")
            .bind(&self.from)
            .execute(&mut c)
            .await?;
        Ok(())
    }
}

/// A certified period, older than the latest, whose report in node `node`'s store has a leaf in
/// `tree`. Older than the latest because a node builds the next report on the latest certified
/// one: forging that one would change what it proposes, not only what it publishes.
pub async fn period_with_leaves(s: &System, node: usize, tree: &str) -> Result<u64> {
    let mut c = open(&s.oracle_db(node)).await?;
    let rows = sqlx::query("SELECT period, report FROM reports WHERE status = 'certified' ORDER BY period")
        .fetch_all(&mut c)
        .await?;
    let latest = rows.last().map(|r| r.try_get::<i64, _>("period")).transpose()?;
    for r in &rows {
        let period: i64 = r.try_get("period")?;
        let report: Value = serde_json::from_str(&r.try_get::<String, _>("report")?)?;
        if Some(period) != latest && report[tree].as_array().is_some_and(|a| !a.is_empty()) {
            return Ok(u64::try_from(period)?);
        }
    }
    bail!("node {node} holds no certified report older than its latest with a {tree} leaf")
}

/// One leaf of a certified report rewritten in one node's store: what that node publishes no
/// longer hashes to the root the chain certified.
pub struct ForgedLeaf {
    pub node: usize,
    pub period: u64,
    digest: String,
    original: String,
    /// The leaf as it was, and its forged field's new value.
    pub leaf: Value,
    pub forged: u64,
}

impl ForgedLeaf {
    /// Adds `raise` to `field` of the first leaf of `tree` of `period`'s certified report in
    /// node `node`'s store.
    pub async fn raise(
        s: &System,
        node: usize,
        period: u64,
        tree: &str,
        field: &str,
        raise: u64,
    ) -> Result<ForgedLeaf> {
        let mut c = open(&s.oracle_db(node)).await?;
        let row =
            sqlx::query("SELECT digest, report FROM reports WHERE period = $1 AND status = 'certified'")
                .bind(i64::try_from(period)?)
                .fetch_optional(&mut c)
                .await?
                .with_context(|| format!("node {node} holds no certified report of period {period}"))?;
        let digest: String = row.try_get("digest")?;
        let original: String = row.try_get("report")?;
        let mut report: Value = serde_json::from_str(&original)?;
        let leaf = report[tree]
            .get_mut(0)
            .with_context(|| format!("period {period}'s report has no {tree} leaf"))?;
        let before = leaf.clone();
        let value =
            leaf[field].as_u64().with_context(|| format!("{tree} leaf {leaf} has no integer {field}"))?;
        let forged = value.checked_add(raise).context("the forged value overflows")?;
        leaf[field] = json!(forged);
        sqlx::query("UPDATE reports SET report = $1 WHERE period = $2 AND digest = $3")
            .bind(serde_json::to_string(&report)?)
            .bind(i64::try_from(period)?)
            .bind(&digest)
            .execute(&mut c)
            .await?;
        Ok(ForgedLeaf { node, period, digest, original, leaf: before, forged })
    }

    /// Panics unless `published` (the leaf the node served while forged) is the forged leaf: a
    /// miss is then the check's, not the forgery's.
    pub fn check_published(&self, published: &Value) {
        assert_ne!(*published, self.leaf, "node {} still publishes the true leaf", self.node);
        let forged =
            published.as_object().is_some_and(|o| o.values().any(|v| v.as_u64() == Some(self.forged)));
        assert!(forged, "node {} publishes {published}, not the forged value {}", self.node, self.forged);
    }

    pub async fn restore(&self, s: &System) -> Result<()> {
        let mut c = open(&s.oracle_db(self.node)).await?;
        sqlx::query("UPDATE reports SET report = $1 WHERE period = $2 AND digest = $3")
            .bind(&self.original)
            .bind(i64::try_from(self.period)?)
            .bind(&self.digest)
            .execute(&mut c)
            .await?;
        Ok(())
    }
}

/// A certified period's reports deleted from every node's store (and kept here to put back):
/// the chain holds the report, but no node publishes its leaves.
pub struct Withheld {
    pub period: u64,
    /// Per node: (digest, report, status, created_ms) of each deleted row.
    rows: Vec<Vec<(String, String, String, i64)>>,
}

impl Withheld {
    pub async fn delete(s: &System, period: u64) -> Result<Withheld> {
        let mut rows = vec![];
        for node in 0..s.manifest.oracle_nodes.len() {
            let mut c = open(&s.oracle_db(node)).await?;
            let kept =
                sqlx::query("SELECT digest, report, status, created_ms FROM reports WHERE period = $1")
                    .bind(i64::try_from(period)?)
                    .fetch_all(&mut c)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok((
                            r.try_get("digest")?,
                            r.try_get("report")?,
                            r.try_get("status")?,
                            r.try_get("created_ms")?,
                        ))
                    })
                    .collect::<Result<Vec<_>>>()?;
            sqlx::query("DELETE FROM reports WHERE period = $1")
                .bind(i64::try_from(period)?)
                .execute(&mut c)
                .await?;
            rows.push(kept);
        }
        ensure!(rows.iter().any(|r| !r.is_empty()), "no node held a report of period {period}");
        Ok(Withheld { period, rows })
    }

    pub async fn restore(self, s: &System) -> Result<()> {
        for (node, kept) in self.rows.into_iter().enumerate() {
            let mut c = open(&s.oracle_db(node)).await?;
            for (digest, report, status, created_ms) in kept {
                sqlx::query(
                    "INSERT INTO reports (period, digest, report, status, created_ms) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (period, digest) DO NOTHING",
                )
                .bind(i64::try_from(self.period)?)
                .bind(digest)
                .bind(report)
                .bind(status)
                .bind(created_ms)
                .execute(&mut c)
                .await?;
            }
        }
        Ok(())
    }
}

/// An HTTP front of the indexer that passes every GET through, but serves `/v1/supply` with its
/// circulating figure raised by `raise` base units. Stops when dropped.
pub struct SupplyProxy {
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

/// Where `/v1/supply` holds the circulating supply (`data` of the indexer's envelope).
const CIRCULATING: &str = "/data/circulating";

impl SupplyProxy {
    pub async fn start(indexer: &str, raise: u64) -> Result<SupplyProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let upstream = indexer.trim_end_matches('/').to_string();
        let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let (upstream, http) = (upstream.clone(), http.clone());
                tokio::spawn(async move {
                    let _ = serve(conn, &upstream, &http, raise).await;
                });
            }
        });
        Ok(SupplyProxy { url, task })
    }
}

impl Drop for SupplyProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One request on `conn` (answered with `Connection: close`: the client opens another).
async fn serve(mut conn: TcpStream, upstream: &str, http: &reqwest::Client, raise: u64) -> Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).await?;
        ensure!(n > 0 && head.len() < 64 * 1024, "the request head did not end");
        head.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_string();
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let (status, body) = if method == "GET" {
        let resp = http.get(format!("{upstream}{target}")).send().await?;
        let status = resp.status().as_u16();
        let mut body = resp.bytes().await?.to_vec();
        if status == 200 && target.split('?').next() == Some("/v1/supply") {
            body = raise_circulating(&body, raise)?;
        }
        (status, body)
    } else {
        (405, b"{\"error\":\"GET only\"}".to_vec())
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(&body).await?;
    conn.shutdown().await?;
    Ok(())
}

/// `/v1/supply`'s body with its circulating figure raised, as a number or as text, whichever the
/// indexer serves.
pub fn raise_circulating(body: &[u8], raise: u64) -> Result<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(body)?;
    let c = v.pointer_mut(CIRCULATING).context("/v1/supply has no data.circulating")?;
    *c = match &*c {
        Value::Number(n) => json!(n.as_u64().and_then(|n| n.checked_add(raise)).context("circulating")?),
        Value::String(t) => {
            json!(t.parse::<u128>()?.checked_add(u128::from(raise)).context("circulating")?.to_string())
        }
        other => bail!("circulating is {other}"),
    };
    Ok(serde_json::to_vec(&v)?)
}

/// Where an SPL token account keeps its amount (mint 32, owner 32, amount u64 LE).
const AMOUNT: std::ops::Range<usize> = 64..72;

/// Sets the amount of the token account `address` to `amount` outside any program, with the local
/// network's cheatcode `surfnet_setAccount` (its data, hex; `surfnet_setTokenAccount` only reaches
/// associated token accounts, and the vaults are PDAs). Returns the amount it held.
pub async fn drain_token_account(s: &System, address: &Pubkey, amount: u64) -> Result<u64> {
    let (owner, mut data) =
        s.client().account_data(address).await?.with_context(|| format!("no account at {address}"))?;
    ensure!(
        owner == Pubkey::from_str("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")?,
        "{address} is not an SPL token account"
    );
    ensure!(data.len() >= AMOUNT.end, "{address}: {} bytes is no token account", data.len());
    let held = u64::from_le_bytes(data[AMOUNT].try_into()?);
    data[AMOUNT].copy_from_slice(&amount.to_le_bytes());
    let request = json!({
        "jsonrpc": "2.0",
        "id": 1,
        "method": "surfnet_setAccount",
        "params": [address.to_string(), { "data": hex::encode(&data) }],
    });
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let answer: Value = http.post(&s.net.rpc_url).json(&request).send().await?.json().await?;
    if let Some(e) = answer.get("error") {
        return Err(anyhow!("surfnet_setAccount on {address}: {e}"));
    }
    Ok(held)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_raises_circulating_as_served() {
        let number = br#"{"slot":5,"data":{"circulating":100,"total_minted":7}}"#;
        let v: Value = serde_json::from_slice(&raise_circulating(number, 23).unwrap()).unwrap();
        assert_eq!(v, json!({"slot": 5, "data": {"circulating": 123, "total_minted": 7}}));
        let text = br#"{"data":{"circulating":"18446744073709551615"}}"#;
        let v: Value = serde_json::from_slice(&raise_circulating(text, 1).unwrap()).unwrap();
        assert_eq!(v["data"]["circulating"], "18446744073709551616");
        assert!(raise_circulating(br#"{"data":{"circulating":null}}"#, 1).is_err());
        assert!(raise_circulating(br#"{"data":{}}"#, 1).is_err());
    }
}
