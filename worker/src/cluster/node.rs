//! One Ray node of a lease's cluster on this device, in its own PID namespace.
//!
//! Why a namespace: Ray scatters its processes over process groups and sessions (each core
//! worker `setpgrp`s, job drivers start in a new session) and `ray stop` kills every Ray process
//! of the host, other leases' included. Run as `unshare --pid --fork --kill-child` with `ray
//! start --block` inside, the whole node dies when the kernel tears the namespace down: SIGKILL
//! `unshare` → its child, the namespace's init, gets SIGKILL (`--kill-child`) → the kernel kills
//! every process of the namespace. Measured: no process left 0.2–0.5 s after the kill, with a
//! job running.
use super::{
    ports::PortBlock,
    ray::{tail, RayInstall},
};
use anyhow::{anyhow, bail, Context, Result};
// Every process of a node carries NODE_MARK=<its temp dir> (Ray passes the environment down to
// its workers and job drivers): how `processes_of` finds a node's processes.
use io_sdk::worker::cluster::{device_resource, node_dir, NodeView, NODE_MARK};
use serde::Deserialize;
use std::{
    fs::{self, File},
    os::unix::{ffi::OsStrExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    thread::JoinHandle,
    time::{Duration, Instant},
};

/// Longest `--temp-dir`: Ray's unix socket paths (≤ 107 bytes) are the temp dir plus about 70
/// characters of session directory and socket name.
pub const MAX_TEMP_DIR: usize = 35;
/// The node's part in the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRole {
    /// The head: GCS, dashboard and job API.
    Head,
    /// A worker node joining the head's GCS at `gcs` (`ip:port`, from the head's
    /// [`io_sdk::worker::cluster::JoinGrant`]).
    Node { gcs: String },
}

/// What the node declares to Ray: the device's hardware, plus the resource naming the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeResources {
    pub cpus: u32,
    pub gpus: u32,
    pub memory_bytes: u64,
    /// Ray's shared-memory object store (at least 75 MiB; in /dev/shm).
    pub object_store_bytes: u64,
    /// The device (its pubkey, or any name unique in the lease): the node declares
    /// `{device_resource(device): 1}`, so a job can pin a task to it.
    pub device: String,
}

/// How to start one node.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub role: NodeRole,
    /// `--node-ip-address`: the device's cluster address. The head's dashboard binds it only.
    pub ip: String,
    pub ports: PortBlock,
    /// The node's own `--temp-dir` (at most [`MAX_TEMP_DIR`] characters; see [`node_dir`]).
    /// Wiped before the start and after the stop; the node's log is `<temp_dir>.log` beside it.
    pub temp_dir: PathBuf,
    /// The lease's Ray token (`RAY_AUTH_TOKEN`): every node of the cluster needs the same one.
    pub token: String,
    pub resources: NodeResources,
    pub ray: RayInstall,
    /// More environment for Ray and the renter's jobs (e.g. `CUDA_VISIBLE_DEVICES`,
    /// `RAY_health_check_period_ms`). The worker's own environment is not passed on, only
    /// PATH, HOME and the locale.
    pub env: Vec<(String, String)>,
}

/// The child (`unshare`) and whether it was reaped. The pid is signalled only while the child
/// is not reaped, so it cannot hit a process that reused the pid.
struct ChildState {
    exited: Option<String>,
}

struct Waiter {
    state: Mutex<ChildState>,
}

/// A running Ray node. Stopped (every process killed, temp dir and log removed) by [`stop`]
/// or on drop.
///
/// [`stop`]: RayNode::stop
pub struct RayNode {
    spec: NodeSpec,
    pid: u32,
    /// The PID namespace's inode (`/proc/<pid>/ns/pid`), to find its processes.
    namespace: u64,
    log: PathBuf,
    started: Instant,
    waiter: Arc<Waiter>,
    thread: Option<JoinHandle<()>>,
    stopped: bool,
}

impl std::fmt::Debug for RayNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RayNode")
            .field("role", &self.spec.role)
            .field("ip", &self.spec.ip)
            .field("pid", &self.pid)
            .field("temp_dir", &self.spec.temp_dir)
            .finish()
    }
}

