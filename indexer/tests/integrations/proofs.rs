//! `/v1/network`'s proofs (issue 15): beside each headline figure, where to recompute it — the
//! latest certified report and every oracle node's page of its leaves, or the program accounts
//! it is read from — on the fixture network, SQLite and PostgreSQL.
use crate::common::fixtures::net;
use crate::common::TestDb;
use crate::dual;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::feed::Feed;
use serde_json::{json, Value};
use tower::ServiceExt;

dual!(network_figures_carry_their_proofs, without_oracle_nodes_the_leaves_are_explained);

const NODES: [&str; 2] = ["http://127.0.0.1:7901", "http://127.0.0.1:7902/"];

async fn setup(db: &TestDb, oracle_urls: &[&str]) -> (axum::Router, crate::common::fixtures::Net) {
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    let feed = Feed::for_store(&db.store).await.unwrap();
    let urls = oracle_urls.iter().map(|u| (*u).to_owned()).collect();
    (app(AppState::new(db.store.clone(), feed).with_oracle_urls(urls)), n)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn network_figures_carry_their_proofs(db: TestDb) {
    let (app, n) = setup(&db, &NODES).await;
    let (status, body) = get(&app, "/v1/network").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let data = &body["data"];
    let latest = data["reports"]["last_certified_period"].as_i64().expect("a certified report");
    let proofs = &data["overview"]["proofs"];

    // The report the proofs name is the latest certified one, as /v1/reports serves it.
    let (status, reports) = get(&app, &format!("/v1/reports/{latest}")).await;
    assert_eq!(status, StatusCode::OK);
    let certified = reports["data"].as_array().unwrap().iter().find(|r| r["status"] == "certified").unwrap();
    assert_eq!(certified["address"], json!(n.report.to_string()));
    for figure in ["devices_attested", "gpus_attested", "by_class", "median_net_apy_bps"] {
        let p = &proofs[figure];
        assert_eq!((&p["kind"], &p["period"]), (&json!("report"), &json!(latest)), "{figure}: {p}");
        assert_eq!(p["report"], json!(format!("/v1/reports/{latest}")), "{figure}");
        assert_eq!(
            (&p["report_address"], &p["digest"]),
            (&certified["address"], &certified["digest"]),
            "{figure}"
        );
        assert_eq!(
            p["leaves"],
            json!([
                format!("http://127.0.0.1:7901/v1/reports/{latest}"),
                format!("http://127.0.0.1:7902/v1/reports/{latest}"),
            ]),
            "{figure}: every node, one slash"
        );
        assert_eq!(p["leaves_note"], Value::Null);
        // The report link resolves on this indexer.
        assert_eq!(get(&app, p["report"].as_str().unwrap()).await.0, StatusCode::OK);
    }
    for figure in ["staked", "operators", "operators_active", "active_leases", "burned_30d"] {
        let p = &proofs[figure];
        assert_eq!((&p["kind"], &p["slot"]), (&json!("chain"), &body["slot"]), "{figure}: {p}");
        assert!(!p["accounts"].as_array().unwrap().is_empty(), "{figure}");
        assert_eq!(p["as_of"], data["overview"]["chain_time"], "{figure}");
        // The list naming the rest of the accounts answers.
        assert_eq!(get(&app, p["list"].as_str().unwrap()).await.0, StatusCode::OK, "{figure}");
    }
    assert_eq!(proofs["staked"]["accounts"][1], json!(io_sdk::staking::stake_vault().to_string()));

    // The figures are where they were: proofs are beside them, not instead of them.
    assert_eq!(data["operators"]["stake"], json!(350));
    assert_eq!(data["overview"]["staked"], json!(350));

    // A bad query parameter is still refused, named.
    let (status, v) = get(&app, "/v1/network?proof=1").await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::BAD_REQUEST, &json!("proof")), "{v}");
}

async fn without_oracle_nodes_the_leaves_are_explained(db: TestDb) {
    let (app, _) = setup(&db, &[]).await;
    let (status, body) = get(&app, "/v1/network").await;
    assert_eq!(status, StatusCode::OK);
    let p = &body["data"]["overview"]["proofs"]["devices_attested"];
    assert_eq!(p["leaves"], json!([]), "{p}");
    assert!(p["leaves_note"].as_str().is_some_and(|s| s.contains("oracle node")), "{p}");
    assert_eq!(p["period"], body["data"]["reports"]["last_certified_period"]);
}
