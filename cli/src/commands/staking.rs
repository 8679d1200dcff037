//! io_staking: operators, their bonds and devices, and delegated stake (stake, unstake, withdraw,
//! claim, positions).
use crate::{
    context::{name_arg, parse_pubkey, Ctx, Money},
    output::{Render, Report, Sent},
};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use io_sdk::{amount, staking as ssdk, views::PositionView, Name};
use io_staking::{DeviceSpec, HardwareClass};
use serde::Serialize;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

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
    /// Claim OPERATOR's rewards (default: yours) from io_token's emissions with the proof of the
    /// latest certified oracle report; anyone may send it, the rewards go to the operator's pool.
    ClaimRewards {
        operator: Option<String>,
        /// An oracle node's API (default: the local network manifest's first node).
        #[arg(long, env = "IO_ORACLE_URL")]
        oracle: Option<String>,
    },
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
        /// The hardware class, by the names `io device list` and the API print.
        #[arg(long, value_parser = name_arg::<HardwareClass>())]
        class: HardwareClass,
        #[arg(long)]
        region: String,
        #[arg(long)]
        green: bool,
        /// Hardware identity (any text; its hash identifies the device). Default: model and time.
        #[arg(long)]
        id: Option<String>,
        /// The device's worker key (`io-worker key` prints it on the device's machine): the key
        /// io-worker signs and proves with. Only you can bind it, and rotate it (`bind-worker`).
        #[arg(long)]
        worker_key: String,
    },
    /// Bind a new worker key to a device of yours (rotate the key io-worker runs with).
    BindWorker {
        device: String,
        /// The new worker key (`io-worker key` prints it).
        worker_key: String,
    },
    /// Devices, of one operator or of all.
    List {
        #[arg(long)]
        operator: Option<String>,
    },
    /// Retire a device of yours (final).
    Remove { device: String },
}

fn overflow(what: &str) -> anyhow::Error {
    anyhow!("{what} is too large: it would overflow a 64-bit token amount")
}

// ---- operators ------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct OperatorAddress {
    pub operator: String,
}

#[derive(Serialize)]
pub struct Bps {
    pub bps: u16,
}

/// `io operator show`.
#[derive(Serialize)]
pub struct OperatorShow {
    pub operator: String,
    pub authority: String,
    pub name: String,
    pub region: String,
    pub commission_bps: u16,
    pub bond: u64,
    pub required_bond: u64,
    pub devices_active: u32,
    pub stake: u64,
    pub delegators: u32,
    pub pending_slashes: u32,
    #[serde(skip)]
    o: io_staking::Operator,
    #[serde(skip)]
    io: Money,
}

impl Render for OperatorShow {
    fn text(&self) -> String {
        let sym = self.io.symbol();
        let (o, f) = (&self.o, |v: u64| self.io.format(v));
        format!(
            "operator     {}\nauthority    {}\nname         {}\nregion       {}\ncommission   {} bps{}\nbond         {} {sym} (required {} {sym}, withdrawing {} {sym})\ndevices      {} active of {}\nstake        {} {sym} from {} delegators (unbonding {} {sym})\nslashed      {} {sym}{}",
            self.operator, o.authority, o.name, o.region, o.commission_bps,
            if o.commission_effective_ts != 0 { format!(" → {} bps at unix {}", o.pending_commission_bps, o.commission_effective_ts) } else { String::new() },
            f(o.bond), f(o.required_bond), f(o.bond_withdrawing), o.devices_active, o.devices_registered,
            f(o.stake_tokens), o.delegator_count, f(o.unbonding_tokens), f(o.total_slashed),
            if o.pending_slashes > 0 {
                format!("\npending      {} slash(es): bond and unstaked $IO cannot be withdrawn until settled", o.pending_slashes)
            } else {
                String::new()
            }
        )
    }
}

