//! The command line: `io-oracle run` (the node) and `io-oracle settings` (the merged settings, as
//! the node would read them). Flags name the settings field they set.
use crate::{api, consensus, node::Node, observe, settings::Settings};
use clap::{Parser, Subcommand};
use io_sdk::settings::Override;
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser, Debug)]
#[command(name = "io-oracle", version, about = "An IO Compute oracle node")]
pub struct Cli {
    /// Settings file (TOML); `IO_ORACLE__<TABLE>__<FIELD>` variables and flags override it.
    #[arg(long, global = true, env = "IO_ORACLE_CONFIG")]
    pub config: Option<PathBuf>,
    /// The oracle keypair file (node.keypair).
    #[arg(long, global = true)]
    pub keypair: Option<PathBuf>,
    /// JSON-RPC URL of the cluster (chain.rpc_url).
    #[arg(long, short = 'u', global = true)]
    pub url: Option<String>,
    /// Database URL (database.url): sqlite://PATH?mode=rwc or postgres://USER@HOST/DB.
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// Listen address of the API (node.listen), e.g. 127.0.0.1:7900.
    #[arg(long, global = true)]
    pub listen: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Runs the node until Ctrl-C.
    Run,
    /// Prints the merged settings (the database URL left out).
    Settings,
}

impl Cli {
    fn overrides(&self) -> Vec<Override> {
        let mut o: Vec<Override> = vec![];
        if let Some(k) = &self.keypair {
            o.push(("node.keypair", toml::Value::String(k.display().to_string())));
        }
        if let Some(u) = &self.url {
            o.push(("chain.rpc_url", toml::Value::String(u.clone())));
        }
        if let Some(d) = &self.database {
            o.push(("database.url", toml::Value::String(d.clone())));
        }
        if let Some(l) = &self.listen {
            o.push(("node.listen", toml::Value::String(l.clone())));
        }
        o
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("IO_ORACLE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("io_oracle_node=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let settings = match Settings::load(cli.config.as_deref(), std::env::vars(), &cli.overrides()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Settings => {
            println!("{}", toml::to_string_pretty(&settings).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Command::Run => {
            let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
            match rt.block_on(run(settings)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Starts every task of the node and serves the API until Ctrl-C.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let node = Node::start(settings).await?;
    tracing::info!("oracle node {} on cluster {}", node.pubkey(), node.cluster);
    observe::spawn(node.clone());
    consensus::spawn(node.clone());
    tokio::select! {
        r = api::serve(node.clone()) => r,
        r = tokio::signal::ctrl_c() => { r?; tracing::info!("stopping"); Ok(()) }
    }
}
