//! `io-localnet`: a one-machine Solana network for IO Compute.
//!
//! It embeds `surfpool-core` 1.3.1 (JSON-RPC + WebSocket on LiteSVM 0.12, the Agave 3.1 line),
//! offline and bound to 127.0.0.1, and registers the four IO Compute programs as native LiteSVM
//! builtins through io-native (program-test's adapter) — there is no SBF toolchain on our machines.
//! SPL Token, Token-2022 and Associated Token are LiteSVM's own SBF builds (`with_default_programs`).
//! [`Localnet::start`] boots it in-process (tests use that); the `localnet` binary wraps it with
//! flags, Ctrl-C and the [`bootstrap`] of a demo network.
//!
//! Boot order matters (shared/reference §1.4.2): program-test's syscall stubs are installed once
//! per process by starting one `ProgramTest` bank (`io_native::install_syscall_stubs`) — they are what
//! routes CPIs (SPL Token, io_token's burn) and `emit_cpi!` events from native code — then the
//! SVM is built, the builtins added, and the surfnet run loop started on its own thread.
//!
//! Known surfpool 1.3.1 quirks (see [`QUIRKS`]): `blockTime` in `getTransaction` and `getBlock` is
//! divided by 1000 once too often — surfpool listens on a private port and a thin HTTP front
//! ([`rpc_proxy`]) on the public one corrects it; `surfnet_resetNetwork` rebuilds the SVM and
//! drops our builtins (never call it: restart).

pub mod bootstrap;
pub mod demo;
pub mod manifest;
pub mod oracle_nodes;
pub mod rpc_proxy;

use anyhow::{anyhow, Context, Result};
use crossbeam_channel::Sender;
use std::{
    net::TcpListener,
    path::PathBuf,
    thread::JoinHandle,
    time::{Duration, Instant},
};
use surfpool_core::surfnet::svm::{SurfnetSvm, SurfnetSvmConfig};
use surfpool_types::{
    BlockProductionMode, RpcConfig, SimnetCommand, SimnetConfig, SimnetEvent, SurfpoolConfig,
};

pub use manifest::Manifest;

/// Default JSON-RPC port (as `solana-test-validator`).
pub const DEFAULT_RPC_PORT: u16 = 8899;
/// Default WebSocket port.
pub const DEFAULT_WS_PORT: u16 = 8900;
/// Default slot time in milliseconds (mainnet-like).
pub const DEFAULT_SLOT_TIME_MS: u64 = 400;

/// The surfpool 1.3.1 quirks a client of this network must know; also written into the manifest.
pub const QUIRKS: [&str; 3] = [
    "blockTime: surfpool 1.3.1 divides it by 1000 twice in getTransaction and getBlock and leaves \
     it null in getSignaturesForAddress; the localnet's HTTP front rewrites those three from \
     getBlockTime(slot), which is right. blockSubscribe notifications over WebSocket keep the \
     wrong value. Index by slot; take wall time from getBlockTime(slot)",
    "never call surfnet_resetNetwork: it rebuilds the SVM and drops the native programs; restart \
     the localnet instead (state is in memory; keypairs in the state directory are reused)",
    "programs run natively: events reach clients only as emit_cpi! inner instructions (decode \
     innerInstructions, not logs: program-test's adapter adds duplicate 'invoke [n]' log lines); \
     compute units are not realistic; msg! output goes to the localnet's stdout",
];

/// Registers the four programs as native builtins of `svm`'s LiteSVM (io-native's registration,
/// the same one the program-test harness uses).
pub fn register_programs(svm: &mut SurfnetSvm) {
    for p in io_native::native_programs() {
        svm.inner.svm.add_builtin(p.program.id(), p.entry);
    }
}

/// How to run a local network.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address the RPC and WebSocket servers bind to.
    pub bind_host: String,
    /// JSON-RPC port; 0 picks a free one.
    pub rpc_port: u16,
    /// WebSocket port; 0 picks a free one.
    pub ws_port: u16,
    /// Slot time in milliseconds; blocks are produced by the clock.
    pub slot_time_ms: u64,
    /// Chain seconds per wall second: each slot moves the cluster's clock (the Clock sysvar the
    /// programs read) by `slot_time_ms × clock_speed`. 1 is a real cluster's pace; a demo runs
    /// hourly oracle periods in minutes without changing any program's rules.
    pub clock_speed: u32,
    /// Where keypairs and the manifest are written.
    pub state_dir: PathBuf,
    /// Seed the demo network ([`bootstrap::run`]) once the node answers.
    pub bootstrap: bool,
    /// First listen port of the oracle nodes the bootstrap writes settings for (node i listens on
    /// `oracle_base_port + i`); 0 picks free ports.
    pub oracle_base_port: u16,
    /// Open the demo's lease and stake positions in the bootstrap ([`demo`]).
    pub demo_activity: bool,
    /// With `demo_activity`: also the demo's cluster lease ([`demo::open_cluster`]).
    pub demo_cluster: bool,
    /// Print surfpool's log events to stderr.
    pub verbose: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind_host: "127.0.0.1".into(),
            rpc_port: DEFAULT_RPC_PORT,
            ws_port: DEFAULT_WS_PORT,
            slot_time_ms: DEFAULT_SLOT_TIME_MS,
            clock_speed: 1,
            state_dir: PathBuf::from(".localnet"),
            bootstrap: true,
            oracle_base_port: oracle_nodes::BASE_PORT,
            demo_activity: true,
            demo_cluster: true,
            verbose: false,
        }
    }
}

