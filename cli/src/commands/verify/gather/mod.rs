//! Reads what `io verify` compares into one [`Snapshot`]: the chain ([`chain`]), every oracle
//! node's copy of each certified report ([`nodes`]) and the indexer's answers ([`indexer`]),
//! with progress on stderr ([`progress`]) and the cost counted ([`http::Cost`]).
//!
//! What the user must fix is refused before anything is checked: a URL that is not http(s), no
//! oracle node known, no indexer answering, an RPC node that does not answer (the sdk's error).
//! What a node or the indexer fails to serve is recorded in the snapshot, where the checks make
//! a failing row of it.
mod chain;
mod http;
mod indexer;
mod nodes;
mod progress;

pub use http::Cost;
pub use progress::Progress;

use super::VerifyArgs;
use crate::context::Ctx;
use anyhow::{anyhow, bail, Result};
use io_sdk::verify::{snapshot::Chain, PeriodRange, Snapshot};
use serde_json::Value;
use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, Instant};

/// The indexer `make up` starts, the default on the local network.
pub const LOCAL_INDEXER: &str = "http://127.0.0.1:8999";

/// `url` without its trailing slashes, or the refusal of a value that is not an http(s) URL,
/// saying what to pass.
pub fn http_url(flag: &str, url: &str, what: &str) -> Result<String> {
    let u = url.trim();
    let rest = u.strip_prefix("http://").or_else(|| u.strip_prefix("https://"));
    match rest {
        Some(host) if !host.trim_matches('/').is_empty() => Ok(u.trim_end_matches('/').to_owned()),
        _ => bail!("{flag} '{url}' is not an http(s) URL: pass {what}"),
    }
}

/// The local network's manifest, when `--url` is that network (its `rpc_url` is the node this
/// run reads): only then do its oracle nodes and the local indexer belong to the chain read.
fn local_manifest(ctx: &Ctx) -> Option<Value> {
    let text = std::fs::read(&ctx.manifest).ok()?;
    let m: Value = serde_json::from_slice(&text).ok()?;
    let rpc = m["rpc_url"].as_str()?.trim_end_matches('/');
    (rpc == ctx.c.url().trim_end_matches('/')).then_some(m)
}

/// The indexer to compare with: `--indexer`, else the local one on the local network; `None`
/// with `--no-indexer`.
pub fn indexer_url(ctx: &Ctx, args: &VerifyArgs) -> Result<Option<String>> {
    if args.no_indexer {
        return Ok(None);
    }
    let what = "the indexer API's base URL (e.g. --indexer http://127.0.0.1:8999), or --no-indexer to \
                check the chain and the oracle nodes only";
    match &args.indexer {
        Some(u) => http_url("--indexer", u, what).map(Some),
        None if local_manifest(ctx).is_some() => Ok(Some(LOCAL_INDEXER.to_owned())),
        None => bail!("no indexer to compare with on {}: pass {what}", ctx.c.url()),
    }
}

