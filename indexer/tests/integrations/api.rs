//! The query API on SQLite and PostgreSQL, through `app(state)` and `oneshot`: every endpoint,
//! pagination, the SSE stream, and each kind of bad parameter.
use crate::common::fixtures::{key, net, Net, T0};
use crate::common::TestDb;
use crate::dual;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::feed::Feed;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

dual!(
    every_endpoint_answers_with_its_slot,
    operators_filter_sort_and_page,
    devices_filter_availability_and_distance,
    wallets_leases_burns_supply_network_reports,
    claimable_rewards_are_computed_as_the_program_settles,
    operator_commission_history,
    one_transaction_with_its_status_and_events,
    events_filter_and_page,
    stream_resumes_from_a_cursor,
    a_stream_follows_a_reset_to_the_new_chain,
    bad_parameters_name_the_parameter,
    openapi_docs_and_metrics,
);

async fn setup(db: &TestDb) -> (axum::Router, Net) {
    let (app, n, _) = setup_with_feed(db).await;
    (app, n)
}

/// The fixture network committed, and the API with the feed the writer would publish to.
async fn setup_with_feed(db: &TestDb) -> (axum::Router, Net, Arc<Feed>) {
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    db.store.promote_finalized(15).await.unwrap();
    db.store.set_chain_slot(25).await.unwrap();
    let feed = Feed::for_store(&db.store).await.unwrap();
    (app(AppState::new(db.store.clone(), feed.clone())), n, feed)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let header_slot = res.headers().get("x-indexed-slot").map(|v| v.to_str().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let v: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    if status.is_success() && v.is_object() {
        assert_eq!(header_slot.as_deref(), v["slot"].as_i64().map(|s| s.to_string()).as_deref(), "{uri}");
    }
    (status, v)
}

async fn ok(app: &axum::Router, uri: &str) -> Value {
    let (status, v) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    v
}

fn addrs(v: &Value, field: &str) -> Vec<String> {
    v["data"].as_array().unwrap().iter().map(|r| r[field].as_str().unwrap().to_owned()).collect()
}

async fn every_endpoint_answers_with_its_slot(db: TestDb) {
    let (app, n) = setup(&db).await;
    let uris = [
        "/health".to_owned(),
        "/status".to_owned(),
        "/v1/operators".to_owned(),
        format!("/v1/operators/{}", n.op_a),
        "/v1/devices".to_owned(),
        format!("/v1/wallets/{}/positions", n.staker1),
        "/v1/leases".to_owned(),
        format!("/v1/leases/{}", n.lease),
        "/v1/burns".to_owned(),
        "/v1/supply".to_owned(),
        "/v1/network".to_owned(),
        "/v1/reports/5".to_owned(),
        "/v1/events".to_owned(),
    ];
    for uri in &uris {
        let v = ok(&app, uri).await;
        assert_eq!((v["slot"].as_i64(), v["finalized_slot"].as_i64()), (Some(21), Some(15)), "{uri}");
    }
    let st = ok(&app, "/status").await;
    assert_eq!(
        (
            &st["data"]["indexed_slot"],
            &st["data"]["chain_slot"],
            &st["data"]["lag_slots"],
            &st["data"]["unfinalized_slots"]
        ),
        (&json!(21), &json!(25), &json!(4), &json!(6))
    );
    assert_eq!(st["data"]["cursors"][0]["program"], json!("io_staking"));
    // Event ids are stable chain positions (store::ids), not a count: the newest stored id.
    let newest = crate::common::rows(&db.store, "SELECT MAX(id) AS id FROM events").await;
    assert_eq!(st["data"]["last_event_id"], newest[0]["id"]);
    let op = ok(&app, &format!("/v1/operators/{}", n.op_a)).await;
    assert_eq!(
        (&op["data"]["name"], &op["data"]["devices_registered"], &op["data"]["gpus_active"]),
        (&json!("alpha"), &json!(1), &json!(8))
    );
    assert_eq!(op["data"]["devices"][0]["address"], json!(n.dev_a.to_string()));
    let c = ok(&app, &format!("/v1/operators/{}", n.op_c)).await;
    assert_eq!(c["data"]["slashes"][0]["amount"], json!(500));
    // Unknown (well-formed) addresses are 404s naming the parameter.
    let (status, v) = get(&app, &format!("/v1/operators/{}", key(200))).await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::NOT_FOUND, &json!("address")));
    let (status, v) = get(&app, &format!("/v1/leases/{}", key(200))).await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::NOT_FOUND, &json!("address")));
    let (status, v) = get(&app, "/v1/reports/6").await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::NOT_FOUND, &json!("period")));
    let (status, v) = get(&app, "/v1/nothing").await;
    assert_eq!((status, v["error"]["parameter"].is_null()), (StatusCode::NOT_FOUND, true));
}

