//! The state directory: the worker key (by default), the challenges not yet fully answered, the
//! last results and the run loop's last view (for `status`). Every file is written atomically
//! (a temporary file in the same directory, synced, then renamed over the old one), so a crash
//! leaves the old version or the new one, never half of either.
use anyhow::{Context, Result};
use io_sdk::worker::{Bytes32, CommitmentMsg, Signed, Telemetry};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::{
    io::Write,
    path::{Path, PathBuf},
};

/// Results kept for `status`.
pub const RESULTS_KEPT: usize = 50;

/// A challenge accepted and not yet judged: enough to answer it after a restart (the chain is
/// recomputed from the challenge; the same inputs give the same root).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// The oracle node it came from (base URL).
    pub oracle: String,
    pub challenge_id: Bytes32,
    /// The signed request as received.
    pub request: Signed,
    /// The commitment, once computed and signed.
    pub commitment: Option<CommitmentMsg>,
    /// Whether the node accepted the commitment.
    pub commitment_accepted: bool,
    /// Milliseconds from receipt to the signed commitment.
    #[serde(default)]
    pub prove_ms: Option<u64>,
}

/// One challenge's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeResult {
    pub challenge_id: Bytes32,
    pub oracle: String,
    pub at_ms: u64,
    /// `accepted`, `refused` (by the node), `expired`, `declined` (by this worker).
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Milliseconds from receipt to commitment, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prove_ms: Option<u64>,
}

/// One oracle node as the run loop last saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeView {
    pub url: String,
    pub reachable: bool,
    pub last_ok_ms: Option<u64>,
    pub last_error: Option<String>,
    pub failures: u32,
}

/// What the running worker last wrote for `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub pid: u32,
    pub updated_ms: u64,
    pub device: String,
    pub simulated: bool,
    pub nodes: Vec<NodeView>,
    pub telemetry: Option<Telemetry>,
    /// The lease's cluster on this device (absent without clusters or without a lease).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<crate::cluster::context::ClusterStatus>,
}

/// The state directory.
#[derive(Debug, Clone)]
pub struct StateDir {
    pub dir: PathBuf,
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().map_or("state".into(), |n| n.to_string_lossy()),
        std::process::id()
    ));
    let mut f = std::fs::File::create(&tmp).with_context(|| format!("write {}", tmp.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("rename {} to {}", tmp.display(), path.display()))?;
    // The rename itself is durable once the directory is synced.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

impl StateDir {
    pub fn new(dir: impl Into<PathBuf>) -> StateDir {
        StateDir { dir: dir.into() }
    }

    /// `~/.io-worker`, or `./.io-worker` without a home.
    pub fn default_dir() -> PathBuf {
        std::env::var_os("HOME")
            .map_or_else(|| PathBuf::from(".io-worker"), |h| PathBuf::from(h).join(".io-worker"))
    }

    pub fn key_path(&self) -> PathBuf {
        self.dir.join(io_sdk::worker::KEY_FILE)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn read<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T> {
        let p = self.path(name);
        match std::fs::read_to_string(&p) {
            Ok(t) => serde_json::from_str(&t)
                .with_context(|| format!("{} is not valid: move it away to start afresh", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
            Err(e) => Err(e).with_context(|| format!("read {}", p.display())),
        }
    }

    fn write<T: Serialize>(&self, name: &str, v: &T) -> Result<()> {
        write_atomic(&self.path(name), &serde_json::to_vec_pretty(v)?)
    }

    pub fn pending(&self) -> Result<Vec<Pending>> {
        self.read("pending.json")
    }

    pub fn save_pending(&self, p: &[Pending]) -> Result<()> {
        self.write("pending.json", &p)
    }

    pub fn results(&self) -> Result<Vec<ChallengeResult>> {
        self.read("results.json")
    }

    /// Appends a result, keeping the last [`RESULTS_KEPT`].
    pub fn push_result(&self, r: ChallengeResult) -> Result<()> {
        let mut all = self.results()?;
        all.push(r);
        let skip = all.len().saturating_sub(RESULTS_KEPT);
        self.write("results.json", &all[skip..].to_vec())
    }

    pub fn run_view(&self) -> Result<Option<RunView>> {
        self.read::<Option<RunView>>("run.json")
    }

    pub fn save_run_view(&self, v: &RunView) -> Result<()> {
        self.write("run.json", &Some(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("io-worker-state-{}", std::process::id()));
        let s = StateDir::new(&dir);
        assert!(s.pending().unwrap().is_empty());
        let r = |n: u8| ChallengeResult {
            challenge_id: Bytes32([n; 32]),
            oracle: "http://o".into(),
            at_ms: u64::from(n),
            outcome: "accepted".into(),
            reason: None,
            prove_ms: Some(5),
        };
        for n in 0..(RESULTS_KEPT as u8 + 3) {
            s.push_result(r(n)).unwrap();
        }
        let kept = s.results().unwrap();
        assert_eq!(kept.len(), RESULTS_KEPT);
        assert_eq!(kept[0].at_ms, 3);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["results.json".to_string()]);
        std::fs::write(dir.join("pending.json"), "{half").unwrap();
        assert!(s.pending().unwrap_err().to_string().contains("move it away"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
