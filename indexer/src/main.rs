//! `indexer`: runs migrations, ingests from a Solana RPC node and serves the query API. Thin:
//! settings, tracing, store, the ingest task, the router.
use anyhow::Context;
use clap::{Parser, Subcommand};
use io_indexer::{api, ingest::Ingestor, settings::Settings, store::Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Database URL: sqlite://path?mode=rwc or postgres://…
    #[arg(long)]
    db: Option<String>,
    #[command(subcommand)]
    cmd: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Apply migrations, ingest from the RPC node and serve the API (the default).
    Serve {
        /// Listen address.
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Solana JSON-RPC endpoint to ingest from.
        #[arg(long)]
        rpc_url: Option<String>,
        /// WebSocket endpoint (default: the RPC URL with ws:// and port + 1).
        #[arg(long)]
        ws_url: Option<String>,
        /// Serve what the database holds without ingesting.
        #[arg(long)]
        no_ingest: bool,
    },
    /// Apply migrations and exit.
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut settings = Settings::load(cli.config.as_deref()).context("loading settings")?;
    if let Some(db) = cli.db {
        settings.database_url = db;
    }
    if let Some(Cmd::Serve { listen, rpc_url, ws_url, no_ingest }) = &cli.cmd {
        if let Some(l) = listen {
            settings.listen = *l;
        }
        if let Some(u) = rpc_url {
            settings.rpc_url.clone_from(u);
        }
        if let Some(u) = ws_url {
            settings.ws_url.clone_from(u);
        }
        if *no_ingest {
            settings.ingest = false;
        }
    }
    settings.validate().context("invalid settings")?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&settings.log));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    tracing::info!(settings = %serde_json::to_string(&settings)?, "starting");

    let store = Store::connect(&settings.database_url).await.context("connecting to the database")?;
    store.migrate().await.context("applying migrations")?;
    if matches!(cli.cmd, Some(Cmd::Migrate)) {
        tracing::info!("migrations applied");
        return Ok(());
    }

    let mut state = api::AppState::new(store.clone());
    state.stream_poll = Duration::from_millis(settings.stream_poll_ms);
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("binding {}", settings.listen))?;
    // One signal stops both the ingest task and the server.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stop_tx = std::sync::Arc::new(stop_tx);
    let stopped = move || {
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.wait_for(|s| *s).await;
        }
    };
    let ingest = settings.ingest.then(|| {
        let cfg = settings.ingest_config();
        tracing::info!(rpc = %cfg.rpc_url, ws = ?cfg.ws_url, "ingesting");
        let (ingestor, stop_tx) = (Ingestor::new(store.clone(), cfg), stop_tx.clone());
        let until = stopped();
        tokio::spawn(async move {
            let r = ingestor.run(until).await;
            // A store failure ends ingestion; serving stale data silently would be worse.
            let _ = stop_tx.send(true);
            r
        })
    });
    tokio::spawn(async move {
        shutdown().await;
        let _ = stop_tx.send(true);
    });
    // Printed, not logged: `make up` and scripts look for this line whatever the log filter.
    println!("indexer API: http://{}  (docs: http://{}/docs)", settings.listen, settings.listen);
    let served = axum::serve(listener, api::app(state)).with_graceful_shutdown(stopped()).await;
    let ingested = match ingest {
        Some(task) => task.await.context("ingest task")?.context("ingesting"),
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