async fn operators_filter_sort_and_page(db: TestDb) {
    let (app, n) = setup(&db).await;
    let (a, b, c) = (n.op_a.to_string(), n.op_b.to_string(), n.op_c.to_string());
    let (a, b, c) = (a.as_str(), b.as_str(), c.as_str());
    // Stake: a (200) > b (150) > c (0).
    assert_eq!(addrs(&ok(&app, "/v1/operators").await, "address"), [a, b, c]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?sort=commission").await, "address"), [b, a, c]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?region=us-east").await, "address"), [b]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?gpu_model=H100").await, "address"), [a]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?min_vram=24").await, "address"), [a, b]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?green=true&sort=commission").await, "address"), [a, c]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?green=false").await, "address"), [b]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?status=active").await, "address"), [a, b]);
    assert_eq!(addrs(&ok(&app, "/v1/operators?status=inactive").await, "address"), [c]);
    // Pages of one follow the same order and end with a null cursor.
    for sort in ["stake", "commission"] {
        let mut seen = vec![];
        let mut uri = format!("/v1/operators?limit=1&sort={sort}");
        loop {
            let v = ok(&app, &uri).await;
            seen.extend(addrs(&v, "address"));
            match v["next_cursor"].as_str() {
                Some(cur) => uri = format!("/v1/operators?limit=1&sort={sort}&cursor={cur}"),
                None => break,
            }
        }
        let all = addrs(&ok(&app, &format!("/v1/operators?sort={sort}")).await, "address");
        assert_eq!(seen, all, "{sort}");
    }
    // A cursor of one ordering is refused by the other.
    let v = ok(&app, "/v1/operators?limit=1").await;
    let cur = v["next_cursor"].as_str().unwrap();
    let (status, e) = get(&app, &format!("/v1/operators?sort=commission&cursor={cur}")).await;
    assert_eq!((status, &e["error"]["parameter"]), (StatusCode::BAD_REQUEST, &json!("cursor")));
}

