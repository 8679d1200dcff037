//! What the indexer serves, for the figures the checks compare: a fixed list of paths (the
//! network overview, the supply, every list followed to its last page, each chain operator's and
//! lease's page, each certified period's report). Each answer is stored as its `data` member, a
//! paged list as ONE array of all its items; a path that fails is recorded in `Served.errors`
//! (the checks make a missing row of it), never a reason to stop.
use super::http::{bounded, Failure, Http, CONCURRENCY};
use super::Progress;
use anyhow::{bail, Result};
use io_sdk::verify::{snapshot::Chain, Served};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Lists the indexer pages with a cursor (`next_cursor`, null on the last page).
pub const LISTS: [&str; 4] = ["/v1/operators", "/v1/devices", "/v1/leases", "/v1/burns"];
/// A list fetched with a fixed query, stored under a key that keeps the query (`/v1/events`
/// alone would say nothing of which events).
pub struct QueriedList {
    pub key: &'static str,
    pub path: &'static str,
    pub query: &'static [(&'static str, &'static str)],
}

pub const QUERIED_LISTS: [QueriedList; 1] = [QueriedList {
    key: "/v1/events?type=BuybackBurned",
    path: "/v1/events",
    query: &[("type", "BuybackBurned"), ("program", "io_escrow")],
}];
/// Single answers about the whole network.
pub const SINGLES: [&str; 2] = ["/v1/network", "/v1/supply"];
/// The largest page the indexer serves.
const PAGE: &str = "1000";
/// A list longer than this many pages is refused: a cursor that never ends is a broken indexer,
/// not a reason to fetch forever.
const MAX_PAGES: usize = 10_000;

/// Whether anything answers at `url`, asked before any check so that a wrong or stopped indexer
/// is named at once instead of as hundreds of missing figures.
pub async fn probe(http: &Http, url: &str) -> Result<()> {
    match http.get(&format!("{url}/health"), &[]).await {
        Err(Failure::Unreachable(why)) => bail!(
            "no indexer answers at {url}: pass --indexer URL, or --no-indexer to check the chain and the \
             oracle nodes only ({why})"
        ),
        // Any HTTP answer is a server there; an unhealthy or lagging indexer still serves, and
        // what it serves is what is compared.
        _ => Ok(()),
    }
}

/// The longest wait for the indexer to reach the slot the chain was read at.
const CATCH_UP: Duration = Duration::from_secs(15);

