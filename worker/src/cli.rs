//! The command line: `io-worker run`, `status`, `detect`, `key`, `ray install|check`.
use crate::{
    chain::{self, Chain, Cluster},
    hardware::{self, matching, Nvml},
    prove::Identity,
    run::{self, Settings, Worker},
    state::StateDir,
    status,
    telemetry::Sampler,
};
use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use io_sdk::{
    keypair::{read_keypair, read_or_create_keypair, KeypairOrigin},
    Name, Pubkey,
};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::{io::IsTerminal, path::PathBuf, sync::Arc, time::Duration};

#[derive(Parser)]
#[command(
    name = "io-worker",
    version,
    about = "The IO Compute worker: proves this machine's hardware to the oracles, reports its telemetry, shows its status"
)]
pub struct Args {
    /// Solana JSON-RPC URL of the cluster, or as the `io` CLI: localnet (from
    /// .localnet/manifest.json), localhost, devnet, mainnet.
    #[arg(long, global = true, env = "IO_WORKER_URL", default_value = "http://127.0.0.1:8899")]
    pub url: String,
    /// The worker (device) key: a Solana keypair file, created on first run. Default: worker-key.json
    /// in the state directory.
    #[arg(long, global = true, env = "IO_WORKER_KEYPAIR")]
    pub keypair: Option<PathBuf>,
    /// Where the key (by default), pending answers and results are kept. Default: ~/.io-worker.
    #[arg(long, global = true, env = "IO_WORKER_STATE")]
    pub state_dir: Option<PathBuf>,
    #[arg(long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve: heartbeats to every oracle node, challenges answered. Stops on Ctrl-C.
    Run {
        /// Base URL of an oracle node (repeat for each; or IO_WORKER_ORACLES, comma-separated).
        #[arg(long = "oracle", env = "IO_WORKER_ORACLES", value_delimiter = ',', required = true)]
        oracles: Vec<String>,
        /// The operator whose device this is, when several devices name this worker key.
        #[arg(long)]
        operator: Option<String>,
        /// On a local network only: let the CPU stand in for the registered hardware (light
        /// challenges, marked simulated everywhere). Refused on any other cluster.
        #[arg(long)]
        simulate: bool,
        /// Seconds between heartbeats (and telemetry samples).
        #[arg(long, default_value_t = 5.0)]
        heartbeat_secs: f64,
        /// First retry delay after an oracle node fails, seconds; doubles per failure.
        #[arg(long, default_value_t = 1.0)]
        backoff_secs: f64,
        /// Longest retry delay, seconds.
        #[arg(long, default_value_t = 60.0)]
        backoff_max_secs: f64,
        /// Testing only: answer every challenge with wrong rows (a cheating worker, for the
        /// end-to-end tests of evidence and slashing). Needs --simulate, hence a local network.
        #[arg(long, hide = true, requires = "simulate")]
        testing_wrong_rows: bool,
        #[command(flatten)]
        clusters: ClusterArgs,
    },
    /// The Ray install the worker runs leases' clusters with.
    Ray {
        #[command(subcommand)]
        command: RayCommand,
    },
    /// The device, its on-chain status, last challenge results, earnings and live telemetry.
    Status {
        #[arg(long)]
        operator: Option<String>,
        /// Print once even on a terminal (no dashboard).
        #[arg(long)]
        once: bool,
    },
    /// What this machine is (NVML GPUs, CPU, memory) and one telemetry sample; reads no chain.
    Detect,
    /// Print the worker key's public key (creating the key if there is none).
    Key,
}

