//! What the oracle nodes publish, read and used: `io report [PERIOD]` (a report's status, totals
//! and leaves), `io lease usage LEASE` (attested seconds per device against what was settled and
//! what will be refunded) and `io operator claim-rewards` (an operator's rewards claimed with a
//! node's proof). Every figure a node serves that the chain can check is checked: the report
//! account certified on chain, the proof against the certified root.
use crate::{
    context::{parse_pubkey, Ctx, Money},
    output::{Render, Sent},
};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use io_sdk::{
    report::{DeviceLeaf, PeriodReport, RewardLeaf, UsageLeaf},
    staking as ssdk,
};
use serde::{Deserialize, Serialize};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use std::path::Path;

/// `--oracle`: a node's API base URL, or the first node the local network's manifest lists.
pub fn node_url(flag: Option<&str>, manifest: &Path) -> Result<String> {
    if let Some(u) = flag {
        if !(u.starts_with("http://") || u.starts_with("https://")) {
            bail!("--oracle '{u}' is not an http(s) URL (an oracle node's API, e.g. http://127.0.0.1:7901)");
        }
        return Ok(u.trim_end_matches('/').to_string());
    }
    let first = std::fs::read(manifest)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|m| m["oracle_nodes"][0]["url"].as_str().map(str::to_string));
    first.ok_or_else(|| {
        anyhow!(
            "no oracle node to ask: pass --oracle URL (an oracle node's API, e.g. http://127.0.0.1:7901); \
             on the local network the manifest {} lists them once `make up` runs",
            manifest.display()
        )
    })
}

/// A signature of the report's digest by a set member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeSignature {
    pub signer: String,
    pub signature: String,
}

/// `/v1/reports/{period}` and `/v1/reports/latest`: a report as a node serves it.
#[derive(Debug, Clone, Deserialize)]
pub struct Served {
    pub period: u64,
    pub digest: String,
    /// The node's word: `proposed` or `certified`.
    pub status: String,
    /// The io_oracle report account.
    pub address: String,
    #[serde(default)]
    pub signatures: Vec<NodeSignature>,
    pub report: PeriodReport,
}

/// `/v1/reports/{period}/proof/{tree}/{key}`.
#[derive(Debug, Clone, Deserialize)]
struct ProofReply {
    index: u64,
    proof: Vec<String>,
}

/// The API's error body.
#[derive(Deserialize)]
struct ApiError {
    error: ApiErrorBody,
}

#[derive(Deserialize)]
struct ApiErrorBody {
    code: String,
    message: String,
}

/// One oracle node's public API.
pub struct Node {
    pub url: String,
    http: reqwest::Client,
}

impl Node {
    pub fn new(url: String) -> Result<Node> {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(30))
            .build()?;
        Ok(Node { url, http })
    }

    /// GET `path` as `T`; `None` for a 404 (with the node's code), an error naming the node for
    /// anything else.
    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Result<T, String>> {
        let url = format!("{}{path}", self.url);
        let resp = self.http.get(&url).send().await.map_err(|e| {
            anyhow!(
                "oracle node {} does not answer ({e}): is it running? pass --oracle URL for another node",
                self.url
            )
        })?;
        let status = resp.status();
        let text = resp.text().await.with_context(|| format!("read {url}"))?;
        if status.is_success() {
            return Ok(Ok(serde_json::from_str(&text)
                .with_context(|| format!("{url}: not the oracle node API's JSON"))?));
        }
        let why = serde_json::from_str::<ApiError>(&text)
            .map(|e| format!("{} ({})", e.error.message, e.error.code))
            .unwrap_or_else(|_| text.chars().take(200).collect());
        if status == reqwest::StatusCode::NOT_FOUND {
            return Ok(Err(why));
        }
        bail!("oracle node {} refused {path}: {status}: {why}", self.url)
    }

    /// The report of `period`, or the latest certified one.
    pub async fn report(&self, period: Option<u64>) -> Result<Served> {
        match period {
            Some(p) => self.get(&format!("/v1/reports/{p}")).await?.map_err(|why| {
                anyhow!("oracle node {} has no report of period {p}: {why}", self.url)
            }),
            None => self.get("/v1/reports/latest").await?.map_err(|why| {
                anyhow!(
                    "no certified report yet on oracle node {} ({why}): the first comes a few seconds after the \
                     first full period ends (a minute on the local network); try again then",
                    self.url
                )
            }),
        }
    }

    /// The proof of the rewards leaf of `operator` in `period`: (index, siblings).
    async fn reward_proof(&self, period: u64, operator: &Pubkey) -> Result<(u64, Vec<[u8; 32]>)> {
        let reply: ProofReply = self
            .get(&format!("/v1/reports/{period}/proof/rewards/{operator}"))
            .await?
            .map_err(|why| anyhow!("oracle node {} has no proof for {operator}: {why}", self.url))?;
        let proof = reply
            .proof
            .iter()
            .map(|h| {
                let bytes = hex_bytes(h)?;
                <[u8; 32]>::try_from(bytes.as_slice())
                    .map_err(|_| anyhow!("a proof hash is not 32 bytes: {h}"))
            })
            .collect::<Result<_>>()?;
        Ok((reply.index, proof))
    }
}

