//! io_oracle: the oracle set, and posting a report certified by the set's signatures.
use crate::{
    commands::token::hex32,
    context::{Ctx, Money},
    output::{Render, Sent},
};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum OracleCmd {
    /// The oracle set, threshold and last certified period.
    Show,
    /// Post AMOUNT $IO as the bond of your wallet's oracle key (an oracle node's key: a member of
    /// the set must keep at least io_oracle's minimum bonded; equivocation burns it all).
    Bond {
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Post a report and certify it with the signatures of the --signer oracle keys. FILE is a JSON
    /// object with every field of the report: period, set_epoch, rewards_root, usage_root,
    /// devices_root, slashes_root (32-byte hex), usdc_per_io, emission_distributed,
    /// device_seconds, devices_attested, and optionally expiry_slot (default: 1,000 slots on).
    SubmitReport {
        file: PathBuf,
        /// An oracle keypair file; repeat for each signer (at least the threshold).
        #[arg(long = "signer", required = true)]
        signers: Vec<PathBuf>,
    },
}

/// `io oracle show`.
#[derive(Serialize)]
pub struct OracleShow {
    pub epoch: u64,
    pub threshold: u8,
    pub members: Vec<String>,
    pub last_period: u64,
    pub reports_certified: u64,
    pub bonded: u64,
    /// The genesis hash of the cluster the set signs for, in base58 like `getGenesisHash`.
    pub cluster_id: String,
    pub set_revoked: bool,
    #[serde(skip)]
    count: u8,
    #[serde(skip)]
    io: Money,
}

impl Render for OracleShow {
    fn text(&self) -> String {
        let sym = self.io.symbol();
        format!(
            "set epoch     {}{}\nthreshold     {} of {}\nmembers       {}\nlast period   {}\nreports       {}\nbonded        {} {sym}\ncluster       {}",
            self.epoch,
            if self.set_revoked { " (revoked: awaiting the admin's rotation)" } else { "" },
            self.threshold,
            self.count,
            self.members.join("\n              "),
            self.last_period,
            self.reports_certified,
            self.io.format(self.bonded),
            self.cluster_id
        )
    }
}

pub async fn show(ctx: &Ctx) -> Result<OracleShow> {
    let c = ctx.oracle_config().await?;
    let io = ctx.io().await?;
    Ok(OracleShow {
        epoch: c.set.epoch,
        threshold: c.set.threshold,
        members: c.set.keys().iter().map(|k| k.to_string()).collect(),
        last_period: c.last_period,
        reports_certified: c.reports_certified,
        bonded: c.total_bonded,
        cluster_id: Pubkey::new_from_array(c.cluster_id).to_string(),
        set_revoked: c.set_revoked,
        count: c.set.count,
        io,
    })
}

#[derive(Serialize)]
pub struct Bonded {
    pub oracle: String,
    pub bond: String,
    pub amount: u64,
    /// The bond after this one.
    pub total: u64,
}

pub async fn bond(ctx: &Ctx, amount: &str) -> Result<Sent<Bonded>> {
    let io = ctx.io().await?;
    let amount = io.parse(amount, "bond")?;
    if amount == 0 {
        bail!("a bond must be more than 0 {}", io.symbol());
    }
    let w = ctx.c.wallet();
    let address = io_sdk::oracle::bond(&w);
    let before: Option<io_oracle::OracleBond> = ctx.c.account(&address).await?;
    if before.as_ref().is_some_and(|b| b.slashed) {
        bail!("oracle {w}'s bond was burned for equivocation: this key can no longer bond");
    }
    let src = ctx.source(&io, amount).await?;
    let sig = ctx.c.send(&[io_sdk::oracle::post_bond(&w, &io.mint, &src, amount)], &[]).await?;
    let total = before.map_or(0, |b| b.amount).saturating_add(amount);
    Ok(Sent::new(
        format!(
            "bonded {} {} for oracle {w} (bond now {} {})",
            io.format(amount),
            io.symbol(),
            io.format(total),
            io.symbol()
        ),
        sig,
        Bonded { oracle: w.to_string(), bond: address.to_string(), amount, total },
    ))
}

/// A report file: every field is required (a missing one is named, never read as zero), except
/// `expiry_slot`, whose default is stated in the command's help.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFile {
    period: u64,
    set_epoch: u64,
    rewards_root: String,
    usage_root: String,
    devices_root: String,
    slashes_root: String,
    usdc_per_io: u64,
    emission_distributed: u64,
    device_seconds: u64,
    devices_attested: u32,
    expiry_slot: Option<u64>,
}

/// How long a report stays certifiable when the file gives no `expiry_slot`.
const DEFAULT_EXPIRY_SLOTS: u64 = 1_000;

