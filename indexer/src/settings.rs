//! Settings: one nested struct whose `Default` impls are the only defaults. Three layers are
//! merged as one TOML tree before it is read — an optional TOML file, then `INDEXER__<TABLE>__<FIELD>`
//! environment variables (e.g. `INDEXER__INGEST__RPC_URL`), then command-line flags, each of which
//! names the field it sets — so a field nobody set takes its default, and a flag has no default of
//! its own that could drift from the struct's.
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// Prefix of the environment variables read as settings.
pub const ENV_PREFIX: &str = "INDEXER__";

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub api: ApiSettings,
    pub ingest: IngestSettings,
    pub log: LogSettings,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path?mode=rwc` (embedded, WAL) or `postgres://user@host/db`. Not serialized: it
    /// may carry a password, and settings are logged.
    #[serde(skip_serializing)]
    pub url: String,
    /// Connections of the API's read pool. Ingestion writes through a connection of its own, so
    /// reads never queue in front of the writer.
    pub read_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> DatabaseSettings {
        DatabaseSettings { url: "sqlite://indexer.db?mode=rwc".into(), read_connections: 8 }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ApiSettings {
    /// Address the query API listens on.
    pub listen: SocketAddr,
    /// Requests served at once (SSE streams not counted); more wait for a slot.
    pub max_concurrent_requests: usize,
    /// How long a request waits for a slot before it is answered 503 with `Retry-After`.
    pub queue_timeout_ms: u64,
    /// Connected `/v1/stream` clients at most; more are answered 503.
    pub max_stream_clients: usize,
    /// Base URLs of the oracle nodes that publish the certified reports' leaves: `/v1/network`
    /// links each report-backed figure to `<url>/v1/reports/<period>` on every one of them, so a
    /// reader can fetch the leaves and recompute the figure. Empty: no leaves links (and a note).
    pub oracle_urls: Vec<String>,
}

impl Default for ApiSettings {
    fn default() -> ApiSettings {
        ApiSettings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8999)),
            max_concurrent_requests: 64,
            queue_timeout_ms: 10_000,
            max_stream_clients: 2_000,
            oracle_urls: Vec::new(),
        }
    }
}