async fn devices_filter_availability_and_distance(db: TestDb) {
    let (app, n) = setup(&db).await;
    let (a, b, c) = (n.dev_a.to_string(), n.dev_b.to_string(), n.dev_c.to_string());
    let (a, b, c) = (a.as_str(), b.as_str(), c.as_str());
    let all = ok(&app, "/v1/devices").await;
    assert_eq!(addrs(&all, "address"), [a, b, c]);
    let av: Vec<&str> =
        all["data"].as_array().unwrap().iter().map(|d| d["availability"].as_str().unwrap()).collect();
    assert_eq!(av, ["leased", "available", "unlisted"]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?availability=available").await, "address"), [b]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?availability=leased").await, "address"), [a]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?availability=unlisted").await, "address"), [c]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?green=true").await, "address"), [a, c]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?class=cpu").await, "address"), [c]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?status=active&min_vram=40").await, "address"), [a]);
    assert_eq!(addrs(&ok(&app, &format!("/v1/devices?operator={}", n.op_b)).await, "address"), [b]);
    assert_eq!(addrs(&ok(&app, "/v1/devices?gpu_model=RTX4090&region=us-east").await, "address"), [b]);
    // Near us-west: us-west itself, us-east (~3,900 km), eu-west (~8,200 km); `distance` is the
    // rank of the region (us-central is rank 1), `distance_km` how far it is.
    let near = ok(&app, "/v1/devices?near=us-west").await;
    assert_eq!(addrs(&near, "address"), [c, b, a]);
    let col = |v: &Value, k: &str| -> Vec<i64> {
        v["data"].as_array().unwrap().iter().map(|r| r[k].as_i64().unwrap()).collect()
    };
    assert_eq!(col(&near, "distance"), [0, 2, 4]);
    let km = col(&near, "distance_km");
    assert!(km[0] == 0 && (3_800..4_000).contains(&km[1]) && (8_000..8_400).contains(&km[2]), "{km:?}");
    // From a point in Dublin: eu-west first, then the east coast, then the west coast.
    assert_eq!(addrs(&ok(&app, "/v1/devices?near=53.35,-6.26").await, "address"), [a, b, c]);
    // A region with no known location ranks by its area: its own, then `us-*`, then the rest.
    let area = ok(&app, "/v1/devices?near=us-mars").await;
    assert_eq!(addrs(&area, "address"), [b, c, a]);
    assert_eq!(col(&area, "distance"), [1, 1, 2]);
    for bad in ["91,0", "40.7,-200", "north,east"] {
        let (status, e) = get(&app, &format!("/v1/devices?near={bad}")).await;
        assert_eq!((status, &e["error"]["parameter"]), (StatusCode::BAD_REQUEST, &json!("near")), "{bad}");
    }
    let mut seen = vec![];
    let mut uri = "/v1/devices?near=us-west&limit=2".to_owned();
    loop {
        let v = ok(&app, &uri).await;
        seen.extend(addrs(&v, "address"));
        match v["next_cursor"].as_str() {
            Some(cur) => uri = format!("/v1/devices?near=us-west&limit=2&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(seen, [c, b, a]);
    let first = ok(&app, "/v1/devices?limit=1").await;
    assert_eq!(first["data"][0]["price_usdc_per_hour"], json!(2_000_000));
    let (status, e) =
        get(&app, &format!("/v1/devices?near=eu-west&cursor={}", first["next_cursor"].as_str().unwrap()))
            .await;
    assert_eq!((status, &e["error"]["parameter"]), (StatusCode::BAD_REQUEST, &json!("cursor")));
}

async fn one_transaction_with_its_status_and_events(db: TestDb) {
    use crate::common::fixtures::sig;
    let (app, _n) = setup(&db).await;
    let ok_tx = ok(&app, &format!("/v1/transactions/{}", sig(1))).await;
    let d = &ok_tx["data"];
    assert_eq!(
        (&d["success"], &d["err"], &d["signature"]),
        (&json!(true), &Value::Null, &json!(sig(1))),
        "{d}"
    );
    let events = d["events"].as_array().unwrap();
    assert!(!events.is_empty() && events.len() as i64 == d["event_count"].as_i64().unwrap(), "{d}");
    assert!(events.iter().all(|e| e["signature"] == json!(sig(1))));
    // The failed one: the node's error as JSON, no events.
    let failed = ok(&app, &format!("/v1/transactions/{}", sig(6))).await;
    let d = &failed["data"];
    assert_eq!(
        (&d["success"], &d["err"]["InstructionError"][1]["Custom"]),
        (&json!(false), &json!(6000)),
        "{d}"
    );
    assert_eq!(d["events"], json!([]));
    assert_eq!(d["instructions"], json!([]));
    assert_eq!(d["error"], Value::Null, "no instruction of ours to name the program");
    // A program error is served in words from the sdk's table, not as a bare {"Custom":6010}.
    let mut t = crate::common::fixtures::failed(901, 16);
    t.err = Some(r#"{"InstructionError":[1,{"Custom":6010}]}"#.into());
    t.instructions = ["0", "1"]
        .map(|p| io_indexer::decode::instructions::DecodedInstruction {
            ix_path: p.into(),
            program: io_indexer::decode::Program::Staking,
            name: Some("stake"),
        })
        .to_vec();
    let b = io_indexer::store::Batch { transactions: vec![t.clone()], ..Default::default() };
    db.store.commit_batch(&b, &crate::common::fixtures::cursor_at(&t)).await.unwrap();
    let d = ok(&app, &format!("/v1/transactions/{}", sig(901))).await["data"].clone();
    let below = io_sdk::errors::describe(&io_staking::ID, 6010);
    assert_eq!(below.name, "BelowMinimumStake");
    assert_eq!(
        d["error"],
        json!({ "program": "io_staking", "code": 6010, "name": "BelowMinimumStake", "message": below.message }),
        "{d}"
    );
    let (status, v) = get(&app, &format!("/v1/transactions/{}", sig(999))).await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::NOT_FOUND, &json!("signature")));
}

async fn operator_commission_history(db: TestDb) {
    use crate::common::fixtures::{cursor_at, ev, tx};
    use io_indexer::decode::Program;
    use io_indexer::store::Batch;
    let (app, n) = setup(&db).await;
    let change = tx(
        900,
        40,
        vec![ev(
            Program::Staking,
            &io_staking::events::CommissionChangeRequested {
                operator: n.op_a,
                commission_bps: 500,
                requested_bps: 700,
                effective_ts: T0 + 172_800,
            },
        )],
    );
    let batch = Batch { expected: vec![], transactions: vec![change.clone()], accounts: vec![] };
    db.store.commit_batch(&batch, &cursor_at(&change)).await.unwrap();
    let op = ok(&app, &format!("/v1/operators/{}", n.op_a)).await;
    let h = op["data"]["commission_history"].as_array().unwrap();
    let rates: Vec<(&Value, &Value)> = h.iter().map(|e| (&e["event"], &e["requested_bps"])).collect();
    assert_eq!(
        rates,
        [(&json!("OperatorRegistered"), &json!(500)), (&json!("CommissionChangeRequested"), &json!(700))],
        "{op}"
    );
    assert_eq!(h[1]["effective_ts"], json!(T0 + 172_800));
    // Another operator's history holds only its own registration.
    let b = ok(&app, &format!("/v1/operators/{}", n.op_b)).await;
    assert_eq!(b["data"]["commission_history"].as_array().map(Vec::len), Some(1));
}

async fn claimable_rewards_are_computed_as_the_program_settles(db: TestDb) {
    use io_indexer::decode::Program;
    use io_indexer::store::AccountSnapshot;
    let (app, n) = setup(&db).await;
    let snap = |address: String, account_type: &str, state: Value| AccountSnapshot {
        address,
        program: Program::Staking,
        account_type: account_type.into(),
        slot: 100,
        state,
    };
    // The pool paid 2.5 $IO-units per share since the position last settled (× 10¹² scale), and
    // 3 units are already owed: 200 shares earn ⌊200 × 2.5⌋ = 500, claimable 503.
    let rps: u128 = 7_000_000_000_000 + 2_500_000_000_000;
    db.store
        .commit_accounts(&[
            snap(
                n.op_a.to_string(),
                "Operator",
                json!({ "authority": n.admin.to_string(), "name": "alpha", "stake_shares": 200, "stake_tokens": 200, "reward_per_share": rps.to_string() }),
            ),
            snap(
                key(77).to_string(),
                "Position",
                json!({ "operator": n.op_a.to_string(), "staker": n.staker1.to_string(), "shares": 200, "reward_per_share_paid": "7000000000000", "rewards_owed": 3 }),
            ),
        ])
        .await
        .unwrap();
    let w = ok(&app, &format!("/v1/wallets/{}/positions", n.staker1)).await;
    let pa =
        w["data"].as_array().unwrap().iter().find(|p| p["operator"] == json!(n.op_a.to_string())).unwrap();
    assert_eq!((&pa["claimable_rewards"], &pa["rewards_owed"]), (&json!(503), &json!(3)), "{pa}");
    // A third of a unit per share rounds down, as on chain: 3 + ⌊200 / 3⌋ = 69.
    let third = 7_000_000_000_000u128 + 333_333_333_333;
    let mut newer = snap(
        n.op_a.to_string(),
        "Operator",
        json!({ "authority": n.admin.to_string(), "name": "alpha", "stake_shares": 200, "stake_tokens": 200, "reward_per_share": third.to_string() }),
    );
    newer.slot = 101;
    db.store.commit_accounts(&[newer]).await.unwrap();
    let w = ok(&app, &format!("/v1/wallets/{}/positions", n.staker1)).await;
    let pa =
        w["data"].as_array().unwrap().iter().find(|p| p["operator"] == json!(n.op_a.to_string())).unwrap();
    assert_eq!(pa["claimable_rewards"], json!(69), "{pa}");

    // Half the position still warms up (F-10): it counts in the value and shows as activating,
    // but earns nothing through the accumulator: 3 + ⌊100 × 2.5⌋ = 253.
    let mut op = snap(
        n.op_a.to_string(),
        "Operator",
        json!({ "authority": n.admin.to_string(), "name": "alpha", "stake_shares": 200, "stake_tokens": 200, "reward_per_share": rps.to_string(), "activating_shares": 100 }),
    );
    op.slot = 102;
    let mut pos = snap(
        key(77).to_string(),
        "Position",
        json!({ "operator": n.op_a.to_string(), "staker": n.staker1.to_string(), "shares": 100, "reward_per_share_paid": "7000000000000", "rewards_owed": 3, "activating_shares": 100, "activation_period": 500_000 }),
    );
    pos.slot = 102;
    db.store.commit_accounts(&[op, pos]).await.unwrap();
    let w = ok(&app, &format!("/v1/wallets/{}/positions", n.staker1)).await;
    let pa =
        w["data"].as_array().unwrap().iter().find(|p| p["operator"] == json!(n.op_a.to_string())).unwrap();
    assert_eq!(pa["claimable_rewards"], json!(253), "{pa}");
    assert_eq!((&pa["value"], &pa["activating_value"]), (&json!(200), &json!(100)), "{pa}");
    assert_eq!(pa["activation_period"], json!(500_000), "{pa}");
}

async fn wallets_leases_burns_supply_network_reports(db: TestDb) {
    let (app, n) = setup(&db).await;
    let w = ok(&app, &format!("/v1/wallets/{}/positions", n.staker1)).await;
    let ops = addrs(&w, "operator");
    assert_eq!(ops.len(), 2);
    let pa =
        w["data"].as_array().unwrap().iter().find(|p| p["operator"] == json!(n.op_a.to_string())).unwrap();
    // 200 shares of a 200-share, 200-token pool.
    assert_eq!(
        (&pa["shares"], &pa["value"], &pa["operator_name"]),
        (&json!(200), &json!(200), &json!("alpha"))
    );
    assert_eq!(pa["rewards_claimed"], json!(7));
    let w2 = ok(&app, &format!("/v1/wallets/{}/positions", n.staker2)).await;
    assert_eq!(w2["data"][0]["pending_unstakes"][0]["amount"], json!(100));
    assert_eq!(ok(&app, &format!("/v1/wallets/{}/positions", key(201))).await["data"], json!([]));

    let l = ok(&app, &format!("/v1/leases?renter={}", n.renter)).await;
    assert_eq!(addrs(&l, "address"), [n.lease.to_string()]);
    assert_eq!(addrs(&ok(&app, &format!("/v1/leases?operator={}", n.op_a)).await, "address").len(), 1);
    assert_eq!(addrs(&ok(&app, &format!("/v1/leases?operator={}", n.op_b)).await, "address").len(), 0);
    assert_eq!(addrs(&ok(&app, "/v1/leases?status=open").await, "address").len(), 1);
    assert_eq!(addrs(&ok(&app, "/v1/leases?status=closed").await, "address").len(), 0);
    let one = ok(&app, &format!("/v1/leases/{}", n.lease)).await;
    assert_eq!(
        (&one["data"]["paid"], &one["data"]["devices"][0]["paid"]),
        (&json!(1_000_000), &json!(1_000_000))
    );
    assert_eq!(one["data"]["devices"][0]["operator"], json!(n.op_a.to_string()));
    assert_eq!(one["data"]["settlements"][0]["attested_after"], json!(1_800));

    let b = ok(&app, "/v1/burns").await;
    let reasons: Vec<&str> =
        b["data"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons, ["other", "slash", "buyback"]);
    assert_eq!(
        (&b["totals"]["buyback"], &b["totals"]["slash"], &b["totals"]["other"], &b["totals"]["total"]),
        (&json!(50), &json!(10), &json!(5), &json!(65))
    );
    let bb = ok(&app, "/v1/burns?reason=buyback").await;
    assert_eq!((bb["data"].as_array().unwrap().len(), &bb["data"][0]["amount"]), (1, &json!(50)));
    let p1 = ok(&app, "/v1/burns?limit=2").await;
    let p2 = ok(&app, &format!("/v1/burns?limit=2&cursor={}", p1["next_cursor"].as_str().unwrap())).await;
    assert_eq!((p2["data"][0]["reason"].as_str(), &p2["next_cursor"]), (Some("buyback"), &Value::Null));

    let s = ok(&app, "/v1/supply").await;
    assert_eq!((&s["data"]["total_burned"], &s["data"]["supply"]), (&json!(65), &json!(500_000_000 - 65)));

    let net = ok(&app, "/v1/network").await["data"].clone();
    assert_eq!(
        (&net["operators"]["total"], &net["operators"]["active"], &net["operators"]["stake"]),
        (&json!(3), &json!(2), &json!(350))
    );
    assert_eq!(
        (&net["devices"]["active"], &net["devices"]["gpus_active"], &net["devices"]["green_active"]),
        (&json!(2), &json!(9), &json!(1))
    );
    assert_eq!((&net["leases"]["open"], &net["settlements"]["attested_seconds"]), (&json!(1), &json!(1_800)));
    assert_eq!(
        (&net["oracle_set"]["epoch"], &net["reports"]["last_certified_period"]),
        (&json!(1), &json!(5))
    );
    assert_eq!(net["buybacks"]["io_burned"], json!(50));

    let r = ok(&app, "/v1/reports/5").await;
    assert_eq!((&r["data"][0]["status"], &r["data"][0]["signers"]), (&json!("certified"), &json!(3)));
}

async fn events_filter_and_page(db: TestDb) {
    let (app, n) = setup(&db).await;
    let all = ok(&app, "/v1/events?limit=1000").await;
    assert_eq!(all["data"].as_array().unwrap().len(), n.event_count());
    assert_eq!(all["next_cursor"], Value::Null);
    let first = &all["data"][0];
    assert_eq!(
        (&first["event_name"], &first["program"], &first["slot"], &first["block_time"]),
        (&json!("TokenInitialized"), &json!("io_token"), &json!(10), &json!(T0 + 10))
    );
    assert_eq!((&first["payload"]["decimals"], &first["finalized"]), (&json!(6), &json!(true)));
    let staked = ok(&app, "/v1/events?type=Staked").await;
    assert_eq!(staked["data"].as_array().unwrap().len(), 3);
    let by_account = ok(&app, &format!("/v1/events?account={}", n.staker1)).await;
    let names: Vec<&str> =
        by_account["data"].as_array().unwrap().iter().map(|e| e["event_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Staked", "Staked", "Burned", "RewardsClaimed"]);
    assert_eq!(ok(&app, "/v1/events?program=io_oracle").await["data"].as_array().unwrap().len(), 3);
    let range = ok(&app, "/v1/events?from_slot=14&to_slot=15").await;
    assert_eq!(range["data"].as_array().unwrap().len(), 5);
    let desc = ok(&app, "/v1/events?order=desc&limit=1").await;
    assert_eq!(desc["data"][0]["slot"], json!(21));
    // Paging in both directions covers everything exactly once.
    for order in ["asc", "desc"] {
        let mut ids = vec![];
        let mut uri = format!("/v1/events?order={order}&limit=4");
        loop {
            let v = ok(&app, &uri).await;
            ids.extend(v["data"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
            match v["next_cursor"].as_str() {
                Some(cur) => uri = format!("/v1/events?order={order}&limit=4&cursor={cur}"),
                None => break,
            }
        }
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), n.event_count(), "{order}");
    }
    let mut uri = format!("/v1/events?account={}&limit=1", n.staker1);
    let mut count = 0;
    loop {
        let v = ok(&app, &uri).await;
        count += v["data"].as_array().unwrap().len();
        match v["next_cursor"].as_str() {
            Some(cur) => uri = format!("/v1/events?account={}&limit=1&cursor={cur}", n.staker1),
            None => break,
        }
    }
    assert_eq!(count, 4);
}

/// Reads SSE frames until `want` events arrived (or a timeout); their ids.
async fn read_stream(
    app: &axum::Router,
    uri: &str,
    last_event_id: Option<&str>,
    want: usize,
) -> Vec<(i64, String, Value)> {
    let mut req = Request::get(uri);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut body = res.into_body();
    let mut text = String::new();
    let mut out = vec![];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while out.len() < want {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .expect("stream timed out")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let mut id = None;
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().ok();
                } else if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if let Some(id) = id {
                out.push((id, name, serde_json::from_str(&data).unwrap()));
            }
        }
    }
    out
}

