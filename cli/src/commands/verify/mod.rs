//! `io verify`: gathers the chain's accounts, every oracle node's copy of each certified report
//! and the indexer's answers ([`gather`]), hands them to io-sdk's checks (`io_sdk::verify`), and
//! prints one table — figure, recomputed value, served value, verdict. Any mismatch or missing
//! publication fails the command (exit status 1), naming the figure and both values; what each
//! exit status means is in [`EXIT_STATUS`] (the command's `--help`).
pub mod gather;
mod table;

use crate::context::Ctx;
use anyhow::Result;
use clap::Args;
use io_sdk::verify::{self, PeriodRange, Row};
use serde::Serialize;

/// What `io verify --help` says after the options: what each exit status means, so a script can
/// tell a failing figure from a run that could not check.
const EXIT_STATUS_SHORT: &str =
    "Exit status: 0 consistent; 1 a figure failed (rows printed) or an error stopped the run (no rows); 2 a \
     wrong command line. More with --help.";

const EXIT_STATUS: &str = "\
Exit status:
  0  every figure checked is consistent (JSON: \"ok\": true, with \"rows\").
  1  a figure failed: a mismatch, or a publication missing. The table (JSON: \"ok\": false, with
     \"rows\") names each failing figure and both values.
  1  an error stopped the run before anything was checked: a URL that is not http(s), no oracle
     node known, no indexer or RPC node answering, an account that does not decode. Nothing is
     compared; the message says what to pass or fix (on stderr; JSON: \"ok\": false, with \"error\"
     and no \"rows\").
  2  the command line itself is wrong (an unknown option, --indexer with --no-indexer, a bad
     --period): clap's usage message on stderr, nothing run.

The closing line states the chain's slot, the slot the indexer had indexed, and whether the
chain held still while it and the indexer were read (JSON: \"chain_slot\", \"indexer_slot\",
\"stable\"). A chain that kept changing for 20 s is compared as read and said not stable: a
mismatch then may be that change, and a second run tells.";

// The command's about is the lead's (the `Verify` variant in main.rs); what it ends with is here.
#[derive(Args, Clone, Debug)]
#[command(after_help = EXIT_STATUS_SHORT, after_long_help = EXIT_STATUS)]
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
    /// The slot of the chain read the figures come from, which the indexer was asked to reach.
    pub chain_slot: u64,
    /// The slot the indexer had indexed when it was asked (none without an indexer, or from
    /// one that does not say): below `chain_slot`, it served an older state than the chain's.
    pub indexer_slot: Option<u64>,
    /// The chain did not change between the two reads around the indexer's: every source
    /// describes one state. False when it kept changing for the whole bound (20 s): a failing
    /// figure may then be a change between reads, not a wrong value.
    pub stable: bool,
    /// Chain reads made to find it not changing.
    pub chain_reads: usize,
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
    let gather::Gathered { snapshot, cost, stable, chain_reads, indexer_slot, nodes } =
        gather::gather(ctx, &args, &progress).await?;
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
        chain_slot: snapshot.chain.slot,
        indexer_slot,
        stable,
        chain_reads,
        oracle_nodes: nodes,
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
    all || r.verdict.fails()
}
