//! Every oracle node's copy of each certified report: `GET <node>/v1/reports/<period>` for each
//! certified period in range (and the certified one just before it, whose cumulative leaves a
//! period's growth is measured from) from each node. A node that is down, does not know the period, or
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

#[cfg(test)]
mod tests {
    use super::super::http::fake;
    use super::*;
    use io_sdk::report::PeriodReport;
    use std::sync::Arc;

    fn report(period: u64) -> PeriodReport {
        let body = io_oracle::ReportBody { period, devices_attested: 3, ..Default::default() };
        PeriodReport::new(body, 0, vec![], vec![], vec![], vec![])
    }

    /// A node that publishes period 7, knows nothing of 8, and answers 9 with period 7's report.
    fn node() -> fake::Answer {
        Arc::new(|path: &str, _: &str| {
            let published = |p: u64| {
                serde_json::json!({
                    "period": p, "digest": "ab", "status": "certified", "address": "x",
                    "signatures": [{ "signer": "S", "signature": "G" }], "report": report(p),
                })
                .to_string()
            };
            match path {
                "/v1/reports/7" | "/v1/reports/9" => (200, published(7)),
                "/v1/reports/8" => (
                    404,
                    r#"{"error":{"code":"no_report","message":"this node knows no report of period 8"}}"#
                        .into(),
                ),
                _ => (500, "{}".into()),
            }
        })
    }

    #[tokio::test]
    async fn every_node_gets_a_copy_per_period_and_failures_are_recorded() {
        let good = fake::serve(node()).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let down = format!("http://127.0.0.1:{port}");
        let garbage = fake::serve(Arc::new(|_: &str, _: &str| (200, r#"{"period": 7}"#.into()))).await;
        let nodes = vec![good.clone(), down.clone(), garbage.clone()];
        let http = Http::new().unwrap();
        let copies = copies(&http, &nodes, &[7, 8, 9], &Progress::new(false)).await;
        assert_eq!(copies.keys().copied().collect::<Vec<_>>(), vec![7, 8, 9]);
        for cs in copies.values() {
            assert_eq!(cs.iter().map(|c| c.node.as_str()).collect::<Vec<_>>(), nodes, "in the order given");
        }
        let p = copies[&7][0].result.as_ref().unwrap();
        assert_eq!((p.status.as_str(), p.digest.as_str()), ("certified", "ab"));
        assert_eq!(p.signatures, vec![("S".to_owned(), "G".to_owned())]);
        assert_eq!(p.report, report(7));
        let err = |p: u64, i: usize| copies[&p][i].result.as_ref().unwrap_err().clone();
        assert_eq!(
            err(8, 0),
            format!("{good}/v1/reports/8: HTTP 404: this node knows no report of period 8 (no_report)")
        );
        assert!(err(9, 0).ends_with("answered the report of period 7 instead"), "{}", err(9, 0));
        assert!(err(7, 1).starts_with(&format!("{down}/v1/reports/7: no answer: ")), "{}", err(7, 1));
        assert!(err(7, 2).contains("not a report as oracle nodes publish one"), "{}", err(7, 2));
        assert_eq!(http.meter.read().0, 9);
    }
}
