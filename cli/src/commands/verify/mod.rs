//! `io verify`: gathers the chain's accounts, every oracle node's copy of each certified report
//! and the indexer's answers ([`gather`]), hands them to io-sdk's checks (`io_sdk::verify`), and
//! prints one table — figure, recomputed value, served value, verdict. Any mismatch or missing
//! publication fails the command (exit status 1), naming the figure and both values.
mod gather;
mod table;

use crate::context::Ctx;
use anyhow::Result;
use clap::Args;
use io_sdk::verify::{self, PeriodRange, Row, Verdict};
use serde::Serialize;

#[derive(Args, Clone, Debug)]
pub struct VerifyArgs {
    /// The indexer API to compare with. Default on the local network: http://127.0.0.1:8999
    /// (what `make up` starts).
    #[arg(long, env = "IO_INDEXER_URL", conflicts_with = "no_indexer")]
    pub indexer: Option<String>,
    /// Check the chain and the oracle nodes only; compare nothing with an indexer.
    #[arg(long)]
    pub no_indexer: bool,
    /// Oracle node APIs whose published reports are checked, comma-separated. Default: every
    /// node the local network's manifest lists.
    #[arg(long, value_delimiter = ',', env = "IO_ORACLE_URLS")]
    pub oracle: Vec<String>,
    /// Periods to check: A..B, A.., ..B or one period (hour index). Default: every certified
    /// period. Figures that only hold over the whole history (rewards against emission) are
    /// checked only without a bound.
    #[arg(long)]
    pub period: Option<PeriodRange>,
    /// Print every row (text output); by default only failures and a count per area.
    #[arg(long)]
    pub all: bool,
    /// No progress on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The result: every row, and counts.
#[derive(Serialize)]
pub struct Verified {
    pub consistent: bool,
    pub checked: usize,
    pub failures: usize,
    /// Certified periods checked (first, last), none before the first certification.
    pub periods: Option<(u64, u64)>,
    pub indexer: Option<String>,
    pub oracle_nodes: Vec<String>,
    /// Wall seconds the run took (gathering included).
    pub seconds: f64,
    /// What was fetched to check these figures: requests and bytes from the chain, the oracle
    /// nodes and the indexer (the work a run costs, proportional to what it checks).
    pub cost: gather::Cost,
    /// Requests and bytes fetched in all (the sums of `cost`).
    pub requests: u64,
    pub bytes: u64,
    pub rows: Vec<Row>,
    #[serde(skip)]
    pub all: bool,
}

impl Verified {
    pub fn fails(&self) -> bool {
        !self.consistent
    }
}

pub async fn run(ctx: &Ctx, args: VerifyArgs) -> Result<Verified> {
    let started = std::time::Instant::now();
    let progress = gather::Progress::new(!(args.quiet || ctx.json));
    let (snapshot, cost) = gather::gather(ctx, &args, &progress).await?;
    progress.step("checking");
    let rows = verify::verify(&snapshot);
    progress.done();
    let failures = rows.iter().filter(|r| r.verdict.fails()).count();
    let certified = snapshot.certified();
    Ok(Verified {
        consistent: failures == 0,
        checked: rows.len(),
        failures,
        periods: certified.keys().next().copied().zip(certified.keys().next_back().copied()),
        indexer: snapshot.served.url.clone(),
        oracle_nodes: gather::node_urls(ctx, &args)?,
        seconds: started.elapsed().as_secs_f64(),
        requests: cost.requests(),
        bytes: cost.bytes(),
        cost,
        rows,
        all: args.all,
    })
}

impl crate::output::Render for Verified {
    fn text(&self) -> String {
        table::render(self)
    }
}

/// Whether a row belongs in the default (short) table.
fn shown(all: bool, r: &Row) -> bool {
    all || r.verdict.fails() || r.verdict == Verdict::Missing
}
