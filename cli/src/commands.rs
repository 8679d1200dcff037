//! Every `io` command: parse and check locally, build with `io-sdk`, send through [`Client`].
use crate::{
    amount,
    client::{self, parse_pubkey, Client},
    Cli, Command, Commitment, Output,
};
use anchor_lang::{prelude::Pubkey, Discriminator};
use anyhow::{anyhow, bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use io_sdk::{escrow as esdk, staking as ssdk, token as tsdk};
use io_staking::{DeviceSpec, DeviceStatus, HardwareClass};
use serde_json::{json, Value};
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client_api::{
    config::{RpcAccountInfoConfig, RpcProgramAccountsConfig},
    filter::{Memcmp, RpcFilterType},
    request::TokenAccountsFilter,
};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Subcommand)]
pub enum OperatorCmd {
    /// Register your wallet as an operator.
    Register {
        #[arg(long)]
        name: String,
        /// Region code, e.g. us-east, eu-west.
        #[arg(long)]
        region: String,
        /// Commission on rewards, in basis points (500 = 5%).
        #[arg(long)]
        commission_bps: u16,
        /// Metadata URL.
        #[arg(long, default_value = "")]
        url: String,
    },
    /// One operator: bond, devices, stake, commission.
    Show { operator: String },
    /// Every operator.
    List,
    /// Request a new commission (applies after the delay).
    Commission { bps: u16 },
}

#[derive(Subcommand)]
pub enum BondCmd {
    /// Add AMOUNT $IO to your bond.
    Add {
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// With AMOUNT: start the unbonding period for it. Without: withdraw the bond that has unbonded.
    Withdraw { amount: Option<String> },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Class {
    Cpu,
    Consumer,
    Workstation,
    Datacenter,
    Flagship,
}

impl From<Class> for HardwareClass {
    fn from(c: Class) -> Self {
        match c {
            Class::Cpu => HardwareClass::Cpu,
            Class::Consumer => HardwareClass::ConsumerGpu,
            Class::Workstation => HardwareClass::WorkstationGpu,
            Class::Datacenter => HardwareClass::DatacenterGpu,
            Class::Flagship => HardwareClass::FlagshipGpu,
        }
    }
}

#[derive(Subcommand)]
pub enum DeviceCmd {
    /// Register a device of yours (pending until the oracles attest it).
    Add {
        #[arg(long, default_value = "")]
        model: String,
        #[arg(long, default_value_t = 0)]
        gpus: u16,
        #[arg(long, default_value_t = 0)]
        vram_gb: u16,
        #[arg(long, value_enum)]
        class: Class,
        #[arg(long)]
        region: String,
        #[arg(long)]
        green: bool,
        /// Hardware identity (any text; its hash identifies the device). Default: model and time.
        #[arg(long)]
        id: Option<String>,
    },
    /// Devices, of one operator or of all.
    List {
        #[arg(long)]
        operator: Option<String>,
    },
    /// Retire a device of yours (final).
    Remove { device: String },
}

#[derive(Subcommand)]
pub enum OfferCmd {
    /// Offer a device of yours: prices per device-hour (at least one), hours allowed.
    Post {
        #[arg(long)]
        device: String,
        /// USDC per device-hour.
        #[arg(long)]
        usdc: Option<String>,
        /// $IO per device-hour.
        #[arg(long)]
        io: Option<String>,
        #[arg(long, default_value_t = 1)]
        min_hours: u32,
        #[arg(long, default_value_t = 720)]
        max_hours: u32,
    },
    /// Every offer.
    List,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Pay {
    Usdc,
    Io,
}

#[derive(Subcommand)]
pub enum LeaseCmd {
    /// Lease devices for HOURS, paying in USDC (2% fee) or $IO (no fee).
    Open {
        #[arg(long = "device", required = true)]
        devices: Vec<String>,
        #[arg(long)]
        hours: u32,
        #[arg(long, value_enum)]
        pay: Pay,
        /// Lease number (default: the current time in milliseconds).
        #[arg(long)]
        nonce: Option<u64>,
    },
    /// One lease: devices, deposit, paid, fees, refunds.
    Show { lease: String },
    /// Extend an open lease of yours by HOURS.
    TopUp { lease: String, hours: u32 },
    /// End a lease of yours now; unused time is refunded at once.
    Close { lease: String },
    /// Finalize a lease after its end and grace period: the rest of the deposit goes back.
    Settle { lease: String },
}

#[derive(Subcommand)]
pub enum OracleCmd {
    /// The oracle set, threshold and last certified period.
    Show,
    /// Post a report (JSON body) and certify it with the signatures of the --signer oracle keys.
    SubmitReport {
        file: std::path::PathBuf,
        /// An oracle keypair file; repeat for each signer (at least the threshold).
        #[arg(long = "signer", required = true)]
        signers: Vec<std::path::PathBuf>,
    },
}

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

#[derive(Clone, Copy, ValueEnum)]
pub enum Program {
    Token,
    Staking,
    Escrow,
    Oracle,
}

#[derive(Subcommand)]
pub enum AdminCmd {
    /// Pause a program: every non-admin instruction refuses until unpaused.
    Pause {
        #[arg(value_enum)]
        program: Program,
    },
    Unpause {
        #[arg(value_enum)]
        program: Program,
    },
}

/// Decimals of the $IO mint, for checking an amount's format before anything is fetched.
const IO_DECIMALS: u8 = 9;

struct Ctx {
    c: Client,
    json: bool,
    yes: bool,
}

impl Ctx {
    /// Prints the result of a command: text for people, one JSON object for programs.
    fn print(&self, text: impl AsRef<str>, value: Value) {
        if self.json {
            let mut v = value;
            if let Value::Object(m) = &mut v {
                m.insert("ok".into(), Value::Bool(true));
            }
            let _ = writeln!(std::io::stdout(), "{v}");
        } else {
            // A closed pipe (`io operator list | head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout(), "{}", text.as_ref());
        }
    }

    fn sent(&self, what: &str, sig: &str, mut extra: Value) {
        if let Value::Object(m) = &mut extra {
            m.insert("signature".into(), Value::String(sig.into()));
        }
        self.print(format!("{what}\nsignature: {sig}"), extra);
    }

    /// Asks for a yes unless `--yes`; refuses when no one can answer.
    fn confirm(&self, question: &str) -> Result<()> {
        if self.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            bail!("{question}: add --yes to confirm without a prompt");
        }
        eprint!("{question} [y/N] ");
        std::io::stderr().flush().ok();
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if matches!(line.trim(), "y" | "Y" | "yes") {
            Ok(())
        } else {
            bail!("cancelled")
        }
    }

    async fn staking_config(&self) -> Result<io_staking::Config> {
        self.c
            .account(&ssdk::config())
            .await?
            .ok_or_else(|| anyhow!("io_staking is not initialised on this network"))
    }

    async fn escrow_config(&self) -> Result<io_escrow::EscrowConfig> {
        self.c
            .account(&esdk::config())
            .await?
            .ok_or_else(|| anyhow!("io_escrow is not initialised on this network"))
    }

    async fn operator(&self, address: &Pubkey) -> Result<io_staking::Operator> {
        match self.c.account(address).await {
            Ok(Some(o)) => Ok(o),
            Ok(None) => bail!("no operator at {address}: see `io operator list`"),
            Err(_) => bail!("{address} is not an operator: see `io operator list`"),
        }
    }

    /// The wallet's token accounts of `mint`, largest balance first.
    async fn token_accounts(&self, owner: &Pubkey, mint: &Pubkey) -> Result<Vec<(Pubkey, u64)>> {
        let accts = self
            .c
            .rpc
            .get_token_accounts_by_owner(owner, TokenAccountsFilter::Mint(*mint))
            .await
            .context("RPC request failed")?;
        let mut out = Vec::new();
        for a in accts {
            let v = serde_json::to_value(&a.account.data).unwrap_or_default();
            let amount = v
                .pointer("/parsed/info/tokenAmount/amount")
                .and_then(|x| x.as_str())
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            out.push((parse_pubkey(&a.pubkey, "token account")?, amount));
        }
        out.sort_by_key(|a| std::cmp::Reverse(a.1));
        Ok(out)
    }

    /// The wallet's $IO (or USDC) account to pay `need` from; refuses when the balance is short.
    async fn source(&self, mint: &Pubkey, need: u64, decimals: u8, symbol: &str) -> Result<Pubkey> {
        let accts = self.token_accounts(&self.c.wallet(), mint).await?;
        let held: u64 = accts.first().map_or(0, |a| a.1);
        if held < need {
            bail!(
                "insufficient balance: you hold {} {symbol} in your largest {symbol} account; this needs {}",
                amount::format(held, decimals),
                amount::format(need, decimals)
            );
        }
        Ok(accts[0].0)
    }

    /// An account of the wallet to receive `mint` into: its largest existing one, or its associated
    /// token account, created in the same transaction.
    async fn destination(&self, mint: &Pubkey) -> Result<(Pubkey, Vec<io_sdk::Instruction>)> {
        let w = self.c.wallet();
        if let Some((a, _)) = self.token_accounts(&w, mint).await?.first() {
            return Ok((*a, vec![]));
        }
        let ata = anchor_spl::associated_token::get_associated_token_address(&w, mint);
        let ix = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &w,
            &w,
            mint,
            &anchor_spl::token::ID,
        );
        Ok((ata, vec![ix]))
    }

    async fn program_accounts<T: anchor_lang::AccountDeserialize + Discriminator>(
        &self,
        program: &Pubkey,
        extra: Vec<RpcFilterType>,
    ) -> Result<Vec<(Pubkey, T)>> {
        let mut filters = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(0, T::DISCRIMINATOR.to_vec()))];
        filters.extend(extra);
        let config = RpcProgramAccountsConfig {
            filters: Some(filters),
            account_config: RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                commitment: Some(self.c.rpc.commitment()),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        let accts = self
            .c
            .rpc
            .get_program_ui_accounts_with_config(program, config)
            .await
            .context("RPC request failed")?;
        Ok(accts
            .into_iter()
            .filter_map(|(k, a)| {
                a.data.decode().and_then(|d| io_sdk::decode_account::<T>(&d).ok()).map(|v| (k, v))
            })
            .collect())
    }
}

