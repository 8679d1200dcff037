//! io_escrow: offers of devices for lease, and leases (open, show, top up, close, finalize).
use crate::{
    commands::reports,
    context::{name_arg, parse_pubkey, Ctx, Money},
    output::{Render, Report, Sent},
};
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use io_sdk::{
    escrow as esdk,
    names::Currency,
    views::{DepositQuote, LeaseView},
    Name,
};
use io_staking::DeviceStatus;
use serde::Serialize;

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

#[derive(Subcommand)]
pub enum LeaseCmd {
    /// Lease devices for HOURS, paying in USDC (2% fee) or $IO (no fee).
    Open {
        #[arg(long = "device", required = true)]
        devices: Vec<String>,
        #[arg(long)]
        hours: u32,
        #[arg(long, value_parser = name_arg::<Currency>())]
        pay: Currency,
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
    /// Finalize a lease after its end and grace period (anyone may): what was not paid to the
    /// providers or taken in fees goes back to the renter, and the lease is closed for good.
    /// Usage itself is settled by the usage authority and the oracles, not from here.
    Finalize { lease: String },
    /// Attested usage: per device, the seconds the latest certified oracle report attests
    /// against the seconds elapsed, what was settled and paid, and what the renter gets back.
    Usage {
        lease: String,
        /// An oracle node's API (default: the local network manifest's first node).
        #[arg(long, env = "IO_ORACLE_URL")]
        oracle: Option<String>,
    },
    /// Reach your lease's Ray cluster: a local address that signs every request with your wallet.
    /// Then use Ray's own tools: `ray job submit --address http://127.0.0.1:PORT -- python job.py`.
    /// Runs until Ctrl-C.
    Connect {
        lease: String,
        /// The local port (0: any free port).
        #[arg(long, default_value_t = 8265)]
        port: u16,
        #[command(flatten)]
        find: FindCluster,
    },
    /// The jobs on your lease's cluster, their status and (for one JOB, or with --logs) their logs.
    Jobs {
        lease: String,
        /// One job's submission id: its status and logs.
        job: Option<String>,
        /// The logs of every job.
        #[arg(long)]
        logs: bool,
        #[command(flatten)]
        find: FindCluster,
    },
}

/// How `io lease connect` and `io lease jobs` find the head worker's gateway.
#[derive(clap::Args)]
pub struct FindCluster {
    /// Oracle nodes to read the head device's signed heartbeat from, comma-separated (default:
    /// the local network manifest's nodes).
    #[arg(long, value_delimiter = ',')]
    pub oracle: Vec<String>,
    /// The head worker's gateway URL, when known (skips the oracle nodes).
    #[arg(long)]
    pub endpoint: Option<String>,
}

// ---- offers -------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct OfferPosted {
    pub device: String,
    pub offer: String,
}

#[derive(Serialize)]
pub struct OfferRow {
    pub device: String,
    pub operator: String,
    pub usdc_per_hour: u64,
    pub io_per_hour: u64,
    pub min_hours: u32,
    pub max_hours: u32,
    pub available: bool,
}

/// `io offer list`.
#[derive(Serialize)]
pub struct OfferList {
    pub offers: Vec<OfferRow>,
    #[serde(skip)]
    usdc: Money,
    #[serde(skip)]
    io: Money,
}

impl Render for OfferList {
    fn text(&self) -> String {
        let mut lines = vec![format!(
            "{:<44} {:>12} {:>12} {:>9} {}",
            "device", "USDC/hour", "IO/hour", "hours", "available"
        )];
        for o in &self.offers {
            lines.push(format!(
                "{:<44} {:>12} {:>12} {:>9} {}",
                o.device,
                self.usdc.format(o.usdc_per_hour),
                self.io.format(o.io_per_hour),
                format!("{}-{}", o.min_hours, o.max_hours),
                o.available
            ));
        }
        lines.join("\n")
    }
}