impl ApiSettings {
    pub fn queue_timeout(&self) -> Duration {
        Duration::from_millis(self.queue_timeout_ms)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSettings {
    /// Ingest while serving (false: serve what the database holds).
    pub enabled: bool,
    /// Solana JSON-RPC endpoint ingestion reads from.
    pub rpc_url: String,
    /// Use the `logsSubscribe` trigger (off: poll only).
    pub websocket: bool,
    /// Its endpoint; empty: derived from `rpc_url` (see [`crate::ingest::ws_url_for`]).
    pub ws_url: String,
    /// Longest wait between ingest rounds, in milliseconds.
    pub poll_ms: u64,
    /// Signatures per database commit (and per `getTransaction` batch group).
    pub signatures_per_commit: usize,
    /// `getTransaction` calls per JSON-RPC batch request.
    pub transactions_per_request: usize,
    /// Re-read the accounts each transaction touched, and all of them every `resync_secs`.
    pub account_sync: bool,
    pub resync_secs: u64,
    /// A node on another chain than the database's (another genesis hash, or a cursor signature
    /// or indexed slot the node does not have): wipe the database and index the node's chain
    /// from scratch. Off, ingestion refuses and the indexer stops with the reason.
    pub reset_on_new_chain: bool,
    /// How often the node's confirmed slot is read, apart from ingestion (the lag in `/status`).
    pub probe_ms: u64,
    /// Timeout of that read: a node that does not answer within it is reported unhealthy.
    pub probe_timeout_ms: u64,
    /// `/health` turns unhealthy when the last successful ingest round is older than this.
    pub stale_after_secs: u64,
    /// Show a progress bar on stderr during a long catch-up (when stderr is a terminal).
    pub progress: bool,
}

impl Default for IngestSettings {
    fn default() -> IngestSettings {
        IngestSettings {
            enabled: true,
            rpc_url: "http://127.0.0.1:8899".into(),
            websocket: true,
            ws_url: String::new(),
            poll_ms: 250,
            signatures_per_commit: 500,
            transactions_per_request: 100,
            account_sync: true,
            resync_secs: 300,
            reset_on_new_chain: false,
            probe_ms: 500,
            probe_timeout_ms: 1_500,
            stale_after_secs: 10,
            progress: true,
        }
    }
}

impl IngestSettings {
    /// The defaults, reading from `rpc_url` (tests and tools).
    pub fn for_rpc(rpc_url: &str) -> IngestSettings {
        IngestSettings { rpc_url: rpc_url.to_owned(), progress: false, ..IngestSettings::default() }
    }

    /// The WebSocket endpoint of the trigger, `None` when it is off.
    pub fn ws_endpoint(&self) -> Option<String> {
        if !self.websocket {
            return None;
        }
        Some(if self.ws_url.is_empty() {
            crate::ingest::ws_url_for(&self.rpc_url)
        } else {
            self.ws_url.clone()
        })
    }

    pub fn poll_interval(&self) -> Duration {
        Duration::from_millis(self.poll_ms.max(1))
    }

    pub fn resync_interval(&self) -> Duration {
        Duration::from_secs(self.resync_secs.max(1))
    }

    pub fn probe_interval(&self) -> Duration {
        Duration::from_millis(self.probe_ms.max(1))
    }

    pub fn probe_timeout(&self) -> Duration {
        Duration::from_millis(self.probe_timeout_ms.max(1))
    }

    pub fn stale_after(&self) -> Duration {
        Duration::from_secs(self.stale_after_secs.max(1))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter (`RUST_LOG` wins when set).
    pub filter: String,
}

impl Default for LogSettings {
    fn default() -> LogSettings {
        LogSettings { filter: "indexer=info,io_indexer=info".into() }
    }
}

pub use io_sdk::settings::{Override, SettingsError};

impl Settings {
    /// File (if any) ← `INDEXER__*` variables read through `env` ← `flags`, then the defaults
    /// for every field none of them set.
    pub fn load(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
        flags: &[Override],
    ) -> Result<Settings, SettingsError> {
        io_sdk::settings::load(ENV_PREFIX, path, env, flags)
    }

    pub fn parse(text: &str) -> Result<Settings, Box<toml::de::Error>> {
        toml::from_str(text).map_err(Box::new)
    }

    /// Refuses what could never work, before anything starts: an RPC or WebSocket URL of the
    /// wrong scheme, a zero commit size or concurrency.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let bad = |field, message: String| Err(SettingsError::Invalid { field, message });
        let i = &self.ingest;
        if i.enabled && !["http://", "https://"].iter().any(|p| i.rpc_url.starts_with(p)) {
            return bad(
                "ingest.rpc_url",
                format!("{:?} is not an http:// or https:// URL (e.g. http://127.0.0.1:8899)", i.rpc_url),
            );
        }
        if i.enabled && !i.ws_url.is_empty() && !["ws://", "wss://"].iter().any(|p| i.ws_url.starts_with(p)) {
            return bad(
                "ingest.ws_url",
                format!("{:?} is not a ws:// or wss:// URL (leave it empty to derive it)", i.ws_url),
            );
        }
        if i.signatures_per_commit == 0 {
            return bad("ingest.signatures_per_commit", "must be at least 1".into());
        }
        if i.transactions_per_request == 0 {
            return bad("ingest.transactions_per_request", "must be at least 1".into());
        }
        if let Some(u) =
            self.api.oracle_urls.iter().find(|u| !["http://", "https://"].iter().any(|p| u.starts_with(p)))
        {
            return bad(
                "api.oracle_urls",
                format!("{u:?} is not an http:// or https:// URL (e.g. http://127.0.0.1:7901)"),
            );
        }
        if self.api.max_concurrent_requests == 0 {
            return bad("api.max_concurrent_requests", "must be at least 1".into());
        }
        if self.database.read_connections == 0 {
            return bad("database.read_connections", "must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn template_parses_and_matches_the_defaults() {
        let t = Settings::parse(include_str!("../pkg/settings-template.toml")).unwrap();
        assert_eq!(t, Settings::default(), "the template states the defaults, nothing else");
    }

    #[test]
    fn layers_merge_by_name_and_unset_fields_keep_the_one_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "[ingest]\npoll_ms = 100\nrpc_url = \"http://file:1\"\n").unwrap();
        let s = Settings::load(
            Some(&file),
            env(&[
                ("INDEXER__INGEST__RPC_URL", "http://env:2"),
                ("INDEXER__API__LISTEN", "0.0.0.0:9000"),
                ("INDEXER__INGEST__ACCOUNT_SYNC", "false"),
                ("OTHER", "x"),
            ]),
            &[("ingest.reset_on_new_chain", toml::Value::Boolean(true))],
        )
        .unwrap();
        assert_eq!(s.ingest.poll_ms, 100, "file");
        assert_eq!(s.ingest.rpc_url, "http://env:2", "environment over file");
        assert_eq!(s.api.listen.port(), 9000);
        assert!(!s.ingest.account_sync && s.ingest.reset_on_new_chain, "flag");
        assert_eq!(s.ingest.signatures_per_commit, IngestSettings::default().signatures_per_commit);
        assert_eq!(s.api.max_concurrent_requests, ApiSettings::default().max_concurrent_requests);
    }

    #[test]
    fn environment_errors_name_the_variable_and_secrets_stay_out_of_logs() {
        let s = Settings::load(None, env(&[("INDEXER__DATABASE__URL", "postgres://u:secret@h/db")]), &[])
            .unwrap();
        assert_eq!(s.database.url, "postgres://u:secret@h/db");
        assert!(!serde_json::to_string(&s).unwrap().contains("secret"));
        let e = Settings::load(None, env(&[("INDEXER__API__LISTEN", "nope")]), &[]).unwrap_err();
        assert!(e.to_string().contains("listen"), "{e}");
        let e = Settings::load(None, env(&[("INDEXER__INGEST__NOPE", "1")]), &[]).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
        let e = Settings::load(None, env(&[("INDEXER__LOG", "x")]), &[]).unwrap_err();
        assert!(e.to_string().contains("log"), "a table set as a value is refused: {e}");
        assert!(Settings::parse("unknown = 1").is_err());
    }

    #[test]
    fn urls_of_the_wrong_scheme_are_refused_with_the_field_named() {
        assert!(Settings::default().validate().is_ok());
        let mut s = Settings::default();
        s.ingest.rpc_url = "127.0.0.1:8899".into();
        assert!(s.validate().unwrap_err().to_string().starts_with("ingest.rpc_url: "));
        s.ingest.enabled = false;
        assert!(s.validate().is_ok(), "serving only needs no RPC");
        let mut s = Settings::default();
        s.ingest.ws_url = "http://h:8900".into();
        assert!(s.validate().unwrap_err().to_string().starts_with("ingest.ws_url: "));
        let mut s = Settings::default();
        s.ingest.signatures_per_commit = 0;
        assert!(s.validate().unwrap_err().to_string().starts_with("ingest.signatures_per_commit: "));
        let mut s = Settings::default();
        s.api.oracle_urls = vec!["http://127.0.0.1:7901".into(), "127.0.0.1:7902".into()];
        assert!(s.validate().unwrap_err().to_string().starts_with("api.oracle_urls: "));
    }
}