fn status_name(s: DeviceStatus) -> &'static str {
    match s {
        DeviceStatus::Pending => "pending",
        DeviceStatus::Active => "active",
        DeviceStatus::Jailed => "jailed",
        DeviceStatus::Retired => "retired",
    }
}

fn class_name(c: HardwareClass) -> &'static str {
    match c {
        HardwareClass::Cpu => "cpu",
        HardwareClass::ConsumerGpu => "consumer",
        HardwareClass::WorkstationGpu => "workstation",
        HardwareClass::DatacenterGpu => "datacenter",
        HardwareClass::FlagshipGpu => "flagship",
    }
}

/// The device identity hash: sha256 of the identity text.
fn id_hash(text: &str) -> [u8; 32] {
    solana_sha256_hasher::hash(text.as_bytes()).to_bytes()
}

pub async fn run(cli: Cli) -> Result<()> {
    let url = client::resolve_url(&cli.url, &cli.manifest)?;
    let commitment = match cli.commitment {
        Commitment::Processed => CommitmentConfig::processed(),
        Commitment::Confirmed => CommitmentConfig::confirmed(),
        Commitment::Finalized => CommitmentConfig::finalized(),
    };
    let path = cli.keypair.clone().unwrap_or_else(client::default_keypair_path);
    // Reading needs no wallet: a read-only command without a keypair file uses a throwaway key.
    let read_only = matches!(
        cli.command,
        Command::Supply
            | Command::Operator(OperatorCmd::Show { .. } | OperatorCmd::List)
            | Command::Device(DeviceCmd::List { .. })
            | Command::Positions { wallet: Some(_) }
            | Command::Offer(OfferCmd::List)
            | Command::Lease(LeaseCmd::Show { .. })
            | Command::Oracle(_)
    );
    let payer = match client::read_keypair(&path) {
        Ok(k) => k,
        Err(_) if read_only && cli.keypair.is_none() => solana_keypair::Keypair::new(),
        Err(e) => return Err(e),
    };
    let ctx = Ctx { c: Client::new(url, commitment, payer), json: cli.output == Output::Json, yes: cli.yes };
    match cli.command {
        Command::Supply => supply(&ctx).await,
        Command::Emit => {
            let sig = ctx.c.send(&[tsdk::emit()], &[]).await?;
            ctx.sent("emitted every due hour into the rewards vault", &sig, json!({}));
            Ok(())
        }
        Command::Operator(cmd) => operator(&ctx, cmd).await,
        Command::Bond(cmd) => bond(&ctx, cmd).await,
        Command::Device(cmd) => device(&ctx, cmd).await,
        Command::Stake { operator, amount } => stake(&ctx, &operator, &amount).await,
        Command::Unstake { operator, amount } => unstake(&ctx, &operator, &amount).await,
        Command::Withdraw { operator } => withdraw_or_claim(&ctx, &operator, false).await,
        Command::Claim { operator } => withdraw_or_claim(&ctx, &operator, true).await,
        Command::Positions { wallet } => positions(&ctx, wallet.as_deref()).await,
        Command::Offer(cmd) => offer(&ctx, cmd).await,
        Command::Lease(cmd) => lease(&ctx, cmd).await,
        Command::Oracle(OracleCmd::Show) => oracle_show(&ctx).await,
        Command::Oracle(OracleCmd::SubmitReport { file, signers }) => {
            submit_report(&ctx, &file, &signers).await
        }
        Command::Airdrop(AirdropCmd::Claim { proof }) => airdrop_claim(&ctx, &proof).await,
        Command::Vesting(VestingCmd::Claim) => vesting_claim(&ctx).await,
        Command::Admin(cmd) => admin(&ctx, cmd).await,
    }
}

