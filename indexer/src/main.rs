//! `indexer`: runs migrations and serves the query API. Thin: settings, tracing, store, router.
use anyhow::Context;
use clap::{Parser, Subcommand};
use io_indexer::{api, settings::Settings, store::Store};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "indexer", version, about = "IO Compute indexer: store and query API")]
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
    /// Apply migrations and serve the API (the default).
    Serve {
        /// Listen address.
        #[arg(long)]
        listen: Option<SocketAddr>,
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
    if let Some(Cmd::Serve { listen: Some(l) }) = &cli.cmd {
        settings.listen = *l;
    }
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
    tracing::info!(addr = %settings.listen, "serving the API");
    axum::serve(listener, api::app(state)).with_graceful_shutdown(shutdown()).await.context("serving")?;
    store.close().await;
    Ok(())
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