fn hex_bytes(h: &str) -> Result<Vec<u8>> {
    // ASCII first: byte slicing below must not cut a multi-byte character.
    if !h.is_ascii() || !h.len().is_multiple_of(2) {
        bail!("'{h}' is not hex");
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).map_err(|_| anyhow!("'{h}' is not hex")))
        .collect()
}

/// The report account on chain: `certified`, `posted` or `absent`, with the account when there.
async fn on_chain(ctx: &Ctx, address: &Pubkey) -> Result<(&'static str, Option<io_oracle::Report>)> {
    let r: Option<io_oracle::Report> = ctx.c.account(address).await?;
    let word = match r.as_ref().map(|r| r.status) {
        Some(io_oracle::ReportStatus::Certified) => "certified",
        Some(io_oracle::ReportStatus::Posted) => "posted",
        None => "absent",
    };
    Ok((word, r))
}

/// The latest report certified both by the node's word and on chain, with its account address.
async fn certified(ctx: &Ctx, node: &Node) -> Result<(Served, Pubkey)> {
    let served = node.report(None).await?;
    let address = parse_pubkey(&served.address, "report")?;
    let (word, account) = on_chain(ctx, &address).await?;
    if word != "certified" {
        bail!(
            "oracle node {} calls report {address} (period {}) certified, but on chain it is {word}: ask another node \
             (--oracle URL)",
            node.url,
            served.period
        );
    }
    if account.is_some_and(|a| a.body != served.report.body) {
        bail!(
            "oracle node {} serves a report whose body differs from the certified account {address}",
            node.url
        );
    }
    Ok((served, address))
}

/// A slash leaf without its evidence (published in full by the node).
#[derive(Serialize)]
pub struct SlashRow {
    pub operator: String,
    pub device: String,
    pub amount: u64,
    pub evidence_hash: String,
}

/// `io report [PERIOD]`.
#[derive(Serialize)]
pub struct ReportShow {
    pub node: String,
    pub period: u64,
    /// The node's word (`proposed`, `certified`) and the chain's (`certified`, `posted`, `absent`).
    pub status: String,
    pub on_chain: &'static str,
    pub address: String,
    pub digest: String,
    pub signatures: usize,
    /// $IO the rewards tree could share: emitted and not yet allotted.
    pub pool: u64,
    pub emission_distributed: u64,
    pub device_seconds: u64,
    pub devices_attested: u32,
    pub usdc_per_io: u64,
    pub devices: Vec<DeviceLeaf>,
    pub usage: Vec<UsageLeaf>,
    pub rewards: Vec<RewardLeaf>,
    pub slashes: Vec<SlashRow>,
    #[serde(skip)]
    io: Money,
}

fn pct(bps: u16) -> String {
    format!("{}.{:02}%", bps / 100, bps % 100)
}

