//! `System`: the whole of IO Compute on one machine, as `make up` runs it — the local network in
//! process (its clock 60× the wall: one hourly period per wall minute, with the demo's lease and
//! stakes), the indexer, the four oracle nodes and one simulated worker per demo device as child
//! processes — and the ways a scenario looks at it: the nodes' public API, the indexer's API, the
//! chain, and the `io` CLI.
use crate::procs::{bin_dir, tail, Proc};
use anchor_lang::{AccountDeserialize, Owner};
use anyhow::{anyhow, bail, Context, Result};
use io_localnet::{manifest::DeviceInfo, Config, Localnet, Manifest};
use io_sdk::{client::Client, Pubkey};
use serde_json::Value;
use solana_commitment_config::CommitmentConfig;
use std::{
    collections::BTreeMap,
    future::Future,
    path::{Path, PathBuf},
    sync::{Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// Chain seconds per wall second.
pub const CLOCK_SPEED: u32 = 60;
/// An oracle period in chain seconds.
pub const PERIOD: i64 = 3_600;

/// What differs between the systems of the scenarios.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// State directory (wiped first): keys, manifest, settings, databases, logs.
    pub dir: PathBuf,
    /// (operator index, device index) of the devices whose worker answers with wrong rows.
    pub cheating: Vec<(usize, usize)>,
    /// Index of the oracle node configured with `testing.sign_different_root = true`.
    pub equivocating_node: Option<usize>,
    /// (operator index, device index) of the devices whose worker serves leases as Ray clusters
    /// (each on its own loopback address, [`cluster_ip`]); every other worker runs
    /// `--no-clusters`. Non-empty: the pinned Ray venv is installed first when missing.
    pub clusters: Vec<(usize, usize)>,
    /// Also open the demo's cluster lease (as `make up` does).
    pub demo_cluster: bool,
}

/// The loopback address of the `k`-th clustered device's worker (its gateway and Ray node): one
/// address per device, as if each were its own machine.
pub fn cluster_ip(k: usize) -> String {
    format!("127.0.0.{}", 70 + k)
}

/// The first port of the `k`-th clustered worker's Ray block. Ray binds some ports on every
/// interface, so blocks must differ across the whole host (these are clear of `make up`'s,
/// 21000 + 200·k, so the tests run beside it), and they lie below the kernel's ephemeral range
/// (32768–60999), where any outgoing connection could take one and stop Ray from starting.
pub fn ray_ports(k: usize) -> u16 {
    24_000 + 200 * u16::try_from(k).unwrap_or(0)
}

struct Procs {
    indexer: Proc,
    oracles: Vec<Proc>,
    /// By device address.
    workers: BTreeMap<String, Proc>,
}

pub struct System {
    pub net: Localnet,
    pub manifest: Manifest,
    pub dir: PathBuf,
    /// Base URL of the indexer's API.
    pub indexer_url: String,
    /// The gateway URL of each clustered device's worker, by device address.
    pub gateways: BTreeMap<String, String>,
    procs: Mutex<Procs>,
}

fn free_port() -> Result<u16> {
    free_port_on("127.0.0.1")
}

fn free_port_on(ip: &str) -> Result<u16> {
    Ok(std::net::TcpListener::bind((ip, 0))?.local_addr()?.port())
}

fn s(v: &str) -> String {
    v.to_string()
}

impl System {
    /// Starts everything and waits until every oracle node and the indexer answer. Runs on a
    /// thread and runtime of its own, so that it can be shared by tests with runtimes of their own.
    pub fn start(options: Options) -> Result<System> {
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            rt.block_on(Self::start_inner(options))
        })
        .join()
        .map_err(|_| anyhow!("the system's start panicked"))?
    }

    async fn start_inner(o: Options) -> Result<System> {
        let bins = tokio::task::spawn_blocking(|| bin_dir().map(Path::to_path_buf)).await??;
        let _ = std::fs::remove_dir_all(&o.dir);
        std::fs::create_dir_all(&o.dir)?;
        let dir = std::path::absolute(&o.dir)?;
        let logs = dir.join("logs");
        let config = Config {
            clock_speed: CLOCK_SPEED,
            demo_activity: true,
            demo_cluster: o.demo_cluster,
            ..Config::ephemeral(&dir)
        };
        if !o.clusters.is_empty() {
            crate::procs::ray_venv(&bins.join("io-worker"))?;
        }
        let net = Localnet::start(config).await.context("start the local network")?;
        let manifest = net.manifest.clone();
        if let Some(i) = o.equivocating_node {
            let path = &manifest.oracle_nodes.get(i).context("no such oracle node")?.settings;
            let mut text = std::fs::read_to_string(path)?;
            text.push_str("\n[testing]\nsign_different_root = true\n");
            std::fs::write(path, text)?;
        }
        let rpc = net.rpc_url.clone();

        let api = format!("127.0.0.1:{}", free_port()?);
        let urls = manifest.oracle_nodes.iter().map(|n| n.url.clone()).collect::<Vec<_>>().join(",");
        let indexer = Proc::start(
            "indexer",
            &bins.join("indexer"),
            &[
                s("--db"),
                format!("sqlite://{}?mode=rwc", dir.join("indexer.db").display()),
                s("serve"),
                s("--listen"),
                api.clone(),
                s("--rpc-url"),
                rpc.clone(),
                format!("--oracle-url={urls}"),
            ],
            &[(s("RUST_LOG"), s("indexer=info,io_indexer=warn"))],
            &logs.join("indexer.log"),
        )?;
        let mut oracles = Vec::new();
        for (i, n) in manifest.oracle_nodes.iter().enumerate() {
            oracles.push(Proc::start(
                &format!("oracle-{}", i + 1),
                &bins.join("io-oracle"),
                &[s("run"), s("--config"), n.settings.clone()],
                &[(s("IO_ORACLE_LOG"), s("io_oracle_node=info"))],
                &logs.join(format!("oracle-{}.log", i + 1)),
            )?);
        }
        let mut workers = BTreeMap::new();
        let mut gateways = BTreeMap::new();
        for (oi, op) in manifest.operators.iter().enumerate() {
            for (di, d) in op.devices.iter().enumerate() {
                let mut args = vec![
                    s("--url"),
                    rpc.clone(),
                    s("--state-dir"),
                    d.worker_state_dir.clone(),
                    s("run"),
                    s("--simulate"),
                    s("--heartbeat-secs"),
                    s("2"),
                    s("--oracle"),
                    urls.clone(),
                ];
                if o.cheating.contains(&(oi, di)) {
                    args.push(s("--testing-wrong-rows"));
                }
                match o.clusters.iter().position(|&c| c == (oi, di)) {
                    Some(k) => {
                        let ip = cluster_ip(k);
                        let gateway = format!("{ip}:{}", free_port_on(&ip)?);
                        gateways.insert(d.address.clone(), format!("http://{gateway}"));
                        args.extend([
                            format!("--gateway={gateway}"),
                            format!("--cluster-ip={ip}"),
                            format!("--ray-ports={}", ray_ports(k)),
                            s("--ray-object-store-mb=256"),
                            s("--lease-poll-secs=1"),
                        ]);
                    }
                    None => args.push(s("--no-clusters")),
                }
                let name = format!("worker-{}-{di}", op.name);
                let p = Proc::start(
                    &name,
                    &bins.join("io-worker"),
                    &args,
                    &[(s("IO_WORKER_LOG"), s("io_worker=info,warn"))],
                    &logs.join(format!("{name}.log")),
                )?;
                workers.insert(d.address.clone(), p);
            }
        }
        let system = System {
            net,
            manifest,
            dir,
            indexer_url: format!("http://{api}"),
            gateways,
            procs: Mutex::new(Procs { indexer, oracles, workers }),
        };
        for n in &system.manifest.oracle_nodes {
            let url = format!("{}/health", n.url);
            system
                .wait("an oracle node to answer", Duration::from_secs(60), || async { get_ok(&url).await })
                .await;
        }
        let health = format!("{}/health", system.indexer_url);
        system
            .wait("the indexer to answer", Duration::from_secs(60), || async { get_ok(&health).await })
            .await;
        // A clustered worker binds its gateway only after checking its Ray install (an `import
        // ray`, seconds on a loaded machine): tests start talking to it once it listens.
        for gateway in system.gateways.values() {
            let addr = gateway.trim_start_matches("http://").to_string();
            system
                .wait("a clustered worker's gateway to listen", Duration::from_secs(60), || async {
                    tokio::net::TcpStream::connect(&addr).await.with_context(|| format!("connect {addr}"))?;
                    Ok(Some(()))
                })
                .await;
        }
        Ok(system)
    }

    fn procs(&self) -> MutexGuard<'_, Procs> {
        self.procs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A client of the cluster (a throwaway wallet: reads, and sends signed by `send_as`'s signers).
    /// A new one per call: each test has its own runtime, and a client's connections belong to
    /// the runtime that opened them.
    pub fn client(&self) -> Client {
        Client::new(self.net.rpc_url.clone(), CommitmentConfig::confirmed(), solana_keypair::Keypair::new())
    }

    pub fn node_url(&self, i: usize) -> &str {
        &self.manifest.oracle_nodes[i].url
    }

    pub fn device(&self, operator: usize, device: usize) -> &DeviceInfo {
        &self.manifest.operators[operator].devices[device]
    }

    /// The chain's unix time (the Clock sysvar).
    pub async fn chain_now(&self) -> Result<i64> {
        Ok(self.client().chain_time().await?.unix_timestamp)
    }

    /// The current period by the chain's clock.
    pub async fn period(&self) -> Result<u64> {
        Ok((self.chain_now().await? / PERIOD) as u64)
    }

    /// Stops the worker of `device` (Ctrl-C).
    pub fn stop_worker(&self, device: &str) {
        if let Some(w) = self.procs().workers.get_mut(device) {
            w.stop();
        }
    }

    /// Kills the worker of `device` (SIGKILL: no clean stop, as a crash or a pulled plug).
    pub fn kill_worker(&self, device: &str) {
        if let Some(w) = self.procs().workers.get_mut(device) {
            w.kill9();
        }
    }

    pub fn start_worker(&self, device: &str) -> Result<()> {
        match self.procs().workers.get_mut(device) {
            Some(w) => w.restart(),
            None => bail!("no worker for {device}"),
        }
    }

    /// SIGKILL to oracle node `i`.
    pub fn kill_oracle(&self, i: usize) {
        self.procs().oracles[i].kill9();
    }

    pub fn start_oracle(&self, i: usize) -> Result<()> {
        self.procs().oracles[i].restart()
    }

    /// Every child process by name, and whether it is still running.
    pub fn running(&self) -> Vec<(String, bool)> {
        let mut p = self.procs();
        let Procs { indexer, oracles, workers } = &mut *p;
        std::iter::once(indexer)
            .chain(oracles.iter_mut())
            .chain(workers.values_mut())
            .map(|proc| (proc.name.clone(), proc.running()))
            .collect()
    }

    /// The last lines of every log, for a failure message.
    pub fn logs(&self, lines: usize) -> String {
        let p = self.procs();
        let mut out = String::new();
        for proc in std::iter::once(&p.indexer).chain(&p.oracles).chain(p.workers.values()) {
            out.push_str(&format!("--- {} ({})\n{}\n", proc.name, proc.log.display(), proc.tail(lines)));
        }
        out.push_str(&format!("--- programs\n{}\n", tail(&self.dir.join("programs.log"), lines.min(20))));
        out
    }

    /// Polls `f` every second until it gives `Some`; panics after `timeout` with `what`, the last
    /// error and the logs' tails.
    pub async fn wait<T, F, Fut>(&self, what: &str, timeout: Duration, mut f: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let start = Instant::now();
        let mut last = String::from("nothing yet");
        loop {
            match f().await {
                Ok(Some(v)) => return v,
                Ok(None) => {}
                Err(e) => last = format!("{e:#}"),
            }
            if start.elapsed() > timeout {
                panic!(
                    "waited {:.0} s for {what}; last error: {last}\n{}",
                    timeout.as_secs_f64(),
                    self.logs(15)
                );
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// GET `url` as JSON: `None` for a 404 (nothing there yet), an error for any other failure.
    pub async fn get(&self, url: &str) -> Result<Option<Value>> {
        get_json(url).await
    }

    /// The report of `period` node `i` serves (`/v1/reports/{period}`), `None` while it has none.
    pub async fn report(&self, i: usize, period: u64) -> Result<Option<Value>> {
        get_json(&format!("{}/v1/reports/{period}", self.node_url(i))).await
    }

    /// The latest certified report node `i` serves.
    pub async fn latest_report(&self, i: usize) -> Result<Option<Value>> {
        get_json(&format!("{}/v1/reports/latest", self.node_url(i))).await
    }

    /// Runs the `io` CLI with `--output json` against this network, signed by `keypair` (a
    /// keypair file; none for reads): its exit code, its JSON (or text) output, and its error
    /// (the JSON's `error` on failure, then stderr).
    pub async fn io(&self, keypair: Option<&str>, args: &[&str]) -> Result<(i32, Value, String)> {
        self.io_with(&[], keypair, args).await
    }

    /// [`System::io`] with extra environment variables (`IO_INDEXER_URL`, ...).
    pub async fn io_with(
        &self,
        env: &[(&str, &str)],
        keypair: Option<&str>,
        args: &[&str],
    ) -> Result<(i32, Value, String)> {
        let bins = bin_dir()?;
        let mut cmd = tokio::process::Command::new(bins.join("io"));
        cmd.envs(env.iter().copied());
        cmd.arg("--url")
            .arg(&self.net.rpc_url)
            .arg("--manifest")
            .arg(&self.net.manifest_path)
            .args(["--output", "json", "--yes"]);
        if let Some(k) = keypair {
            cmd.arg("--keypair").arg(k);
        }
        let out = tokio::time::timeout(Duration::from_secs(120), cmd.args(args).output())
            .await
            .context("io did not finish in 120 s")??;
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let json = serde_json::from_str(&stdout).unwrap_or(Value::String(stdout));
        // With --output json a failure's message is the JSON's `error`: returned with stderr.
        let mut err = String::from_utf8_lossy(&out.stderr).to_string();
        if let Some(e) = json["error"].as_str() {
            err = format!("{e}\n{err}");
        }
        Ok((out.status.code().unwrap_or(-1), json, err))
    }

    /// Runs the `io` CLI with its text output (what a person reads): its exit code and stdout.
    pub async fn io_text(&self, args: &[&str]) -> Result<(i32, String)> {
        let mut cmd = tokio::process::Command::new(bin_dir()?.join("io"));
        cmd.arg("--url").arg(&self.net.rpc_url).arg("--manifest").arg(&self.net.manifest_path).args(args);
        let out = tokio::time::timeout(Duration::from_secs(120), cmd.output())
            .await
            .context("io did not finish in 120 s")??;
        Ok((out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).to_string()))
    }

    /// The indexer's SQLite database.
    pub fn indexer_db(&self) -> PathBuf {
        self.dir.join("indexer.db")
    }

    /// Oracle node `i`'s SQLite store: the file its settings' `[database] url` names.
    pub fn oracle_db(&self, i: usize) -> PathBuf {
        let settings = &self.manifest.oracle_nodes[i].settings;
        let text = std::fs::read_to_string(settings).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.trim().strip_prefix("url = \"sqlite://"))
            .map(|rest| PathBuf::from(rest.split(['?', '"']).next().unwrap_or_default()))
            .next()
            .unwrap_or_else(|| panic!("{settings} names no SQLite database"))
    }

    /// Every oracle node's API, comma-separated (what `io verify --oracle` takes).
    pub fn node_urls(&self) -> String {
        self.manifest.oracle_nodes.iter().map(|n| n.url.clone()).collect::<Vec<_>>().join(",")
    }

    /// A demo wallet's keypair file.
    pub fn wallet_keypair(&self, name: &str) -> &str {
        &self.manifest.wallet(name).expect("demo wallet").keypair
    }

    /// An account of the programs, `None` while absent.
    pub async fn account<T: AccountDeserialize + Owner>(&self, address: &Pubkey) -> Result<Option<T>> {
        Ok(self.client().account::<T>(address).await?)
    }
}

async fn get_json(url: &str) -> Result<Option<Value>> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    let resp = http.get(url).send().await.with_context(|| format!("GET {url}"))?;
    let status = resp.status();
    if status == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    let body = resp.text().await?;
    if !status.is_success() {
        bail!("GET {url}: {status}: {body}");
    }
    Ok(Some(serde_json::from_str(&body).with_context(|| format!("GET {url}: not JSON: {body}"))?))
}

async fn get_ok(url: &str) -> Result<Option<()>> {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;
    match http.get(url).send().await {
        Ok(r) if r.status().is_success() => Ok(Some(())),
        Ok(r) => bail!("GET {url}: {}", r.status()),
        Err(e) => bail!("GET {url}: {e}"),
    }
}