fn hex32(text: &str) -> Result<[u8; 32]> {
    let t = text.trim_start_matches("0x");
    if t.len() != 64 {
        bail!("'{text}' is not a 32-byte hex value");
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).map_err(|_| anyhow!("'{text}' is not hex"))?;
    }
    Ok(out)
}

async fn airdrop_claim(ctx: &Ctx, file: &std::path::Path) -> Result<()> {
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
    let (dst, mut ixs) = ctx.destination(&tsdk::mint()).await?;
    ixs.push(tsdk::claim_airdrop(&ctx.c.wallet(), p.campaign_id, &dst, p.index, p.amount, proof));
    let sig = ctx.c.send(&ixs, &[]).await?;
    ctx.sent(
        &format!("claimed {} IO from airdrop {}", amount::format(p.amount, 9), p.campaign_id),
        &sig,
        json!({ "amount": p.amount, "campaign_id": p.campaign_id }),
    );
    Ok(())
}

async fn vesting_claim(ctx: &Ctx) -> Result<()> {
    let w = ctx.c.wallet();
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8, w.to_bytes().to_vec()));
    let schedules: Vec<(Pubkey, io_token::VestingSchedule)> =
        ctx.program_accounts(&io_token::ID, vec![filter]).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (dst, mut ixs) = ctx.destination(&tsdk::mint()).await?;
    let mut total = 0u64;
    for (k, s) in &schedules {
        let due = s.vested_at(now).unwrap_or(0).saturating_sub(s.claimed);
        if due > 0 {
            total += due;
            ixs.push(tsdk::claim_vested(&w, k, s.bucket, &dst));
        }
    }
    if total == 0 {
        bail!("nothing has vested yet on your {} schedule(s)", schedules.len());
    }
    let sig = ctx.c.send(&ixs, &[]).await?;
    ctx.sent(
        &format!("claimed about {} IO of vested tokens", amount::format(total, 9)),
        &sig,
        json!({ "amount": total }),
    );
    Ok(())
}

async fn submit_report(ctx: &Ctx, file: &std::path::Path, signer_files: &[std::path::PathBuf]) -> Result<()> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let v: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let u = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
    let root =
        |k: &str| v.get(k).and_then(Value::as_str).map(hex32).transpose().map(|r| r.unwrap_or([0; 32]));
    let slot = ctx.c.rpc.get_slot().await.context("RPC request failed")?;
    let body = io_oracle::ReportBody {
        period: u("period"),
        set_epoch: u("set_epoch").max(1),
        rewards_root: root("rewards_root")?,
        usage_root: root("usage_root")?,
        devices_root: root("devices_root")?,
        slashes_root: root("slashes_root")?,
        usdc_per_io: u("usdc_per_io"),
        emission_distributed: u("emission_distributed"),
        device_seconds: u("device_seconds"),
        devices_attested: u("devices_attested") as u32,
        expiry_slot: v.get("expiry_slot").and_then(Value::as_u64).unwrap_or(slot + 1_000),
    };
    let signers = signer_files.iter().map(|p| client::read_keypair(p)).collect::<Result<Vec<_>>>()?;
    // Signatures bind the cluster: sign for the one this network's io_oracle was set up for, and
    // only if the RPC endpoint is that cluster.
    let config: io_oracle::OracleConfig = ctx
        .c
        .account(&io_sdk::oracle::config())
        .await?
        .ok_or_else(|| anyhow!("io_oracle is not initialised on this network"))?;
    let genesis = ctx.c.rpc.get_genesis_hash().await.context("RPC request failed")?;
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
    let post = ctx.c.send(&[io_sdk::oracle::post_report(&ctx.c.wallet(), &cluster, body)], &[]).await?;
    let certify = ctx
        .c
        .send(
            &[io_sdk::oracle::ed25519_instruction(&sigs, &digest), io_sdk::oracle::certify_report(&report)],
            &[],
        )
        .await?;
    ctx.sent(
        &format!("report {report} for period {} posted ({post}) and certified", body.period),
        &certify,
        json!({ "report": report.to_string(), "period": body.period }),
    );
    Ok(())
}

async fn admin(ctx: &Ctx, cmd: AdminCmd) -> Result<()> {
    let (program, paused) = match cmd {
        AdminCmd::Pause { program } => (program, true),
        AdminCmd::Unpause { program } => (program, false),
    };
    let w = ctx.c.wallet();
    let ix = match program {
        Program::Token => tsdk::set_paused(&w, paused),
        Program::Staking => ssdk::set_paused(&w, paused),
        Program::Escrow => esdk::set_paused(&w, paused),
        Program::Oracle => io_sdk::oracle::set_paused(&w, paused),
    };
    let sig = ctx.c.send(&[ix], &[]).await?;
    ctx.sent(if paused { "paused" } else { "unpaused" }, &sig, json!({ "paused": paused }));
    Ok(())
}