impl Render for ReportShow {
    fn text(&self) -> String {
        let sym = self.io.symbol();
        let f = |v: u64| self.io.format(v);
        let mut out = format!(
            "period        {} (node {}: {}; on chain: {})\nreport        {}\ndigest        {}\nsignatures    {}\n\
             pool          {} {sym}\ndistributed   {} {sym}\ndevices       {} attested, {} device-seconds\n\
             price         {} USDC base units per $IO",
            self.period,
            self.node,
            self.status,
            self.on_chain,
            self.address,
            self.digest,
            self.signatures,
            f(self.pool),
            f(self.emission_distributed),
            self.devices_attested,
            self.device_seconds,
            self.usdc_per_io,
        );
        out.push_str("\n\ndevices (uptime of the period):");
        for d in &self.devices {
            out.push_str(&format!(
                "\n  {}  {:<8} uptime {:>7}  class {} {}",
                d.device,
                if d.active { "active" } else { "inactive" },
                pct(d.uptime_bps),
                d.class,
                if d.green { "green" } else { "" }
            ));
        }
        out.push_str("\nusage (cumulative attested seconds):");
        if self.usage.is_empty() {
            out.push_str("\n  none");
        }
        for u in &self.usage {
            out.push_str(&format!("\n  lease {}  device {}  {} s", u.lease, u.device, u.seconds));
        }
        out.push_str("\nrewards (cumulative per operator):");
        if self.rewards.is_empty() {
            out.push_str("\n  none");
        }
        for r in &self.rewards {
            out.push_str(&format!("\n  {}  {} {sym}", r.operator, f(r.cumulative)));
        }
        out.push_str("\nslashes:");
        if self.slashes.is_empty() {
            out.push_str("\n  none");
        }
        for s in &self.slashes {
            out.push_str(&format!(
                "\n  operator {}  device {}  {} {sym}  evidence {}",
                s.operator,
                s.device,
                f(s.amount),
                s.evidence_hash
            ));
        }
        out
    }
}

pub async fn report(ctx: &Ctx, node: &Node, period: Option<u64>) -> Result<ReportShow> {
    let served = node.report(period).await?;
    let address = parse_pubkey(&served.address, "report")?;
    let (on_chain, _) = on_chain(ctx, &address).await?;
    let io = ctx.io().await?;
    let r = served.report;
    Ok(ReportShow {
        node: node.url.clone(),
        period: served.period,
        status: served.status,
        on_chain,
        address: served.address,
        digest: served.digest,
        signatures: served.signatures.len(),
        pool: r.pool,
        emission_distributed: r.body.emission_distributed,
        device_seconds: r.body.device_seconds,
        devices_attested: r.body.devices_attested,
        usdc_per_io: r.body.usdc_per_io,
        slashes: r
            .slashes
            .iter()
            .map(|s| SlashRow {
                operator: s.operator.to_string(),
                device: s.device.to_string(),
                amount: s.amount,
                evidence_hash: io_sdk::report::json::hex(&s.evidence_hash),
            })
            .collect(),
        devices: r.devices,
        usage: r.usage,
        rewards: r.rewards,
        io,
    })
}

/// One device of a lease: what the latest certified report attests and what was settled.
#[derive(Serialize)]
pub struct DeviceUsage {
    pub device: String,
    pub rate_per_hour: u64,
    /// Seconds of the lease's service window elapsed so far (the same for every device).
    pub elapsed_seconds: u64,
    /// Cumulative attested seconds in the latest certified report (0 without a leaf).
    pub attested_seconds: u64,
    /// Elapsed seconds the report does not attest: downtime, or time after the report's period.
    pub unattested_seconds: u64,
    /// Attested seconds settled on chain, and what they paid the provider.
    pub settled_seconds: u64,
    pub paid: u64,
    /// What the attested seconds earn (`device_owed_floor`), of which `paid` is settled.
    pub owed: u64,
}

