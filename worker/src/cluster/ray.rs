//! The worker's Ray install: a Python virtual environment holding the pinned
//! [`RAY_REQUIREMENT`], one per machine, shared by every lease's nodes.
//!
//! `io-worker ray install [--venv DIR]` creates it; `io-worker ray check` and every cluster start
//! check it, so a machine without Ray gets a message saying what to run instead of a failed
//! `ray start`.
use anyhow::{bail, Context, Result};
use io_sdk::worker::cluster::{RAY_REQUIREMENT, RAY_VERSION};
use std::{
    fs::File,
    io::ErrorKind,
    os::fd::AsRawFd,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

/// A checked Ray install: `bin/ray` exists and its Python imports the pinned Ray.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RayInstall {
    pub venv: PathBuf,
    /// What `import ray; ray.__version__` printed (equals [`RAY_VERSION`]).
    pub version: String,
}

impl RayInstall {
    /// The venv's `bin`: first on the PATH of every Ray process, so a job's `python` is the
    /// venv's (one that imports ray).
    pub fn bin(&self) -> PathBuf {
        self.venv.join("bin")
    }

    pub fn ray(&self) -> PathBuf {
        self.bin().join("ray")
    }

    pub fn python(&self) -> PathBuf {
        self.bin().join("python")
    }
}

/// The venv the worker uses when not told: `$IO_RAY_VENV`, else
/// `$XDG_CACHE_HOME/io-compute/ray-<RAY_VERSION>`, else `~/.cache/io-compute/ray-<RAY_VERSION>`.
pub fn default_venv() -> PathBuf {
    io_sdk::worker::cluster::default_ray_venv()
}

/// How to fix a missing or wrong install, for every error of [`check`].
fn remedy(venv: &Path) -> String {
    format!(
        "run `io-worker ray install --venv {}` (installs {RAY_REQUIREMENT}, about 400 MB), or point the worker at an existing install with `--ray-venv DIR`",
        venv.display()
    )
}

/// Checks the install at `venv`: `bin/ray` exists and `bin/python` imports Ray [`RAY_VERSION`].
pub fn check(venv: &Path) -> Result<RayInstall> {
    let ray = venv.join("bin").join("ray");
    if !ray.is_file() {
        bail!("Ray is not installed at {} (no {}): {}", venv.display(), ray.display(), remedy(venv));
    }
    let python = venv.join("bin").join("python");
    let out = Command::new(&python)
        .args(["-c", "import ray; print(ray.__version__)"])
        .env("RAY_USAGE_STATS_ENABLED", "0")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running {} failed: {}", python.display(), remedy(venv)))?;
    if !out.status.success() {
        bail!("{} cannot import ray ({}): {}", python.display(), tail(&out.stderr, 400), remedy(venv));
    }
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if version != RAY_VERSION {
        bail!(
            "the Ray at {} is version {version}, the worker needs {RAY_VERSION}: {}",
            venv.display(),
            remedy(venv)
        );
    }
    Ok(RayInstall { venv: venv.to_path_buf(), version })
}

/// Creates the venv at `venv` with `python3 -m venv` and installs [`RAY_REQUIREMENT`] into it
/// (needs PyPI or a configured pip index). Does nothing when [`check`] already passes. Holds an
/// exclusive lock on `<venv>.lock` meanwhile, so workers sharing one venv install it once.
pub fn install(venv: &Path) -> Result<RayInstall> {
    if let Ok(ok) = check(venv) {
        return Ok(ok);
    }
    let parent = venv.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let _lock = lock(&venv.with_extension("lock"))?;
    // Another worker may have installed it while this one waited for the lock.
    if let Ok(ok) = check(venv) {
        return Ok(ok);
    }
    let made = run(Command::new("python3").arg("-m").arg("venv").arg(venv)).map_err(|e| match e {
        Run::Missing => anyhow::anyhow!(
            "python3 is not installed: install it (Debian/Ubuntu: `apt-get install python3 python3-venv`), then run `io-worker ray install` again"
        ),
        Run::Failed(out) => anyhow::anyhow!(
            "`python3 -m venv {}` failed ({}): install the venv module (Debian/Ubuntu: `apt-get install python3-venv`), then run `io-worker ray install` again",
            venv.display(),
            tail(&out.stderr, 400)
        ),
        Run::Io(e) => e,
    });
    made?;
    let pip = venv.join("bin").join("pip");
    run(Command::new(&pip)
        .args(["install", "--disable-pip-version-check", "--no-input", RAY_REQUIREMENT])
        .stdout(Stdio::null()))
    .map_err(|e| match e {
        Run::Missing => anyhow::anyhow!(
            "the venv at {} has no pip: remove it and run `io-worker ray install` again",
            venv.display()
        ),
        Run::Failed(out) => anyhow::anyhow!(
            "`pip install {RAY_REQUIREMENT}` into {} failed ({}): check the network or the pip index (PIP_INDEX_URL), then run `io-worker ray install` again",
            venv.display(),
            tail(&out.stderr, 600)
        ),
        Run::Io(e) => e,
    })?;
    check(venv)
}