impl Config {
    /// A configuration for tests: free ports (the oracle nodes' too), a fast clock, bootstrap on
    /// without the demo's lease and stakes (tests make their own), state in `state_dir`.
    pub fn ephemeral(state_dir: impl Into<PathBuf>) -> Self {
        Config {
            rpc_port: 0,
            ws_port: 0,
            slot_time_ms: 100,
            oracle_base_port: 0,
            demo_activity: false,
            demo_cluster: false,
            state_dir: state_dir.into(),
            ..Config::default()
        }
    }
}

/// A running local network. Dropping it stops it.
pub struct Localnet {
    pub rpc_url: String,
    pub ws_url: String,
    /// The manifest written into the state directory (after the bootstrap, if any).
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    commands: Sender<SimnetCommand>,
    runloop: Option<JoinHandle<()>>,
    proxy: Option<rpc_proxy::RpcProxy>,
}

/// `n` distinct free ports (all held at once while asked for, so none is handed out twice).
fn free_ports(host: &str, n: usize) -> Result<Vec<u16>> {
    let held = (0..n)
        .map(|_| TcpListener::bind((host, 0)).with_context(|| format!("bind {host}:0")))
        .collect::<Result<Vec<_>>>()?;
    held.iter().map(|l| Ok(l.local_addr()?.port())).collect()
}

fn free_port(host: &str) -> Result<u16> {
    let l = TcpListener::bind((host, 0)).with_context(|| format!("bind {host}:0"))?;
    Ok(l.local_addr()?.port())
}

impl Localnet {
    /// Starts the node, waits until it answers JSON-RPC, runs the bootstrap if configured, and
    /// writes the manifest. Call from a tokio runtime (multi-thread or current-thread).
    pub async fn start(config: Config) -> Result<Localnet> {
        io_native::install_syscall_stubs();
        // The public JSON-RPC port is the front's; surfpool's own server gets a private one.
        let front = TcpListener::bind((config.bind_host.as_str(), config.rpc_port))
            .with_context(|| format!("JSON-RPC port {}:{}", config.bind_host, config.rpc_port))?;
        let rpc_port = front.local_addr()?.port();
        // surfpool binds both of its servers to `bind_host`; the front reaches it on loopback
        // when that is the wildcard address.
        let upstream_host =
            if config.bind_host == "0.0.0.0" { "127.0.0.1" } else { config.bind_host.as_str() };
        let upstream_port = free_port(upstream_host)?;
        let mut ws_port = if config.ws_port == 0 { free_port(&config.bind_host)? } else { config.ws_port };
        while ws_port == rpc_port || ws_port == upstream_port {
            ws_port = free_port(&config.bind_host)?;
        }

        // The SVM's slot time is what each block adds to the Clock sysvar; the run loop's (below)
        // is the wall time between blocks. Their ratio is the clock speed.
        let chain_slot_ms = config.slot_time_ms.saturating_mul(u64::from(config.clock_speed.max(1)));
        let svm_config = SurfnetSvmConfig {
            surfnet_id: "io-localnet".into(),
            slot_time: chain_slot_ms,
            // Otherwise every instruction is executed once more, to profile it.
            instruction_profiling_enabled: false,
            ..SurfnetSvmConfig::default()
        };
        let (mut svm, events, geyser_events) =
            SurfnetSvm::new(svm_config).map_err(|e| anyhow!("surfnet svm: {e}"))?;
        register_programs(&mut svm);

        let surfpool_config = SurfpoolConfig {
            simnets: vec![SimnetConfig {
                offline_mode: true,
                remote_rpc_url: None,
                slot_time: config.slot_time_ms,
                block_production_mode: BlockProductionMode::Clock,
                instruction_profiling_enabled: false,
                surfnet_id: "io-localnet".into(),
                ..SimnetConfig::default()
            }],
            rpc: RpcConfig {
                bind_host: config.bind_host.clone(),
                bind_port: upstream_port,
                ws_port,
                ..RpcConfig::default()
            },
            ..SurfpoolConfig::default()
        };

        let (commands_tx, commands_rx) = crossbeam_channel::unbounded();
        let (ready_tx, ready_rx) = crossbeam_channel::bounded::<Result<(), String>>(1);
        let verbose = config.verbose;
        // Surfpool's event stream: wait for Ready, then keep draining (the channel is unbounded).
        std::thread::Builder::new().name("surfnet-events".into()).spawn({
            let ready_tx = ready_tx.clone();
            move || {
                while let Ok(event) = events.recv() {
                    match event {
                        SimnetEvent::Ready(_) => {
                            let _ = ready_tx.try_send(Ok(()));
                        }
                        SimnetEvent::Aborted(e) => {
                            let _ = ready_tx.try_send(Err(e.clone()));
                            eprintln!("localnet: surfnet aborted: {e}");
                        }
                        SimnetEvent::ErrorLog(_, msg) if verbose => eprintln!("surfnet error: {msg}"),
                        SimnetEvent::WarnLog(_, msg) if verbose => eprintln!("surfnet warn: {msg}"),
                        SimnetEvent::InfoLog(_, msg) if verbose => eprintln!("surfnet: {msg}"),
                        _ => {}
                    }
                }
            }
        })?;
        // The run loop blocks its thread (crossbeam select inside an async fn): a thread and a
        // runtime of its own. Native programs execute on this thread.
        let runloop = std::thread::Builder::new().name("surfnet".into()).spawn({
            let commands_tx = commands_tx.clone();
            move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("surfnet-rt")
                    .enable_all()
                    .build()
                    .expect("surfnet runtime");
                let result = rt.block_on(surfpool_core::start_local_surfnet(
                    svm,
                    surfpool_config,
                    commands_tx,
                    commands_rx,
                    geyser_events,
                ));
                if let Err(e) = result {
                    eprintln!("localnet: surfnet stopped: {e}");
                    let _ = ready_tx.try_send(Err(e.to_string()));
                }
                rt.shutdown_background();
            }
        })?;