async fn supply(ctx: &Ctx) -> Result<()> {
    let t: io_token::TokenConfig = ctx
        .c
        .account(&tsdk::config())
        .await?
        .ok_or_else(|| anyhow!("io_token is not initialised on this network"))?;
    let d = t.decimals;
    let supply = ctx
        .c
        .rpc
        .get_token_supply(&tsdk::mint())
        .await
        .context("RPC request failed")?
        .amount
        .parse::<u64>()
        .unwrap_or(0);
    let mut locked = ctx.c.token_balance(&tsdk::rewards_vault()).await?;
    for v in t.vaults {
        locked += ctx.c.token_balance(&v).await?;
    }
    let reasons = ["lease_fee", "buyback", "slash", "other"];
    let burned: Vec<(&str, u64)> = reasons.iter().copied().zip(t.burned.iter().copied()).collect();
    let next_hour_ts = t.emission.start_ts + (t.emission.next_hour as i64) * 3600;
    let next_amount = t.emission.month_amount / io_token::schedule::HOURS_PER_MONTH;
    let f = |v: u64| amount::format(v, d);
    let text = format!(
        "cap          {} IO\nminted       {} IO\nburned       {} IO ({})\nsupply       {} IO\ncirculating  {} IO (supply less genesis vaults and the rewards vault)\nnext emission  hour {} (unix {}), about {} IO",
        f(t.max_supply),
        f(t.total_minted),
        f(t.total_burned),
        burned.iter().map(|(r, v)| format!("{r} {}", f(*v))).collect::<Vec<_>>().join(", "),
        f(supply),
        f(supply.saturating_sub(locked)),
        t.emission.next_hour,
        next_hour_ts,
        f(next_amount)
    );
    let burned_json: serde_json::Map<String, Value> =
        burned.iter().map(|(r, v)| (r.to_string(), json!(v))).collect();
    ctx.print(
        text,
        json!({ "decimals": d, "cap": t.max_supply, "minted": t.total_minted, "burned": t.total_burned,
                "burned_by_reason": burned_json, "supply": supply, "circulating": supply.saturating_sub(locked),
                "next_emission_hour": t.emission.next_hour, "next_emission_ts": next_hour_ts, "next_emission_amount": next_amount }),
    );
    Ok(())
}

async fn operator(ctx: &Ctx, cmd: OperatorCmd) -> Result<()> {
    let w = ctx.c.wallet();
    match cmd {
        OperatorCmd::Register { name, region, commission_bps, url } => {
            let cfg = ctx.staking_config().await?;
            if name.is_empty() || name.len() > io_staking::MAX_NAME_LEN {
                bail!("--name must be 1 to {} bytes", io_staking::MAX_NAME_LEN);
            }
            if region.is_empty() || region.len() > io_staking::MAX_REGION_LEN {
                bail!("--region must be 1 to {} bytes, e.g. us-east", io_staking::MAX_REGION_LEN);
            }
            if commission_bps > cfg.params.commission_cap_bps {
                bail!(
                    "--commission-bps {commission_bps} is above the cap of {} bps",
                    cfg.params.commission_cap_bps
                );
            }
            let sig =
                ctx.c.send(&[ssdk::register_operator(&w, &name, &region, &url, commission_bps)], &[]).await?;
            let op = ssdk::operator(&w);
            ctx.sent(&format!("registered operator {op}"), &sig, json!({ "operator": op.to_string() }));
        }
        OperatorCmd::Show { operator } => {
            let address = parse_pubkey(&operator, "operator")?;
            let o = ctx.operator(&address).await?;
            let cfg = ctx.staking_config().await?;
            let d = cfg.io_decimals;
            let f = |v: u64| amount::format(v, d);
            let text = format!(
                "operator     {address}\nauthority    {}\nname         {}\nregion       {}\ncommission   {} bps{}\nbond         {} IO (required {} IO, withdrawing {} IO)\ndevices      {} active of {}\nstake        {} IO from {} delegators (unbonding {} IO)\nslashed      {} IO{}",
                o.authority, o.name, o.region, o.commission_bps,
                if o.commission_effective_ts != 0 { format!(" → {} bps at unix {}", o.pending_commission_bps, o.commission_effective_ts) } else { String::new() },
                f(o.bond), f(o.required_bond), f(o.bond_withdrawing), o.devices_active, o.devices_registered,
                f(o.stake_tokens), o.delegator_count, f(o.unbonding_tokens), f(o.total_slashed),
                if o.pending_slashes > 0 {
                    format!("\npending      {} slash(es): bond and unstaked $IO cannot be withdrawn until settled", o.pending_slashes)
                } else {
                    String::new()
                }
            );
            ctx.print(text, json!({ "operator": address.to_string(), "authority": o.authority.to_string(), "name": o.name,
                "region": o.region, "commission_bps": o.commission_bps, "bond": o.bond, "required_bond": o.required_bond,
                "devices_active": o.devices_active, "stake": o.stake_tokens, "delegators": o.delegator_count,
                "pending_slashes": o.pending_slashes }));
        }
        OperatorCmd::List => {
            let ops: Vec<(Pubkey, io_staking::Operator)> =
                ctx.program_accounts(&io_staking::ID, vec![]).await?;
            let d = ctx.staking_config().await?.io_decimals;
            let mut lines = vec![format!(
                "{:<44} {:<20} {:<16} {:>6} {:>14} {:>8}",
                "operator", "name", "region", "bps", "stake IO", "devices"
            )];
            let mut arr = Vec::new();
            for (k, o) in &ops {
                lines.push(format!(
                    "{:<44} {:<20} {:<16} {:>6} {:>14} {:>8}",
                    k,
                    o.name,
                    o.region,
                    o.commission_bps,
                    amount::format(o.stake_tokens, d),
                    o.devices_active
                ));
                arr.push(json!({ "operator": k.to_string(), "name": o.name, "region": o.region, "commission_bps": o.commission_bps, "stake": o.stake_tokens, "devices_active": o.devices_active }));
            }
            ctx.print(lines.join("\n"), json!({ "operators": arr }));
        }
        OperatorCmd::Commission { bps } => {
            let sig = ctx.c.send(&[ssdk::request_commission_change(&w, bps)], &[]).await?;
            ctx.sent(&format!("requested a commission of {bps} bps"), &sig, json!({ "bps": bps }));
        }
    }
    Ok(())
}