/// Waits until the indexer has indexed `slot` (its `/health` says `indexed_slot`), so that what
/// it serves includes everything the chain read saw; at most [`CATCH_UP`], then it is compared
/// as it is (an indexer that lags is what its users see). Returns the indexer's slot when known.
pub async fn catch_up(http: &Http, url: &str, slot: u64, progress: &Progress) -> Option<u64> {
    let started = Instant::now();
    let mut said = false;
    loop {
        let indexed = http.get(&format!("{url}/health"), &[]).await.ok().and_then(|v| {
            v.pointer("/data/indexed_slot").or_else(|| v.get("slot")).and_then(Value::as_u64)
        })?;
        if indexed >= slot {
            return Some(indexed);
        }
        if started.elapsed() >= CATCH_UP {
            progress.step(&format!(
                "the indexer is at slot {indexed}, behind the chain's {slot} after {} s: compared as it serves",
                CATCH_UP.as_secs()
            ));
            return Some(indexed);
        }
        if !said {
            progress.step(&format!("waiting for the indexer to reach slot {slot} (at {indexed})"));
            said = true;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The paths fetched for `chain` and the certified `periods` in range, in a stable order.
pub fn paths(chain: &Chain, periods: &[u64]) -> Vec<String> {
    let mut out: Vec<String> = SINGLES.iter().map(|p| p.to_string()).collect();
    out.extend(LISTS.iter().map(|p| p.to_string()));
    out.extend(QUERIED_LISTS.iter().map(|q| q.key.to_string()));
    out.extend(chain.operators.keys().map(|a| format!("/v1/operators/{a}")));
    out.extend(chain.leases.keys().map(|a| format!("/v1/leases/{a}")));
    out.extend(periods.iter().map(|p| format!("/v1/reports/{p}")));
    out
}

/// Every answer of `paths` from the indexer at `url`.
pub async fn answers(http: &Http, url: &str, paths: Vec<String>, progress: &Progress) -> Served {
    let jobs: Vec<_> = paths
        .into_iter()
        .map(|path| {
            let (http, url) = (http.clone(), url.to_owned());
            async move {
                let queried = QUERIED_LISTS.iter().find(|q| q.key == path);
                let answer = match queried {
                    Some(q) => list(&http, &url, q.path, q.query).await,
                    None if LISTS.contains(&path.as_str()) => list(&http, &url, &path, &[]).await,
                    None => one(&http, &url, &path).await,
                };
                (path, answer)
            }
        })
        .collect();
    let results = bounded(jobs, CONCURRENCY, |done, total| {
        progress.tick(done, total, &format!("indexer {done}/{total}"));
    })
    .await;
    let mut served = Served { url: Some(url.to_owned()), ..Served::default() };
    for (path, answer) in results {
        match answer {
            Ok(v) => {
                served.answers.insert(path, v);
            }
            Err(why) => {
                served.errors.insert(path, why);
            }
        }
    }
    served
}

/// The `data` member of an answer (the indexer's envelope: `{slot, finalized_slot, data,
/// [next_cursor]}`).
fn data(path: &str, mut body: Value) -> Result<Value, String> {
    match body.get_mut("data") {
        Some(d) => Ok(d.take()),
        None => Err(format!("{path}: the answer has no data member (not the indexer's API?)")),
    }
}

async fn one(http: &Http, url: &str, path: &str) -> Result<Value, String> {
    let body = http.get(&format!("{url}{path}"), &[]).await.map_err(|e| e.to_string())?;
    data(path, body)
}

/// Every item of a paged list asked with `fixed` parameters, in the order served.
async fn list(http: &Http, url: &str, path: &str, fixed: &[(&str, &str)]) -> Result<Value, String> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut seen = BTreeSet::new();
    for _ in 0..MAX_PAGES {
        let mut query = fixed.to_vec();
        query.push(("limit", PAGE));
        if let Some(c) = &cursor {
            query.push(("cursor", c.as_str()));
        }
        let mut body = http.get(&format!("{url}{path}"), &query).await.map_err(|e| e.to_string())?;
        let next = body.get("next_cursor").and_then(Value::as_str).map(str::to_owned);
        match data(path, body.take())? {
            Value::Array(page) => items.extend(page),
            other => return Err(format!("{path}: a page is not a list but {other}")),
        }
        match next {
            None => return Ok(Value::Array(items)),
            Some(c) if !seen.insert(c.clone()) => {
                return Err(format!("{path}: the indexer served the cursor {c} twice (its pages loop)"))
            }
            Some(c) => cursor = Some(c),
        }
    }
    Err(format!("{path}: more than {MAX_PAGES} pages"))
}

#[cfg(test)]
mod tests {
    use super::super::http::fake;
    use super::*;
    use std::sync::Arc;

    fn envelope(data: Value, next: Option<&str>) -> String {
        serde_json::json!({ "slot": 9, "finalized_slot": 9, "data": data, "next_cursor": next }).to_string()
    }

    /// An indexer with a two-page list, a list whose cursor loops, a 404, a body that is not
    /// JSON and one without the envelope.
    fn indexer() -> fake::Answer {
        Arc::new(|path: &str, query: &str| match (path, query) {
            ("/health", _) => (200, "{}".into()),
            ("/v1/supply", "") => (200, envelope(serde_json::json!({ "total_minted": "5" }), None)),
            ("/v1/devices", "limit=1000") => {
                (200, envelope(serde_json::json!([{ "n": 1 }, { "n": 2 }]), Some("c+1")))
            }
            // The cursor comes back URL-encoded, as any opaque value must.
            ("/v1/devices", "limit=1000&cursor=c%2B1") => {
                (200, envelope(serde_json::json!([{ "n": 3 }]), None))
            }
            ("/v1/burns", _) => (200, envelope(serde_json::json!([]), Some("again"))),
            ("/v1/events", "type=BuybackBurned&program=io_escrow&limit=1000") => {
                (200, envelope(serde_json::json!([{ "payload": { "io_burned": 3 } }]), Some("e")))
            }
            ("/v1/events", "type=BuybackBurned&program=io_escrow&limit=1000&cursor=e") => {
                (200, envelope(serde_json::json!([{ "payload": { "io_burned": 4 } }]), None))
            }
            ("/v1/network", _) => (200, "oops".into()),
            ("/v1/operators", _) => (200, r#"{"items": []}"#.into()),
            _ => (404, r#"{"error":{"parameter":"address","message":"no lease at this address"}}"#.into()),
        })
    }

    #[tokio::test]
    async fn lists_are_merged_and_failures_recorded() {
        let url = fake::serve(indexer()).await;
        let http = Http::new().unwrap();
        probe(&http, &url).await.unwrap();
        let paths: Vec<String> =
            ["/v1/supply", "/v1/devices", "/v1/burns", "/v1/network", "/v1/operators", "/v1/leases/X"]
                .iter()
                .map(|p| p.to_string())
                .chain(std::iter::once(QUERIED_LISTS[0].key.to_owned()))
                .collect();
        let s = answers(&http, &url, paths, &Progress::new(false)).await;
        assert_eq!(s.url.as_deref(), Some(url.as_str()));
        assert_eq!(s.number("/v1/supply", "/total_minted").as_deref(), Some("5"), "the data member is kept");
        assert_eq!(s.get("/v1/devices"), Some(&serde_json::json!([{ "n": 1 }, { "n": 2 }, { "n": 3 }])));
        assert!(s.errors["/v1/burns"].contains("cursor again twice"), "{:?}", s.errors);
        assert!(s.errors["/v1/network"].starts_with("not JSON"), "{:?}", s.errors);
        assert!(s.errors["/v1/operators"].contains("no data member"), "{:?}", s.errors);
        assert_eq!(s.errors["/v1/leases/X"], "HTTP 404: no lease at this address");
        let burns = s.get("/v1/events?type=BuybackBurned").and_then(Value::as_array).unwrap();
        assert_eq!(burns.iter().map(|e| e["payload"]["io_burned"].clone()).collect::<Vec<_>>(), [3, 4]);
        assert_eq!(s.answers.len() + s.errors.len(), 7);
        // The probe, two pages each of devices, burns and events, one request for each other.
        assert_eq!(http.meter.read().0, 1 + 2 + 2 + 2 + 4);
    }

    #[tokio::test]
    async fn an_indexer_that_does_not_answer_is_refused_with_what_to_pass() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}");
        let e = probe(&Http::new().unwrap(), &url).await.unwrap_err().to_string();
        assert!(
            e.starts_with(&format!(
                "no indexer answers at {url}: pass --indexer URL, or --no-indexer to check the chain and the oracle \
                 nodes only"
            )),
            "{e}"
        );
        // A server that answers, even with an error, is an indexer to compare with.
        let url = fake::serve(Arc::new(|_: &str, _: &str| (503, "{}".into()))).await;
        probe(&Http::new().unwrap(), &url).await.unwrap();
    }

    #[tokio::test]
    async fn the_indexer_is_read_once_it_has_indexed_the_chains_slot() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let slot = Arc::new(AtomicU64::new(5));
        let behind = slot.clone();
        let url = fake::serve(Arc::new(move |_: &str, _: &str| {
            let s = behind.fetch_add(1, Ordering::SeqCst);
            (200, serde_json::json!({ "data": { "indexed_slot": s }, "slot": s }).to_string())
        }))
        .await;
        let http = Http::new().unwrap();
        assert_eq!(catch_up(&http, &url, 7, &Progress::new(false)).await, Some(7));
        assert_eq!(http.meter.read().0, 3, "asked at 5, 6, then 7");
        // A server that does not say its slot is not waited for.
        let url = fake::serve(Arc::new(|_: &str, _: &str| (200, "{}".into()))).await;
        assert_eq!(catch_up(&http, &url, 7, &Progress::new(false)).await, None);
    }
}
