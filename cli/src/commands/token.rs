//! io_token: the supply, the emissions crank, airdrop claims and vesting claims.
use crate::{
    context::Ctx,
    output::{NoFields, Render, Sent},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use io_sdk::token as tsdk;
use serde::Serialize;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use std::{collections::BTreeMap, path::Path};

#[derive(Subcommand)]
pub enum AirdropCmd {
    /// FILE: {"campaign_id": N, "index": N, "amount": BASE_UNITS, "proof": ["hex32", ...]}.
    Claim {
        #[arg(long)]
        proof: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub enum VestingCmd {
    /// Claim what has vested on every schedule of yours.
    Claim,
}

/// `io supply`.
#[derive(Serialize)]
pub struct Supply {
    pub decimals: u8,
    pub cap: u64,
    pub minted: u64,
    pub burned: u64,
    pub burned_by_reason: BTreeMap<&'static str, u64>,
    pub supply: u64,
    pub circulating: u64,
    pub next_emission_hour: u64,
    pub next_emission_ts: i64,
    pub next_emission_amount: u64,
    #[serde(skip)]
    burned_in_order: Vec<(&'static str, u64)>,
}

impl Render for Supply {
    fn text(&self) -> String {
        let f = |v: u64| crate::amount::format(v, self.decimals);
        format!(
            "cap          {} IO\nminted       {} IO\nburned       {} IO ({})\nsupply       {} IO\ncirculating  {} IO (supply less genesis vaults and the rewards vault)\nnext emission  hour {} (unix {}), about {} IO",
            f(self.cap),
            f(self.minted),
            f(self.burned),
            self.burned_in_order.iter().map(|(r, v)| format!("{r} {}", f(*v))).collect::<Vec<_>>().join(", "),
            f(self.supply),
            f(self.circulating),
            self.next_emission_hour,
            self.next_emission_ts,
            f(self.next_emission_amount)
        )
    }
}

pub async fn supply(ctx: &Ctx) -> Result<Supply> {
    let t = ctx.token_config().await?;
    let supply = ctx.c.call(ctx.c.rpc.get_token_supply(&tsdk::mint())).await?;
    let supply: u64 = supply.amount.parse().context("the RPC node returned a malformed token supply")?;
    let mut locked = 0u64;
    for v in std::iter::once(tsdk::rewards_vault()).chain(t.vaults) {
        let held =
            ctx.c.token_balance(&v).await?.ok_or_else(|| anyhow!("io_token's vault {v} does not exist"))?;
        locked = locked.checked_add(held).ok_or_else(|| anyhow!("the vault balances overflow"))?;
    }
    let reasons = ["lease_fee", "buyback", "slash", "other"];
    let burned: Vec<(&str, u64)> = reasons.iter().copied().zip(t.burned.iter().copied()).collect();
    let next_hour_ts = i64::try_from(t.emission.next_hour)
        .ok()
        .and_then(|h| h.checked_mul(3600))
        .and_then(|s| s.checked_add(t.emission.start_ts))
        .ok_or_else(|| anyhow!("the emission clock overflows"))?;
    let next_amount = t.emission.month_amount / io_token::schedule::HOURS_PER_MONTH;
    Ok(Supply {
        decimals: t.decimals,
        cap: t.max_supply,
        minted: t.total_minted,
        burned: t.total_burned,
        burned_by_reason: burned.iter().copied().collect(),
        supply,
        circulating: supply.saturating_sub(locked),
        next_emission_hour: t.emission.next_hour,
        next_emission_ts: next_hour_ts,
        next_emission_amount: next_amount,
        burned_in_order: burned,
    })
}

pub async fn emit(ctx: &Ctx) -> Result<Sent<NoFields>> {
    let sig = ctx.c.send(&[tsdk::emit()], &[]).await?;
    Ok(Sent::new("emitted every due hour into the rewards vault", sig, NoFields {}))
}

/// Fields of `io airdrop claim` and `io vesting claim` beyond the signature.
#[derive(Serialize)]
pub struct Claimed {
    pub amount: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign_id: Option<u64>,
}

pub fn hex32(text: &str) -> Result<[u8; 32]> {
    let t = text.trim_start_matches("0x");
    if t.len() != 64 || !t.is_ascii() {
        bail!("'{text}' is not a 32-byte hex value");
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|_| anyhow!("'{text}' is not hex"))?;
    }
    Ok(out)
}

pub async fn airdrop_claim(ctx: &Ctx, file: &Path) -> Result<Sent<Claimed>> {
    #[derive(serde::Deserialize)]
    struct ProofFile {
        campaign_id: u64,
        index: u32,
        amount: u64,
        proof: Vec<String>,
    }
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let p: ProofFile = serde_json::from_str(&text).with_context(|| {
        format!("{} is not an airdrop proof file ({{campaign_id, index, amount, proof}})", file.display())
    })?;
    let proof = p.proof.iter().map(|h| hex32(h)).collect::<Result<Vec<_>>>()?;
    let io = ctx.io().await?;
    let (dst, mut ixs) = ctx.destination(&io.mint).await?;
    ixs.push(tsdk::claim_airdrop(&ctx.c.wallet(), p.campaign_id, &dst, p.index, p.amount, proof));
    let sig = ctx.c.send(&ixs, &[]).await?;
    Ok(Sent::new(
        format!("claimed {} IO from airdrop {}", io.format(p.amount), p.campaign_id),
        sig,
        Claimed { amount: p.amount, campaign_id: Some(p.campaign_id) },
    ))
}

pub async fn vesting_claim(ctx: &Ctx) -> Result<Sent<Claimed>> {
    let w = ctx.c.wallet();
    // VestingSchedule: discriminator ‖ beneficiary.
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8, w.to_bytes().to_vec()));
    let schedules: Vec<(io_sdk::Pubkey, io_token::VestingSchedule)> =
        ctx.program_accounts(&io_token::ID, vec![filter]).await?;
    let now = ctx.chain_now().await?;
    let io = ctx.io().await?;
    let (dst, mut ixs) = ctx.destination(&io.mint).await?;
    let mut total = 0u64;
    for (k, s) in &schedules {
        let vested = s.vested_at(now).map_err(|_| anyhow!("cannot compute what schedule {k} has vested"))?;
        let due = vested.saturating_sub(s.claimed);
        if due > 0 {
            total = total.checked_add(due).ok_or_else(|| anyhow!("the vested amounts overflow"))?;
            ixs.push(tsdk::claim_vested(&w, k, s.bucket, &dst));
        }
    }
    if total == 0 {
        bail!("nothing has vested yet on your {} schedule(s)", schedules.len());
    }
    let sig = ctx.c.send(&ixs, &[]).await?;
    Ok(Sent::new(
        format!("claimed about {} IO of vested tokens", io.format(total)),
        sig,
        Claimed { amount: total, campaign_id: None },
    ))
}