async fn stream_resumes_from_a_cursor(db: TestDb) {
    let (app, n, feed) = setup_with_feed(&db).await;
    let total = n.event_count();
    let all = read_stream(&app, "/v1/stream?cursor=0", None, total).await;
    let ids: Vec<i64> = all.iter().map(|e| e.0).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!((all[0].1.as_str(), &all[0].2["slot"]), ("TokenInitialized", &json!(10)));
    // Resume after the second to last event: only the last comes.
    let resume = ids[total - 2].to_string();
    let tail = read_stream(&app, &format!("/v1/stream?cursor={resume}"), None, 1).await;
    assert_eq!(tail[0].0, ids[total - 1]);
    let tail = read_stream(&app, "/v1/stream", Some(&resume), 1).await;
    assert_eq!(tail[0].0, ids[total - 1]);
    let staked = read_stream(&app, "/v1/stream?cursor=0&type=Staked", None, 3).await;
    assert!(staked.iter().all(|e| e.1 == "Staked"));
    // A live client sees events committed after it connected.
    let app2 = app.clone();
    let live =
        tokio::spawn(async move { read_stream(&app2, "/v1/stream?program=io_staking", None, 1).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t = crate::common::fixtures::tx(
        900,
        30,
        vec![crate::common::fixtures::ev(
            io_indexer::decode::Program::Staking,
            &io_staking::events::CommissionClaimed { operator: n.op_a, amount: 42 },
        )],
    );
    let b = io_indexer::store::Batch { transactions: vec![t.clone()], ..Default::default() };
    db.store.commit_batch(&b, &crate::common::fixtures::cursor_at(&t)).await.unwrap();
    // What the ingest loop does after a commit: one read, broadcast to every client.
    assert_eq!(feed.publish_new(&db.store).await.unwrap(), 1);
    let got = live.await.unwrap();
    assert_eq!((got[0].1.as_str(), &got[0].2["payload"]["amount"]), ("CommissionClaimed", &json!(42)));
}

/// After a wipe for a new chain, an open stream's position (an id of the old chain) means
/// nothing: the client gets the new chain's events, though their ids are lower.
async fn a_stream_follows_a_reset_to_the_new_chain(db: TestDb) {
    let (app, n, feed) = setup_with_feed(&db).await;
    let app2 = app.clone();
    let live = tokio::spawn(async move { read_stream(&app2, "/v1/stream", None, 1).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    db.store.wipe().await.unwrap();
    feed.restart(0);
    let t = crate::common::fixtures::tx(
        1,
        3,
        vec![crate::common::fixtures::ev(
            io_indexer::decode::Program::Staking,
            &io_staking::events::CommissionClaimed { operator: n.op_a, amount: 7 },
        )],
    );
    let b = io_indexer::store::Batch { transactions: vec![t.clone()], ..Default::default() };
    db.store.commit_batch(&b, &crate::common::fixtures::cursor_at(&t)).await.unwrap();
    assert_eq!(feed.publish_new(&db.store).await.unwrap(), 1);
    let got = live.await.unwrap();
    assert_eq!((got[0].1.as_str(), &got[0].2["payload"]["amount"]), ("CommissionClaimed", &json!(7)));
}

async fn bad_parameters_name_the_parameter(db: TestDb) {
    let (app, n) = setup(&db).await;
    let big = "1".repeat(40);
    let cases: Vec<(String, &str)> = vec![
        // Malformed addresses.
        ("/v1/operators/not-an-address".into(), "address"),
        (format!("/v1/operators/{big}0"), "address"),
        ("/v1/wallets/0OIl/positions".into(), "address"),
        ("/v1/leases/xyz".into(), "address"),
        ("/v1/devices?operator=abc".into(), "operator"),
        ("/v1/leases?renter=abc".into(), "renter"),
        ("/v1/leases?operator=abc".into(), "operator"),
        ("/v1/events?account=abc".into(), "account"),
        ("/v1/transactions/abc".into(), "signature"),
        (format!("/v1/transactions/{}", n.op_a), "signature"),
        // Bad cursors.
        ("/v1/operators?cursor=zzz".into(), "cursor"),
        ("/v1/devices?cursor=eyJrIjoieCJ9".into(), "cursor"),
        ("/v1/leases?cursor=%%%".into(), "cursor"),
        ("/v1/burns?cursor=AAAA".into(), "cursor"),
        ("/v1/events?cursor=bm9wZQ".into(), "cursor"),
        ("/v1/stream?cursor=-1".into(), "cursor"),
        ("/v1/stream?cursor=abc".into(), "cursor"),
        // Limits.
        ("/v1/operators?limit=1001".into(), "limit"),
        ("/v1/devices?limit=0".into(), "limit"),
        ("/v1/leases?limit=-5".into(), "limit"),
        ("/v1/burns?limit=ten".into(), "limit"),
        ("/v1/events?limit=100000".into(), "limit"),
        // Unknown filter values.
        ("/v1/operators?status=busy".into(), "status"),
        ("/v1/operators?sort=name".into(), "sort"),
        ("/v1/operators?green=yes".into(), "green"),
        ("/v1/operators?min_vram=lots".into(), "min_vram"),
        ("/v1/operators?min_vram=70000".into(), "min_vram"),
        (format!("/v1/operators?region={}", "x".repeat(17)), "region"),
        ("/v1/operators?gpu_model=".into(), "gpu_model"),
        ("/v1/devices?class=quantum".into(), "class"),
        ("/v1/devices?status=asleep".into(), "status"),
        ("/v1/devices?availability=soon".into(), "availability"),
        ("/v1/devices?near=".into(), "near"),
        ("/v1/leases?status=paused".into(), "status"),
        ("/v1/burns?reason=fun".into(), "reason"),
        ("/v1/events?type=Nope".into(), "type"),
        ("/v1/events?program=io_nope".into(), "program"),
        ("/v1/events?order=up".into(), "order"),
        ("/v1/events?from_slot=-1".into(), "from_slot"),
        ("/v1/stream?type=Nope".into(), "type"),
        ("/v1/reports/abc".into(), "period"),
        ("/v1/reports/-3".into(), "period"),
        // Unknown and repeated parameters.
        ("/v1/operators?colour=red".into(), "colour"),
        ("/v1/supply?x=1".into(), "x"),
        ("/v1/devices?limit=1&limit=2".into(), "limit"),
        (format!("/v1/operators/{}?verbose=1", n.op_a), "verbose"),
    ];
    for (uri, param) in &cases {
        let (status, v) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["error"]["parameter"], json!(param), "{uri}: {v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{uri}");
    }
    // What the OpenAPI document admits is accepted: base58 of an address's length that is not
    // a 32-byte key names no account; an empty cursor is no cursor.
    let (status, v) = get(&app, &format!("/v1/operators/{big}")).await;
    assert_eq!((status, &v["error"]["parameter"]), (StatusCode::NOT_FOUND, &json!("address")), "{v}");
    assert_eq!(ok(&app, &format!("/v1/devices?operator={big}")).await["data"], json!([]));
    assert_eq!(ok(&app, "/v1/events?from_slot=9&to_slot=3").await["data"], json!([]), "an empty range");
    let first = ok(&app, "/v1/events?cursor=&limit=2").await;
    assert_eq!(first["data"], ok(&app, "/v1/events?limit=2").await["data"]);
    let res = app
        .clone()
        .oneshot(Request::get("/v1/stream").header("last-event-id", "x").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(v["error"]["parameter"], json!("Last-Event-ID"));
}

async fn openapi_docs_and_metrics(db: TestDb) {
    let (app, n) = setup(&db).await;
    let doc = ok(&app, "/openapi.json").await;
    assert_eq!(doc["openapi"], json!("3.1.0"));
    let mut paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    paths.sort();
    let mut expected = vec![
        "/health",
        "/status",
        "/metrics",
        "/openapi.json",
        "/docs",
        "/v1/operators",
        "/v1/operators/{address}",
        "/v1/devices",
        "/v1/wallets/{address}/positions",
        "/v1/leases",
        "/v1/leases/{address}",
        "/v1/transactions/{signature}",
        "/v1/burns",
        "/v1/supply",
        "/v1/network",
        "/v1/reports/{period}",
        "/v1/events",
        "/v1/stream",
        "/v1/network/history",
        "/v1/operators/{address}/history",
        "/v1/wallets/{address}/rewards",
        "/v1/quote",
    ];
    expected.sort();
    assert_eq!(paths, expected);
    // Every documented path is routed, and every documented query parameter is accepted.
    for p in &expected {
        // A quote needs all three of its parameters and priced devices: tests/integrations/operators.rs.
        if *p == "/v1/stream" || *p == "/v1/quote" {
            continue;
        }
        let concrete = match *p {
            "/v1/leases/{address}" => format!("/v1/leases/{}", n.lease),
            "/v1/wallets/{address}/positions" => format!("/v1/wallets/{}/positions", n.staker1),
            "/v1/transactions/{signature}" => format!("/v1/transactions/{}", crate::common::fixtures::sig(1)),
            _ => p.replace("{address}", &n.op_a.to_string()).replace("{period}", "5"),
        };
        let (status, v) = get(&app, &concrete).await;
        assert_eq!(status, StatusCode::OK, "{concrete}: {v}");
        for param in doc["paths"][*p]["get"]["parameters"].as_array().unwrap() {
            if param["in"] != json!("query") || param["name"] == json!("cursor") {
                continue;
            }
            let name = param["name"].as_str().unwrap();
            let schema = &param["schema"];
            let value = match (schema["type"].as_str(), schema["enum"].as_array()) {
                (_, Some(values)) => values[0].as_str().unwrap().to_owned(),
                (Some("integer"), _) => "1".to_owned(),
                (Some("boolean"), _) => "true".to_owned(),
                _ if name == "operator" || name == "renter" || name == "account" => n.op_a.to_string(),
                _ => "us-east".to_owned(),
            };
            let (status, v) = get(&app, &format!("{concrete}?{name}={value}")).await;
            assert_eq!(status, StatusCode::OK, "{concrete}?{name}={value}: {v}");
        }
    }
    let (status, html) = get(&app, "/docs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.as_str().unwrap().contains("/v1/wallets/{address}/positions"));
    let (status, m) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    let m = m.as_str().unwrap();
    assert!(m.contains("indexer_events_stored_total"), "{m}");
    assert!(m.contains("indexer_indexed_slot 21"), "{m}");
    assert!(m.contains("http_requests_total{route=\"/v1/operators\",status=\"200\"}"), "{m}");
}

/// Schemathesis against the OpenAPI document, on a real socket over the fixture database: no
/// server error, every response conforms to its documented schema, schema-valid requests are
/// accepted (4xx only for what names nothing: 404) and schema-invalid ones refused. The Python
/// venv with the pinned schemathesis comes from `.ci/schemathesis-venv` (created on first use);
/// without Python the test says so loudly and passes, as nothing can run it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_the_server_and_the_document_in_agreement() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../.ci/schemathesis-venv");
    let venv = std::process::Command::new("bash").arg(script).output().expect("bash runs");
    if venv.status.code() == Some(2) {
        eprintln!(
            "\n!!!!! SKIPPED: schemathesis cannot run without python3 ({}) !!!!!\n",
            String::from_utf8_lossy(&venv.stderr).trim()
        );
        return;
    }
    assert!(
        venv.status.success(),
        "creating the schemathesis venv: {}",
        String::from_utf8_lossy(&venv.stderr)
    );
    let bin = String::from_utf8(venv.stdout).unwrap().trim().to_owned();

    // The fixture network, then an empty database (every row nullable where the schema says so,
    // every lookup a 404).
    let db = crate::common::sqlite().await;
    let (app, _) = setup(&db).await;
    schemathesis(&bin, app, 100).await;
    let empty = crate::common::sqlite().await;
    let app = io_indexer::api::app(AppState::new(empty.store.clone(), Feed::new(0)));
    schemathesis(&bin, app, 25).await;
}

/// `schemathesis run` against `app` on a real socket, `examples` per operation; fails the test
/// on any failed check.
async fn schemathesis(bin: &str, app: axum::Router, examples: u32) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().unwrap();
    // A cursor is opaque: only one this server issued is valid, which no schema can say, so
    // generated requests carry the empty one (no cursor; the pages' own cursors are exercised by
    // the API tests).
    std::fs::write(dir.path().join("schemathesis.toml"), "[parameters]\n\"query.cursor\" = \"\"\n").unwrap();
    let cwd = dir.path().to_owned();
    let bin = bin.to_owned();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(&bin)
            .args(["run", &format!("{base}/openapi.json")])
            .args([
                "--checks",
                "not_a_server_error,response_schema_conformance,positive_data_acceptance,negative_data_rejection",
            ])
            // A stream never ends: its handshake is covered by the API tests.
            .args(["--exclude-path", "/v1/stream"])
            .args(["--max-examples", &examples.to_string(), "--seed", "11", "--workers", "2", "--no-color"])
            .current_dir(&cwd)
            .output()
    })
    .await
    .unwrap()
    .expect("schemathesis runs");
    server.abort();
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!(
        "{}",
        text.lines().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
    );
    assert!(out.status.success(), "schemathesis failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
}