impl RayNode {
    /// Wipes the temp dir and starts the node (returns once `unshare` has made the namespace;
    /// Ray is not ready yet: see [`wait_ready`](RayNode::wait_ready)).
    pub fn start(spec: NodeSpec) -> Result<RayNode> {
        let dir_len = spec.temp_dir.as_os_str().len();
        if dir_len > MAX_TEMP_DIR || !spec.temp_dir.is_absolute() {
            bail!(
                "Ray temp dir {} must be absolute and at most {MAX_TEMP_DIR} characters (Ray's socket paths must stay under 108 bytes): use io_sdk::worker::cluster::node_dir(lease, device)",
                spec.temp_dir.display()
            );
        }
        if spec.token.is_empty() {
            bail!("the lease's Ray token is empty: every node needs the token the head was started with");
        }
        let unshare = unshare_prefix()?;
        wipe(&spec.temp_dir)?;
        let parent = spec.temp_dir.parent().context("the Ray temp dir has no parent")?;
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let log = log_path(&spec.temp_dir);
        let out = File::create(&log).with_context(|| format!("creating the Ray log {}", log.display()))?;
        let err = out.try_clone().context("duplicating the Ray log handle")?;

        let mut cmd = Command::new(&unshare[0]);
        cmd.args(&unshare[1..])
            .args(["--", "bash", "-c", INIT, "io-ray-init"])
            .arg(spec.ray.ray())
            .args(ray_args(&spec))
            .env_clear()
            .envs(ray_env(&spec))
            .current_dir(parent)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                // A killed worker must leave no Ray behind: unshare gets SIGKILL when the
                // thread that spawned it ends (the waiter of `spawn_held`, which lives as long
                // as the node or the worker), and the namespace dies with unshare (--kill-child).
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let (pid, waiter, thread) = spawn_held(cmd)?;
        let started = Instant::now();
        let mut node =
            RayNode { spec, pid, namespace: 0, log, started, waiter, thread: Some(thread), stopped: false };
        match node.find_namespace() {
            Ok(ns) => node.namespace = ns,
            Err(e) => {
                let why = node.log_tail(800);
                node.stop().ok();
                return Err(e.context(format!("Ray node log: {why}")));
            }
        }
        Ok(node)
    }

