//! Every oracle node's copy of each certified report: `GET <node>/v1/reports/<period>` for each
//! certified period in range from each node. A node that is down, does not know the period, or
//! serves something that is not a report is recorded in its copy (`Err(why)`): the reports check
//! makes a finding of it; the run goes on with the other nodes.
use super::http::{bounded, Http, CONCURRENCY};
use super::Progress;
use crate::commands::reports::Served;
use io_sdk::verify::{NodeCopy, Published};
use std::collections::BTreeMap;

/// The copies of `periods` from `nodes`, per period in the order of `nodes`.
pub async fn copies(
    http: &Http,
    nodes: &[String],
    periods: &[u64],
    progress: &Progress,
) -> BTreeMap<u64, Vec<NodeCopy>> {
    let mut jobs = Vec::with_capacity(periods.len().saturating_mul(nodes.len()));
    for &period in periods {
        for node in nodes {
            let (http, node) = (http.clone(), node.clone());
            jobs.push(async move {
                let result = fetch(&http, &node, period).await;
                (period, NodeCopy { node, result })
            });
        }
    }
    let n = nodes.len();
    let results = bounded(jobs, CONCURRENCY, |done, total| {
        // Copies are fetched period by period, so copies done / nodes is the periods read.
        let periods_done = done.checked_div(n).unwrap_or(0);
        progress.tick(done, total, &format!("report {periods_done}/{} from {n} nodes", periods.len()));
    })
    .await;
    let mut out: BTreeMap<u64, Vec<NodeCopy>> = periods.iter().map(|&p| (p, Vec::new())).collect();
    for (period, copy) in results {
        out.entry(period).or_default().push(copy);
    }
    out
}

/// One node's copy of `period`, or why there is none.
async fn fetch(http: &Http, node: &str, period: u64) -> Result<Published, String> {
    let url = format!("{node}/v1/reports/{period}");
    let body = http.get(&url, &[]).await.map_err(|e| format!("{url}: {e}"))?;
    let served: Served = serde_json::from_value(body)
        .map_err(|e| format!("{url}: not a report as oracle nodes publish one: {e}"))?;
    if served.period != period {
        return Err(format!("{url}: answered the report of period {} instead", served.period));
    }
    Ok(Published {
        status: served.status,
        digest: served.digest,
        signatures: served.signatures.into_iter().map(|s| (s.signer, s.signature)).collect(),
        report: served.report,
    })
}
