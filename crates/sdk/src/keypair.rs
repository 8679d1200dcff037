//! Keypair files in the Solana CLI's format (a JSON array of the 64 secret-key bytes), read with
//! errors that say what to do.
use solana_keypair::Keypair;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum KeypairError {
    #[error("cannot read the keypair {path}: {source} (pass --keypair FILE, a Solana CLI keypair)")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a keypair file (a JSON array of 64 bytes): {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("cannot create the keypair {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The Solana CLI's default keypair: `~/.config/solana/id.json`.
pub fn default_keypair_path() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    home.join(".config/solana/id.json")
}

/// Reads a keypair file.
pub fn read_keypair(path: &Path) -> Result<Keypair, KeypairError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| KeypairError::Read { path: path.to_owned(), source })?;
    let format = |reason: String| KeypairError::Format { path: path.to_owned(), reason };
    let bytes: Vec<u8> = serde_json::from_str(&text).map_err(|e| format(e.to_string()))?;
    Keypair::try_from(bytes.as_slice()).map_err(|e| format(e.to_string()))
}

/// What [`read_or_create_keypair`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeypairOrigin {
    Read,
    Created,
}

impl KeypairOrigin {
    /// The line to tell the user when a key was created (a new wallet needs funds, and its file is
    /// the only copy of the secret); `None` when an existing file was read.
    pub fn message(self, path: &Path, address: &impl std::fmt::Display) -> Option<String> {
        match self {
            KeypairOrigin::Read => None,
            KeypairOrigin::Created => Some(format!(
                "created a new keypair at {} (address {address}, readable by its owner only): fund it, and back \
                 the file up — it is the only copy of the key",
                path.display()
            )),
        }
    }
}

/// Reads the keypair at `path`, or, when no file is there, creates a new one (parent folders
/// too) readable by its owner only. A file that exists but cannot be read or parsed is an error,
/// never overwritten: it may be someone's funded key.
pub fn read_or_create_keypair(path: &Path) -> Result<(Keypair, KeypairOrigin), KeypairError> {
    match std::fs::metadata(path) {
        Ok(_) => return read_keypair(path).map(|k| (k, KeypairOrigin::Read)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(KeypairError::Read { path: path.to_owned(), source }),
    }
    let keypair = Keypair::new();
    write_new(path, &keypair).map_err(|source| KeypairError::Write { path: path.to_owned(), source })?;
    Ok((keypair, KeypairOrigin::Created))
}

/// Writes a keypair to a file that must not exist yet, mode 0600 from its creation on (never
/// briefly world-readable).
fn write_new(path: &Path, keypair: &Keypair) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let json = serde_json::to_string(&keypair.to_bytes().to_vec()).map_err(std::io::Error::other)?;
    file.write_all(json.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_keypair::Signer;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("io-sdk-keypair-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn creates_once_then_reads_the_same_key() {
        let dir = temp("create");
        let path = dir.join("nested/worker.json");
        let (k, origin) = read_or_create_keypair(&path).unwrap();
        assert_eq!(origin, KeypairOrigin::Created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let said = origin.message(&path, &k.pubkey()).unwrap();
        assert!(said.contains(&k.pubkey().to_string()) && said.contains("worker.json"), "{said}");
        let (again, origin) = read_or_create_keypair(&path).unwrap();
        assert_eq!(origin, KeypairOrigin::Read);
        assert_eq!(origin.message(&path, &k.pubkey()), None);
        assert_eq!(again.pubkey(), k.pubkey());
        assert_eq!(read_keypair(&path).unwrap().pubkey(), k.pubkey());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn clear_errors_and_nothing_overwritten() {
        let dir = temp("errors");
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.json");
        let e = read_keypair(&missing).unwrap_err().to_string();
        assert!(e.contains("cannot read the keypair") && e.contains("--keypair"), "{e}");
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "[1, 2, 3]").unwrap();
        let e = read_keypair(&bad).unwrap_err().to_string();
        assert!(e.contains("is not a keypair file"), "{e}");
        let e = read_or_create_keypair(&bad).unwrap_err().to_string();
        assert!(e.contains("is not a keypair file"), "{e}");
        assert_eq!(std::fs::read_to_string(&bad).unwrap(), "[1, 2, 3]");
        std::fs::write(&bad, "not json").unwrap();
        assert!(matches!(read_keypair(&bad), Err(KeypairError::Format { .. })));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn default_path_is_the_solana_cli_one() {
        assert!(default_keypair_path().ends_with(".config/solana/id.json"));
    }
}