    /// The PID namespace `unshare` made for its child: its `pid_for_children` once it differs
    /// from this process's own namespace (unshare calls unshare(2) just after exec).
    fn find_namespace(&self) -> Result<u64> {
        let own = ns_inode(Path::new("/proc/self/ns/pid")).context("reading this process's PID namespace")?;
        let theirs = PathBuf::from(format!("/proc/{}/ns/pid_for_children", self.pid));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(why) = self.exited() {
                bail!("unshare exited before making the node's PID namespace ({why})");
            }
            match ns_inode(&theirs) {
                Some(ns) if ns != own => return Ok(ns),
                _ if Instant::now() > deadline => {
                    bail!("unshare (pid {}) made no PID namespace within 5 s", self.pid)
                }
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }

    pub fn spec(&self) -> &NodeSpec {
        &self.spec
    }

    /// The host pid of `unshare`, the node's handle.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The node's log: Ray's stdout and stderr, and unshare's errors.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// The last `max` bytes of the log (why a node died), or what kept it from being read.
    pub fn log_tail(&self, max: usize) -> String {
        match fs::read(&self.log) {
            Ok(bytes) => tail(&bytes, max),
            Err(e) => format!("(log {} unreadable: {e})", self.log.display()),
        }
    }

    /// How the node's process exited, when it has.
    pub fn exited(&self) -> Option<String> {
        self.waiter.state.lock().unwrap_or_else(|p| p.into_inner()).exited.clone()
    }

    /// Whether the node still runs. `ray start --block` exits when any Ray process of the node
    /// dies, and with it the namespace: a dead node is never half alive.
    pub fn alive(&self) -> bool {
        !self.stopped && self.exited().is_none()
    }

    /// `http://ip:port` of the dashboard and job API (the head only).
    pub fn dashboard_url(&self) -> Option<String> {
        (self.spec.role == NodeRole::Head)
            .then(|| format!("http://{}:{}", self.spec.ip, self.spec.ports.dashboard()))
    }

    /// `ip:port` of the GCS, what other nodes join (the head only).
    pub fn gcs_address(&self) -> Option<String> {
        (self.spec.role == NodeRole::Head).then(|| format!("{}:{}", self.spec.ip, self.spec.ports.gcs()))
    }

    /// Waits until the node serves, and returns how long after [`start`](RayNode::start) that
    /// was. The head serves when its job API answers and the head node is ALIVE; a worker node
    /// when the head (its dashboard at `head_dashboard`) lists it ALIVE. For the head,
    /// `head_dashboard` is its own [`dashboard_url`](RayNode::dashboard_url).
    pub async fn wait_ready(&self, head_dashboard: &str, timeout: Duration) -> Result<Duration> {
        let http = client()?;
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(how) = self.exited() {
                bail!("the Ray node exited ({how}) before it was ready: {}", self.log_tail(1500));
            }
            let last = match self.ready_once(&http, head_dashboard).await {
                Ok(()) => return Ok(self.started.elapsed()),
                Err(e) => format!("{e:#}"),
            };
            if Instant::now() > deadline {
                bail!(
                    "the Ray node on {} was not ready {} s after its start (last: {last}); its log {}: {}",
                    self.spec.ip,
                    timeout.as_secs(),
                    self.log.display(),
                    self.log_tail(800)
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn ready_once(&self, http: &reqwest::Client, head_dashboard: &str) -> Result<()> {
        if self.spec.role == NodeRole::Head {
            // The job module is a dashboard subprocess of its own: /api/version answering does
            // not mean the job API does.
            let jobs =
                http.get(format!("{head_dashboard}/api/jobs/")).bearer_auth(&self.spec.token).send().await?;
            if !jobs.status().is_success() {
                bail!("job API answered {}", jobs.status());
            }
        }
        let nodes = nodes_with(http, head_dashboard, &self.spec.token).await?;
        let own = device_resource(&self.spec.resources.device);
        match nodes.iter().find(|n| n.device.as_deref() == Some(own.as_str())) {
            Some(n) if n.alive => Ok(()),
            Some(_) => bail!("the head lists this node as not alive"),
            None => bail!("the head does not list this node ({own}) yet; it lists {nodes:?}"),
        }
    }

    /// Stops the node: SIGKILL to `unshare` (the kernel then kills every process of the
    /// namespace), waits until none is left, then removes the temp dir and the log. Returns an
    /// error, and leaves the files, when a process survives 10 s. Idempotent.
    pub fn stop(&mut self) -> Result<()> {
        if self.stopped {
            return Ok(());
        }
        {
            let state = self.waiter.state.lock().unwrap_or_else(|p| p.into_inner());
            if state.exited.is_none() {
                // SAFETY: kill(2) on the unreaped child's pid (the waiter reaps it only after
                // taking this lock), so the pid cannot belong to another process.
                unsafe { libc::kill(self.pid as libc::pid_t, libc::SIGKILL) };
            }
        }
        if let Some(thread) = self.thread.take() {
            thread.join().map_err(|_| anyhow!("the Ray node's waiter thread panicked"))?;
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = self.processes();
            if left.is_empty() {
                break;
            }
            if Instant::now() > deadline {
                bail!(
                    "processes {left:?} of the Ray node in {} outlived its namespace by 10 s; its files are kept",
                    self.spec.temp_dir.display()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stopped = true;
        wipe(&self.spec.temp_dir)?;
        match fs::remove_file(&self.log) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("removing {}", self.log.display()))
            }
            _ => Ok(()),
        }
    }

    /// Host pids of the node's processes: marked with its temp dir (see [`processes_of`]), or
    /// in its PID namespace and not marked as another node's (a freed namespace's inode number
    /// may be given to a new namespace). Zombies do not count: the namespace's init stays one
    /// until the host's pid 1 reaps it (measured: 1–2 s here), long after every other process
    /// of the namespace is gone (the kernel reaps those before init may exit).
    pub fn processes(&self) -> Vec<u32> {
        let mut pids = processes_of(&self.spec.temp_dir);
        if self.namespace == 0 {
            return pids;
        }
        let own_mark = mark(&self.spec.temp_dir);
        for pid in proc_pids() {
            if pids.contains(&pid)
                || ns_inode(Path::new(&format!("/proc/{pid}/ns/pid"))) != Some(self.namespace)
                || zombie(pid)
            {
                continue;
            }
            let env = fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let other = env
                .split(|&b| b == 0)
                .any(|v| v.starts_with(NODE_MARK.as_bytes()) && v != own_mark.as_slice());
            if !other {
                pids.push(pid);
            }
        }
        pids
    }
}

impl Drop for RayNode {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            tracing::error!("stopping the Ray node on {}: {e:#}", self.spec.ip);
        }
    }
}

/// The namespace's init: forwards SIGTERM to every process of the namespace (a graceful stop
/// by signalling it), runs `ray start … --block` (the arguments) and exits when it does.
/// A PID 1 without the trap would ignore SIGTERM.
const INIT: &str = r#"trap 'kill -TERM -1 2>/dev/null; sleep 2; exit 0' TERM INT; "$@" & wait $!"#;

/// `unshare` with the flags this machine allows: as root a PID namespace, else a user
/// namespace mapping this user to root around it. Probed with `true` first, so a machine where
/// it cannot work gets the reason now rather than a dead node.
fn unshare_prefix() -> Result<Vec<String>> {
    let mut args: Vec<String> = vec!["unshare".into()];
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        args.extend(["--user".into(), "--map-root-user".into()]);
    }
    args.extend(["--pid", "--fork", "--kill-child", "--mount-proc"].map(String::from));
    let probe = Command::new(&args[0]).args(&args[1..]).args(["--", "true"]).stdin(Stdio::null()).output();
    match probe {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("`unshare` is missing: install util-linux (Debian/Ubuntu: `apt-get install util-linux`)")
        }
        Err(e) => Err(e).context("running unshare"),
        Ok(out) if !out.status.success() => bail!(
            "`{}` fails here ({}): run the worker as root, or enable unprivileged user namespaces (`sysctl kernel.unprivileged_userns_clone=1`, `sysctl user.max_user_namespaces=15000`)",
            args.join(" "),
            tail(&out.stderr, 300)
        ),
        Ok(_) => Ok(args),
    }
}