enum Run {
    Missing,
    Failed(Output),
    Io(anyhow::Error),
}

fn run(cmd: &mut Command) -> std::result::Result<Output, Run> {
    let shown = format!("{cmd:?}");
    let out = cmd.stdin(Stdio::null()).stderr(Stdio::piped()).output().map_err(|e| {
        if e.kind() == ErrorKind::NotFound {
            Run::Missing
        } else {
            Run::Io(anyhow::Error::new(e).context(format!("running {shown}")))
        }
    })?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(Run::Failed(out))
    }
}

/// An exclusive `flock` on `path`, released when the file is closed (dropped).
fn lock(path: &Path) -> Result<File> {
    let file = File::create(path).with_context(|| format!("creating the install lock {}", path.display()))?;
    // SAFETY: flock on a descriptor this function owns; no memory is shared with the kernel.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
        return Err(std::io::Error::last_os_error()).with_context(|| format!("locking {}", path.display()));
    }
    Ok(file)
}

/// The last `max` bytes of a process's output, as one trimmed line of text.
pub(crate) fn tail(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    let cut = text.len().saturating_sub(max);
    let start = (cut..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
    text[start..].replace('\n', " | ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_default_venv_follows_the_environment() {
        let vars = |pairs: &[(&str, &str)]| -> HashMap<String, PathBuf> {
            pairs.iter().map(|(k, v)| (k.to_string(), PathBuf::from(v))).collect()
        };
        let pinned = format!("io-compute/ray-{RAY_VERSION}");
        let env = vars(&[("IO_RAY_VENV", "/opt/ray"), ("HOME", "/home/a")]);
        assert_eq!(
            io_sdk::worker::cluster::ray_venv_from(|k| env.get(k).cloned()),
            PathBuf::from("/opt/ray")
        );
        let env = vars(&[("XDG_CACHE_HOME", "/c"), ("HOME", "/home/a")]);
        assert_eq!(
            io_sdk::worker::cluster::ray_venv_from(|k| env.get(k).cloned()),
            Path::new("/c").join(&pinned)
        );
        let env = vars(&[("HOME", "/home/a")]);
        assert_eq!(
            io_sdk::worker::cluster::ray_venv_from(|k| env.get(k).cloned()),
            Path::new("/home/a/.cache").join(&pinned)
        );
    }

    #[test]
    fn a_missing_install_says_what_to_run() {
        let dir = std::env::temp_dir().join(format!("io-ray-check-{}", std::process::id()));
        let e = check(&dir).unwrap_err().to_string();
        assert!(e.contains("io-worker ray install") && e.contains("--ray-venv"), "{e}");
        // A bin/ray whose python does not exist is not an install either.
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::write(dir.join("bin/ray"), "").unwrap();
        let e = check(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(e.contains("bin/python") && e.contains("io-worker ray install"), "{e}");
    }

    #[test]
    fn tail_keeps_the_end_on_a_char_boundary() {
        assert_eq!(tail(b"a\nbb\n", 10), "a | bb");
        assert_eq!(tail("xé".as_bytes(), 1), "");
        assert_eq!(tail(b"abcdef", 3), "def");
    }
}