fn read_report(file: &Path) -> Result<ReportFile> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{} is not a report: {e} (see `io oracle submit-report --help` for the fields)",
            file.display()
        )
    })
}

#[derive(Serialize)]
pub struct Certified {
    pub report: String,
    pub period: u64,
    /// The signature of the transaction that posted the report (the certifying one is `signature`).
    pub posted: String,
}

pub async fn submit_report(ctx: &Ctx, file: &Path, signer_files: &[PathBuf]) -> Result<Sent<Certified>> {
    let r = read_report(file)?;
    let root = |name: &str, hex: &str| hex32(hex).with_context(|| format!("{name} in {}", file.display()));
    let (rewards_root, usage_root, devices_root, slashes_root) = (
        root("rewards_root", &r.rewards_root)?,
        root("usage_root", &r.usage_root)?,
        root("devices_root", &r.devices_root)?,
        root("slashes_root", &r.slashes_root)?,
    );
    let signers = signer_files
        .iter()
        .map(|p| io_sdk::keypair::read_keypair(p).map_err(anyhow::Error::from))
        .collect::<Result<Vec<_>>>()?;
    let expiry_slot = match r.expiry_slot {
        Some(s) => s,
        None => {
            let slot = ctx.c.rpc.get_slot().await.map_err(|e| ctx.c.error(&e))?;
            slot.checked_add(DEFAULT_EXPIRY_SLOTS)
                .ok_or_else(|| anyhow!("the node's slot {slot} is at the end of time"))?
        }
    };
    let body = io_oracle::ReportBody {
        period: r.period,
        set_epoch: r.set_epoch,
        rewards_root,
        usage_root,
        devices_root,
        slashes_root,
        usdc_per_io: r.usdc_per_io,
        emission_distributed: r.emission_distributed,
        device_seconds: r.device_seconds,
        devices_attested: r.devices_attested,
        expiry_slot,
    };
    // Signatures bind the cluster: sign for the one this network's io_oracle was set up for, and
    // only if the RPC endpoint is that cluster.
    let config = ctx.oracle_config().await?;
    let genesis = ctx.c.rpc.get_genesis_hash().await.map_err(|e| ctx.c.error(&e))?;
    if genesis.to_bytes() != config.cluster_id {
        bail!(
            "this RPC endpoint's genesis hash {genesis} is not the cluster io_oracle was initialised for \
             ({}): refusing to sign",
            Pubkey::new_from_array(config.cluster_id)
        );
    }
    let cluster = config.cluster_id;
    let digest = io_sdk::oracle::report_digest(&cluster, &body);
    let sigs: Vec<io_sdk::oracle::Ed25519Signature> = signers
        .iter()
        .map(|k| {
            use solana_signer::Signer;
            (k.pubkey().to_bytes(), <[u8; 64]>::from(k.sign_message(&digest)))
        })
        .collect();
    let report = io_sdk::oracle::report(&cluster, &body);
    let posted = ctx.c.send(&[io_sdk::oracle::post_report(&ctx.c.wallet(), &cluster, body)], &[]).await?;
    let certify = ctx
        .c
        .send(
            &[io_sdk::oracle::ed25519_instruction(&sigs, &digest), io_sdk::oracle::certify_report(&report)],
            &[],
        )
        .await?;
    Ok(Sent::new(
        format!("report {report} for period {} posted ({posted}) and certified", body.period),
        certify,
        Certified { report: report.to_string(), period: body.period, posted },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, json: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("io-cli-report-{}-{name}.json", std::process::id()));
        std::fs::write(&p, json).unwrap();
        p
    }

    const ROOT: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    fn full() -> serde_json::Value {
        serde_json::json!({ "period": 7, "set_epoch": 1, "rewards_root": ROOT, "usage_root": ROOT,
            "devices_root": ROOT, "slashes_root": ROOT, "usdc_per_io": 1, "emission_distributed": 2,
            "device_seconds": 3, "devices_attested": 4 })
    }

    #[test]
    fn a_missing_field_is_named_not_read_as_zero() {
        for field in ["period", "set_epoch", "usage_root", "usdc_per_io", "devices_attested"] {
            let mut v = full();
            v.as_object_mut().unwrap().remove(field);
            let e = read_report(&write(field, &v.to_string())).err().expect("refused").to_string();
            assert!(e.contains(&format!("missing field `{field}`")), "{field}: {e}");
        }
        let r = read_report(&write("full", &full().to_string())).unwrap();
        assert_eq!((r.period, r.devices_attested, r.expiry_slot), (7, 4, None));
    }

    #[test]
    fn a_misspelt_field_is_refused() {
        let mut v = full();
        v.as_object_mut().unwrap().insert("perod".into(), 1.into());
        let e = read_report(&write("typo", &v.to_string())).err().expect("refused").to_string();
        assert!(e.contains("unknown field `perod`"), "{e}");
    }
}