fn ray_args(spec: &NodeSpec) -> Vec<String> {
    let r = &spec.resources;
    let mut args: Vec<String> = vec!["start".into()];
    match &spec.role {
        NodeRole::Head => {
            args.push("--head".into());
            args.extend(spec.ports.head_args(&spec.ip));
        }
        NodeRole::Node { gcs } => args.extend(["--address".into(), gcs.clone()]),
    }
    args.extend(["--node-ip-address".into(), spec.ip.clone()]);
    args.extend(spec.ports.node_args());
    let resources = serde_json::json!({ device_resource(&r.device): 1 }).to_string();
    args.extend([
        "--num-cpus".into(),
        r.cpus.to_string(),
        "--num-gpus".into(),
        r.gpus.to_string(),
        "--memory".into(),
        r.memory_bytes.to_string(),
        "--object-store-memory".into(),
        r.object_store_bytes.to_string(),
        "--resources".into(),
        resources,
        "--temp-dir".into(),
        spec.temp_dir.display().to_string(),
        "--disable-usage-stats".into(),
        "--block".into(),
    ]);
    args
}

fn ray_env(spec: &NodeSpec) -> Vec<(String, String)> {
    let mut path = spec.ray.bin().display().to_string();
    if let Some(p) = std::env::var_os("PATH") {
        path = format!("{path}:{}", p.to_string_lossy());
    }
    let mut env = vec![("PATH".to_string(), path)];
    for keep in ["HOME", "LANG", "LC_ALL"] {
        if let Ok(v) = std::env::var(keep) {
            env.push((keep.into(), v));
        }
    }
    env.extend(
        [
            ("RAY_AUTH_MODE", "token".to_string()),
            ("RAY_AUTH_TOKEN", spec.token.clone()),
            ("RAY_USAGE_STATS_ENABLED", "0".into()),
            // Full host disks (measured 91–95 %) otherwise make the raylet warn every few seconds.
            ("RAY_local_fs_capacity_threshold", "0.99".into()),
            (NODE_MARK, spec.temp_dir.display().to_string()),
        ]
        .map(|(k, v)| (k.to_string(), v)),
    );
    env.extend(spec.ports.metrics_env().map(|(k, v)| (k.to_string(), v)));
    env.extend(spec.env.iter().cloned());
    env
}

