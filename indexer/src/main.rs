//! `indexer`: runs migrations, ingests from a Solana RPC node and serves the query API. Thin:
//! settings, tracing, the stores (a read pool for the API, a connection of its own for the
//! writer), the ingest task, the router, and a shutdown that never waits on the node.
use anyhow::Context;
use clap::{Parser, Subcommand};
use io_indexer::api::{self, limit::Limits};
use io_indexer::feed::Feed;
use io_indexer::ingest;
use io_indexer::settings::{Override, Settings};
use io_indexer::store::Store;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How long open responses (SSE streams end at once) may take to finish after a stop signal.
const DRAIN: Duration = Duration::from_secs(5);

#[derive(Parser)]
#[command(
    name = "indexer",
    version,
    about = "IO Compute indexer: ingest from a Solana RPC node, serve the query API"
)]
struct Cli {
    /// TOML settings file (see pkg/settings-template.toml).
    #[arg(long, env = "INDEXER_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://path?mode=rwc or postgres://… (database.url).
    #[arg(long)]
    db: Option<String>,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Apply migrations, ingest from the RPC node and serve the API (the default).
    Serve {
        /// Listen address (api.listen).
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Solana JSON-RPC endpoint to ingest from (ingest.rpc_url).
        #[arg(long)]
        rpc_url: Option<String>,
        /// WebSocket endpoint (ingest.ws_url; default: the RPC URL with ws:// and port + 1).
        #[arg(long)]
        ws_url: Option<String>,
        /// Serve what the database holds without ingesting (ingest.enabled = false).
        #[arg(long)]
        no_ingest: bool,
        /// When the node serves another chain than the database holds (a new genesis, a fork
        /// below the indexed data), wipe the database and index the node's chain
        /// (ingest.reset_on_new_chain = true). Without it the indexer refuses and stops.
        #[arg(long)]
        reset_on_new_chain: bool,
        /// An oracle node's base URL, whose `/v1/reports/<period>` publishes a certified report's
        /// leaves: `/v1/network` links its report-backed figures there (api.oracle_urls).
        /// Repeatable or comma-separated.
        #[arg(
            long = "oracle-url",
            value_name = "URL",
            env = "IO_INDEXER_ORACLE_URLS",
            value_delimiter = ','
        )]
        oracle_urls: Vec<String>,
    },
    /// Apply migrations and exit.
    Migrate,
}