async fn bond(ctx: &Ctx, cmd: BondCmd) -> Result<()> {
    let cfg = ctx.staking_config().await?;
    let w = ctx.c.wallet();
    let op_address = ssdk::operator(&w);
    let op = ctx
        .c
        .account::<io_staking::Operator>(&op_address)
        .await?
        .ok_or_else(|| anyhow!("your wallet is not an operator: register with `io operator register`"))?;
    let d = cfg.io_decimals;
    match cmd {
        BondCmd::Add { amount: a } => {
            let v = amount::parse(&a, d, "amount")?;
            let src = ctx.source(&cfg.io_mint, v, d, "IO").await?;
            let sig = ctx.c.send(&[ssdk::add_bond(&w, &cfg.io_mint, &src, v)], &[]).await?;
            ctx.sent(
                &format!("bond +{} IO (now {} IO)", a, amount::format(op.bond + v, d)),
                &sig,
                json!({ "amount": v }),
            );
        }
        BondCmd::Withdraw { amount: Some(a) } => {
            let v = amount::parse(&a, d, "amount")?;
            if v > op.bond.saturating_sub(op.required_bond) {
                bail!(
                    "you can withdraw at most {} IO: your active devices require {} of your {} IO bond",
                    amount::format(op.bond.saturating_sub(op.required_bond), d),
                    amount::format(op.required_bond, d),
                    amount::format(op.bond, d)
                );
            }
            let sig = ctx.c.send(&[ssdk::request_bond_withdrawal(&w, v)], &[]).await?;
            ctx.sent(
                &format!("{a} IO of bond unbonding for {} days", cfg.params.bond_unbonding_secs / 86_400),
                &sig,
                json!({ "amount": v }),
            );
        }
        BondCmd::Withdraw { amount: None } => {
            if op.bond_withdrawing == 0 {
                bail!("no bond is unbonding: start with `io bond withdraw AMOUNT`");
            }
            let (dst, mut ixs) = ctx.destination(&cfg.io_mint).await?;
            ixs.push(ssdk::withdraw_bond(&w, &cfg.io_mint, &dst));
            let sig = ctx.c.send(&ixs, &[]).await?;
            ctx.sent(
                &format!("withdrew {} IO of bond", amount::format(op.bond_withdrawing, d)),
                &sig,
                json!({ "amount": op.bond_withdrawing }),
            );
        }
    }
    Ok(())
}

async fn device(ctx: &Ctx, cmd: DeviceCmd) -> Result<()> {
    let w = ctx.c.wallet();
    match cmd {
        DeviceCmd::Add { model, gpus, vram_gb, class, region, green, id } => {
            let class: HardwareClass = class.into();
            io_staking::Device::validate_spec(class, &model, gpus, vram_gb, &region).map_err(|_| {
                anyhow!("invalid device: a cpu device has --gpus 0 and --vram-gb 0; a GPU device has --model, 1 to {} --gpus and --vram-gb > 0; --region 1 to {} bytes", io_staking::MAX_GPUS_PER_DEVICE, io_staking::MAX_REGION_LEN)
            })?;
            let identity = id.unwrap_or_else(|| {
                format!(
                    "{model}-{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos())
                        .unwrap_or(0)
                )
            });
            let spec = DeviceSpec {
                id_hash: id_hash(&identity),
                gpu_model: model,
                gpu_count: gpus,
                vram_gb,
                region,
                green,
                class,
            };
            let address = ssdk::device(&ssdk::operator(&w), &spec.id_hash);
            // Until `io device add --worker-key` lands, the wallet itself is the device's worker key.
            let sig = ctx.c.send(&[ssdk::register_device(&w, spec, w)], &[]).await?;
            ctx.sent(
                &format!("registered device {address} (pending until attested)"),
                &sig,
                json!({ "device": address.to_string() }),
            );
        }
        DeviceCmd::List { operator } => {
            let mut filters = vec![];
            if let Some(o) = operator {
                let o = parse_pubkey(&o, "operator")?;
                filters.push(RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8, o.to_bytes().to_vec())));
            }
            let devs: Vec<(Pubkey, io_staking::Device)> =
                ctx.program_accounts(&io_staking::ID, filters).await?;
            let mut lines = vec![format!(
                "{:<44} {:<22} {:>4} {:>6} {:<11} {:<9} {:<8} {}",
                "device", "model", "gpus", "vram", "class", "region", "status", "green"
            )];
            let mut arr = Vec::new();
            for (k, d) in &devs {
                lines.push(format!(
                    "{:<44} {:<22} {:>4} {:>6} {:<11} {:<9} {:<8} {}",
                    k,
                    d.gpu_model,
                    d.gpu_count,
                    d.vram_gb,
                    class_name(d.class),
                    d.region,
                    status_name(d.status),
                    d.green
                ));
                arr.push(json!({ "device": k.to_string(), "operator": d.operator.to_string(), "model": d.gpu_model, "gpus": d.gpu_count, "vram_gb": d.vram_gb, "class": class_name(d.class), "region": d.region, "status": status_name(d.status), "green": d.green }));
            }
            ctx.print(lines.join("\n"), json!({ "devices": arr }));
        }
        DeviceCmd::Remove { device } => {
            let dev = parse_pubkey(&device, "device")?;
            let d: io_staking::Device = ctx
                .c
                .account(&dev)
                .await?
                .ok_or_else(|| anyhow!("no device at {dev}: see `io device list`"))?;
            if d.operator != ssdk::operator(&w) {
                bail!("device {dev} is not yours: it belongs to operator {}", d.operator);
            }
            let sig = ctx.c.send(&[ssdk::deregister_device(&w, &dev)], &[]).await?;
            ctx.sent(&format!("retired device {dev}"), &sig, json!({ "device": dev.to_string() }));
        }
    }
    Ok(())
}