/// Spawns `cmd` from a thread that lives exactly as long as the child. PR_SET_PDEATHSIG fires
/// when the *thread* that forked the child ends, not the process: spawned from a short-lived
/// thread (tokio's blocking pool retires idle threads) the node would be killed at random.
fn spawn_held(mut cmd: Command) -> Result<(u32, Arc<Waiter>, JoinHandle<()>)> {
    let waiter = Arc::new(Waiter { state: Mutex::new(ChildState { exited: None }) });
    let (tx, rx) = std::sync::mpsc::channel::<std::io::Result<u32>>();
    let w = Arc::clone(&waiter);
    let thread = std::thread::Builder::new()
        .name("io-ray-node".into())
        .spawn(move || {
            let child: Child = match cmd.spawn() {
                Ok(c) => c,
                Err(e) => {
                    tx.send(Err(e)).ok();
                    return;
                }
            };
            let pid = child.id();
            tx.send(Ok(pid)).ok();
            hold(child, &w);
        })
        .context("starting the Ray node's waiter thread")?;
    let pid = rx
        .recv()
        .map_err(|_| anyhow!("the Ray node's waiter thread ended before spawning"))?
        .context("spawning unshare for the Ray node")?;
    Ok((pid, waiter, thread))
}

/// Waits for the child without reaping it (so its pid stays reserved), then records the exit
/// and reaps it under the lock [`RayNode::stop`] signals under.
fn hold(mut child: Child, w: &Waiter) {
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: waitid on our own child with a valid siginfo buffer.
        let r = unsafe { libc::waitid(libc::P_PID, child.id(), &mut info, libc::WEXITED | libc::WNOWAIT) };
        if r == 0 || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    let mut state = w.state.lock().unwrap_or_else(|p| p.into_inner());
    let how = match child.wait() {
        Ok(status) => status.to_string(),
        Err(e) => format!("wait failed: {e}"),
    };
    state.exited = Some(how);
}

fn log_path(temp_dir: &Path) -> PathBuf {
    let mut name = temp_dir.as_os_str().to_owned();
    name.push(".log");
    PathBuf::from(name)
}

fn wipe(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("wiping the Ray temp dir {}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn ns_inode(link: &Path) -> Option<u64> {
    // The link reads `pid:[4026532201]`.
    let target = fs::read_link(link).ok()?;
    let s = target.to_str()?;
    s.strip_prefix("pid:[")?.strip_suffix(']')?.parse().ok()
}

/// Whether `pid` has exited and waits to be reaped (state `Z` or `X` in `/proc/<pid>/stat`).
fn zombie(pid: u32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { return true };
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last ')'.
    let state = stat.rfind(')').and_then(|i| stat[i + 1..].split_whitespace().next());
    matches!(state, Some("Z" | "X") | None)
}

fn proc_pids() -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect()
}

/// Host pids of processes belonging to the node whose temp dir is `temp_dir`: those carrying
/// its [`NODE_MARK`] in their environment, or naming the dir on their command line (a process
/// that cleared its environment); zombies excepted. Finds a node's processes even without its
/// [`RayNode`].
pub fn processes_of(temp_dir: &Path) -> Vec<u32> {
    let dir = temp_dir.as_os_str().as_bytes();
    let mark = mark(temp_dir);
    proc_pids()
        .into_iter()
        .filter(|&pid| {
            if zombie(pid) {
                return false;
            }
            let env = fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            env.split(|&b| b == 0).any(|v| v == mark.as_slice()) || contains(&cmdline, dir)
        })
        .collect()
}