pub async fn offer(ctx: &Ctx, cmd: OfferCmd) -> Result<Report> {
    let e = ctx.escrow_config().await?;
    let (usdc, io) = (ctx.usdc(&e).await?, ctx.io().await?);
    match cmd {
        OfferCmd::Post { device, usdc: usdc_price, io: io_price, min_hours, max_hours } => {
            let dev = parse_pubkey(&device, "device")?;
            let usdc_rate =
                usdc_price.as_deref().map(|t| usdc.parse(t, "--usdc price")).transpose()?.unwrap_or(0);
            let io_rate = io_price.as_deref().map(|t| io.parse(t, "--io price")).transpose()?.unwrap_or(0);
            if usdc_rate == 0 && io_rate == 0 {
                bail!("give a price: --usdc PRICE and/or --io PRICE per device-hour");
            }
            let w = ctx.c.wallet();
            let sig = ctx
                .c
                .send(&[esdk::post_offer(&w, &dev, usdc_rate, io_rate, min_hours, max_hours)], &[])
                .await?;
            Report::of(&Sent::new(
                format!("offer posted for {dev}"),
                sig,
                OfferPosted { device: dev.to_string(), offer: esdk::offer(&dev).to_string() },
            ))
        }
        OfferCmd::List => {
            let offers: Vec<(Pubkey, io_escrow::Offer)> =
                ctx.c.program_accounts(&io_escrow::ID, vec![]).await?;
            let now = ctx.chain_now().await?;
            let offers = offers
                .into_iter()
                .filter(|(_, o)| o.active)
                .map(|(_, o)| OfferRow {
                    device: o.device.to_string(),
                    operator: o.operator.to_string(),
                    usdc_per_hour: o.price_usdc_per_hour,
                    io_per_hour: o.price_io_per_hour,
                    min_hours: o.min_hours,
                    max_hours: o.max_hours,
                    available: o.lease == Pubkey::default() || o.leased_until <= now,
                })
                .collect();
            Report::of(&OfferList { offers, usdc, io })
        }
    }
}

// ---- leases -------------------------------------------------------------------------------

#[derive(Serialize)]
pub struct Opened {
    pub lease: String,
    pub deposit: u64,
    pub base: u64,
    pub fee_reserve: u64,
    pub fee_bps: u16,
    pub mint: String,
}

#[derive(Serialize)]
pub struct LeaseDeviceRow {
    pub device: String,
    pub rate_per_hour: u64,
    pub attested_seconds: u64,
    pub paid: u64,
}

/// `io lease show`.
#[derive(Serialize)]
pub struct LeaseShow {
    pub lease: String,
    pub renter: String,
    /// `open`, `ended` or `closed`: the names the indexer's API serves.
    pub status: &'static str,
    pub start_ts: i64,
    pub end_ts: i64,
    pub hours: u32,
    pub mint: String,
    pub deposit: u64,
    pub paid: u64,
    pub fees: u64,
    pub refunded: u64,
    pub held: u64,
    pub devices: Vec<LeaseDeviceRow>,
    #[serde(skip)]
    money: Money,
}

impl Render for LeaseShow {
    fn text(&self) -> String {
        let (f, sym) = (|v: u64| self.money.format(v), self.money.symbol());
        let mut text = format!(
            "lease     {}\nrenter    {}\nstatus    {}\nperiod    unix {} → {} ({} h)\ndeposit   {} {sym}\npaid      {} {sym}\nfees      {} {sym}\nrefunded  {} {sym}\nheld      {} {sym}",
            self.lease, self.renter, self.status, self.start_ts, self.end_ts, self.hours, f(self.deposit), f(self.paid), f(self.fees), f(self.refunded), f(self.held)
        );
        for d in &self.devices {
            text.push_str(&format!(
                "\n  device {}: {} {sym}/h, {} s attested, {} {sym} paid",
                d.device,
                f(d.rate_per_hour),
                d.attested_seconds,
                f(d.paid)
            ));
        }
        text
    }
}