async fn stake(ctx: &Ctx, operator: &str, amount_text: &str) -> Result<()> {
    // Arguments first: a typo is reported without touching the network.
    let op_address = parse_pubkey(operator, "operator")?;
    amount::parse(amount_text, IO_DECIMALS, "amount")?;
    let cfg = ctx.staking_config().await?;
    let d = cfg.io_decimals;
    let v = amount::parse(amount_text, d, "amount")?;
    if v == 0 {
        bail!("the amount must be more than 0");
    }
    let op = ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let held = position_value(ctx, &op, &op_address, &w).await?;
    let min = cfg.params.min_stake;
    if held + v < min {
        if held == 0 {
            bail!("a stake must be at least {} IO; you asked for {amount_text}", amount::format(min, d));
        }
        bail!(
            "a stake position must be at least {} IO; yours would be {}",
            amount::format(min, d),
            amount::format(held + v, d)
        );
    }
    let src = ctx.source(&cfg.io_mint, v, d, "IO").await?;
    let sig = ctx.c.send(&[ssdk::stake(&w, &op_address, &cfg.io_mint, &src, v)], &[]).await?;
    ctx.sent(
        &format!(
            "staked {amount_text} IO with {} ({op_address}); position now {} IO",
            op.name,
            amount::format(held + v, d)
        ),
        &sig,
        json!({ "operator": op_address.to_string(), "amount": v, "position": held + v }),
    );
    Ok(())
}

async fn position_value(
    ctx: &Ctx,
    op: &io_staking::Operator,
    op_address: &Pubkey,
    wallet: &Pubkey,
) -> Result<u64> {
    let pos: Option<io_staking::Position> = ctx.c.account(&ssdk::position(op_address, wallet)).await?;
    pos.map_or(Ok(0), |p| p.value_floor(op)).map_err(|_| anyhow!("cannot value the position"))
}

async fn unstake(ctx: &Ctx, operator: &str, amount_text: &str) -> Result<()> {
    let op_address = parse_pubkey(operator, "operator")?;
    if amount_text != "all" {
        amount::parse(amount_text, IO_DECIMALS, "amount")?;
    }
    let cfg = ctx.staking_config().await?;
    let d = cfg.io_decimals;
    let op = ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let held = position_value(ctx, &op, &op_address, &w).await?;
    if held == 0 {
        bail!("you have no stake with operator {op_address}");
    }
    let v = if amount_text == "all" { held } else { amount::parse(amount_text, d, "amount")? };
    if v == 0 || v > held {
        bail!("you can unstake 0 < amount ≤ {} IO (your position)", amount::format(held, d));
    }
    let rest = held - v;
    if rest != 0 && rest < cfg.params.min_stake {
        bail!(
            "an unstake must leave 0 or at least {} IO: you hold {}, unstaking {amount_text} would leave {} (unstake everything with `io unstake {op_address} all`)",
            amount::format(cfg.params.min_stake, d), amount::format(held, d), amount::format(rest, d)
        );
    }
    let (dst, mut ixs) = ctx.destination(&cfg.io_mint).await?;
    ixs.push(ssdk::unstake(&w, &op_address, &cfg.io_mint, &dst, v));
    let sig = ctx.c.send(&ixs, &[]).await?;
    let days = cfg.params.unstake_cooldown_secs / 86_400;
    ctx.sent(&format!("unstaked {} IO; stake made this hour (still activating) came back at once, the rest you withdraw with `io withdraw {op_address}` after the {days}-day cooldown", amount::format(v, d)), &sig, json!({ "operator": op_address.to_string(), "amount": v, "cooldown_secs": cfg.params.unstake_cooldown_secs }));
    Ok(())
}

async fn withdraw_or_claim(ctx: &Ctx, operator: &str, claim: bool) -> Result<()> {
    let cfg = ctx.staking_config().await?;
    let op_address = parse_pubkey(operator, "operator")?;
    ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let before_accts = ctx.token_accounts(&w, &cfg.io_mint).await?;
    let (dst, mut ixs) = ctx.destination(&cfg.io_mint).await?;
    ixs.push(if claim {
        ssdk::claim_rewards(&w, &op_address, &cfg.io_mint, &dst)
    } else {
        ssdk::withdraw(&w, &op_address, &cfg.io_mint, &dst)
    });
    let before = before_accts.iter().find(|a| a.0 == dst).map_or(0, |a| a.1);
    let sig = ctx.c.send(&ixs, &[]).await?;
    let got = ctx.c.token_balance(&dst).await?.saturating_sub(before);
    let what = if claim { "claimed" } else { "withdrew" };
    ctx.sent(
        &format!("{what} {} IO", amount::format(got, cfg.io_decimals)),
        &sig,
        json!({ "operator": op_address.to_string(), "amount": got }),
    );
    Ok(())
}

async fn positions(ctx: &Ctx, wallet: Option<&str>) -> Result<()> {
    let cfg = ctx.staking_config().await?;
    let d = cfg.io_decimals;
    let w = match wallet {
        Some(t) => parse_pubkey(t, "wallet")?,
        None => ctx.c.wallet(),
    };
    // Position: discriminator ‖ operator ‖ staker.
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8 + 32, w.to_bytes().to_vec()));
    let positions: Vec<(Pubkey, io_staking::Position)> =
        ctx.program_accounts(&io_staking::ID, vec![filter]).await?;
    let mut lines = vec![];
    let mut arr = vec![];
    for (_, p) in positions {
        let op = ctx.operator(&p.operator).await?;
        let value = p.value_floor(&op).unwrap_or(0);
        // Exactly as the program settles the position when it claims.
        let rewards = p.claimable_floor(&op).unwrap_or(0);
        // Stake still warming up (F-10): it earns from its activation period on, an hourly
        // reward period; stake made in the current hour can be unstaked at once.
        let activating = p.activating_value_floor(&op).unwrap_or(0);
        let tickets: Vec<(u64, i64)> = p
            .tickets
            .iter()
            .filter(|t| t.shares > 0)
            .map(|t| (op.ticket_value_floor(t).unwrap_or(0), t.unlock_ts))
            .collect();
        lines.push(format!(
            "{} ({}): {} IO staked, {} IO claimable",
            p.operator,
            op.name,
            amount::format(value, d),
            amount::format(rewards, d)
        ));
        if activating > 0 {
            let start =
                i64::try_from(p.activation_period).unwrap_or(i64::MAX).saturating_mul(io_oracle::PERIOD_SECS);
            lines.push(format!(
                "    activating {} IO: earns from reward period {} (the hour from unix {start})",
                amount::format(activating, d),
                p.activation_period
            ));
        }
        for (v, ts) in &tickets {
            lines.push(format!("    unstaking {} IO, unlocks at unix {ts}", amount::format(*v, d)));
        }
        let activation = if activating > 0 { json!(p.activation_period) } else { Value::Null };
        arr.push(json!({ "operator": p.operator.to_string(), "staked": value, "claimable": rewards,
            "activating": activating, "activation_period": activation,
            "pending": tickets.iter().map(|(v, ts)| json!({ "amount": v, "unlock_ts": ts })).collect::<Vec<_>>() }));
    }
    if lines.is_empty() {
        lines.push(format!("no stake positions for {w}"));
    }
    ctx.print(lines.join("\n"), json!({ "wallet": w.to_string(), "positions": arr }));
    Ok(())
}