/// Removes the working directories (and logs) a previous run of this device's worker left under
/// `/tmp/io-ray` (a worker killed with its lease's node: the kernel ended the node, nobody wiped
/// its files), skipping any that a live process still uses. Returns what was removed.
pub fn sweep_stale(device: &str) -> Vec<PathBuf> {
    // With no lease, the name is just `-<device 8>`: the end of every dir of this device.
    let mine = node_dir("", device);
    let suffix = mine.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let root = mine.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut removed = vec![];
    for entry in fs::read_dir(&root).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let dir_name = name.strip_suffix(".log").unwrap_or(&name);
        if !dir_name.ends_with(&suffix) || !processes_of(&root.join(dir_name)).is_empty() {
            continue;
        }
        let gone = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

fn mark(temp_dir: &Path) -> Vec<u8> {
    [NODE_MARK.as_bytes(), b"=", temp_dir.as_os_str().as_bytes()].concat()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .context("building the HTTP client for Ray's dashboard")
}

// `/api/v0/nodes` (Ray's state API) rather than the dashboard's `/nodes?view=summary`: the
// latter camelCases resource names (`io_device_x` reads `ioDeviceX`, losing the device's case)
// and is cached for 2 s; the state API asks the GCS and keeps the names.
#[derive(Deserialize)]
struct NodesReply {
    data: NodesData,
}

#[derive(Deserialize)]
struct NodesData {
    result: NodesList,
}

#[derive(Deserialize)]
struct NodesList {
    result: Vec<NodeState>,
}

#[derive(Deserialize)]
struct NodeState {
    node_ip: String,
    state: String,
    #[serde(default)]
    resources_total: serde_json::Map<String, serde_json::Value>,
}

/// The cluster's nodes as the head's dashboard (`http://ip:port`) lists them, with the lease's
/// Ray token. A dead node stays listed, not alive, from about 16 s after it died (Ray's health
/// check).
pub async fn nodes(dashboard: &str, token: &str) -> Result<Vec<NodeView>> {
    nodes_with(&client()?, dashboard, token).await
}

async fn nodes_with(http: &reqwest::Client, dashboard: &str, token: &str) -> Result<Vec<NodeView>> {
    let url = format!("{dashboard}/api/v0/nodes?limit=1000");
    let reply = http.get(&url).bearer_auth(token).send().await.with_context(|| format!("GET {url}"))?;
    let status = reply.status();
    let body = reply.text().await.with_context(|| format!("reading GET {url}"))?;
    if !status.is_success() {
        bail!("GET {url} answered {status}: {}", tail(body.as_bytes(), 300));
    }
    parse_nodes(&body)
        .with_context(|| format!("GET {url} answered an unexpected body: {}", tail(body.as_bytes(), 300)))
}

fn parse_nodes(body: &str) -> Result<Vec<NodeView>> {
    let reply: NodesReply = serde_json::from_str(body)?;
    let prefix = device_resource("");
    Ok(reply
        .data
        .result
        .result
        .into_iter()
        .map(|n| NodeView {
            device: n.resources_total.keys().find(|k| k.starts_with(&prefix)).cloned(),
            alive: n.state == "ALIVE",
            ip: n.node_ip,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crashed_runs_files_are_swept_and_only_this_devices() {
        let device = format!("Sweep{}", std::process::id());
        let other = format!("Other{}", std::process::id());
        let (mine, theirs) = (node_dir("LeaseAAAA", &device), node_dir("LeaseAAAA", &other));
        for d in [&mine, &theirs] {
            fs::create_dir_all(d.join("session_1")).unwrap();
            fs::write(d.with_extension("log"), "ray said").unwrap();
        }
        let mut removed = sweep_stale(&device);
        removed.sort();
        assert_eq!(removed, vec![mine.clone(), mine.with_extension("log")]);
        assert!(!mine.exists() && theirs.exists() && theirs.with_extension("log").exists());
        fs::remove_dir_all(&theirs).unwrap();
        fs::remove_file(theirs.with_extension("log")).unwrap();
    }

    #[test]
    fn temp_dirs_are_short_enough_for_any_lease_and_device() {
        let lease = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
        let d = node_dir(lease, "HN7cABqLq46Es1jh92dQQisAq662SmxELLLsHHe4YWrH");
        assert_eq!(d, PathBuf::from("/tmp/io-ray/9xQeWvG8-HN7cABqL"));
        assert!(d.as_os_str().len() <= MAX_TEMP_DIR);
        assert_eq!(log_path(&d), PathBuf::from("/tmp/io-ray/9xQeWvG8-HN7cABqL.log"));
        // Path separators in names do not escape the directory.
        assert_eq!(node_dir("../..", "a/b"), PathBuf::from("/tmp/io-ray/-ab"));
    }

    #[test]
    fn the_nodes_summary_is_read_per_node() {
        // As Ray 2.58 answers (trimmed).
        let body = r#"{"result": true, "msg": "", "data": {"result": {"total": 2, "result": [
            {"node_id": "e705", "node_ip": "127.0.0.31", "is_head_node": true, "state": "ALIVE",
             "resources_total": {"memory": 1.6e10, "CPU": 1.0, "node:127.0.0.31": 1.0, "io_device_h": 1.0}},
            {"node_id": "e706", "node_ip": "127.0.0.32", "state": "DEAD", "resources_total": {"CPU": 1.0}}
          ], "partial_failure_warning": "", "warnings": null}}}"#;
        let nodes = parse_nodes(body).unwrap();
        assert_eq!(
            nodes,
            vec![
                NodeView { ip: "127.0.0.31".into(), alive: true, device: Some("io_device_h".into()) },
                NodeView { ip: "127.0.0.32".into(), alive: false, device: None },
            ]
        );
        assert!(parse_nodes(r#"{"result": false, "msg": "x"}"#).is_err());
        assert!(parse_nodes(r#"{"data": {"summary": []}}"#).is_err());
    }

    #[test]
    fn an_exited_unreaped_child_is_a_zombie() {
        assert!(!zombie(std::process::id()));
        let mut child = Command::new("true").spawn().unwrap();
        let pid = child.id();
        // Exited, not reaped yet: a zombie.
        let deadline = Instant::now() + Duration::from_secs(5);
        while !zombie(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(zombie(pid));
        child.wait().unwrap();
    }

    #[test]
    fn the_command_pins_ports_resources_and_token_env() {
        let ray = RayInstall { venv: "/v".into(), version: "2.58.0".into() };
        let spec = NodeSpec {
            role: NodeRole::Node { gcs: "127.0.0.31:31079".into() },
            ip: "127.0.0.32".into(),
            ports: PortBlock::new(31150).unwrap(),
            temp_dir: "/tmp/io-ray/t-n".into(),
            token: "tok".into(),
            resources: NodeResources {
                cpus: 2,
                gpus: 1,
                memory_bytes: 1 << 30,
                object_store_bytes: 100 << 20,
                device: "dev".into(),
            },
            ray,
            env: vec![("CUDA_VISIBLE_DEVICES".into(), "0".into())],
        };
        let args = ray_args(&spec).join(" ");
        assert!(args.starts_with("start --address 127.0.0.31:31079 --node-ip-address 127.0.0.32"), "{args}");
        assert!(!args.contains("--head") && !args.contains("--dashboard-port"), "{args}");
        assert!(
            args.contains("--num-gpus 1") && args.contains(r#"--resources {"io_device_dev":1}"#),
            "{args}"
        );
        assert!(args.ends_with("--temp-dir /tmp/io-ray/t-n --disable-usage-stats --block"), "{args}");
        let env = ray_env(&spec);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert!(get("PATH").unwrap().starts_with("/v/bin"));
        assert_eq!(get("RAY_AUTH_TOKEN"), Some("tok"));
        assert_eq!(get("RAY_AUTH_MODE"), Some("token"));
        assert_eq!(get(NODE_MARK), Some("/tmp/io-ray/t-n"));
        assert_eq!(get("DASHBOARD_METRIC_PORT"), Some("31238"));
        assert_eq!(get("CUDA_VISIBLE_DEVICES"), Some("0"));
    }
}