#[derive(Serialize)]
pub struct OperatorRow {
    pub operator: String,
    pub name: String,
    pub region: String,
    pub commission_bps: u16,
    pub stake: u64,
    pub devices_active: u32,
}

/// `io operator list`.
#[derive(Serialize)]
pub struct OperatorList {
    pub operators: Vec<OperatorRow>,
    #[serde(skip)]
    io: Money,
}

impl Render for OperatorList {
    fn text(&self) -> String {
        let sym = self.io.symbol();
        let mut lines = vec![format!(
            "{:<44} {:<20} {:<16} {:>6} {:>14} {:>8}",
            "operator",
            "name",
            "region",
            "bps",
            &format!("stake {sym}"),
            "devices"
        )];
        for o in &self.operators {
            let stake = self.io.format(o.stake);
            lines.push(format!(
                "{:<44} {:<20} {:<16} {:>6} {:>14} {:>8}",
                o.operator, o.name, o.region, o.commission_bps, stake, o.devices_active
            ));
        }
        lines.join("\n")
    }
}

pub async fn operator(ctx: &Ctx, cmd: OperatorCmd) -> Result<Report> {
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
            Report::of(&Sent::new(
                format!("registered operator {op}"),
                sig,
                OperatorAddress { operator: op.to_string() },
            ))
        }
        OperatorCmd::Show { operator } => {
            let address = parse_pubkey(&operator, "operator")?;
            let o = ctx.operator(&address).await?;
            let io = ctx.io().await?;
            Report::of(&OperatorShow {
                operator: address.to_string(),
                authority: o.authority.to_string(),
                name: o.name.clone(),
                region: o.region.clone(),
                commission_bps: o.commission_bps,
                bond: o.bond,
                required_bond: o.required_bond,
                devices_active: o.devices_active,
                stake: o.stake_tokens,
                delegators: o.delegator_count,
                pending_slashes: o.pending_slashes,
                o,
                io,
            })
        }
        OperatorCmd::ClaimRewards { operator, oracle } => {
            let node =
                super::reports::Node::new(super::reports::node_url(oracle.as_deref(), &ctx.manifest)?)?;
            Report::of(&super::reports::claim_rewards(ctx, &node, operator.as_deref()).await?)
        }
        OperatorCmd::List => {
            let ops: Vec<(Pubkey, io_staking::Operator)> =
                ctx.c.program_accounts(&io_staking::ID, vec![]).await?;
            let io = ctx.io().await?;
            let operators = ops
                .into_iter()
                .map(|(k, o)| OperatorRow {
                    operator: k.to_string(),
                    name: o.name,
                    region: o.region,
                    commission_bps: o.commission_bps,
                    stake: o.stake_tokens,
                    devices_active: o.devices_active,
                })
                .collect();
            Report::of(&OperatorList { operators, io })
        }
        OperatorCmd::Commission { bps } => {
            let sig = ctx.c.send(&[ssdk::request_commission_change(&w, bps)], &[]).await?;
            Report::of(&Sent::new(format!("requested a commission of {bps} bps"), sig, Bps { bps }))
        }
    }
}

// ---- bond ---------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct Amount {
    pub amount: u64,
}