/// `io lease usage LEASE`.
#[derive(Serialize)]
pub struct LeaseUsage {
    pub lease: String,
    pub status: &'static str,
    pub node: String,
    /// The certified report the figures come from.
    pub period: u64,
    pub report: String,
    pub devices: Vec<DeviceUsage>,
    pub deposit: u64,
    pub paid: u64,
    pub fees: u64,
    pub refunded: u64,
    /// What `finalize_lease` would refund if no more usage were attested: the deposit less what
    /// the attested seconds earn and the fee on that (what is refunded once the lease is closed).
    pub refund_at_attested: u64,
    #[serde(skip)]
    money: Money,
}

impl Render for LeaseUsage {
    fn text(&self) -> String {
        let sym = self.money.symbol();
        let f = |v: u64| self.money.format(v);
        let mut out = format!(
            "lease         {} ({})\nattested by   report {} of period {} (oracle node {})",
            self.lease, self.status, self.report, self.period, self.node
        );
        for d in &self.devices {
            out.push_str(&format!(
                "\n  device {}\n    attested {} s of {} s elapsed ({} s not attested); settled {} s, paid {} of {} {sym}",
                d.device,
                d.attested_seconds,
                d.elapsed_seconds,
                d.unattested_seconds,
                d.settled_seconds,
                f(d.paid),
                f(d.owed),
            ));
        }
        out.push_str(&format!(
            "\ndeposit       {} {sym}\npaid          {} {sym} (fees {} {sym})\nrefunded      {} {sym}\n\
             refund        {} {sym} at the attested usage (the rest of the deposit, at finalize)",
            f(self.deposit),
            f(self.paid),
            f(self.fees),
            f(self.refunded),
            f(self.refund_at_attested)
        ));
        out
    }
}

pub async fn lease_usage(ctx: &Ctx, node: &Node, lease: &str) -> Result<LeaseUsage> {
    let address = parse_pubkey(lease, "lease")?;
    let (served, report) = certified(ctx, node).await?;
    let l: io_escrow::Lease = ctx
        .c
        .account(&address)
        .await?
        .ok_or_else(|| anyhow!("no lease at {address}: see `io lease show`"))?;
    let escrow = ctx.escrow_config().await?;
    let money = ctx.money_of(&escrow, &l.payment_mint).await?;
    let now = ctx.c.chain_time().await?.unix_timestamp;
    let elapsed = l.elapsed(now);
    let mut devices = vec![];
    let mut owed_total = 0u64;
    for d in &l.devices {
        let attested = served
            .report
            .usage
            .iter()
            .find(|u| u.lease == address && u.device == d.device)
            .map_or(0, |u| u.seconds);
        // The chain may already have settled more than this report if a later one is certified.
        let attested = attested.max(d.attested_seconds);
        let owed = io_escrow::math::device_owed_floor(attested, d.rate_per_hour, l.hours)
            .map_err(|_| anyhow!("the lease's owed amount overflows"))?;
        owed_total =
            owed_total.checked_add(owed).ok_or_else(|| anyhow!("the lease's owed amount overflows"))?;
        devices.push(DeviceUsage {
            device: d.device.to_string(),
            rate_per_hour: d.rate_per_hour,
            elapsed_seconds: elapsed,
            attested_seconds: attested,
            unattested_seconds: elapsed.saturating_sub(attested),
            settled_seconds: d.attested_seconds,
            paid: d.paid,
            owed,
        });
    }
    let fee = io_math::Bps::new(l.fee_bps)
        .and_then(|b| b.of_ceil(owed_total))
        .map_err(|_| anyhow!("the lease's fee overflows"))?;
    let refund_at_attested = l.deposit.saturating_sub(owed_total).saturating_sub(fee);
    Ok(LeaseUsage {
        lease: address.to_string(),
        status: io_sdk::Name::name(&l.status),
        node: node.url.clone(),
        period: served.period,
        report: report.to_string(),
        devices,
        deposit: l.deposit,
        paid: l.paid,
        fees: l.fees,
        refunded: l.refunded,
        refund_at_attested,
        money,
    })
}