async fn offer(ctx: &Ctx, cmd: OfferCmd) -> Result<()> {
    let e = ctx.escrow_config().await?;
    match cmd {
        OfferCmd::Post { device, usdc, io, min_hours, max_hours } => {
            let dev = parse_pubkey(&device, "device")?;
            let usdc_rate =
                usdc.as_deref().map(|t| amount::parse(t, 6, "--usdc price")).transpose()?.unwrap_or(0);
            let io_rate = io.as_deref().map(|t| amount::parse(t, 9, "--io price")).transpose()?.unwrap_or(0);
            if usdc_rate == 0 && io_rate == 0 {
                bail!("give a price: --usdc PRICE and/or --io PRICE per device-hour");
            }
            let w = ctx.c.wallet();
            let sig = ctx
                .c
                .send(&[esdk::post_offer(&w, &dev, usdc_rate, io_rate, min_hours, max_hours)], &[])
                .await?;
            ctx.sent(
                &format!("offer posted for {dev}"),
                &sig,
                json!({ "device": dev.to_string(), "offer": esdk::offer(&dev).to_string() }),
            );
        }
        OfferCmd::List => {
            let offers: Vec<(Pubkey, io_escrow::Offer)> =
                ctx.program_accounts(&io_escrow::ID, vec![]).await?;
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            let mut lines = vec![format!(
                "{:<44} {:>12} {:>12} {:>9} {}",
                "device", "USDC/hour", "IO/hour", "hours", "available"
            )];
            let mut arr = vec![];
            for (_, o) in offers.iter().filter(|(_, o)| o.active) {
                let free = o.lease == Pubkey::default() || o.leased_until <= now;
                lines.push(format!(
                    "{:<44} {:>12} {:>12} {:>9} {}",
                    o.device,
                    amount::format(o.price_usdc_per_hour, 6),
                    amount::format(o.price_io_per_hour, 9),
                    format!("{}-{}", o.min_hours, o.max_hours),
                    free
                ));
                arr.push(json!({ "device": o.device.to_string(), "operator": o.operator.to_string(), "usdc_per_hour": o.price_usdc_per_hour, "io_per_hour": o.price_io_per_hour, "min_hours": o.min_hours, "max_hours": o.max_hours, "available": free }));
            }
            let _ = e;
            ctx.print(lines.join("\n"), json!({ "offers": arr }));
        }
    }
    Ok(())
}

