//! The history series (`/v1/network/history`, `/v1/operators/{address}/history`,
//! `/v1/wallets/{address}/rewards`), the overview figures of `/v1/network` and chain time on
//! `/health`, on SQLite and PostgreSQL: the fixture network plus a few hours of history, every
//! point checked against what the events say, and the exact errors for bad parameters.
use crate::common::fixtures::{ev, key, net, sig, tx, Net, T0};
use crate::common::TestDb;
use crate::dual;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::decode::{DecodedTx, Program};
use io_indexer::feed::Feed;
use io_staking::state::DeviceStatus;
use io_token::state::BurnReason;
use serde_json::{json, Value};
use tower::ServiceExt;

dual!(
    network_history_follows_the_events,
    operator_history_follows_the_events,
    wallet_rewards_as_json_and_csv,
    overview_and_chain_time,
    history_parameters_are_checked,
    replaying_history_changes_nothing,
);

/// The start of the hour bucket the fixture network lies in (its events are at `T0 + slot`).
const B0: i64 = T0 - T0.rem_euclid(3_600);
const H: i64 = 3_600;

/// A transaction at `slot` whose block time is `time`.
fn at(n: u32, slot: u64, time: i64, events: Vec<io_indexer::decode::DecodedEvent>) -> DecodedTx {
    let mut t = tx(n, slot, events);
    t.block_time = Some(time);
    t
}

/// The fixture network, then (block times in hours after `B0`):
/// - 1h: op_a requests commission 800 (in force 500), effective at 3h; staker1 claims 13 from op_b;
/// - 2h: op_b gains 50 of stake (150 → 200); op_a claims a report reward of 1,000 for period 7;
///   dev_b (1 GPU) is jailed; 100 $IO burned;
/// - 5h: a slash of op_a takes 20 of its stake (200 → 180); op_a claims 600 for period 10.
fn history() -> (Net, Vec<DecodedTx>) {
    let n = net();
    let (op_a, op_b) = (n.op_a, n.op_b);
    let txs = vec![
        at(
            100,
            30,
            B0 + H + 100,
            vec![
                ev(
                    Program::Staking,
                    &io_staking::events::CommissionChangeRequested {
                        operator: op_a,
                        commission_bps: 500,
                        requested_bps: 800,
                        effective_ts: B0 + 3 * H,
                    },
                ),
                ev(
                    Program::Staking,
                    &io_staking::events::RewardsClaimed {
                        operator: op_b,
                        staker: n.staker1,
                        amount: 13,
                        reward_per_share: 1 << 70,
                    },
                ),
            ],
        ),
        at(
            101,
            31,
            B0 + 2 * H + 100,
            vec![
                ev(
                    Program::Staking,
                    &io_staking::events::Staked {
                        operator: op_b,
                        staker: n.staker2,
                        amount: 50,
                        shares_minted: 50,
                        position_shares_after: 50,
                        pool_shares_after: 200,
                        pool_tokens_before: 150,
                        pool_tokens_after: 200,
                        delegator_count_after: 2,
                    },
                ),
                report_reward(op_a, 7, 1_000),
                ev(
                    Program::Staking,
                    &io_staking::events::DeviceStatusChanged {
                        device: n.dev_b,
                        operator: op_b,
                        before: DeviceStatus::Active,
                        after: DeviceStatus::Jailed,
                        required_bond_before: 1_000,
                        required_bond_after: 0,
                        devices_active_after: 0,
                        ts: B0 + 2 * H + 100,
                    },
                ),
                ev(
                    Program::Token,
                    &io_token::events::Burned {
                        reason: BurnReason::LeaseFee,
                        authority: key(80),
                        from: key(80),
                        amount: 100,
                        reason_burned_before: 0,
                        reason_burned_after: 100,
                        total_burned_after: 165,
                        total_minted: 500_000_000,
                        supply_after: 500_000_000 - 165,
                    },
                ),
            ],
        ),
        at(
            102,
            32,
            B0 + 5 * H + 100,
            vec![
                ev(
                    Program::Staking,
                    &io_staking::events::SlashExecuted {
                        slash: key(71),
                        operator: op_a,
                        index: 1,
                        amount: 30,
                        from_bond: 10,
                        from_stake: 20,
                        from_unbonding: 0,
                        bond_after: 15_990,
                        bond_withdrawing_after: 0,
                        stake_tokens_after: 180,
                        unbonding_tokens_after: 100,
                    },
                ),
                report_reward(op_a, 10, 600),
            ],
        ),
    ];
    (n, txs)
}