pub async fn bond(ctx: &Ctx, cmd: BondCmd) -> Result<Sent<Amount>> {
    let cfg = ctx.staking_config().await?;
    let io = ctx.io().await?;
    let sym = io.symbol();
    let w = ctx.c.wallet();
    let op = ctx
        .c
        .account::<io_staking::Operator>(&ssdk::operator(&w))
        .await?
        .ok_or_else(|| anyhow!("your wallet is not an operator: register with `io operator register`"))?;
    match cmd {
        BondCmd::Add { amount: a } => {
            let v = io.parse(&a, "amount")?;
            let after = op.bond.checked_add(v).ok_or_else(|| overflow("the bond"))?;
            let src = ctx.source(&io, v).await?;
            let sig = ctx.c.send(&[ssdk::add_bond(&w, &io.mint, &src, v)], &[]).await?;
            Ok(Sent::new(
                format!("bond +{a} {sym} (now {} {sym})", io.format(after)),
                sig,
                Amount { amount: v },
            ))
        }
        BondCmd::Withdraw { amount: Some(a) } => {
            let v = io.parse(&a, "amount")?;
            let free = op.bond.saturating_sub(op.required_bond);
            if v > free {
                bail!(
                    "you can withdraw at most {} {sym}: your active devices require {} of your {} {sym} bond",
                    io.format(free),
                    io.format(op.required_bond),
                    io.format(op.bond)
                );
            }
            let sig = ctx.c.send(&[ssdk::request_bond_withdrawal(&w, v)], &[]).await?;
            Ok(Sent::new(
                format!("{a} {sym} of bond unbonding for {} days", cfg.params.bond_unbonding_secs / 86_400),
                sig,
                Amount { amount: v },
            ))
        }
        BondCmd::Withdraw { amount: None } => {
            if op.bond_withdrawing == 0 {
                bail!("no bond is unbonding: start with `io bond withdraw AMOUNT`");
            }
            let (dst, mut ixs) = ctx.destination(&io.mint).await?;
            ixs.push(ssdk::withdraw_bond(&w, &io.mint, &dst));
            let sig = ctx.c.send(&ixs, &[]).await?;
            Ok(Sent::new(
                format!("withdrew {} {sym} of bond", io.format(op.bond_withdrawing)),
                sig,
                Amount { amount: op.bond_withdrawing },
            ))
        }
    }
}

// ---- devices ------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct DeviceAddress {
    pub device: String,
}

#[derive(Serialize)]
pub struct DeviceRow {
    pub device: String,
    pub operator: String,
    pub model: String,
    pub gpus: u16,
    pub vram_gb: u16,
    pub class: &'static str,
    pub region: String,
    pub status: &'static str,
    pub green: bool,
    /// The key its io-worker signs with.
    pub worker_key: String,
}

/// `io device list`.
#[derive(Serialize)]
pub struct DeviceList {
    pub devices: Vec<DeviceRow>,
}

impl Render for DeviceList {
    fn text(&self) -> String {
        let row = |cells: [&str; 9]| {
            format!(
                "{:<44} {:<22} {:>4} {:>6} {:<15} {:<9} {:<8} {:<5} {}",
                cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[8]
            )
        };
        let mut lines = vec![row([
            "device",
            "model",
            "gpus",
            "vram",
            "class",
            "region",
            "status",
            "green",
            "worker key",
        ])];
        for d in &self.devices {
            lines.push(row([
                &d.device,
                &d.model,
                &d.gpus.to_string(),
                &d.vram_gb.to_string(),
                d.class,
                &d.region,
                d.status,
                &d.green.to_string(),
                &d.worker_key,
            ]));
        }
        lines.join("\n")
    }
}

/// `io device bind-worker`.
#[derive(Serialize)]
pub struct WorkerBinding {
    pub device: String,
    pub worker_key: String,
    pub previous: String,
}

/// A worker key from the command line: a base58 key, not the default address (io_staking
/// refuses that one: nobody holds its secret).
fn worker_key_arg(text: &str) -> Result<Pubkey> {
    let key = parse_pubkey(text, "worker key")?;
    if key == Pubkey::default() {
        bail!(
            "the worker key cannot be {key} (nobody holds its secret): pass the key `io-worker key` prints"
        );
    }
    Ok(key)
}

/// The device identity hash: sha256 of the identity text.
fn id_hash(text: &str) -> [u8; 32] {
    solana_sha256_hasher::hash(text.as_bytes()).to_bytes()
}

