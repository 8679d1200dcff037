//! Where a device's gateway is: in the device's last signed heartbeat, which every oracle node it
//! reports to serves. The signature is checked against the device's on-chain worker key, so a
//! node can only withhold the address, never change it.
use crate::context::Ctx;
use anyhow::{anyhow, Result};
use io_sdk::{
    worker::{paths, Signed},
    Pubkey,
};
use std::time::Duration;

/// The head device's gateway URL, from the first node whose copy of its heartbeat verifies and
/// names one; an error listing what every node answered otherwise.
pub async fn endpoint(ctx: &Ctx, nodes: &[String], device: &Pubkey, lease: &Pubkey) -> Result<String> {
    let d: io_staking::Device =
        ctx.c.account(device).await?.ok_or_else(|| anyhow!("no device at {device} (the lease's head)"))?;
    let key = io_sdk::worker::bound_worker(&d);
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10))
        .build()?;
    let mut why = vec![];
    for node in nodes {
        match from_node(&http, node, device, &key, lease).await {
            Ok(url) => return Ok(url),
            Err(e) => why.push(format!("{node}: {e}")),
        }
    }
    Err(anyhow!(
        "no gateway found for device {device}, the lease's head (its worker may not run yet, or run without \
         clusters); pass --endpoint URL if you know it. The oracle nodes said: {}",
        why.join("; ")
    ))
}

/// One node's copy of `device`'s heartbeat: signed by `key`, naming `device` and an endpoint.
async fn from_node(
    http: &reqwest::Client,
    node: &str,
    device: &Pubkey,
    key: &Pubkey,
    lease: &Pubkey,
) -> Result<String, String> {
    let url = format!("{node}{}", paths::device_heartbeat(&device.to_string()));
    let resp = http.get(&url).send().await.map_err(|e| format!("no answer ({e})"))?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("HTTP {status}: {}", super::refusal_text(&text)));
    }
    let signed: Signed = serde_json::from_str(&text).map_err(|e| format!("not a signed heartbeat: {e}"))?;
    io_sdk::worker::cluster::endpoint_of(&signed, device, key, lease)
}