        let rpc_url = format!("http://{}:{rpc_port}", config.bind_host);
        let ws_url = format!("ws://{}:{ws_port}", config.bind_host);
        let ready = tokio::task::spawn_blocking(move || ready_rx.recv_timeout(Duration::from_secs(60)))
            .await
            .context("wait for surfnet")?;
        match ready {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(anyhow!("surfnet failed to start: {e}")),
            Err(_) => {
                let _ = commands_tx.send(SimnetCommand::Terminate(None));
                return Err(anyhow!("surfnet not ready after 60 s"));
            }
        }
        let mut net = Localnet {
            rpc_url: rpc_url.clone(),
            ws_url: ws_url.clone(),
            manifest_path: config.state_dir.join("manifest.json"),
            manifest: Manifest::base(&rpc_url, &ws_url, config.slot_time_ms, config.clock_speed),
            commands: commands_tx,
            runloop: Some(runloop),
            proxy: None,
        };
        // From here on an error drops `net`, which stops the node.
        net.proxy = Some(rpc_proxy::RpcProxy::start(front, format!("{upstream_host}:{upstream_port}"))?);
        wait_for_rpc(&rpc_url, Duration::from_secs(30)).await?;
        if config.bootstrap {
            let count = bootstrap::ORACLE_COUNT as u16;
            let oracle_ports = if config.oracle_base_port == 0 {
                free_ports(&config.bind_host, count.into())?
            } else {
                (0..count).map(|i| config.oracle_base_port.saturating_add(i)).collect()
            };
            let options = bootstrap::Options {
                oracle_ports,
                demo_activity: config.demo_activity,
                demo_cluster: config.demo_cluster,
            };
            net.manifest = bootstrap::run(
                &rpc_url,
                &ws_url,
                config.slot_time_ms,
                config.clock_speed,
                &config.state_dir,
                &options,
            )
            .await?;
        }
        std::fs::create_dir_all(&config.state_dir)
            .with_context(|| format!("create {}", config.state_dir.display()))?;
        if let Ok(abs) = std::path::absolute(&net.manifest_path) {
            net.manifest_path = abs;
        }
        net.manifest.write(&net.manifest_path)?;
        Ok(net)
    }

    /// Stops the node: the run loop ends and the RPC servers close.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        drop(self.proxy.take());
        if let Some(handle) = self.runloop.take() {
            let _ = self.commands.send(SimnetCommand::Terminate(None));
            let _ = handle.join();
        }
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Polls `getVersion` until the node answers.
async fn wait_for_rpc(url: &str, timeout: Duration) -> Result<()> {
    let client = solana_rpc_client::nonblocking::rpc_client::RpcClient::new(url.to_string());
    let start = Instant::now();
    loop {
        match client.get_version().await {
            Ok(_) => return Ok(()),
            Err(e) if start.elapsed() > timeout => return Err(anyhow!("{url} does not answer: {e}")),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}