pub async fn device(ctx: &Ctx, cmd: DeviceCmd) -> Result<Report> {
    let w = ctx.c.wallet();
    match cmd {
        DeviceCmd::Add { model, gpus, vram_gb, class, region, green, id, worker_key } => {
            io_staking::Device::validate_spec(class, &model, gpus, vram_gb, &region).map_err(|_| {
                anyhow!("invalid device: a cpu device has --gpus 0 and --vram-gb 0; a GPU device has --model, 1 to {} --gpus and --vram-gb > 0; --region 1 to {} bytes", io_staking::MAX_GPUS_PER_DEVICE, io_staking::MAX_REGION_LEN)
            })?;
            let identity = id.unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                format!("{model}-{nanos}")
            });
            let worker = worker_key_arg(&worker_key)?;
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
            let sig = ctx.c.send(&[ssdk::register_device(&w, spec, worker)], &[]).await?;
            Report::of(&Sent::new(
                format!("registered device {address} (pending until attested)"),
                sig,
                DeviceAddress { device: address.to_string() },
            ))
        }
        DeviceCmd::List { operator } => {
            let mut filters = vec![];
            if let Some(o) = operator {
                let o = parse_pubkey(&o, "operator")?;
                // Device: discriminator ‖ operator.
                filters.push(RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8, o.to_bytes().to_vec())));
            }
            let devs: Vec<(Pubkey, io_staking::Device)> =
                ctx.c.program_accounts(&io_staking::ID, filters).await?;
            let devices = devs
                .into_iter()
                .map(|(k, d)| DeviceRow {
                    device: k.to_string(),
                    operator: d.operator.to_string(),
                    model: d.gpu_model,
                    gpus: d.gpu_count,
                    vram_gb: d.vram_gb,
                    class: d.class.name(),
                    region: d.region,
                    status: d.status.name(),
                    green: d.green,
                    worker_key: d.worker_key.to_string(),
                })
                .collect();
            Report::of(&DeviceList { devices })
        }
        DeviceCmd::BindWorker { device, worker_key } => {
            let dev = parse_pubkey(&device, "device")?;
            let worker = worker_key_arg(&worker_key)?;
            let d: io_staking::Device = ctx
                .c
                .account(&dev)
                .await?
                .ok_or_else(|| anyhow!("no device at {dev}: see `io device list`"))?;
            if d.operator != ssdk::operator(&w) {
                bail!("device {dev} is not yours: it belongs to operator {}", d.operator);
            }
            if d.status == io_staking::DeviceStatus::Retired {
                bail!("device {dev} is retired: a retired device keeps its last worker key");
            }
            if d.worker_key == worker {
                bail!("device {dev} is already bound to {worker}: nothing to change");
            }
            let sig = ctx.c.send(&[ssdk::bind_worker(&w, &dev, worker)], &[]).await?;
            Report::of(&Sent::new(
                format!("device {dev} now names worker key {worker} (was {})", d.worker_key),
                sig,
                WorkerBinding {
                    device: dev.to_string(),
                    worker_key: worker.to_string(),
                    previous: d.worker_key.to_string(),
                },
            ))
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
            Report::of(&Sent::new(
                format!("retired device {dev}"),
                sig,
                DeviceAddress { device: dev.to_string() },
            ))
        }
    }
}

// ---- stake --------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct Staked {
    pub operator: String,
    pub amount: u64,
    pub position: u64,
}

