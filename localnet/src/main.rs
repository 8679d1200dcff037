//! `localnet`: a local Solana JSON-RPC + WebSocket network with the IO Compute programs,
//! bootstrapped with a demo network. Stops on Ctrl-C.
use anyhow::{bail, Context};
use clap::Parser;
use io_localnet::{Config, Localnet, DEFAULT_RPC_PORT, DEFAULT_SLOT_TIME_MS, DEFAULT_WS_PORT};
use std::{fs::File, io::Write, path::PathBuf};

#[derive(Parser, Debug)]
#[command(name = "localnet", version, about)]
struct Args {
    /// JSON-RPC port (0: any free port).
    #[arg(long, default_value_t = DEFAULT_RPC_PORT)]
    rpc_port: u16,
    /// WebSocket (PubSub) port (0: any free port).
    #[arg(long, default_value_t = DEFAULT_WS_PORT)]
    ws_port: u16,
    /// Slot time in milliseconds; a block is produced every slot.
    #[arg(long, default_value_t = DEFAULT_SLOT_TIME_MS, value_parser = clap::value_parser!(u64).range(10..=10_000))]
    slot_time_ms: u64,
    /// Chain seconds per wall second: 60 runs an hourly oracle period in a wall minute (the
    /// programs' rules stay the production ones; only the cluster's clock runs faster).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=3600))]
    clock_speed: u32,
    /// Where keypairs (`keys/*.json`) and `manifest.json` are written; keypairs found there are reused.
    #[arg(long, default_value = ".localnet")]
    state_dir: PathBuf,
    /// Start an empty network: no programs initialised, no demo accounts.
    #[arg(long)]
    no_bootstrap: bool,
    /// Bootstrap without the demo's lease and stake positions.
    #[arg(long)]
    no_demo: bool,
    /// Listen port of the first oracle node in the settings files the bootstrap writes
    /// (`<state-dir>/oracle-<i>.toml`; node i listens on this + i − 1); 0 picks free ports.
    #[arg(long, default_value_t = io_localnet::oracle_nodes::BASE_PORT)]
    oracle_port: u16,
    /// Where the programs' `msg!` output goes (natively it is printed to stdout, not to the
    /// transaction logs); default `<state-dir>/programs.log`, `-` for stdout.
    #[arg(long)]
    program_log: Option<PathBuf>,
    /// Print surfpool's log events to stderr (RUST_LOG sets the Rust log filter, default `error`).
    #[arg(long, short)]
    verbose: bool,
}

/// Points file descriptor 1 at `path` (so `msg!`'s `println!` lands there) and returns a handle on
/// the original stdout for our own messages.
#[cfg(unix)]
fn redirect_stdout(path: &std::path::Path) -> anyhow::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("open {}", path.display()))?;
    std::io::stdout().flush()?;
    // SAFETY: plain descriptor duplication; `saved` is owned by the returned File alone.
    let saved = unsafe { libc::dup(1) };
    if saved < 0 {
        bail!("dup(stdout): {}", std::io::Error::last_os_error());
    }
    // SAFETY: as above; `log` stays open until dup2 returns, fd 1 then refers to the file.
    if unsafe { libc::dup2(log.as_raw_fd(), 1) } < 0 {
        bail!("dup2: {}", std::io::Error::last_os_error());
    }
    // SAFETY: `saved` is a fresh descriptor nobody else owns.
    Ok(unsafe { File::from_raw_fd(saved) })
}

#[cfg(not(unix))]
fn redirect_stdout(_path: &std::path::Path) -> anyhow::Result<File> {
    bail!("--program-log needs a unix system; pass --program-log -")
}

/// Our messages: the real stdout.
enum Out {
    Stdout,
    Saved(File),
}

impl Out {
    fn line(&mut self, text: &str) {
        let _ = match self {
            Out::Stdout => writeln!(std::io::stdout(), "{text}"),
            Out::Saved(f) => writeln!(f, "{text}"),
        };
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let program_log = args.program_log.clone().unwrap_or_else(|| args.state_dir.join("programs.log"));
    let mut out =
        if program_log.as_os_str() == "-" { Out::Stdout } else { Out::Saved(redirect_stdout(&program_log)?) };
    let config = Config {
        rpc_port: args.rpc_port,
        ws_port: args.ws_port,
        slot_time_ms: args.slot_time_ms,
        clock_speed: args.clock_speed,
        state_dir: args.state_dir,
        bootstrap: !args.no_bootstrap,
        demo_activity: !args.no_demo,
        demo_cluster: !args.no_demo,
        oracle_base_port: args.oracle_port,
        verbose: args.verbose,
        ..Config::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    rt.block_on(async {
        let started = std::time::Instant::now();
        let net = Localnet::start(config).await?;
        let m = &net.manifest;
        out.line(&format!("localnet ready in {:.1} s", started.elapsed().as_secs_f64()));
        out.line(&format!("RPC URL:   {}", net.rpc_url));
        out.line(&format!("WebSocket: {}", net.ws_url));
        out.line(&format!("manifest:  {}", net.manifest_path.display()));
        if let Out::Saved(_) = out {
            out.line(&format!("program output (msg!): {}", program_log.display()));
        }
        if m.bootstrapped {
            for (name, p) in &m.programs {
                out.line(&format!("  {name:<10} {}", p.program_id));
            }
            for (name, mint) in &m.mints {
                out.line(&format!("  mint {name:<5} {}", mint.address));
            }
            for w in &m.wallets {
                out.line(&format!("  wallet {:<6} {}  {}", w.name, w.address, w.keypair));
            }
            for n in &m.oracle_nodes {
                out.line(&format!(
                    "  oracle node {}  {}  (io-oracle run --config {})",
                    n.url, n.key, n.settings
                ));
            }
            if let Some(d) = &m.demo {
                out.line(&format!(
                    "  demo lease  {} ({} h over {} devices)",
                    d.lease,
                    d.lease_hours,
                    d.lease_devices.len()
                ));
                if let Some(c) = &d.cluster {
                    out.line(&format!(
                        "  demo cluster lease {} ({} h over {} devices, a Ray cluster)",
                        c.lease,
                        c.hours,
                        c.devices.len()
                    ));
                }
            }
        }
        out.line("Ctrl-C to stop");
        tokio::signal::ctrl_c().await?;
        out.line("stopping");
        tokio::task::spawn_blocking(move || net.stop()).await?;
        Ok::<_, anyhow::Error>(())
    })?;
    // The RPC servers' own runtimes close on background threads; do not wait for them.
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(())
}
