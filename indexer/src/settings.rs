//! Settings: defaults, overlaid by an optional TOML file, overlaid by `INDEXER__<FIELD>`
//! environment variables (e.g. `INDEXER__DATABASE_URL`), overlaid by command-line flags.
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `sqlite://path?mode=rwc` (embedded, WAL) or `postgres://user@host/db`. Not serialized: it
    /// may carry a password, and settings are logged.
    #[serde(skip_serializing)]
    pub database_url: String,
    /// Address the query API listens on.
    pub listen: SocketAddr,
    /// Solana JSON-RPC endpoint ingestion reads from.
    pub rpc_url: String,
    /// WebSocket endpoint of the `logsSubscribe` trigger; empty: derived from `rpc_url`.
    pub ws_url: String,
    /// Ingest while serving.
    pub ingest: bool,
    /// Longest wait between ingest rounds, in milliseconds.
    pub poll_ms: u64,
    /// Signatures per database commit.
    pub signatures_per_commit: usize,
    /// Re-read touched accounts, and all accounts every `resync_secs`.
    pub account_sync: bool,
    pub resync_secs: u64,
    /// How often an idle `/v1/stream` client polls for new events, in milliseconds.
    pub stream_poll_ms: u64,
    /// `tracing` filter (`RUST_LOG` wins when set).
    pub log: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            database_url: "sqlite://indexer.db?mode=rwc".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8999)),
            rpc_url: "http://127.0.0.1:8899".into(),
            ws_url: String::new(),
            ingest: true,
            poll_ms: 250,
            signatures_per_commit: 500,
            account_sync: true,
            resync_secs: 300,
            stream_poll_ms: 250,
            log: "indexer=info,io_indexer=info".into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("reading {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("parsing {path}: {source}")]
    Parse { path: String, source: Box<toml::de::Error> },
    #[error("environment variable {name}: {message}")]
    Env { name: String, message: String },
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
}

impl Settings {
    /// The ingestion settings these describe.
    pub fn ingest_config(&self) -> crate::ingest::IngestConfig {
        let mut c = crate::ingest::IngestConfig::new(&self.rpc_url);
        if !self.ws_url.is_empty() {
            c.ws_url = Some(self.ws_url.clone());
        }
        c.poll_interval = std::time::Duration::from_millis(self.poll_ms.max(1));
        c.signatures_per_commit = self.signatures_per_commit;
        c.account_sync = self.account_sync;
        c.resync_interval = std::time::Duration::from_secs(self.resync_secs.max(1));
        c.progress = true;
        c
    }