fn report_reward(operator: io_sdk::Pubkey, period: u64, amount: u64) -> io_indexer::decode::DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::OperatorRewardsClaimed {
            operator,
            period,
            cumulative: amount,
            amount,
            commission: amount / 20,
            to_delegators: amount - amount / 20,
            commission_bps: 500,
            pool_shares: 200,
            reward_per_share_before: 0,
            reward_per_share_after: 1,
        },
    )
}

async fn setup(db: &TestDb) -> (axum::Router, Net) {
    let (n, more) = history();
    let mut batch = n.batch();
    batch.transactions.extend(more);
    let cursor =
        io_indexer::store::Cursor { program: "io_staking".into(), last_signature: sig(102), last_slot: 32 };
    db.store.commit_batch(&batch, &cursor).await.unwrap();
    db.store.set_chain_slot(40).await.unwrap();
    let feed = Feed::for_store(&db.store).await.unwrap();
    (app(AppState::new(db.store.clone(), feed)), n)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Option<String>, String) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let ct = res.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, ct, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn ok(app: &axum::Router, uri: &str) -> Value {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// `field` of every point.
fn col(v: &Value, field: &str) -> Vec<Value> {
    v["data"]["points"].as_array().unwrap().iter().map(|p| p[field].clone()).collect()
}

fn ints(xs: &[i64]) -> Vec<Value> {
    xs.iter().map(|x| json!(x)).collect()
}

async fn network_history_follows_the_events(db: TestDb) {
    let (app, _) = setup(&db).await;
    // Two quiet hours before the network, then B0 … B0 + 6h.
    let v = ok(&app, &format!("/v1/network/history?bucket=hour&from={}&to={}", B0 - 2 * H, B0 + 6 * H + 59))
        .await;
    assert_eq!(v["slot"], json!(32));
    assert_eq!(v["data"]["bucket"], json!("hour"));
    assert_eq!((v["data"]["from"].as_i64(), v["data"]["to"].as_i64()), (Some(B0 - 2 * H), Some(B0 + 6 * H)));
    let t: Vec<i64> = (-2..=6).map(|i| B0 + i * H).collect();
    assert_eq!(col(&v, "t"), ints(&t));
    // 200 + 150 + 100 staked, 100 unstaked in the first hour; +50 at 2h; −20 (slash) at 5h.
    assert_eq!(col(&v, "staked"), ints(&[0, 0, 350, 350, 400, 400, 400, 380, 380]));
    assert_eq!(col(&v, "operators"), ints(&[0, 0, 3, 3, 3, 3, 3, 3, 3]));
    // dev_a (8 GPUs) and dev_b (1 GPU) activated; dev_b jailed at 2h.
    assert_eq!(col(&v, "devices_active"), ints(&[0, 0, 2, 2, 1, 1, 1, 1, 1]));
    assert_eq!(col(&v, "gpus_active"), ints(&[0, 0, 9, 9, 8, 8, 8, 8, 8]));
    assert_eq!(col(&v, "burned"), ints(&[0, 0, 65, 65, 165, 165, 165, 165, 165]));
    assert_eq!(col(&v, "burned_in_bucket"), ints(&[0, 0, 65, 0, 100, 0, 0, 0, 0]));
    let supply = col(&v, "supply");
    assert_eq!(supply[..2], [Value::Null, Value::Null]);
    assert_eq!(
        supply[2..],
        ints(&[499_999_935, 499_999_935, 499_999_835, 499_999_835, 499_999_835, 499_999_835, 499_999_835])
    );
    assert_eq!(col(&v, "minted")[8], json!(500_000_000));

    // Daily buckets: one point holding all of it; the level carries into a later range.
    let v = ok(&app, &format!("/v1/network/history?bucket=day&from={B0}&to={}", B0 + 86_400)).await;
    let day = B0 - B0.rem_euclid(86_400);
    assert_eq!(col(&v, "t"), ints(&[day, day + 86_400]));
    assert_eq!(col(&v, "staked"), ints(&[380, 380]));
    let later = ok(&app, &format!("/v1/network/history?from={}&to={}", B0 + 10 * H, B0 + 11 * H)).await;
    assert_eq!(col(&later, "staked"), ints(&[380, 380]));
    assert_eq!(col(&later, "burned_in_bucket"), ints(&[0, 0]));
    // Defaults: hourly, the 168 hours up to the indexed slot's block time (B0 + 5h + 100).
    let v = ok(&app, "/v1/network/history").await;
    assert_eq!(v["data"]["points"].as_array().unwrap().len(), 168);
    assert_eq!(v["data"]["to"], json!(B0 + 5 * H));
    assert_eq!(col(&v, "staked").last(), Some(&json!(380)));
    // `from` after `to`: an empty series, not an error.
    let v = ok(&app, &format!("/v1/network/history?from={}&to={}", B0 + H, B0)).await;
    assert_eq!(v["data"]["points"], json!([]));

    // Levels count back from the current state: a database without the history of its first hour
    // (indexed before the history logs existed) still draws the hours after it right.
    db.store
        .exec(io_indexer::store::conn::Stmt::new(format!(
            "DELETE FROM stake_history WHERE block_time < {}",
            B0 + H
        )))
        .await
        .unwrap();
    let v = ok(&app, &format!("/v1/network/history?from={}&to={}", B0 + H, B0 + 6 * H)).await;
    assert_eq!(col(&v, "staked"), ints(&[350, 400, 400, 400, 380, 380]));
}

async fn operator_history_follows_the_events(db: TestDb) {
    let (app, n) = setup(&db).await;
    let uri = format!("/v1/operators/{}/history?from={}&to={}", n.op_a, B0 - H, B0 + 6 * H);
    let v = ok(&app, &uri).await;
    assert_eq!(v["data"]["operator"], json!(n.op_a.to_string()));
    assert_eq!(col(&v, "stake"), ints(&[0, 200, 200, 200, 200, 200, 180, 180]));
    assert_eq!(col(&v, "delegators"), ints(&[0, 1, 1, 1, 1, 1, 1, 1]));
    // 500 from registration (T0, in the first bucket); 800 requested at 1h, in force from 3h.
    assert_eq!(
        col(&v, "commission_bps"),
        vec![Value::Null, json!(500), json!(500), json!(500), json!(800), json!(800), json!(800), json!(800)]
    );
    assert_eq!(col(&v, "rewards"), ints(&[0, 0, 0, 1_000, 0, 0, 600, 0]));
    assert_eq!(col(&v, "rewards_commission"), ints(&[0, 0, 0, 50, 0, 0, 30, 0]));
    assert_eq!(col(&v, "rewards_to_delegators"), ints(&[0, 0, 0, 950, 0, 0, 570, 0]));
    assert_eq!(col(&v, "devices_active"), ints(&[0, 1, 1, 1, 1, 1, 1, 1]));
    assert_eq!(col(&v, "gpus_active"), ints(&[0, 8, 8, 8, 8, 8, 8, 8]));
    // dev_a, registered at T0, active since: all of the operator's live devices.
    assert_eq!(col(&v, "devices_live"), ints(&[0, 1, 1, 1, 1, 1, 1, 1]));
    assert_eq!(
        col(&v, "uptime_bps"),
        vec![
            Value::Null,
            json!(10_000),
            json!(10_000),
            json!(10_000),
            json!(10_000),
            json!(10_000),
            json!(10_000),
            json!(10_000)
        ]
    );
    assert_eq!(col(&v, "slashes"), ints(&[0, 0, 0, 0, 0, 0, 1, 0]));
    assert_eq!(col(&v, "slashed_stake"), ints(&[0, 0, 0, 0, 0, 0, 20, 0]));
    // op_b: its stake rises at 2h, its one device is jailed then.
    let v = ok(&app, &format!("/v1/operators/{}/history?from={B0}&to={}", n.op_b, B0 + 3 * H)).await;
    assert_eq!(col(&v, "stake"), ints(&[150, 150, 200, 200]));
    assert_eq!(col(&v, "delegators"), ints(&[1, 1, 2, 2]));
    assert_eq!(col(&v, "devices_active"), ints(&[1, 1, 0, 0]));
    assert_eq!(col(&v, "devices_live"), ints(&[1, 1, 1, 1]));
    assert_eq!(col(&v, "uptime_bps"), ints(&[10_000, 10_000, 0, 0]));
    // An address of no operator: 404 naming it.
    let (status, _, body) = get(&app, &format!("/v1/operators/{}/history", key(99))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["parameter"], json!("address"));
}

async fn wallet_rewards_as_json_and_csv(db: TestDb) {
    let (app, n) = setup(&db).await;
    let base = format!("/v1/wallets/{}/rewards?from={B0}&to={}", n.staker1, B0 + 2 * H);
    let v = ok(&app, &base).await;
    let d = &v["data"];
    assert_eq!(d["wallet"], json!(n.staker1.to_string()));
    assert_eq!(d["decimals"], json!(6));
    // 7 from op_a at T0 + 20 (bucket 0), 13 from op_b at 1h.
    assert_eq!(col(&v, "claimed"), ints(&[7, 13, 0]));
    assert_eq!(col(&v, "cumulative_claimed"), ints(&[7, 20, 20]));
    let positions = d["positions"].as_array().unwrap();
    let ops: Vec<&str> = positions.iter().map(|p| p["operator"].as_str().unwrap()).collect();
    let (a, b) = (n.op_a.to_string(), n.op_b.to_string());
    assert_eq!(ops.len(), 2);
    assert!(ops.contains(&a.as_str()) && ops.contains(&b.as_str()), "{ops:?}");
    let pos_a = positions.iter().find(|p| p["operator"] == json!(a)).unwrap();
    assert_eq!(pos_a["claimed_total"], json!(7));
    assert_eq!(pos_a["operator_name"], json!("alpha"));
    let cum_a: Vec<Value> =
        pos_a["points"].as_array().unwrap().iter().map(|p| p["cumulative_claimed"].clone()).collect();
    assert_eq!(cum_a, ints(&[7, 7, 7]));
    // The claimable figure is the positions endpoint's (io_sdk's PositionView).
    let held = ok(&app, &format!("/v1/wallets/{}/positions", n.staker1)).await;
    let held_a = held["data"].as_array().unwrap().iter().find(|p| p["operator"] == json!(a)).unwrap().clone();
    assert_eq!(pos_a["claimable_now"], held_a["claimable_rewards"]);
    let claims = d["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 2);
    assert_eq!((claims[0]["amount"].as_i64(), claims[1]["amount"].as_i64()), (Some(7), Some(13)));
    // A later range: the cumulative figure starts from what was claimed before it.
    let v =
        ok(&app, &format!("/v1/wallets/{}/rewards?from={}&to={}", n.staker1, B0 + 3 * H, B0 + 3 * H)).await;
    assert_eq!(col(&v, "cumulative_claimed"), ints(&[20]));
    assert_eq!(v["data"]["claims"], json!([]));

    // CSV: the claims of the range, with a header row.
    let (status, ct, body) = get(&app, &format!("{base}&format=csv")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ct.as_deref(), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "time_unix,time_utc,slot,signature,operator,amount_base_units,amount_io");
    assert_eq!(lines.len(), 3, "{body}");
    let t = T0 + 20;
    assert_eq!(lines[1], format!("{t},{},20,{},{a},7,0.000007", io_indexer::api::history::utc(t), sig(12)));
    assert!(lines[2].ends_with(&format!(",{b},13,0.000013")), "{}", lines[2]);
    // A wallet without rewards: an empty series and a header-only CSV.
    let v = ok(&app, &format!("/v1/wallets/{}/rewards?from={B0}&to={B0}", key(98))).await;
    assert_eq!(col(&v, "claimed"), ints(&[0]));
    assert_eq!(v["data"]["positions"], json!([]));
    let (_, _, body) = get(&app, &format!("/v1/wallets/{}/rewards?format=csv", key(98))).await;
    assert_eq!(body, "time_unix,time_utc,slot,signature,operator,amount_base_units,amount_io\r\n");
}

async fn overview_and_chain_time(db: TestDb) {
    let (app, _) = setup(&db).await;
    let h = ok(&app, "/health").await;
    assert_eq!(h["data"]["status"], json!("ok"));
    assert_eq!(h["data"]["indexed_slot"], json!(32));
    assert_eq!(h["data"]["chain_slot"], json!(40));
    assert_eq!(h["data"]["lag_slots"], json!(8));
    assert_eq!(h["data"]["chain_time"], json!(B0 + 5 * H + 100));
    let s = ok(&app, "/status").await;
    assert_eq!(s["data"]["chain_time"], json!(B0 + 5 * H + 100));

    let v = ok(&app, "/v1/network").await;
    let o = &v["data"]["overview"];
    assert_eq!(o["chain_time"], json!(B0 + 5 * H + 100));
    assert_eq!(o["staked"], json!(380));
    assert_eq!((o["operators"].as_i64(), o["operators_active"].as_i64()), (Some(3), Some(1)));
    assert_eq!(o["devices_attested"], json!(1));
    assert_eq!(o["gpus_attested"], json!(8));
    assert_eq!(o["by_class"], json!([{ "class": "datacenter_gpu", "devices": 1, "gpus": 8 }]));
    assert_eq!(o["burned_30d"], json!(165));
    assert_eq!(o["active_leases"], json!(1));
    // op_a alone has a report reward: 600 for periods 7 → 10 (three periods), commission 500 bps
    // (the rate the operators row holds), over 180 staked — io_sdk's estimate.
    let want = io_sdk::views::staking::estimated_net_apy_bps(600, 3, 500, 180).unwrap();
    assert_eq!(o["median_net_apy_bps"], json!(want));
    assert_eq!(o["operators_with_apy"], json!(1));
    assert_eq!(v["data"]["operators"]["total"], json!(3), "the network figures are still there");
}

async fn history_parameters_are_checked(db: TestDb) {
    let (app, n) = setup(&db).await;
    for (uri, param) in [
        ("/v1/network/history?bucket=week".to_owned(), "bucket"),
        ("/v1/network/history?from=-1".to_owned(), "from"),
        ("/v1/network/history?to=soon".to_owned(), "to"),
        ("/v1/network/history?to=253402300800".to_owned(), "to"),
        ("/v1/network/history?from=1&from=2".to_owned(), "from"),
        ("/v1/network/history?format=csv".to_owned(), "format"),
        ("/v1/network/history?limit=5".to_owned(), "limit"),
        (format!("/v1/operators/{}/history?bucket=", n.op_a), "bucket"),
        ("/v1/operators/0OIl/history".to_owned(), "address"),
        (format!("/v1/wallets/{}/rewards?format=xml", n.staker1), "format"),
        ("/v1/wallets/short/rewards".to_owned(), "address"),
        (format!("/v1/wallets/{}/rewards?cursor=x", n.staker1), "cursor"),
    ] {
        let (status, ct, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(ct.as_deref(), Some("application/json"), "{uri}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error"]["parameter"], json!(param), "{uri}: {body}");
    }
    // The widest range keeps its last 2,000 buckets.
    let v = ok(&app, &format!("/v1/network/history?from=0&to={B0}")).await;
    assert_eq!(v["data"]["points"].as_array().unwrap().len(), 2_000);
    assert_eq!(v["data"]["from"], json!(B0 - 1_999 * H));
}

/// The same batch committed twice leaves the history logs as they were (their rows are keyed by
/// event id, and projection runs only for new events).
async fn replaying_history_changes_nothing(db: TestDb) {
    let (n, more) = history();
    let mut batch = n.batch();
    batch.transactions.extend(more);
    let cursor =
        io_indexer::store::Cursor { program: "io_staking".into(), last_signature: sig(102), last_slot: 32 };
    db.store.commit_batch(&batch, &cursor).await.unwrap();
    let tables = ["stake_history", "device_status_history", "supply_history", "operator_rewards"];
    let mut before = Vec::new();
    for t in tables {
        before.push(crate::common::rows(&db.store, &format!("SELECT * FROM {t} ORDER BY event_id")).await);
    }
    db.store.commit_batch(&batch, &cursor).await.unwrap();
    for (t, b) in tables.iter().zip(&before) {
        let after = crate::common::rows(&db.store, &format!("SELECT * FROM {t} ORDER BY event_id")).await;
        assert_eq!(&after, b, "{t}");
    }
    // Staked ×4 (fixture 3 + 1), Unstaked, SlashExecuted; activations ×2 and a jailing; the
    // genesis mint and four burns; the fixture's reward to op_c and two report rewards.
    let counts: Vec<usize> = before.iter().map(Vec::len).collect();
    assert_eq!(counts, vec![6, 3, 5, 3]);
    let slash = before[0].iter().find(|r| r["kind"] == json!("slash")).unwrap();
    assert_eq!(
        (&slash["stake_before"], &slash["stake_after"], &slash["stake_delta"], &slash["staker"]),
        (&json!(200), &json!(180), &json!(-20), &Value::Null)
    );
}

dual!(history_reads_at_scale);

/// Seeds history by SQL — one stake change a minute, and a fifth as many burns, report rewards
/// and claims, a tenth as many device status changes — and checks that the widest series end at
/// the current figures and start from nothing; with `IO_HISTORY_SCALE=1`, a year of it (500,000
/// stake changes, 900,000 rows in all), and it prints the latency of each series (no timing
/// assertion: a shared machine). `IO_HISTORY_SCALE=1 cargo test -p io-indexer --test integrations
/// history_reads_at_scale -- --nocapture`.
async fn history_reads_at_scale(db: TestDb) {
    use io_indexer::store::conn::{Dialect, Stmt};
    let scale = std::env::var("IO_HISTORY_SCALE").is_ok();
    let n: i64 = if scale { 500_000 } else { 5_000 };
    let (op, staker) = (key(10).to_string(), key(40).to_string());
    // Rows i = 1 … count, one a minute from T0.
    let series = |count: i64| {
        match db.store.dialect() {
        Dialect::Sqlite => format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count}) SELECT i FROM n"
        ),
        Dialect::Postgres => format!("SELECT i FROM generate_series(1, {count}) AS g(i)"),
    }
    };
    let t0 = std::time::Instant::now();
    let seed = [
        format!(
            "INSERT INTO stake_history (event_id, signature, slot, block_time, operator, staker, kind, amount, \
             stake_before, stake_after, stake_delta, delegators_after) \
             SELECT i, 's' || i, i, {T0} + i * 60, CASE WHEN i % 1000 = 7 THEN '{op}' ELSE 'op' || (i % 1000) END, \
             NULL, 'staked', 100, i, i + 100, 100, 1 FROM ({}) AS n",
            series(n)
        ),
        format!(
            "INSERT INTO burns (event_id, signature, slot, block_time, reason, authority, source, amount) \
             SELECT i, 'b' || i, i, {T0} + i * 300, 'lease_fee', 'a', 'a', 5 FROM ({}) AS n",
            series(n / 5)
        ),
        format!(
            "INSERT INTO operator_rewards (event_id, signature, slot, block_time, operator, kind, period, amount, \
             commission, to_delegators) SELECT i, 'r' || i, i, {T0} + i * 300, \
             CASE WHEN i % 100 = 7 THEN '{op}' ELSE 'op' || (i % 100) END, 'report', i, 1000, 50, 950 FROM ({}) AS n",
            series(n / 5)
        ),
        format!(
            "INSERT INTO reward_claims (event_id, signature, slot, block_time, kind, operator, staker, amount, period) \
             SELECT i, 'c' || i, i, {T0} + i * 300, 'delegator', '{op}', \
             CASE WHEN i % 1000 = 7 THEN '{staker}' ELSE 'w' || (i % 1000) END, 3, NULL FROM ({}) AS n",
            series(n / 5)
        ),
        format!(
            "INSERT INTO device_status_history (event_id, signature, slot, block_time, device, operator, \
             status_before, status_after) SELECT i, 'd' || i, i, {T0} + i * 600, 'dev' || (i % 5000), \
             CASE WHEN i % 1000 = 7 THEN '{op}' ELSE 'op' || (i % 1000) END, \
             CASE WHEN i % 2 = 0 THEN 'active' ELSE 'jailed' END, CASE WHEN i % 2 = 0 THEN 'jailed' ELSE 'active' END \
             FROM ({}) AS n",
            series(n / 10)
        ),
        format!(
            // The current-state row the series count back from: every delta of 100 is in its stake.
            "INSERT INTO operators (address, name, commission_bps, stake_tokens, slot) VALUES ('{op}', 'alpha', 500, {}, 1)",
            100 * n
        ),
        format!("UPDATE sync_state SET indexed_slot = {n}, indexed_block_time = {} WHERE id = 1", T0 + n * 60),
    ];
    for sql in seed {
        db.store.exec(Stmt::new(sql)).await.unwrap();
    }
    if db.store.dialect() == Dialect::Postgres {
        db.store.exec(Stmt::new("ANALYZE")).await.unwrap();
    }
    eprintln!("seeded in {:?}", t0.elapsed());
    let feed = Feed::for_store(&db.store).await.unwrap();
    let app = app(AppState::new(db.store.clone(), feed));
    // The whole history, daily: from nothing to the current figures.
    let v = ok(&app, "/v1/network/history?bucket=day&from=0").await;
    let staked = col(&v, "staked");
    assert_eq!((staked.first(), staked.last()), (Some(&json!(0)), Some(&json!(100 * n))));
    let burned = col(&v, "burned_in_bucket").iter().map(|b| b.as_i64().unwrap()).sum::<i64>();
    assert_eq!(burned, 5 * (n / 5), "every burn in its bucket");
    let v = ok(&app, &format!("/v1/operators/{op}/history?bucket=day&from=0")).await;
    // The operator's last stake change is row i = n − 993 (i % 1000 = 7): stake_after i + 100.
    assert_eq!(col(&v, "stake").last(), Some(&json!(n - 993 + 100)));
    let rewards = col(&v, "rewards").iter().map(|b| b.as_i64().unwrap()).sum::<i64>();
    assert_eq!(rewards, 1_000 * (n / 5 / 100), "its report rewards (i % 100 = 7)");
    let v = ok(&app, &format!("/v1/wallets/{staker}/rewards?bucket=day&from=0")).await;
    assert_eq!(col(&v, "cumulative_claimed").last(), Some(&json!(3 * (n / 5 / 1_000))));
    if !scale {
        return;
    }
    let uris = [
        ("network, hourly, last 7 days (default)", "/v1/network/history".to_owned()),
        ("network, daily, last 90 days", "/v1/network/history?bucket=day".to_owned()),
        ("network, daily, all (348 days)", "/v1/network/history?bucket=day&from=0".to_owned()),
        ("operator, hourly, last 7 days", format!("/v1/operators/{op}/history")),
        ("operator, daily, all", format!("/v1/operators/{op}/history?bucket=day&from=0")),
        ("wallet rewards, daily, all", format!("/v1/wallets/{staker}/rewards?bucket=day&from=0")),
        ("wallet rewards CSV, all", format!("/v1/wallets/{staker}/rewards?bucket=day&from=0&format=csv")),
        ("network with overview", "/v1/network".to_owned()),
    ];
    eprintln!("\n| {:?} | p50 ms | max ms |\n|---|---:|---:|", db.store.dialect());
    for (name, uri) in uris {
        let mut ms = Vec::new();
        for _ in 0..15 {
            let t = std::time::Instant::now();
            let (status, _, _) = get(&app, &uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            ms.push(t.elapsed().as_secs_f64() * 1_000.0);
        }
        ms.sort_by(f64::total_cmp);
        eprintln!("| {name} | {:.1} | {:.1} |", ms[ms.len() / 2], ms[ms.len() - 1]);
    }
}
