//! `io` — the IO Compute command line. Solana CLI conventions: `--url` (`localnet` reads the local
//! network's manifest; `devnet`, `mainnet` or any URL), `--keypair` (default the Solana CLI's),
//! `--commitment`, `--output text|json`. Amounts are whole tokens with decimals (`100`, `99.5`).
//! Every command that writes simulates first and explains a refusal in plain words; checks that can
//! be made locally (amount format, the 100 $IO minimum, balances) are made before anything is
//! signed.
mod commands;
mod context;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "io", version, about = "IO Compute: stake, operate GPUs and lease compute on Solana")]
pub struct Cli {
    /// RPC endpoint: localnet (reads the manifest), devnet, mainnet, or an http(s) URL.
    #[arg(long, short = 'u', global = true, default_value = "localnet", env = "IO_URL")]
    pub url: String,
    /// Signing wallet (Solana CLI keypair file). Default: ~/.config/solana/id.json.
    #[arg(long, short = 'k', global = true, env = "IO_KEYPAIR")]
    pub keypair: Option<PathBuf>,
    /// Local network manifest, for --url localnet.
    #[arg(long, global = true, default_value = io_sdk::client::DEFAULT_MANIFEST, env = "IO_MANIFEST")]
    pub manifest: PathBuf,
    #[arg(long, global = true, value_enum, default_value = "confirmed")]
    pub commitment: Commitment,
    #[arg(long, short = 'o', global = true, value_enum, default_value = "text")]
    pub output: Output,
    /// Skip confirmation prompts.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    Text,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Cap, minted, burned by reason, circulating supply and the next emission.
    Supply,
    /// Run the emissions crank: mint every due hour into the rewards vault.
    Emit,
    /// Claim a community airdrop with the proof file you were given.
    #[command(subcommand)]
    Airdrop(commands::token::AirdropCmd),
    /// Your vesting schedules.
    #[command(subcommand)]
    Vesting(commands::token::VestingCmd),
    /// Operators (providers and node operators).
    #[command(subcommand)]
    Operator(commands::staking::OperatorCmd),
    /// The operator's bond.
    #[command(subcommand)]
    Bond(commands::staking::BondCmd),
    /// The operator's devices.
    #[command(subcommand)]
    Device(commands::staking::DeviceCmd),
    /// Stake AMOUNT $IO to OPERATOR (a position is 0 or at least 100 $IO).
    Stake {
        operator: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Start the cooldown for AMOUNT $IO of your stake with OPERATOR ("all" for everything).
    Unstake {
        operator: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Withdraw every unstake of yours with OPERATOR whose cooldown has passed.
    Withdraw { operator: String },
    /// Claim your rewards from staking with OPERATOR.
    Claim { operator: String },
    /// Stake positions of WALLET (default: yours): value, claimable rewards, stake still
    /// activating (and the reward period it earns from), pending unstakes and when they unlock.
    Positions { wallet: Option<String> },
    /// Offers of devices for lease.
    #[command(subcommand)]
    Offer(commands::escrow::OfferCmd),
    /// Leases: open, show, top up, close, finalize.
    #[command(subcommand)]
    Lease(commands::escrow::LeaseCmd),
    /// The oracle set and its reports.
    #[command(subcommand)]
    Oracle(commands::oracle::OracleCmd),
    /// An oracle report as a node publishes it (default: the latest certified): its status on
    /// the node and on chain, totals, and every leaf — devices with uptime, usage, rewards, slashes.
    Report {
        period: Option<u64>,
        /// An oracle node's API (default: the local network manifest's first node).
        #[arg(long, env = "IO_ORACLE_URL")]
        oracle: Option<String>,
    },
    /// Recompute every public figure of the network from the chain and the leaves the oracle
    /// nodes publish, compare them with the certified reports and the indexer, and print a table;
    /// exits 1 on any mismatch, naming the figure and both values.
    Verify(commands::verify::VerifyArgs),
    /// Admin tooling: pause and unpause a program.
    #[command(subcommand)]
    Admin(commands::admin::AdminCmd),
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let cli = Cli::parse();
    let json = cli.output == Output::Json;
    match commands::run(cli).await {
        Ok(report) => {
            // A command whose result is a failure (`io verify` that found a mismatch) prints its
            // result and still exits non-zero.
            let failing = report.is_failing();
            report.print(json);
            if failing {
                std::process::exit(1);
            }
        }
        Err(e) => {
            output::print_error(&e, json);
            std::process::exit(1);
        }
    }
}