pub async fn stake(ctx: &Ctx, operator: &str, amount_text: &str) -> Result<Sent<Staked>> {
    // Arguments first: a typo is reported without touching the network.
    let op_address = parse_pubkey(operator, "operator")?;
    amount::check_syntax(amount_text, "amount")?;
    let cfg = ctx.staking_config().await?;
    let io = ctx.io().await?;
    let sym = io.symbol();
    let v = io.parse(amount_text, "amount")?;
    if v == 0 {
        bail!("the amount must be more than 0");
    }
    let op = ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let held = position_value(ctx, &op, &op_address, &w).await?;
    let after = held.value_after_stake(v).map_err(|_| {
        anyhow!(
            "{amount_text} {sym} on top of your {} {sym} position is more than any position can hold",
            io.format(held.value)
        )
    })?;
    let min = cfg.params.min_stake;
    if after < min {
        if held.value == 0 {
            bail!("a stake must be at least {} {sym}; you asked for {amount_text}", io.format(min));
        }
        bail!(
            "a stake position must be at least {} {sym}; yours would be {}",
            io.format(min),
            io.format(after)
        );
    }
    let src = ctx.source(&io, v).await?;
    let sig = ctx.c.send(&[ssdk::stake(&w, &op_address, &io.mint, &src, v)], &[]).await?;
    Ok(Sent::new(
        format!(
            "staked {amount_text} {sym} with {} ({op_address}); position now {} {sym}",
            op.name,
            io.format(after)
        ),
        sig,
        Staked { operator: op_address.to_string(), amount: v, position: after },
    ))
}

/// The wallet's position with the operator, valued as the program values it (an empty view when
/// there is none).
async fn position_value(
    ctx: &Ctx,
    op: &io_staking::Operator,
    op_address: &Pubkey,
    wallet: &Pubkey,
) -> Result<PositionView> {
    let pos: Option<io_staking::Position> = ctx.c.account(&ssdk::position(op_address, wallet)).await?;
    // No position: the view's default (nothing staked, nothing claimable).
    Ok(pos.map(|p| PositionView::new(&p, op)).transpose()?.unwrap_or_default())
}

#[derive(Serialize)]
pub struct Unstaked {
    pub operator: String,
    pub amount: u64,
    pub cooldown_secs: i64,
}

pub async fn unstake(ctx: &Ctx, operator: &str, amount_text: &str) -> Result<Sent<Unstaked>> {
    let op_address = parse_pubkey(operator, "operator")?;
    if amount_text != "all" {
        amount::check_syntax(amount_text, "amount")?;
    }
    let cfg = ctx.staking_config().await?;
    let io = ctx.io().await?;
    let sym = io.symbol();
    let op = ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let held = position_value(ctx, &op, &op_address, &w).await?.value;
    if held == 0 {
        bail!("you have no stake with operator {op_address}");
    }
    let v = if amount_text == "all" { held } else { io.parse(amount_text, "amount")? };
    let rest = match held.checked_sub(v) {
        Some(rest) if v > 0 => rest,
        _ => bail!("you can unstake 0 < amount ≤ {} {sym} (your position)", io.format(held)),
    };
    if rest != 0 && rest < cfg.params.min_stake {
        bail!(
            "an unstake must leave 0 or at least {} {sym}: you hold {}, unstaking {amount_text} would leave {} (unstake everything with `io unstake {op_address} all`)",
            io.format(cfg.params.min_stake), io.format(held), io.format(rest)
        );
    }
    let (dst, mut ixs) = ctx.destination(&io.mint).await?;
    ixs.push(ssdk::unstake(&w, &op_address, &io.mint, &dst, v));
    let sig = ctx.c.send(&ixs, &[]).await?;
    let days = cfg.params.unstake_cooldown_secs / 86_400;
    Ok(Sent::new(
        format!("unstaked {} {sym}; stake made this hour (still activating) came back at once, the rest you withdraw with `io withdraw {op_address}` after the {days}-day cooldown", io.format(v)),
        sig,
        Unstaked { operator: op_address.to_string(), amount: v, cooldown_secs: cfg.params.unstake_cooldown_secs },
    ))
}

#[derive(Serialize)]
pub struct Received {
    pub operator: String,
    pub amount: u64,
}