/// How leases are served as Ray clusters (`io-worker run`).
#[derive(clap::Args, Debug, Clone)]
pub struct ClusterArgs {
    /// Serve leases bare: no Ray cluster, no gateway; heartbeats carry no cluster report (the
    /// lease's seconds are the device's live seconds).
    #[arg(long, env = "IO_WORKER_NO_CLUSTERS")]
    pub no_clusters: bool,
    /// The Ray virtual environment (`io-worker ray install` creates it). Default: $IO_RAY_VENV,
    /// else ~/.cache/io-compute/ray-<version>.
    #[arg(long, env = "IO_WORKER_RAY_VENV")]
    pub ray_venv: Option<PathBuf>,
    /// Where the gateway listens: the lease's renter and the lease's other workers reach the
    /// cluster there (never Ray's own ports).
    #[arg(long, env = "IO_WORKER_GATEWAY", default_value = "0.0.0.0:7960")]
    pub gateway: std::net::SocketAddr,
    /// The gateway's URL as others reach it, advertised in heartbeats. Default: http://<gateway>,
    /// with --cluster-ip in place of a wildcard address.
    #[arg(long, env = "IO_WORKER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Ray's node IP on this device: where the lease's other devices reach its Ray node.
    #[arg(long, env = "IO_WORKER_CLUSTER_IP", default_value = "127.0.0.1")]
    pub cluster_ip: std::net::IpAddr,
    /// The first port of this device's Ray ports (a block of 150; every Ray node on one host
    /// needs its own block, as Ray binds some ports on every interface).
    #[arg(long, env = "IO_WORKER_RAY_PORTS", default_value_t = 20000)]
    pub ray_ports: u16,
    /// Ray's object store on this device, MB.
    #[arg(long, env = "IO_WORKER_RAY_OBJECT_STORE_MB", default_value_t = 512)]
    pub ray_object_store_mb: u64,
    /// Seconds between reads of the lease the device serves: a new lease becomes a cluster
    /// within this plus Ray's start.
    #[arg(long, env = "IO_WORKER_LEASE_POLL_SECS", default_value_t = 2.0)]
    pub lease_poll_secs: f64,
}

#[derive(Subcommand)]
pub enum RayCommand {
    /// Create the virtual environment and install the pinned Ray into it (skipped when present).
    Install {
        /// Default: $IO_RAY_VENV, else ~/.cache/io-compute/ray-<version>.
        #[arg(long)]
        venv: Option<PathBuf>,
    },
    /// Check that the pinned Ray is installed.
    Check {
        #[arg(long)]
        venv: Option<PathBuf>,
    },
}

/// The cluster settings from the flags; `None` with --no-clusters. Warns once when Ray is
/// missing: the worker still serves (heartbeats, challenges), and a lease's cluster reports
/// Failed with the same message until Ray is installed.
fn cluster_settings(
    a: &ClusterArgs,
    oracles: &[String],
    simulate: bool,
) -> Result<Option<crate::cluster::Settings>> {
    if a.no_clusters {
        return Ok(None);
    }
    let public_url = crate::cluster::public_url(a.public_url.as_deref(), a.gateway, a.cluster_ip);
    // A real device is reached from other machines: a loopback gateway would send renters and
    // the lease's other workers to their own machine. (Simulated devices run on one machine.)
    if !simulate && crate::chain::is_loopback(&public_url) {
        bail!(
            "the gateway would be advertised as {public_url}, which no other machine can reach: pass --public-url \
             http://THIS_MACHINE:{} and --cluster-ip THIS_MACHINE_IP (or --no-clusters)",
            a.gateway.port()
        );
    }
    let poll = a.lease_poll_secs;
    if !(poll.is_finite() && (0.1..=3600.0).contains(&poll)) {
        bail!("--lease-poll-secs must be a number of seconds in [0.1, 3600], got {poll}");
    }
    crate::cluster::ports::PortBlock::new(a.ray_ports).context("--ray-ports")?;
    let span = u32::from(crate::cluster::ports::BLOCK_SPAN);
    if let Some((lo, hi)) = ephemeral_ports() {
        let (first, last) = (u32::from(a.ray_ports), u32::from(a.ray_ports) + span - 1);
        if first <= hi && lo <= last {
            tracing::warn!(
                "--ray-ports {first}-{last} overlaps the kernel's ephemeral ports ({lo}-{hi}): any outgoing \
                 connection may take one of them and keep Ray from starting; choose a base below {}",
                lo.saturating_sub(span)
            );
        }
    }
    let object_store_bytes =
        a.ray_object_store_mb.checked_mul(1024 * 1024).filter(|b| *b >= 80 * 1024 * 1024).ok_or_else(
            || anyhow::anyhow!("--ray-object-store-mb must be at least 80 (Ray's minimum is 75 MiB)"),
        )?;
    let venv = a.ray_venv.clone().unwrap_or_else(crate::cluster::ray::default_venv);
    if let Err(e) = crate::cluster::ray::check(&venv) {
        tracing::warn!("leases will not get a Ray cluster until Ray is installed: {e:#}");
    }
    let (nvml, why) = load_nvml();
    let found = hardware::detect(nvml.as_deref(), why.as_deref());
    let memory_bytes = found.cpu.memory_mb.saturating_mul(1024 * 1024);
    let resources = crate::cluster::Resources {
        cpus: found.cpu.cores.max(1),
        gpus: u32::try_from(found.gpus.len()).unwrap_or(u32::MAX),
        // Ray's task memory: what the machine has, less the object store.
        memory_bytes: memory_bytes.saturating_sub(object_store_bytes),
    };
    Ok(Some(crate::cluster::Settings {
        venv,
        gateway: a.gateway,
        public_url,
        cluster_ip: a.cluster_ip,
        ray_ports: a.ray_ports,
        object_store_bytes,
        lease_poll: Duration::from_secs_f64(poll),
        resources,
        oracles: oracles.to_vec(),
    }))
}