/// `io operator claim-rewards`.
#[derive(Serialize)]
pub struct RewardsClaimed {
    pub operator: String,
    pub period: u64,
    pub report: String,
    /// The operator's cumulative reward in the report, and what was claimed before.
    pub cumulative: u64,
    pub claimed_before: u64,
    /// Warming-up positions passed along (paid for the periods they were active in).
    pub positions: usize,
}

pub async fn claim_rewards(ctx: &Ctx, node: &Node, operator: Option<&str>) -> Result<Sent<RewardsClaimed>> {
    let operator = match operator {
        Some(o) => parse_pubkey(o, "operator")?,
        None => ssdk::operator(&ctx.c.wallet()),
    };
    let (served, report) = certified(ctx, node).await?;
    let op = ctx.operator(&operator).await?;
    let period = served.period;
    let leaf = served.report.rewards.iter().find(|r| r.operator == operator).ok_or_else(|| {
        anyhow!(
            "the latest certified report (period {period}) has no reward for operator {operator}: its devices have \
             not been attested active yet"
        )
    })?;
    let cumulative = leaf.cumulative;
    let io = ctx.io().await?;
    if cumulative <= op.rewards_claimed_cumulative {
        bail!(
            "nothing to claim: operator {operator} has claimed {} {} of the {} {} the report of period {period} \
             attests; wait for a later report",
            io.format(op.rewards_claimed_cumulative),
            io.symbol(),
            io.format(cumulative),
            io.symbol()
        );
    }
    let (_, proof) = node.reward_proof(period, &operator).await?;
    if !io_merkle::verify(&proof, &served.report.body.rewards_root, &leaf.hash()) {
        bail!(
            "oracle node {}'s proof for {operator} does not verify against the certified rewards root",
            node.url
        );
    }
    // Position: discriminator ‖ operator ‖ staker.
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
        io_sdk::staking::POSITION_OPERATOR_OFFSET,
        operator.to_bytes().to_vec(),
    ));
    let warming: Vec<Pubkey> = ctx
        .c
        .program_accounts::<io_staking::Position>(&io_staking::ID, vec![filter])
        .await?
        .into_iter()
        .filter(|(_, p)| p.activating_shares > 0)
        .map(|(k, _)| k)
        .collect();
    let ix = ssdk::claim_operator_rewards(&operator, &report, &io.mint, cumulative, proof, &warming);
    let signature = ctx.c.send(&[ix], &[]).await?;
    let gained = cumulative - op.rewards_claimed_cumulative;
    Ok(Sent::new(
        format!(
            "claimed {} {} of rewards for operator {operator} (cumulative {} by the report of period {period})",
            io.format(gained),
            io.symbol(),
            io.format(cumulative)
        ),
        signature,
        RewardsClaimed {
            operator: operator.to_string(),
            period,
            report: report.to_string(),
            cumulative,
            claimed_before: op.rewards_claimed_cumulative,
            positions: warming.len(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_is_the_flag_or_the_manifests_first() {
        let dir = std::env::temp_dir().join(format!("io-cli-nodes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let m = dir.join("manifest.json");
        std::fs::write(&m, r#"{"oracle_nodes": [{"url": "http://127.0.0.1:7901"}, {"url": "http://x"}]}"#)
            .unwrap();
        assert_eq!(node_url(None, &m).unwrap(), "http://127.0.0.1:7901");
        assert_eq!(node_url(Some("http://n:1/"), &m).unwrap(), "http://n:1");
        assert!(node_url(Some("n:1"), &m).unwrap_err().to_string().contains("not an http(s) URL"));
        let e = node_url(None, &dir.join("none.json")).unwrap_err().to_string();
        assert!(e.contains("pass --oracle URL"), "{e}");
    }

    #[test]
    fn hex_proofs_decode() {
        assert_eq!(hex_bytes("00ff10").unwrap(), vec![0, 255, 16]);
        assert!(hex_bytes("0g").is_err() && hex_bytes("abc").is_err());
    }

    #[test]
    fn uptime_reads_as_a_percentage() {
        assert_eq!((pct(10_000), pct(5_012), pct(7)), ("100.00%".into(), "50.12%".into(), "0.07%".into()));
    }
}