/// The oracle nodes to ask: `--oracle` (`flag`), else every node the local network's manifest
/// lists (in its order, duplicates dropped). `io verify` reads their report copies; `io lease
/// connect` and `io lease jobs` the head device's signed heartbeat.
pub fn node_urls(ctx: &Ctx, flag: &[String]) -> Result<Vec<String>> {
    let what =
        "oracle nodes' API URLs, comma-separated (e.g. --oracle http://127.0.0.1:7901,http://127.0.0.1:7902)";
    let mut urls = Vec::new();
    if flag.is_empty() {
        if let Some(m) = local_manifest(ctx) {
            for n in m["oracle_nodes"].as_array().into_iter().flatten() {
                if let Some(u) = n["url"].as_str() {
                    urls.push(http_url("the manifest's oracle node", u, what)?);
                }
            }
        }
    } else {
        for u in flag {
            urls.push(http_url("--oracle", u, what)?);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    urls.retain(|u| seen.insert(u.clone()));
    if urls.is_empty() {
        return Err(anyhow!(
            "no oracle node known to ask: pass --oracle URL[,URL…] ({what}); on \
             the local network the manifest {} lists them once `make up` runs",
            ctx.manifest.display()
        ));
    }
    Ok(urls)
}

/// How long the chain and the indexer are read again while the chain keeps changing, and the
/// waits between: long enough for a period's certification and the cranks after it (the local
/// network certifies one every 30 s) to land, short enough for a run to end.
#[derive(Clone, Copy, Debug)]
struct Pace {
    /// No new read starts once this much has passed since the first.
    within: Duration,
    /// The first wait after a change, doubled after each, up to `longest`.
    first: Duration,
    longest: Duration,
}

/// (The 20 s is what `io verify --help` states.)
const PACE: Pace = Pace {
    within: Duration::from_secs(20),
    first: Duration::from_millis(500),
    longest: Duration::from_secs(4),
};

/// How the reads went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Reads {
    /// The last two chain reads, around the indexer's, agreed: all describe one state.
    stable: bool,
    /// Chain reads made.
    count: usize,
}

/// Reads the indexer for the chain read `first` (`index`), then the chain again (`read`), until
/// two chain reads in a row agree (`same`): then the indexer's answers, asked between them,
/// describe that state too. Neither the chain's accounts (a dozen requests) nor the chain and the
/// indexer can be read at one instant, so a change mid-read (a period closing, a crank) is read
/// again after a wait that doubles, for at most `pace.within`; then the run goes on with the read
/// the indexer was last caught up to and its answers, and says the snapshot is not stable.
async fn settle<C, S, RF, IF>(
    first: C,
    mut read: impl FnMut() -> RF,
    mut index: impl FnMut(&C) -> IF,
    same: impl Fn(&C, &C) -> bool,
    pace: Pace,
    progress: &Progress,
) -> Result<(C, S, Reads)>
where
    RF: Future<Output = Result<C>>,
    IF: Future<Output = S>,
{
    let started = Instant::now();
    let mut wait = pace.first;
    let mut base = first;
    let mut count = 1;
    loop {
        let served = index(&base).await;
        let again = read().await?;
        count += 1;
        if same(&base, &again) {
            return Ok((base, served, Reads { stable: true, count }));
        }
        if started.elapsed().saturating_add(wait) > pace.within {
            progress.step(&format!(
                "the chain kept changing over {count} reads in {:.0} s: compared as first read for the indexer's \
                 last answers (the snapshot is not stable; the summary says so)",
                started.elapsed().as_secs_f64()
            ));
            return Ok((base, served, Reads { stable: false, count }));
        }
        progress.step(&format!(
            "the chain changed while it was read: reading again in {:.1} s ({count} reads)",
            wait.as_secs_f64()
        ));
        tokio::time::sleep(wait).await;
        wait = wait.saturating_mul(2).min(pace.longest);
        base = again;
    }
}

/// The certified periods of `chain` in `range`, as the checks see them.
fn certified_periods(chain: &Chain, range: PeriodRange) -> Vec<u64> {
    io_sdk::verify::snapshot::certified_in(&chain.reports, range).into_keys().collect()
}

/// What a run read, what it cost, and how far its reads describe one state.
pub struct Gathered {
    pub snapshot: Snapshot,
    pub cost: Cost,
    /// The chain did not change between the two reads around the indexer's answers.
    pub stable: bool,
    /// Chain reads made to find it not changing.
    pub chain_reads: usize,
    /// The slot the indexer had indexed when its answers were asked (`None`: no indexer, or one
    /// that does not say); `snapshot.chain.slot` is the slot it was asked to reach.
    pub indexer_slot: Option<u64>,
    /// The oracle nodes whose copies were read.
    pub nodes: Vec<String>,
}

/// The snapshot every check reads, what it cost to gather, and how steady the chain held.
pub async fn gather(ctx: &Ctx, args: &VerifyArgs, progress: &Progress) -> Result<Gathered> {
    let indexer_url = indexer_url(ctx, args)?;
    let nodes = node_urls(ctx, &args.oracle)?;
    let range = args.period.unwrap_or_default();
    let (node_http, indexer_http) = (http::Http::new()?, http::Http::new()?);
    if let Some(url) = &indexer_url {
        indexer::probe(&indexer_http, url).await?;
    }

    progress.step("reading the chain…");
    let chain_meter = http::Meter::default();
    let chain = chain::read(ctx, &chain_meter).await?;
    progress.step(&format!(
        "chain at slot {}: {} operators, {} devices, {} positions, {} leases, {} reports",
        chain.slot,
        chain.operators.len(),
        chain.devices.len(),
        chain.positions.len(),
        chain.leases.len(),
        chain.reports.len()
    ));

    // The indexer is read once it has indexed the chain read's slot; the wait is bounded over
    // the whole run, not per read, so a lagging indexer costs CATCH_UP once.
    let catch_up_left = Cell::new(indexer::CATCH_UP);
    let index = |c: &Chain| {
        let (slot, paths) = (c.slot, indexer::paths(c, &certified_periods(c, range)));
        let (url, http, left) = (indexer_url.as_deref(), &indexer_http, &catch_up_left);
        async move {
            let url = url?;
            let waited = Instant::now();
            let indexed = indexer::catch_up(http, url, slot, left.get(), progress).await;
            left.set(left.get().saturating_sub(waited.elapsed()));
            progress.step(&format!("indexer 0/{}", paths.len()));
            Some((indexer::answers(http, url, paths, progress).await, indexed))
        }
    };
    let read = || chain::read(ctx, &chain_meter);
    let (chain, answers, reads) = settle(chain, read, index, chain::same_state, PACE, progress).await?;
    let (served, indexer_slot) = answers.unwrap_or_default();
    if let Some((path, why)) = served.errors.iter().next() {
        let n = served.errors.len();
        progress.step(&format!("indexer: {n} path(s) not served, first {path}: {why}"));
    }

    // The certified period before the range's first is read too: a period's growth figures
    // (rewards distributed, seconds served) are its cumulative leaves less the previous report's.
    let mut periods = certified_periods(&chain, range);
    let before = periods.first().and_then(|&first| {
        certified_periods(&chain, PeriodRange::default()).into_iter().take_while(|&p| p < first).last()
    });
    periods.splice(0..0, before);
    progress.step(&format!("report 0/{} from {} nodes", periods.len(), nodes.len()));
    let copies = nodes::copies(&node_http, &nodes, &periods, progress).await;
    let snapshot = Snapshot { range, chain, copies, served };

    let ((chain_requests, chain_bytes), (node_requests, node_bytes), (indexer_requests, indexer_bytes)) =
        (chain_meter.read(), node_http.meter.read(), indexer_http.meter.read());
    let cost =
        Cost { chain_requests, chain_bytes, node_requests, node_bytes, indexer_requests, indexer_bytes };
    Ok(Gathered { snapshot, cost, stable: reads.stable, chain_reads: reads.count, indexer_slot, nodes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_and_lose_their_trailing_slash() {
        assert_eq!(http_url("--indexer", "http://127.0.0.1:8999/", "x").unwrap(), "http://127.0.0.1:8999");
        assert_eq!(http_url("--oracle", "https://n.example", "x").unwrap(), "https://n.example");
        for bad in ["ftp://x", "127.0.0.1:8999", "http://", "localhost"] {
            let e = http_url("--indexer", bad, "the indexer's URL").unwrap_err().to_string();
            assert_eq!(e, format!("--indexer '{bad}' is not an http(s) URL: pass the indexer's URL"));
        }
    }

    /// A pace in milliseconds, for tests; the chain is a number that changes when it grows, and
    /// the indexer's answer names the read it was asked for (ten times it).
    fn pace(within_ms: u64) -> Pace {
        Pace {
            within: Duration::from_millis(within_ms),
            first: Duration::from_millis(10),
            longest: Duration::from_millis(40),
        }
    }

    #[tokio::test]
    async fn a_changing_chain_is_read_again_until_two_reads_agree() {
        use std::cell::RefCell;
        let reads = RefCell::new(vec![2, 3, 3].into_iter());
        let read = || {
            let next = reads.borrow_mut().next().expect("no read after two agree");
            async move { Ok::<_, anyhow::Error>(next) }
        };
        let asked = RefCell::new(vec![]);
        let index = |c: &u64| {
            asked.borrow_mut().push(*c);
            let c = *c;
            async move { c * 10 }
        };
        let started = Instant::now();
        let got = settle(1u64, read, index, |a, b| a == b, pace(5_000), &Progress::new(false)).await.unwrap();
        assert_eq!(
            got,
            (3, 30, Reads { stable: true, count: 4 }),
            "the answers asked between the agreeing reads"
        );
        assert_eq!(*asked.borrow(), [1, 2, 3], "the indexer is asked again after each change");
        assert!(started.elapsed() >= Duration::from_millis(10 + 20), "backed off 10 then 20 ms");
    }

    #[tokio::test]
    async fn a_chain_that_keeps_changing_is_said_unstable_within_the_bound() {
        let next = Cell::new(1u64);
        let read = || {
            next.set(next.get() + 1);
            let v = next.get();
            async move { Ok::<_, anyhow::Error>(v) }
        };
        let index = |c: &u64| {
            let c = *c;
            async move { c * 10 }
        };
        let started = Instant::now();
        let (chain, served, reads) =
            settle(1u64, read, index, |a, b| a == b, pace(150), &Progress::new(false)).await.unwrap();
        assert!(!reads.stable);
        assert_eq!(served, chain * 10, "the chain kept is the read the indexer's answers were asked for");
        assert_eq!(u64::try_from(reads.count).unwrap(), next.get(), "every read counted");
        assert!(reads.count >= 4, "10, 20, 40 ms waits fit in 150 ms: {reads:?}");
        // No wait ends past the bound; only the last read and the indexer's answers come after.
        let late = started.elapsed();
        assert!(late < Duration::from_millis(150 + 100), "{late:?}");
    }

    #[tokio::test]
    async fn a_failed_chain_read_stops_the_run() {
        let read = || async { Err::<u64, _>(anyhow!("cannot reach the RPC node")) };
        let e = settle(1u64, read, |_: &u64| async {}, |a, b| a == b, pace(1_000), &Progress::new(false))
            .await
            .unwrap_err();
        assert_eq!(e.to_string(), "cannot reach the RPC node");
    }
}
