//! A lease's Ray cluster, for its renter (issue 17): `io lease connect` (a local tunnel that signs
//! every request with the renter's wallet, so stock `ray job submit --address` works through it)
//! and `io lease jobs` (the jobs, their status and logs).
//!
//! Both find the cluster the same way ([`target`]): the lease on chain (it must be open and the
//! wallet its renter), its head device (the first), and that device's gateway, read from the
//! head's last signed heartbeat at an oracle node and checked against the head's on-chain worker
//! key ([`discover`]), so no node can point the renter elsewhere.
pub mod discover;
pub mod jobs;
pub mod tunnel;

use crate::context::{parse_pubkey, Ctx};
use anyhow::{anyhow, bail, Result};
use io_sdk::{
    names::Name,
    worker::cluster::{self, ClusterView},
    Pubkey,
};

/// The cluster of one lease, as the renter reaches it.
pub struct Target {
    pub lease: Pubkey,
    pub head: Pubkey,
    /// The head worker's gateway, base URL.
    pub endpoint: String,
    /// The cluster's genesis hash, base58 (every signed access names it).
    pub genesis: String,
    /// The renter's ed25519 secret (the CLI's wallet).
    secret: [u8; 32],
}

impl Target {
    /// A fresh signed [`cluster::ACCESS_HEADER`] value for one request.
    pub fn access_header(&self) -> String {
        let nonce: [u8; 32] = rand::random();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        cluster::access_header(
            &self.secret,
            &cluster::access(&self.genesis, &self.lease, &self.head, nonce, now),
        )
    }

    /// GET `path` from the gateway, signed; the body as JSON, or the gateway's refusal in words.
    pub async fn get<T: serde::de::DeserializeOwned>(&self, http: &reqwest::Client, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.endpoint);
        let resp = http
            .get(&url)
            .header(cluster::ACCESS_HEADER, self.access_header())
            .send()
            .await
            .map_err(|e| anyhow!("the cluster's gateway {} does not answer: {e}", self.endpoint))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            bail!("the cluster's gateway answered {status} to {path}: {}", refusal_text(&text));
        }
        serde_json::from_str(&text).map_err(|e| anyhow!("{url}: the answer is not the expected JSON: {e}"))
    }

    /// The cluster as its head sees it.
    pub async fn view(&self, http: &reqwest::Client) -> Result<ClusterView> {
        self.get(http, cluster::paths::CLUSTER).await
    }
}

/// A gateway's JSON refusal `{"error", "message"}` as words; any other body as it is.
pub fn refusal_text(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) if v["message"].is_string() => {
            format!("{} ({})", v["message"].as_str().unwrap_or(""), v["error"].as_str().unwrap_or("error"))
        }
        _ => body.chars().take(300).collect(),
    }
}

/// The lease's cluster for this wallet: refuses a lease that is not the wallet's, not open or
/// past its end, and finds the head's gateway (`endpoint` when given, else from the oracle nodes).
pub async fn target(ctx: &Ctx, lease: &str, oracle: &[String], endpoint: Option<&str>) -> Result<Target> {
    let address = parse_pubkey(lease, "lease")?;
    let l: io_escrow::Lease = ctx
        .c
        .account(&address)
        .await?
        .ok_or_else(|| anyhow!("no lease at {address}: open one with `io lease open`"))?;
    let wallet = ctx.c.wallet();
    if l.renter != wallet {
        bail!(
            "lease {address} is rented by {}, not by your wallet {wallet}: only its renter reaches its cluster (pass \
             --keypair with the renter's key)",
            l.renter
        );
    }
    if l.status != io_escrow::LeaseStatus::Open {
        bail!("lease {address} is {}: its cluster is stopped", l.status.name());
    }
    let now = ctx.c.chain_time().await?.unix_timestamp;
    if now >= l.end_ts {
        bail!(
            "lease {address} ended at {} (chain time now {now}): its cluster is stopped; extend it with `io lease top-up`",
            l.end_ts
        );
    }
    let head =
        l.devices.first().map(|d| d.device).ok_or_else(|| anyhow!("lease {address} lists no device"))?;
    let endpoint = match endpoint {
        Some(u) => crate::commands::verify::gather::http_url(
            "--endpoint",
            u,
            "the head worker's gateway URL, e.g. http://127.0.0.1:7960",
        )?,
        None => {
            let nodes = crate::commands::verify::gather::node_urls(ctx, oracle)?;
            discover::endpoint(ctx, &nodes, &head, &address).await?
        }
    };
    let genesis = ctx.c.rpc.get_genesis_hash().await.map_err(|e| ctx.c.error(&e))?.to_string();
    let secret: [u8; 32] = *ctx.c.payer.secret_bytes();
    Ok(Target { lease: address, head, endpoint, genesis, secret })
}

/// `io lease connect`: the result printed when the tunnel closes.
#[derive(serde::Serialize)]
pub struct Connected {
    pub lease: String,
    pub address: String,
    pub endpoint: String,
    pub requests: u64,
}

impl crate::output::Render for Connected {
    fn text(&self) -> String {
        format!("tunnel to lease {}'s cluster closed after {} request(s)", self.lease, self.requests)
    }
}

/// Checks the cluster answers, then serves the tunnel until Ctrl-C. The address line goes out
/// at once (stdout), so a script can wait for it.
pub async fn connect(
    ctx: &Ctx,
    lease: &str,
    port: u16,
    find: &super::escrow::FindCluster,
) -> Result<crate::output::Report> {
    let target = target(ctx, lease, &find.oracle, find.endpoint.as_deref()).await?;
    tunnel::authority(&target.endpoint)?;
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?;
    let view = target.view(&http).await?;
    let listener = tunnel::bind(port).await?;
    let address = format!("http://{}", listener.local_addr()?);
    let alive = view.nodes.iter().filter(|n| n.alive).count();
    let state = serde_json::to_value(view.state)?.as_str().unwrap_or("?").to_string();
    let banner = if ctx.json {
        format!(
            "{}\n",
            serde_json::json!({"listening": address, "lease": target.lease.to_string(), "head": target.head.to_string(),
                "endpoint": target.endpoint, "state": state, "nodes_alive": alive})
        )
    } else {
        format!(
            "lease {}: cluster {state}, {alive} Ray node(s) alive, head device {} at {}\n\
             listening on {address}  (Ctrl-C to close)\n\
             \x20 ray job submit --address {address} --working-dir . -- python job.py\n\
             \x20 ray job list --address {address}\n",
            target.lease, target.head, target.endpoint
        )
    };
    // One write, and its failure ignored: a script that reads the address and then closes the
    // pipe (`| head -2`) must not end the tunnel (println! would panic on the broken pipe).
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    }
    let lease_text = target.lease.to_string();
    let endpoint = target.endpoint.clone();
    let requests = tunnel::serve(listener, std::sync::Arc::new(target), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    crate::output::Report::of(&Connected { lease: lease_text, address, endpoint, requests })
}
