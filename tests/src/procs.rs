//! The system's binaries as child processes: built once per test process (`cargo build`, a no-op
//! when they are fresh, so a scenario never runs a stale binary), started with their output in a
//! log file, stopped with SIGINT (what Ctrl-C sends: the services' clean stop) or killed with
//! SIGKILL. Every child is registered so that the test process kills what is left when it exits:
//! a fixture shared through a `static` is never dropped.
use anyhow::{bail, Context, Result};
use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{Mutex, Once, OnceLock},
    time::{Duration, Instant},
};

/// The binaries a system runs: (package, binary).
pub const BINARIES: [(&str, &str); 4] = [
    ("io-oracle-node", "io-oracle"),
    ("io-worker", "io-worker"),
    ("io-indexer", "indexer"),
    ("io-cli", "io"),
];

static LIVE: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

extern "C" fn kill_left_over() {
    if let Ok(pids) = LIVE.lock() {
        for pid in pids.iter() {
            // SAFETY: a plain signal to a child this process started and has not reaped.
            unsafe { libc::kill(*pid, libc::SIGKILL) };
        }
    }
}

fn register(pid: i32) {
    static AT_EXIT: Once = Once::new();
    AT_EXIT.call_once(|| {
        // SAFETY: registers a plain `extern "C"` function with no captured state.
        unsafe { libc::atexit(kill_left_over) };
    });
    LIVE.lock().unwrap_or_else(|p| p.into_inner()).insert(pid);
}

fn unregister(pid: i32) {
    LIVE.lock().unwrap_or_else(|p| p.into_inner()).remove(&pid);
}

/// The workspace's root (this crate's parent).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// Where the binaries are: the directory of the test executable's parent (`target/debug/deps` →
/// `target/debug`), after building them there once per process.
pub fn bin_dir() -> Result<&'static Path> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let dir = DIR.get_or_init(|| build().map_err(|e| format!("{e:#}")));
    match dir {
        Ok(d) => Ok(d.as_path()),
        Err(e) => bail!("{e}"),
    }
}

fn build() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .context("the test executable has no target directory")?
        .to_path_buf();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace()).arg("build").arg("--quiet");
    // Not the variables cargo sets for this test process: build scripts that track one (ring's
    // tracks CARGO_MANIFEST_DIR) would see a change, rebuild ~40 crates here, and the next plain
    // `cargo build` would rebuild them back.
    for (name, _) in std::env::vars_os() {
        let n = name.to_string_lossy();
        if n.starts_with("CARGO_PKG_") || n.starts_with("CARGO_BIN_EXE_") || TEST_VARS.contains(&n.as_ref()) {
            cmd.env_remove(&name);
        }
    }
    for (package, bin) in BINARIES {
        cmd.args(["-p", package, "--bin", bin]);
    }
    let status = cmd.status().context("run cargo build for the system's binaries")?;
    if !status.success() {
        bail!("cargo build of the system's binaries failed ({status})");
    }
    for (_, bin) in BINARIES {
        if !dir.join(bin).exists() {
            bail!("{} was not built in {}", bin, dir.display());
        }
    }
    Ok(dir)
}

/// Set by cargo for a running test (besides `CARGO_PKG_*` and `CARGO_BIN_EXE_*`).
const TEST_VARS: [&str; 7] = [
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "CARGO_RUSTC_CURRENT_DIR",
];

/// A running child process.
pub struct Proc {
    pub name: String,
    pub log: PathBuf,
    child: Option<Child>,
    /// How it was started, to start it again.
    program: PathBuf,
    args: Vec<String>,
    envs: Vec<(String, String)>,
}

impl Proc {
    /// Starts `program args` with `envs`, stdout and stderr appended to `log`.
    pub fn start(
        name: &str,
        program: &Path,
        args: &[String],
        envs: &[(String, String)],
        log: &Path,
    ) -> Result<Proc> {
        let mut p = Proc {
            name: name.into(),
            log: log.into(),
            child: None,
            program: program.into(),
            args: args.to_vec(),
            envs: envs.to_vec(),
        };
        p.restart()?;
        Ok(p)
    }

    /// Starts it again as it was first started (after a stop or a kill).
    pub fn restart(&mut self) -> Result<()> {
        if self.running() {
            bail!("{} is already running", self.name);
        }
        if let Some(dir) = self.log.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let out = std::fs::OpenOptions::new().create(true).append(true).open(&self.log)?;
        let err = out.try_clone()?;
        let child = Command::new(&self.program)
            .args(&self.args)
            .envs(self.envs.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .with_context(|| format!("start {} ({})", self.name, self.program.display()))?;
        register(child.id() as i32);
        self.child = Some(child);
        Ok(())
    }

    pub fn pid(&self) -> Option<i32> {
        self.child.as_ref().map(|c| c.id() as i32)
    }

    /// Whether it is still running (a child that exited is reaped here).
    pub fn running(&mut self) -> bool {
        match self.child.as_mut().map(|c| c.try_wait()) {
            Some(Ok(None)) => true,
            Some(_) => {
                if let Some(c) = self.child.take() {
                    unregister(c.id() as i32);
                }
                false
            }
            None => false,
        }
    }

    fn signal(&mut self, signal: i32, patience: Duration) {
        let Some(mut child) = self.child.take() else { return };
        let pid = child.id() as i32;
        // SAFETY: a plain signal to our own child, not yet reaped (so the pid is still ours).
        unsafe { libc::kill(pid, signal) };
        let start = Instant::now();
        while start.elapsed() < patience {
            if let Ok(Some(_)) = child.try_wait() {
                unregister(pid);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        unregister(pid);
    }

    /// SIGINT (Ctrl-C), then SIGKILL after 5 s.
    pub fn stop(&mut self) {
        self.signal(libc::SIGINT, Duration::from_secs(5));
    }

    /// SIGKILL: no chance to clean up (a crash).
    pub fn kill9(&mut self) {
        self.signal(libc::SIGKILL, Duration::from_secs(5));
    }

    /// The last `n` lines of its log, for a failure message.
    pub fn tail(&self, n: usize) -> String {
        tail(&self.log, n)
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// The last `n` lines of a file.
pub fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Installs the pinned Ray venv where the workers look by default, when it is missing (the
/// worker's own installer: `io-worker ray install`, a no-op when the venv is already right).
pub fn ray_venv(io_worker: &Path) -> Result<()> {
    let out = Command::new(io_worker)
        .args(["ray", "install"])
        .stdin(Stdio::null())
        .output()
        .context("run io-worker ray install")?;
    if !out.status.success() {
        bail!(
            "io-worker ray install failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}
