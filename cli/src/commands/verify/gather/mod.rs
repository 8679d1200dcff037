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
use io_sdk::verify::{PeriodRange, Served, Snapshot};
use serde_json::Value;

/// The indexer `make up` starts, the default on the local network.
pub const LOCAL_INDEXER: &str = "http://127.0.0.1:8999";

/// `url` without its trailing slashes, or the refusal of a value that is not an http(s) URL,
/// saying what to pass.
fn http_url(flag: &str, url: &str, what: &str) -> Result<String> {
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

/// The oracle nodes whose copies are read: `--oracle`, else every node the local network's
/// manifest lists (in its order, duplicates dropped).
pub fn node_urls(ctx: &Ctx, args: &VerifyArgs) -> Result<Vec<String>> {
    let what =
        "oracle nodes' API URLs, comma-separated (e.g. --oracle http://127.0.0.1:7901,http://127.0.0.1:7902)";
    let mut urls = Vec::new();
    if args.oracle.is_empty() {
        if let Some(m) = local_manifest(ctx) {
            for n in m["oracle_nodes"].as_array().into_iter().flatten() {
                if let Some(u) = n["url"].as_str() {
                    urls.push(http_url("the manifest's oracle node", u, what)?);
                }
            }
        }
    } else {
        for u in &args.oracle {
            urls.push(http_url("--oracle", u, what)?);
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    urls.retain(|u| seen.insert(u.clone()));
    if urls.is_empty() {
        return Err(anyhow!(
            "no oracle node known to read the published reports from: pass --oracle URL[,URL…] ({what}); on \
             the local network the manifest {} lists them once `make up` runs",
            ctx.manifest.display()
        ));
    }
    Ok(urls)
}

/// How many times the chain and the indexer are read, at most, to find them agreeing on a state.
const READS: usize = 3;

/// The certified periods of `chain` in `range`, as the checks see them.
fn certified_periods(chain: &io_sdk::verify::snapshot::Chain, range: PeriodRange) -> Vec<u64> {
    let s = Snapshot { range, chain: chain.clone(), copies: Default::default(), served: Served::default() };
    s.certified().keys().copied().collect()
}

/// The snapshot every check reads, and what it cost to gather.
pub async fn gather(ctx: &Ctx, args: &VerifyArgs, progress: &Progress) -> Result<(Snapshot, Cost)> {
    let indexer_url = indexer_url(ctx, args)?;
    let nodes = node_urls(ctx, args)?;
    let range = args.period.unwrap_or_default();
    let (node_http, indexer_http) = (http::Http::new()?, http::Http::new()?);
    if let Some(url) = &indexer_url {
        indexer::probe(&indexer_http, url).await?;
    }

    progress.step("reading the chain…");
    let chain_meter = http::Meter::default();
    let mut chain = chain::read(ctx, &chain_meter).await?;
    progress.step(&format!(
        "chain at slot {}: {} operators, {} devices, {} positions, {} leases, {} reports",
        chain.slot,
        chain.operators.len(),
        chain.devices.len(),
        chain.positions.len(),
        chain.leases.len(),
        chain.reports.len()
    ));

    // Neither the chain's accounts (a dozen requests) nor the chain and the indexer can be read
    // at one instant. So the indexer is read once it has indexed the chain's slot, then the chain
    // again: if nothing changed, the reads describe one state; if something did (a period
    // closing mid-read), all are read again, at most READS times.
    let mut served = Served::default();
    for attempt in 1..=READS {
        if let Some(url) = &indexer_url {
            indexer::catch_up(&indexer_http, url, chain.slot, progress).await;
            let paths = indexer::paths(&chain, &certified_periods(&chain, range));
            progress.step(&format!("indexer 0/{}", paths.len()));
            served = indexer::answers(&indexer_http, url, paths, progress).await;
        }
        let again = chain::read(ctx, &chain_meter).await?;
        let stable = chain::same_state(&chain, &again);
        chain = again;
        if stable {
            break;
        }
        progress.step(&if attempt < READS {
            format!("the chain changed while it was read: reading again ({}/{READS})", attempt + 1)
        } else {
            format!("the chain kept changing over {READS} reads: compared as last read")
        });
    }
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
    Ok((snapshot, cost))
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
}