async fn lease(ctx: &Ctx, cmd: LeaseCmd) -> Result<()> {
    let e = ctx.escrow_config().await?;
    let w = ctx.c.wallet();
    match cmd {
        LeaseCmd::Open { devices, hours, pay, nonce } => {
            let (mint, decimals, symbol, fee_bps) = match pay {
                Pay::Usdc => (e.usdc_mint, 6u8, "USDC", e.params.usdc_fee_bps),
                Pay::Io => (e.io_mint, 9u8, "IO", e.params.io_fee_bps),
            };
            let mut keys = vec![];
            let mut rates = vec![];
            for t in &devices {
                let dev = parse_pubkey(t, "device")?;
                let d: io_staking::Device = ctx
                    .c
                    .account(&dev)
                    .await?
                    .ok_or_else(|| anyhow!("no device at {dev}: see `io offer list`"))?;
                if d.status != DeviceStatus::Active {
                    bail!("device {dev} is {}: only active devices can be leased", status_name(d.status));
                }
                let o: io_escrow::Offer = ctx
                    .c
                    .account(&esdk::offer(&dev))
                    .await?
                    .ok_or_else(|| anyhow!("device {dev} has no offer: see `io offer list`"))?;
                if !o.active {
                    bail!("the offer for device {dev} was withdrawn");
                }
                let rate = if pay == Pay::Usdc { o.price_usdc_per_hour } else { o.price_io_per_hour };
                if rate == 0 {
                    bail!("device {dev} is not offered for {symbol}: see `io offer list`");
                }
                if hours < o.min_hours || hours > o.max_hours {
                    bail!(
                        "device {dev} is offered for {} to {} hours; you asked for {hours}",
                        o.min_hours,
                        o.max_hours
                    );
                }
                keys.push(dev);
                rates.push(rate);
            }
            let fee = io_math::Bps::new(fee_bps).map_err(|_| anyhow!("bad fee"))?;
            let (base, reserve) = io_escrow::math::deposit_for(&rates, hours, fee)
                .map_err(|_| anyhow!("the deposit overflows"))?;
            let deposit = base + reserve;
            let f = |v: u64| amount::format(v, decimals);
            let summary = format!(
                "lease of {} device(s) for {hours} h: rate {} {symbol}/h in all, deposit {} {symbol} = {} for the hours + {} fee reserve ({} bps, charged only on what providers are paid; the rest is refunded)",
                keys.len(), f(rates.iter().sum()), f(deposit), f(base), f(reserve), fee_bps
            );
            if !ctx.json {
                eprintln!("{summary}");
            }
            let src = ctx.source(&mint, deposit, decimals, symbol).await?;
            ctx.confirm("open this lease")?;
            let nonce = nonce.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or(0)
            });
            // The deposit shown is the most the renter signs for: an operator re-pricing (or a fee
            // change) between this quote and the transaction makes it fail instead of costing more.
            let ix = esdk::open_lease(&w, nonce, &mint, &src, hours, deposit, &keys);
            let sig = ctx.c.send(&[ix], &[]).await?;
            let lease = esdk::lease(&w, nonce);
            ctx.sent(&format!("opened lease {lease}"), &sig, json!({ "lease": lease.to_string(), "deposit": deposit, "base": base, "fee_reserve": reserve, "fee_bps": fee_bps, "mint": mint.to_string() }));
        }
        LeaseCmd::Show { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease =
                ctx.c.account(&address).await?.ok_or_else(|| anyhow!("no lease at {address}"))?;
            let (dec, sym) = if l.payment_mint == e.usdc_mint { (6, "USDC") } else { (9, "IO") };
            let f = |v: u64| amount::format(v, dec);
            let mut text = format!(
                "lease     {address}\nrenter    {}\nstatus    {:?}\nperiod    unix {} → {} ({} h)\ndeposit   {} {sym}\npaid      {} {sym}\nfees      {} {sym}\nrefunded  {} {sym}\nheld      {} {sym}",
                l.renter, l.status, l.start_ts, l.end_ts, l.hours, f(l.deposit), f(l.paid), f(l.fees), f(l.refunded), f(l.held().unwrap_or(0))
            );
            for d in &l.devices {
                text.push_str(&format!(
                    "\n  device {}: {} {sym}/h, {} s attested, {} {sym} paid",
                    d.device,
                    f(d.rate_per_hour),
                    d.attested_seconds,
                    f(d.paid)
                ));
            }
            ctx.print(text, json!({ "lease": address.to_string(), "renter": l.renter.to_string(), "status": format!("{:?}", l.status),
                "start_ts": l.start_ts, "end_ts": l.end_ts, "hours": l.hours, "deposit": l.deposit, "paid": l.paid, "fees": l.fees, "refunded": l.refunded }));
        }
        LeaseCmd::TopUp { lease, hours } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease =
                ctx.c.account(&address).await?.ok_or_else(|| anyhow!("no lease at {address}"))?;
            if l.renter != w {
                bail!("lease {address} is not yours");
            }
            let (dec, sym) = if l.payment_mint == e.usdc_mint { (6, "USDC") } else { (9, "IO") };
            let rates: Vec<u64> = l.devices.iter().map(|d| d.rate_per_hour).collect();
            let fee = io_math::Bps::new(l.fee_bps).map_err(|_| anyhow!("bad fee"))?;
            let (base, reserve) = io_escrow::math::deposit_for(&rates, hours, fee)
                .map_err(|_| anyhow!("the deposit overflows"))?;
            let src = ctx.source(&l.payment_mint, base + reserve, dec, sym).await?;
            let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
            let sig = ctx
                .c
                .send(&[esdk::top_up_lease(&w, &address, &l.payment_mint, &src, hours, &devices)], &[])
                .await?;
            ctx.sent(
                &format!(
                    "extended lease {address} by {hours} h for {} {sym}",
                    amount::format(base + reserve, dec)
                ),
                &sig,
                json!({ "lease": address.to_string(), "amount": base + reserve }),
            );
        }
        LeaseCmd::Close { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease =
                ctx.c.account(&address).await?.ok_or_else(|| anyhow!("no lease at {address}"))?;
            if l.renter != w {
                bail!("lease {address} is not yours");
            }
            let (dst, mut ixs) = ctx.destination(&l.payment_mint).await?;
            let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
            ixs.push(esdk::close_lease(&w, &address, &l.payment_mint, &dst, &devices));
            let sig = ctx.c.send(&ixs, &[]).await?;
            ctx.sent(&format!("closed lease {address}; unused time refunded, the rest after settlement with `io lease settle`"), &sig, json!({ "lease": address.to_string() }));
        }
        LeaseCmd::Settle { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease =
                ctx.c.account(&address).await?.ok_or_else(|| anyhow!("no lease at {address}"))?;
            let dst = anchor_spl::associated_token::get_associated_token_address(&l.renter, &l.payment_mint);
            let owned = ctx.token_accounts(&l.renter, &l.payment_mint).await?;
            let (dst, ixs) = match owned.first() {
                Some((a, _)) => (*a, vec![]),
                None => (dst, vec![anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent(&w, &l.renter, &l.payment_mint, &anchor_spl::token::ID)]),
            };
            let mut ixs = ixs;
            ixs.push(esdk::finalize_lease(&address, &l.payment_mint, &dst));
            let sig = ctx.c.send(&ixs, &[]).await?;
            ctx.sent(
                &format!("finalized lease {address}: the rest of the deposit went back to the renter"),
                &sig,
                json!({ "lease": address.to_string() }),
            );
        }
    }
    Ok(())
}

async fn oracle_show(ctx: &Ctx) -> Result<()> {
    let c: io_oracle::OracleConfig = ctx
        .c
        .account(&io_sdk::oracle::config())
        .await?
        .ok_or_else(|| anyhow!("io_oracle is not initialised on this network"))?;
    let members: Vec<String> = c.set.keys().iter().map(|k| k.to_string()).collect();
    // The cluster id is a genesis hash, shown in base58 like `getGenesisHash`.
    let cluster = Pubkey::new_from_array(c.cluster_id).to_string();
    let text = format!(
        "set epoch     {}{}\nthreshold     {} of {}\nmembers       {}\nlast period   {}\nreports       {}\nbonded        {}\ncluster       {}",
        c.set.epoch, if c.set_revoked { " (revoked: awaiting the admin's rotation)" } else { "" }, c.set.threshold, c.set.count, members.join("\n              "), c.last_period, c.reports_certified, amount::format(c.total_bonded, 9), cluster
    );
    ctx.print(text, json!({ "epoch": c.set.epoch, "threshold": c.set.threshold, "members": members, "last_period": c.last_period, "reports_certified": c.reports_certified, "cluster_id": cluster, "set_revoked": c.set_revoked }));
    Ok(())
}