#[derive(Serialize)]
pub struct LeaseAddress {
    pub lease: String,
}

#[derive(Serialize)]
pub struct ToppedUp {
    pub lease: String,
    pub amount: u64,
}

/// io-sdk's quote for `hours` of `rates` with the fee reserve, or a message saying that the
/// prices are too large to pay for that long (never an overflow panic).
fn quote(rates: &[u64], hours: u32, fee_bps: u16, money: &Money) -> Result<DepositQuote> {
    DepositQuote::new(rates, hours, fee_bps).map_err(|_| {
        anyhow!(
            "the price of these devices for {hours} h (or their hourly rates added up) is more {} than a 64-bit amount can hold: lease fewer hours or devices",
            money.symbol()
        )
    })
}

fn not_found(address: &Pubkey) -> anyhow::Error {
    anyhow!("no lease at {address}")
}

pub async fn lease(ctx: &Ctx, cmd: LeaseCmd) -> Result<Report> {
    // Usage asks an oracle node first (which node to ask is the likelier mistake).
    if let LeaseCmd::Usage { lease, oracle } = cmd {
        let node = reports::Node::new(reports::node_url(oracle.as_deref(), &ctx.manifest)?)?;
        return Report::of(&reports::lease_usage(ctx, &node, &lease).await?);
    }
    // The cluster commands read the lease themselves and need no escrow config.
    match cmd {
        LeaseCmd::Connect { lease, port, find } => {
            return super::cluster::connect(ctx, &lease, port, &find).await
        }
        LeaseCmd::Jobs { lease, job, logs, find } => {
            let target = super::cluster::target(ctx, &lease, &find.oracle, find.endpoint.as_deref()).await?;
            return Report::of(&super::cluster::jobs::list(&target, job.as_deref(), logs).await?);
        }
        _ => {}
    }
    let e = ctx.escrow_config().await?;
    let w = ctx.c.wallet();
    match cmd {
        LeaseCmd::Open { devices, hours, pay, nonce } => {
            let (money, fee_bps) = (ctx.money(&e, pay).await?, pay.fee_bps(&e));
            let symbol = money.symbol();
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
                    bail!("device {dev} is {}: only active devices can be leased", d.status.name());
                }
                let o: io_escrow::Offer = ctx
                    .c
                    .account(&esdk::offer(&dev))
                    .await?
                    .ok_or_else(|| anyhow!("device {dev} has no offer: see `io offer list`"))?;
                if !o.active {
                    bail!("the offer for device {dev} was withdrawn");
                }
                let rate = match pay {
                    Currency::Usdc => o.price_usdc_per_hour,
                    Currency::Io => o.price_io_per_hour,
                };
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
            let q = quote(&rates, hours, fee_bps, &money)?;
            let (base, reserve, deposit, rate) = (q.base, q.fee_reserve, q.total, q.rate_per_hour);
            let f = |v: u64| money.format(v);
            if !ctx.json {
                eprintln!(
                    "lease of {} device(s) for {hours} h: rate {} {symbol}/h in all, deposit {} {symbol} = {} for the hours + {} fee reserve ({} bps, charged only on what providers are paid; the rest is refunded)",
                    keys.len(), f(rate), f(deposit), f(base), f(reserve), fee_bps
                );
            }
            let src = ctx.source(&money, deposit).await?;
            ctx.confirm("open this lease")?;
            let nonce = nonce.unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            });
            // The deposit shown is the most the renter signs for: an operator re-pricing (or a fee
            // change) between this quote and the transaction makes it fail instead of costing more.
            let ix = esdk::open_lease(&w, nonce, &money.mint, &src, hours, deposit, &keys);
            let sig = ctx.c.send(&[ix], &[]).await?;
            let lease = esdk::lease(&w, nonce);
            Report::of(&Sent::new(
                format!("opened lease {lease}"),
                sig,
                Opened {
                    lease: lease.to_string(),
                    deposit,
                    base,
                    fee_reserve: reserve,
                    fee_bps,
                    mint: money.mint.to_string(),
                },
            ))
        }
        LeaseCmd::Show { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease = ctx.c.account(&address).await?.ok_or_else(|| not_found(&address))?;
            let money = ctx.money_of(&e, &l.payment_mint).await?;
            let view = LeaseView::new(&l)?;
            Report::of(&LeaseShow {
                lease: address.to_string(),
                renter: l.renter.to_string(),
                status: view.status,
                start_ts: l.start_ts,
                end_ts: l.end_ts,
                hours: view.hours,
                mint: l.payment_mint.to_string(),
                deposit: view.deposit,
                paid: view.paid,
                fees: view.fees,
                refunded: view.refunded,
                held: view.held,
                devices: l
                    .devices
                    .iter()
                    .map(|d| LeaseDeviceRow {
                        device: d.device.to_string(),
                        rate_per_hour: d.rate_per_hour,
                        attested_seconds: d.attested_seconds,
                        paid: d.paid,
                    })
                    .collect(),
                money,
            })
        }
        LeaseCmd::TopUp { lease, hours } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease = ctx.c.account(&address).await?.ok_or_else(|| not_found(&address))?;
            if l.renter != w {
                bail!("lease {address} is not yours");
            }
            let money = ctx.money_of(&e, &l.payment_mint).await?;
            let rates: Vec<u64> = l.devices.iter().map(|d| d.rate_per_hour).collect();
            let amount = quote(&rates, hours, l.fee_bps, &money)?.total;
            let src = ctx.source(&money, amount).await?;
            let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
            let sig = ctx
                .c
                .send(&[esdk::top_up_lease(&w, &address, &l.payment_mint, &src, hours, &devices)], &[])
                .await?;
            Report::of(&Sent::new(
                format!(
                    "extended lease {address} by {hours} h for {} {}",
                    money.format(amount),
                    money.symbol()
                ),
                sig,
                ToppedUp { lease: address.to_string(), amount },
            ))
        }
        LeaseCmd::Close { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease = ctx.c.account(&address).await?.ok_or_else(|| not_found(&address))?;
            if l.renter != w {
                bail!("lease {address} is not yours");
            }
            let (dst, mut ixs) = ctx.destination(&l.payment_mint).await?;
            let devices: Vec<Pubkey> = l.devices.iter().map(|d| d.device).collect();
            ixs.push(esdk::close_lease(&w, &address, &l.payment_mint, &dst, &devices));
            let sig = ctx.c.send(&ixs, &[]).await?;
            Report::of(&Sent::new(
                format!("closed lease {address}; unused time refunded, the rest after the grace period with `io lease finalize {address}`"),
                sig,
                LeaseAddress { lease: address.to_string() },
            ))
        }
        LeaseCmd::Usage { .. } | LeaseCmd::Connect { .. } | LeaseCmd::Jobs { .. } => {
            unreachable!("answered above")
        }
        LeaseCmd::Finalize { lease } => {
            let address = parse_pubkey(&lease, "lease")?;
            let l: io_escrow::Lease = ctx.c.account(&address).await?.ok_or_else(|| not_found(&address))?;
            // The rest goes to the renter's account, whoever sends this.
            let (dst, mut ixs) = ctx.destination_of(&l.renter, &l.payment_mint).await?;
            ixs.push(esdk::finalize_lease(&address, &l.payment_mint, &dst));
            let sig = ctx.c.send(&ixs, &[]).await?;
            Report::of(&Sent::new(
                format!("finalized lease {address}: the rest of the deposit went back to the renter"),
                sig,
                LeaseAddress { lease: address.to_string() },
            ))
        }
    }
}
