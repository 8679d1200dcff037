//! io_token: the supply, the emissions crank, airdrop claims and vesting claims.
use crate::{
    context::Ctx,
    output::{NoFields, Render, Sent},
};
use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use io_sdk::{amount, token as tsdk, views::SupplyView};
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

/// `io supply`: the ledger as io-sdk's [`SupplyView`] computes it (one definition of circulating
/// supply and of the next emission for every client), plus the mint's own supply.
#[derive(Serialize)]
pub struct Supply {
    pub decimals: u8,
    pub cap: u64,
    pub minted: u64,
    pub burned: u64,
    pub burned_by_reason: BTreeMap<&'static str, u64>,
    /// The mint's supply as the token program reports it.
    pub supply: u64,
    /// See `io_sdk::views::token::circulating`.
    pub circulating: u64,
    pub next_emission_hour: u64,
    /// When that hour starts; `emit` can mint it from `next_emission_due_ts` on.
    pub next_emission_ts: i64,
    pub next_emission_due_ts: i64,
    pub next_emission_amount: u64,
    #[serde(skip)]
    view: SupplyView,
}

impl Render for Supply {
    fn text(&self) -> String {
        let sym = io_sdk::names::Currency::Io.symbol();
        let f = |v: u64| amount::format(v, self.decimals);
        let burned: Vec<String> =
            self.view.burned_by_reason.iter().map(|(r, v)| format!("{r} {}", f(*v))).collect();
        format!(
            "cap          {} {sym}\nminted       {} {sym}\nburned       {} {sym} ({})\nsupply       {} {sym}\ncirculating  {} {sym} (released from the genesis buckets and the rewards vault, less burned)\nnext emission  hour {} (unix {}, due at {}), {} {sym}",
            f(self.cap),
            f(self.minted),
            f(self.burned),
            burned.join(", "),
            f(self.supply),
            f(self.circulating),
            self.next_emission_hour,
            self.next_emission_ts,
            self.next_emission_due_ts,
            f(self.next_emission_amount)
        )
    }
}

pub async fn supply(ctx: &Ctx) -> Result<Supply> {
    let t = ctx.token_config().await?;
    let view = SupplyView::new(&t)?;
    let supply = ctx.c.rpc.get_token_supply(&tsdk::mint()).await.map_err(|e| ctx.c.error(&e))?;
    let supply: u64 = supply.amount.parse().context("the RPC node returned a malformed token supply")?;
    Ok(Supply {
        decimals: view.decimals,
        cap: view.cap,
        minted: view.minted,
        burned: view.burned,
        burned_by_reason: view.burned_by_reason.iter().copied().collect(),
        supply,
        circulating: view.circulating,
        next_emission_hour: view.next_emission.hour,
        next_emission_ts: view.next_emission.starts_ts,
        next_emission_due_ts: view.next_emission.due_ts,
        next_emission_amount: view.next_emission.amount,
        view,
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
    let sym = io.symbol();
    let (dst, mut ixs) = ctx.destination(&io.mint).await?;
    ixs.push(tsdk::claim_airdrop(&ctx.c.wallet(), p.campaign_id, &dst, p.index, p.amount, proof));
    let sig = ctx.c.send(&ixs, &[]).await?;
    Ok(Sent::new(
        format!("claimed {} {sym} from airdrop {}", io.format(p.amount), p.campaign_id),
        sig,
        Claimed { amount: p.amount, campaign_id: Some(p.campaign_id) },
    ))
}

pub async fn vesting_claim(ctx: &Ctx) -> Result<Sent<Claimed>> {
    let w = ctx.c.wallet();
    // VestingSchedule: discriminator ‖ beneficiary.
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8, w.to_bytes().to_vec()));
    let schedules: Vec<(io_sdk::Pubkey, io_token::VestingSchedule)> =
        ctx.c.program_accounts(&io_token::ID, vec![filter]).await?;
    let now = ctx.chain_now().await?;
    let io = ctx.io().await?;
    let sym = io.symbol();
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
        format!("claimed about {} {sym} of vested tokens", io.format(total)),
        sig,
        Claimed { amount: total, campaign_id: None },
    ))
}