/// The kernel's range of ports for outgoing connections (`ip_local_port_range`), when readable.
fn ephemeral_ports() -> Option<(u32, u32)> {
    let text = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").ok()?;
    let mut it = text.split_whitespace().map(|v| v.parse::<u32>().ok());
    Some((it.next()??, it.next()??))
}

/// Entry point of the binary: runs the command, prints an error in plain words and exits 1.
pub fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("IO_WORKER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("io_worker=info,warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
    let args = Args::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(dispatch(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn state_of(args: &Args) -> StateDir {
    StateDir::new(args.state_dir.clone().unwrap_or_else(StateDir::default_dir))
}

fn key_path(args: &Args, state: &StateDir) -> PathBuf {
    args.keypair.clone().unwrap_or_else(|| state.key_path())
}

/// The worker key, created with a message saying what to do next when there is none.
fn key_or_create(path: &std::path::Path) -> Result<Keypair> {
    let (key, origin) = read_or_create_keypair(path)?;
    if origin == KeypairOrigin::Created {
        let pk = key.pubkey();
        eprintln!(
            "created a new worker key at {} (public key {pk}). Keep this file: it is the device's identity. \
             Have the device's operator bind it: `io device add --worker-key {pk} ...` for a new device, or \
             `io device bind-worker DEVICE {pk}` for a registered one.",
            path.display()
        );
    }
    Ok(key)
}

/// `--url` with the `io` CLI's names resolved (io_sdk::client::resolve_url).
fn url(args: &Args) -> Result<String> {
    Ok(io_sdk::client::resolve_url(&args.url, std::path::Path::new(io_sdk::client::DEFAULT_MANIFEST))?)
}

fn parse_operator(s: &Option<String>) -> Result<Option<Pubkey>> {
    s.as_deref()
        .map(|o| o.parse::<Pubkey>().with_context(|| format!("--operator '{o}' is not a base58 public key")))
        .transpose()
}

async fn dispatch(args: Args) -> Result<()> {
    let state = state_of(&args);
    match &args.command {
        Command::Key => {
            let key = key_or_create(&key_path(&args, &state))?;
            println!("{}", key.pubkey());
            Ok(())
        }
        Command::Detect => {
            let (nvml, why) = load_nvml();
            let found = hardware::detect(nvml.as_deref(), why.as_deref());
            let mut sampler = Sampler::new(nvml.clone(), found.gpus.iter().map(|g| g.uuid.clone()).collect());
            sampler.sample();
            tokio::time::sleep(Duration::from_secs(1)).await;
            let t = sampler.sample();
            let json = serde_json::json!({
                "gpus": found.gpus.iter().map(|g| serde_json::json!({
                    "index": g.index, "name": g.name, "uuid": g.uuid,
                    "vram_gib": matching::vram_gib(g), "memory_bytes": g.memory_bytes,
                    "class": matching::class_of_model(&g.name).map(|c| c.name()),
                })).collect::<Vec<_>>(),
                "driver": found.driver,
                "gpu_unavailable": found.gpu_unavailable,
                "cpu": {"model": found.cpu.model, "cores": found.cpu.cores, "memory_mb": found.cpu.memory_mb},
                "telemetry": t,
            });
            println!("{}", serde_json::to_string_pretty(&json)?);
            Ok(())
        }
        Command::Run {
            oracles,
            operator,
            simulate,
            heartbeat_secs,
            backoff_secs,
            backoff_max_secs,
            testing_wrong_rows,
            clusters,
        } => {
            let secs = |v: f64, what: &str| {
                if v.is_finite() && v > 0.0 && v <= 3600.0 {
                    Ok(Duration::from_secs_f64(v))
                } else {
                    bail!("--{what} must be a number of seconds in (0, 3600], got {v}")
                }
            };
            let settings = Settings {
                oracles: oracles.iter().map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect(),
                heartbeat: secs(*heartbeat_secs, "heartbeat-secs")?,
                backoff_base: secs(*backoff_secs, "backoff-secs")?,
                backoff_max: secs(*backoff_max_secs, "backoff-max-secs")?,
            };
            for o in &settings.oracles {
                if !(o.starts_with("http://") || o.starts_with("https://")) {
                    bail!("--oracle '{o}' is not an http(s) URL");
                }
            }
            let operator = parse_operator(operator)?;
            let key = key_or_create(&key_path(&args, &state))?;
            // clap refuses --testing-wrong-rows without --simulate, and `start` refuses --simulate
            // anywhere but on a local network, so the cheat never reaches a real cluster.
            let mut worker = start(&url(&args)?, key, operator.as_ref(), *simulate, state).await?;
            // After the device is found: a flag mistake about clusters is said about a device
            // that can serve.
            let clusters = cluster_settings(clusters, &settings.oracles, *simulate)?;
            if *testing_wrong_rows {
                tracing::warn!("TESTING: every challenge of this worker is answered with wrong rows");
                worker.id.wrong_rows = true;
            }
            if let Some(c) = &clusters {
                worker = worker.with_clusters(c.public_url.clone());
            }
            run::run(Arc::new(worker), settings, clusters).await
        }
        Command::Ray { command } => match command {
            RayCommand::Install { venv } => {
                let venv = venv.clone().unwrap_or_else(crate::cluster::ray::default_venv);
                // Said only when there is something to install: `make up` runs this every time.
                if crate::cluster::ray::check(&venv).is_err() {
                    eprintln!(
                        "installing {} into {} (about 400 MB; a minute or two)",
                        io_sdk::worker::cluster::RAY_REQUIREMENT,
                        venv.display()
                    );
                }
                let v = venv.clone();
                let got = tokio::task::spawn_blocking(move || crate::cluster::ray::install(&v)).await??;
                println!("Ray {} is installed at {}", got.version, got.venv.display());
                Ok(())
            }
            RayCommand::Check { venv } => {
                let venv = venv.clone().unwrap_or_else(crate::cluster::ray::default_venv);
                let got = crate::cluster::ray::check(&venv)?;
                println!("Ray {} is installed at {}", got.version, got.venv.display());
                Ok(())
            }
        },
        Command::Status { operator, once } => {
            let path = key_path(&args, &state);
            if !path.exists() {
                bail!(
                    "no worker key at {}: run `io-worker run` (or `io-worker key`) once to create it",
                    path.display()
                );
            }
            let key = read_keypair(&path)?;
            let operator = parse_operator(operator)?;
            let chain = Chain::new(&url(&args)?, &key);
            let cluster = chain.cluster().await?;
            let found = chain.device(&key.pubkey(), operator.as_ref()).await?;
            let (nvml, why) = load_nvml();
            let detected = hardware::detect(nvml.as_deref(), why.as_deref());
            let mut sampler = Sampler::new(nvml, detected.gpus.iter().map(|g| g.uuid.clone()).collect());
            sampler.sample();
            let dashboard = args.output == Output::Text && !once && std::io::stdout().is_terminal();
            let mut leases = chain.leases(&found.0).await?;
            let mut read_at = std::time::Instant::now();
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                // The dashboard redraws every second; the chain's leases are read every ten.
                if read_at.elapsed() >= Duration::from_secs(10) {
                    leases = chain.leases(&found.0).await?;
                    read_at = std::time::Instant::now();
                }
                let s = status::gather(&state, &key.pubkey(), &found, &cluster, &leases, sampler.sample())?;
                match args.output {
                    Output::Json => println!("{}", serde_json::to_string_pretty(&s)?),
                    Output::Text if dashboard => {
                        // Clear the screen and home the cursor, then redraw.
                        print!("\x1b[2J\x1b[H{}\n\n(Ctrl-C to quit)\n", status::text(&s));
                        use std::io::Write;
                        std::io::stdout().flush()?;
                    }
                    Output::Text => println!("{}", status::text(&s)),
                }
                if !dashboard {
                    return Ok(());
                }
            }
        }
    }
}

fn load_nvml() -> (Option<Arc<Nvml>>, Option<String>) {
    match Nvml::load() {
        Ok(n) => (Some(Arc::new(n)), None),
        Err(e) => (None, Some(e)),
    }
}

/// Everything before the loop: cluster, device, hardware check, identity.
pub async fn start(
    url: &str,
    key: Keypair,
    operator: Option<&Pubkey>,
    simulate: bool,
    state: StateDir,
) -> Result<Worker> {
    let chain = Chain::new(url, &key);
    let cluster: Cluster = chain.cluster().await?;
    let (address, device) = chain.device(&key.pubkey(), operator).await?;
    chain::may_serve(&address, &device)?;
    if simulate && !cluster.local {
        bail!(
            "--simulate is refused: this is not a local network ({}). Only a local network may run simulated devices.",
            cluster.why
        );
    }
    let (nvml, why) = load_nvml();
    let found = hardware::detect(nvml.as_deref(), why.as_deref());
    if let Some(why) = &found.gpu_unavailable {
        tracing::info!(
            "no GPU listed: {why}; this machine: {} ({} cores, {} MB)",
            found.cpu.model,
            found.cpu.cores,
            found.cpu.memory_mb
        );
    }
    if !simulate {
        let diffs = matching::differences(&device, &found);
        if !diffs.is_empty() {
            let hint = if cluster.local {
                " (on this local network, --simulate runs the CPU as this hardware)"
            } else {
                ""
            };
            bail!(
                "this machine does not match device {address}'s record ({} × {} {} GB, {}):\n  - {}\nFix the record \
                 (the operator registers what the machine is) or run the worker on the machine it describes{hint}.",
                device.gpu_count,
                if device.gpu_model.is_empty() { "-" } else { &device.gpu_model },
                device.vram_gb,
                device.class.name(),
                diffs.join("\n  - ")
            );
        }
    }
    let hardware = matching::hardware(&device, &found, simulate);
    let gpu_uuids = if simulate { vec![] } else { found.gpus.iter().map(|g| g.uuid.clone()).collect() };
    let sampler = Sampler::new(nvml, gpu_uuids);
    tracing::info!(
        "worker {} serves device {address} ({}, {}){} on {}",
        key.pubkey(),
        device.class.name(),
        device.status.name(),
        if simulate { " SIMULATED" } else { "" },
        cluster.why
    );
    let id = Identity::new(&key, address, device.class, simulate, cluster.genesis.clone());
    if let Some(w) = crate::prove::backend_warning(&id) {
        tracing::warn!("{w}");
    }
    Worker::new(id, chain, state, hardware, sampler)
}