pub async fn withdraw_or_claim(ctx: &Ctx, operator: &str, claim: bool) -> Result<Sent<Received>> {
    let op_address = parse_pubkey(operator, "operator")?;
    let io = ctx.io().await?;
    let sym = io.symbol();
    ctx.operator(&op_address).await?;
    let w = ctx.c.wallet();
    let (dst, mut ixs) = ctx.destination(&io.mint).await?;
    ixs.push(if claim {
        ssdk::claim_rewards(&w, &op_address, &io.mint, &dst)
    } else {
        ssdk::withdraw(&w, &op_address, &io.mint, &dst)
    });
    // The amount received is the destination's balance change (an account created in the same
    // transaction starts from 0).
    let before = ctx.c.token_balance(&dst).await?.unwrap_or(0);
    let sig = ctx.c.send(&ixs, &[]).await?;
    let after = ctx
        .c
        .token_balance(&dst)
        .await?
        .ok_or_else(|| anyhow!("the receiving account {dst} is missing after the transaction {sig}"))?;
    let got = after.saturating_sub(before);
    let what = if claim { "claimed" } else { "withdrew" };
    Ok(Sent::new(
        format!("{what} {} {sym}", io.format(got)),
        sig,
        Received { operator: op_address.to_string(), amount: got },
    ))
}

// ---- positions ----------------------------------------------------------------------------

#[derive(Serialize)]
pub struct PositionRow {
    pub operator: String,
    /// io-sdk's figures: `staked` is the view's value; `claimable`, `activating`,
    /// `activation_period` (`null` when nothing activates) and `pending` as it names them.
    pub staked: u64,
    pub claimable: u64,
    pub activating: u64,
    pub activation_period: Option<u64>,
    pub pending: Vec<io_sdk::views::PendingUnstake>,
    #[serde(skip)]
    operator_name: String,
}

/// `io positions`.
#[derive(Serialize)]
pub struct Positions {
    pub wallet: String,
    pub positions: Vec<PositionRow>,
    #[serde(skip)]
    io: Money,
}

impl Render for Positions {
    fn text(&self) -> String {
        let sym = self.io.symbol();
        let f = |v: u64| self.io.format(v);
        let mut lines = vec![];
        for p in &self.positions {
            lines.push(format!(
                "{} ({}): {} {sym} staked, {} {sym} claimable",
                p.operator,
                p.operator_name,
                f(p.staked),
                f(p.claimable)
            ));
            if let Some(period) = p.activation_period {
                let start = i64::try_from(period).unwrap_or(i64::MAX).saturating_mul(io_oracle::PERIOD_SECS);
                lines.push(format!(
                    "    activating {} {sym}: earns from reward period {period} (the hour from unix {start})",
                    f(p.activating)
                ));
            }
            for t in &p.pending {
                lines.push(format!("    unstaking {} {sym}, unlocks at unix {}", f(t.amount), t.unlock_ts));
            }
        }
        if lines.is_empty() {
            lines.push(format!("no stake positions for {}", self.wallet));
        }
        lines.join("\n")
    }
}

pub async fn positions(ctx: &Ctx, wallet: Option<&str>) -> Result<Positions> {
    let w = match wallet {
        Some(t) => parse_pubkey(t, "wallet")?,
        None => ctx.c.wallet(),
    };
    let io = ctx.io().await?;
    // Position: discriminator ‖ operator ‖ staker.
    let filter = RpcFilterType::Memcmp(Memcmp::new_raw_bytes(8 + 32, w.to_bytes().to_vec()));
    let found: Vec<(Pubkey, io_staking::Position)> =
        ctx.c.program_accounts(&io_staking::ID, vec![filter]).await?;
    let mut positions = vec![];
    for (_, p) in found {
        let op = ctx.operator(&p.operator).await?;
        // Exactly as the program values and settles the position; stake still warming up earns
        // from its activation period (an hourly reward period) on.
        let view = PositionView::new(&p, &op)?;
        positions.push(PositionRow {
            operator: p.operator.to_string(),
            staked: view.value,
            claimable: view.claimable,
            activating: view.activating,
            activation_period: view.activation_period,
            pending: view.pending,
            operator_name: op.name,
        });
    }
    Ok(Positions { wallet: w.to_string(), positions, io })
}