impl Cli {
    /// The flags given, each as the settings field it sets.
    fn overrides(&self) -> Vec<Override> {
        let s = |v: &str| toml::Value::String(v.to_owned());
        let mut o: Vec<Override> = Vec::new();
        if let Some(db) = &self.db {
            o.push(("database.url", s(db)));
        }
        if let Some(Cmd::Serve { listen, rpc_url, ws_url, no_ingest, reset_on_new_chain, oracle_urls }) =
            &self.cmd
        {
            if let Some(l) = listen {
                o.push(("api.listen", s(&l.to_string())));
            }
            if let Some(u) = rpc_url {
                o.push(("ingest.rpc_url", s(u)));
            }
            if let Some(u) = ws_url {
                o.push(("ingest.ws_url", s(u)));
            }
            if *no_ingest {
                o.push(("ingest.enabled", toml::Value::Boolean(false)));
            }
            if *reset_on_new_chain {
                o.push(("ingest.reset_on_new_chain", toml::Value::Boolean(true)));
            }
            let urls: Vec<toml::Value> =
                oracle_urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).map(s).collect();
            if !urls.is_empty() {
                o.push(("api.oracle_urls", toml::Value::Array(urls)));
            }
        }
        o
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::load(cli.config.as_deref(), std::env::vars(), &cli.overrides())
        .context("loading settings")?;
    settings.validate().context("invalid settings")?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log.filter));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    tracing::info!(settings = %serde_json::to_string(&settings)?, "starting");

    let url = &settings.database.url;
    // The read pool: a connection per request slot, and a few for what skips the queue.
    let reads = u32::try_from(settings.api.max_concurrent_requests).unwrap_or(u32::MAX).saturating_add(4);
    let store = Store::connect_with(url, reads).await.context("connecting to the database")?;
    store.migrate().await.context("applying migrations")?;
    if matches!(cli.cmd, Some(Cmd::Migrate)) {
        tracing::info!("migrations applied");
        return Ok(());
    }

    let feed = Feed::for_store(&store).await.context("reading the newest event")?;
    let mut state = api::AppState::new(store.clone(), feed.clone())
        .with_limits(Limits::new(&settings.api))
        .with_oracle_urls(settings.api.oracle_urls.clone());
    let listener = tokio::net::TcpListener::bind(settings.api.listen)
        .await
        .with_context(|| format!("binding {}", settings.api.listen))?;
    // One signal stops both the ingest task and the server.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stop_tx = std::sync::Arc::new(stop_tx);
    let stopped = move || {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    };
    let mut poller = None;
    let ingest = if settings.ingest.enabled {
        // Its own thread, runtime and store: API load neither delays its awaits nor holds the
        // connection a commit needs.
        tracing::info!(rpc = %settings.ingest.rpc_url, ws = ?settings.ingest.ws_endpoint(), "ingesting");
        let running =
            ingest::thread::spawn(url.clone(), settings.ingest.clone(), Some(feed.clone()), stopped())
                .context("starting ingestion")?;
        state = state.with_liveness(running.liveness);
        let stop_tx = stop_tx.clone();
        let thread = running.thread;
        Some(tokio::task::spawn_blocking(move || {
            let r = thread.join();
            // A store failure or another chain ends ingestion; serving stale data silently
            // would be worse.
            let _ = stop_tx.send(true);
            r
        }))
    } else {
        // Another process writes: one query a second finds its events for every stream client.
        poller = Some(feed.spawn_poller(store.clone(), Duration::from_secs(1)));
        None
    };
    tokio::spawn(async move {
        shutdown().await;
        let _ = stop_tx.send(true);
    });
    // Printed, not logged: `make up` and scripts look for this line whatever the log filter.
    let listen = settings.api.listen;
    println!("indexer API: http://{listen}  (docs: http://{listen}/docs)");
    let closing = {
        let (feed, until) = (feed.clone(), stopped());
        async move {
            until.await;
            feed.close();
        }
    };
    let server = axum::serve(listener, api::app(state)).with_graceful_shutdown(closing).into_future();
    tokio::pin!(server);
    let served = tokio::select! {
        r = &mut server => r,
        () = async { stopped().await; tokio::time::sleep(DRAIN).await } => {
            tracing::warn!("open requests did not finish in time; stopping anyway");
            Ok(())
        }
    };
    if let Some(p) = poller {
        p.abort();
    }
    let ingested = match ingest {
        Some(task) => match task.await.context("ingest task")? {
            Ok(r) => r.context("ingesting"),
            Err(_) => Err(anyhow::anyhow!("the ingest thread panicked")),
        },
        None => Ok(()),
    };
    store.close().await;
    served.context("serving")?;
    ingested
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_urls_are_repeatable_or_comma_separated_and_set_api_oracle_urls() {
        let cli = Cli::try_parse_from([
            "indexer",
            "serve",
            "--oracle-url",
            "http://a:7901,http://b:7902",
            "--oracle-url=http://c:7903",
        ])
        .unwrap();
        let s = Settings::load(None, Vec::new(), &cli.overrides()).unwrap();
        assert_eq!(s.api.oracle_urls, ["http://a:7901", "http://b:7902", "http://c:7903"]);
        // None given: the setting keeps its default (no node).
        let cli = Cli::try_parse_from(["indexer", "serve", "--oracle-url="]).unwrap();
        assert!(Settings::load(None, Vec::new(), &cli.overrides()).unwrap().api.oracle_urls.is_empty());
    }
}