    /// Defaults ← `path` (if any) ← environment.
    pub fn load(path: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut s = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|source| SettingsError::Read { path: p.display().to_string(), source })?;
                Settings::parse(&text)
                    .map_err(|source| SettingsError::Parse { path: p.display().to_string(), source })?
            }
            None => Settings::default(),
        };
        s.overlay_env(|k| std::env::var(k).ok())?;
        Ok(s)
    }

    /// Refuses what could never work, before anything starts: an RPC or WebSocket URL of the
    /// wrong scheme, a zero commit size.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let bad = |field, message: String| Err(SettingsError::Invalid { field, message });
        if self.ingest && !["http://", "https://"].iter().any(|p| self.rpc_url.starts_with(p)) {
            return bad(
                "rpc_url",
                format!("{:?} is not an http:// or https:// URL (e.g. http://127.0.0.1:8899)", self.rpc_url),
            );
        }
        if self.ingest
            && !self.ws_url.is_empty()
            && !["ws://", "wss://"].iter().any(|p| self.ws_url.starts_with(p))
        {
            return bad(
                "ws_url",
                format!("{:?} is not a ws:// or wss:// URL (leave it empty to derive it)", self.ws_url),
            );
        }
        if self.signatures_per_commit == 0 {
            return bad("signatures_per_commit", "must be at least 1".into());
        }
        Ok(())
    }

    pub fn parse(text: &str) -> Result<Settings, Box<toml::de::Error>> {
        toml::from_str(text).map_err(Box::new)
    }

    /// Applies `INDEXER__*` variables read through `get`.
    pub fn overlay_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), SettingsError> {
        let bad = |name: &str, message: String| SettingsError::Env { name: name.to_owned(), message };
        if let Some(v) = get("INDEXER__DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("INDEXER__LISTEN") {
            self.listen = v.parse().map_err(|e| bad("INDEXER__LISTEN", format!("{e}")))?;
        }
        if let Some(v) = get("INDEXER__RPC_URL") {
            self.rpc_url = v;
        }
        if let Some(v) = get("INDEXER__WS_URL") {
            self.ws_url = v;
        }
        if let Some(v) = get("INDEXER__INGEST") {
            self.ingest = v.parse().map_err(|e| bad("INDEXER__INGEST", format!("{e} (true or false)")))?;
        }
        if let Some(v) = get("INDEXER__POLL_MS") {
            self.poll_ms = v.parse().map_err(|e| bad("INDEXER__POLL_MS", format!("{e}")))?;
        }
        if let Some(v) = get("INDEXER__SIGNATURES_PER_COMMIT") {
            self.signatures_per_commit =
                v.parse().map_err(|e| bad("INDEXER__SIGNATURES_PER_COMMIT", format!("{e}")))?;
        }
        if let Some(v) = get("INDEXER__ACCOUNT_SYNC") {
            self.account_sync =
                v.parse().map_err(|e| bad("INDEXER__ACCOUNT_SYNC", format!("{e} (true or false)")))?;
        }
        if let Some(v) = get("INDEXER__RESYNC_SECS") {
            self.resync_secs = v.parse().map_err(|e| bad("INDEXER__RESYNC_SECS", format!("{e}")))?;
        }
        if let Some(v) = get("INDEXER__STREAM_POLL_MS") {
            self.stream_poll_ms = v.parse().map_err(|e| bad("INDEXER__STREAM_POLL_MS", format!("{e}")))?;
        }
        if let Some(v) = get("INDEXER__LOG") {
            self.log = v;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_and_matches_the_defaults() {
        let t = Settings::parse(include_str!("../pkg/settings-template.toml")).unwrap();
        let d = Settings::default();
        assert_eq!(t.listen, d.listen);
        assert_eq!(t.rpc_url, d.rpc_url);
        assert_eq!(t.stream_poll_ms, d.stream_poll_ms);
        assert_eq!(
            (t.ingest, t.poll_ms, t.signatures_per_commit),
            (d.ingest, d.poll_ms, d.signatures_per_commit)
        );
        assert_eq!((t.ws_url.as_str(), t.account_sync, t.resync_secs), ("", d.account_sync, d.resync_secs));
        assert!(t.database_url.starts_with("sqlite:"));
    }

    #[test]
    fn environment_overrides_and_secrets_stay_out_of_logs() {
        let mut s = Settings::default();
        s.overlay_env(|k| match k {
            "INDEXER__DATABASE_URL" => Some("postgres://u:secret@h/db".into()),
            "INDEXER__LISTEN" => Some("0.0.0.0:9000".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert!(!serde_json::to_string(&s).unwrap().contains("secret"));
        assert!(s.overlay_env(|k| (k == "INDEXER__LISTEN").then(|| "nope".into())).is_err());
        assert!(Settings::parse("unknown = 1").is_err());
    }

    #[test]
    fn urls_of_the_wrong_scheme_are_refused_with_the_field_named() {
        assert!(Settings::default().validate().is_ok());
        let mut s = Settings { rpc_url: "127.0.0.1:8899".into(), ..Settings::default() };
        assert!(s.validate().unwrap_err().to_string().starts_with("rpc_url: "));
        s.ingest = false;
        assert!(s.validate().is_ok(), "serving only needs no RPC");
        let s = Settings { ws_url: "http://h:8900".into(), ..Settings::default() };
        assert!(s.validate().unwrap_err().to_string().starts_with("ws_url: "));
        let s = Settings { signatures_per_commit: 0, ..Settings::default() };
        assert!(s.validate().unwrap_err().to_string().starts_with("signatures_per_commit: "));
    }
}
