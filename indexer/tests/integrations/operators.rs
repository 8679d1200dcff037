//! The operators table (`/v1/operators`: every sort both ways, the filters, offset and keyset
//! pages), the operator's provider page and the lease quote (`/v1/quote`), on the fixture network
//! plus a batch that jails a device, changes a commission, claims rewards against reports and
//! indexes io_escrow's config. SQLite and PostgreSQL.
use crate::common::fixtures::{ev, key, net, tx, Net};
use crate::common::TestDb;
use crate::dual;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use io_indexer::api::{app, AppState};
use io_indexer::decode::json::{Cx, ToJson};
use io_indexer::decode::Program;
use io_indexer::feed::Feed;
use io_indexer::store::{AccountSnapshot, Batch, Cursor};
use io_staking::state::DeviceStatus;
use serde_json::{json, Value};
use tower::ServiceExt;

dual!(
    operators_table_sorts_filters_and_pages,
    provider_page_has_bond_earnings_and_status,
    quote_prices_as_open_lease,
);

/// The escrow's config account as account sync stores it (2% USDC fee, none on $IO, minimum
/// deposits of one whole token).
fn escrow_config(n: &Net) -> AccountSnapshot {
    let config = io_escrow::state::EscrowConfig {
        admin: n.admin,
        pending_admin: Default::default(),
        paused: false,
        usdc_mint: n.usdc,
        io_mint: key(2),
        treasury_usdc: key(90),
        treasury_io: key(91),
        buyback_vault: key(92),
        usage_authority: n.admin,
        price_authority: n.admin,
        treasury_authority: n.admin,
        params: io_escrow::state::EscrowParams::defaults(6, 6),
        leases_opened: 1,
        fees_usdc: 0,
        fees_io: 0,
        paid_usdc: 0,
        paid_io: 0,
        refunded_usdc: 0,
        refunded_io: 0,
        buyback_usdc_spent: 0,
        buyback_io_burned: 0,
        buyback_count: 0,
        bump: 255,
    };
    AccountSnapshot {
        address: io_sdk::escrow::config().to_string(),
        program: Program::Escrow,
        account_type: "EscrowConfig".into(),
        slot: 30,
        state: config.to_json(&mut Cx::default()),
    }
}

fn reward(n: &Net, period: u64, amount: u64) -> io_indexer::decode::DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::OperatorRewardsClaimed {
            operator: n.op_a,
            period,
            cumulative: amount,
            amount,
            commission: 0,
            to_delegators: amount,
            commission_bps: 500,
            pool_shares: 200,
            reward_per_share_before: 0,
            reward_per_share_after: 0,
        },
    )
}

/// The fixture network, then: op_a requests a commission change (5% → 8%) and is paid twice
/// against reports (periods 5 and 9: the second paid for 4 periods); op_b's only device is jailed;
/// op_c asks for bond back.
async fn setup(db: &TestDb) -> (axum::Router, Net) {
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    let txs = vec![
        tx(
            100,
            30,
            vec![
                ev(
                    Program::Staking,
                    &io_staking::events::CommissionChangeRequested {
                        operator: n.op_a,
                        commission_bps: 500,
                        requested_bps: 800,
                        effective_ts: crate::common::fixtures::T0 + 30 + 2 * 86_400,
                    },
                ),
                reward(&n, 5, 1_000),
            ],
        ),
        tx(101, 31, vec![reward(&n, 9, 2_000)]),
        tx(
            102,
            32,
            vec![
                ev(
                    Program::Staking,
                    &io_staking::events::DeviceStatusChanged {
                        device: n.dev_b,
                        operator: n.op_b,
                        before: DeviceStatus::Active,
                        after: DeviceStatus::Jailed,
                        required_bond_before: 0,
                        required_bond_after: 0,
                        devices_active_after: 0,
                        ts: crate::common::fixtures::T0 + 32,
                    },
                ),
                ev(
                    Program::Staking,
                    &io_staking::events::BondChanged {
                        operator: n.op_c,
                        action: io_staking::events::BondAction::RequestWithdrawal,
                        amount: 10,
                        bond_before: 10,
                        bond_after: 0,
                        withdrawing_before: 0,
                        withdrawing_after: 10,
                        unlock_ts: crate::common::fixtures::T0 + 32 + 86_400,
                        required_bond: 0,
                    },
                ),
            ],
        ),
    ];
    let last = txs.last().unwrap().clone();
    let batch = Batch { expected: vec![], transactions: txs, accounts: vec![] };
    let cursor =
        Cursor { program: "io_staking".into(), last_signature: last.signature.clone(), last_slot: last.slot };
    db.store.commit_batch(&batch, &cursor).await.unwrap();
    db.store.set_chain_slot(40).await.unwrap();
    let feed = Feed::for_store(&db.store).await.unwrap();
    (app(AppState::new(db.store.clone(), feed)), n)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn ok(app: &axum::Router, uri: &str) -> Value {
    let (status, v) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {v}");
    v
}

async fn addrs(app: &axum::Router, uri: &str) -> Vec<String> {
    let v = ok(app, uri).await;
    v["data"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap().to_owned()).collect()
}

/// `(status, parameter)` of a refused request.
async fn refused(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let (status, v) = get(app, uri).await;
    (status, v["error"]["parameter"].as_str().unwrap_or("").to_owned())
}

async fn operators_table_sorts_filters_and_pages(db: TestDb) {
    let (app, n) = setup(&db).await;
    let (a, b, c) = (n.op_a.to_string(), n.op_b.to_string(), n.op_c.to_string());
    // Ties break by address in the sorted index's direction: a descending sort of an ascending
    // index lists equal rows by address descending.
    let (b_c, c_b) = if b < c {
        ([b.clone(), c.clone()], [c.clone(), b.clone()])
    } else {
        ([c.clone(), b.clone()], [b.clone(), c.clone()])
    };
    // Stake: a 200, b 150, c 0.
    assert_eq!(addrs(&app, "/v1/operators").await, [a.clone(), b.clone(), c.clone()]);
    assert_eq!(addrs(&app, "/v1/operators?order=asc").await, [c.clone(), b.clone(), a.clone()]);
    // Commission: b 3%, a 5% (8% requested, not yet in force), c 10%.
    assert_eq!(addrs(&app, "/v1/operators?sort=commission").await, [b.clone(), a.clone(), c.clone()]);
    assert_eq!(
        addrs(&app, "/v1/operators?sort=commission&order=desc").await,
        [c.clone(), a.clone(), b.clone()]
    );
    // Active GPUs: a 8; b's device is jailed, c's a pending CPU device: both 0.
    let gpus = addrs(&app, "/v1/operators?sort=gpus").await;
    assert_eq!(gpus, [vec![a.clone()], c_b.to_vec()].concat());
    assert_eq!(
        addrs(&app, "/v1/operators?sort=gpus&order=asc").await,
        [b_c.to_vec(), vec![a.clone()]].concat()
    );
    // Uptime: a 100% (its one live device active), b and c 0.
    assert_eq!(addrs(&app, "/v1/operators?sort=uptime").await, [vec![a.clone()], c_b.to_vec()].concat());
    // APY: only a has an estimate (it was paid); no estimate sorts last.
    assert_eq!(addrs(&app, "/v1/operators?sort=apy").await, [vec![a.clone()], c_b.to_vec()].concat());
    assert_eq!(
        addrs(&app, "/v1/operators?sort=apy&order=asc").await,
        [b_c.to_vec(), vec![a.clone()]].concat()
    );

    // Filters.
    assert_eq!(addrs(&app, "/v1/operators?status=active").await, [a.as_str()]);
    assert_eq!(addrs(&app, "/v1/operators?status=jailed").await, [b.as_str()]);
    assert_eq!(addrs(&app, "/v1/operators?status=exiting").await, [c.as_str()]);
    assert!(addrs(&app, "/v1/operators?status=inactive").await.is_empty());
    assert_eq!(addrs(&app, "/v1/operators?min_uptime=5000").await, [a.as_str()]);
    assert_eq!(addrs(&app, "/v1/operators?max_commission=400").await, [b.as_str()]);
    assert_eq!(addrs(&app, "/v1/operators?max_commission=500&sort=commission").await, [b.clone(), a.clone()]);
    assert_eq!(addrs(&app, "/v1/operators?q=ALP").await, [a.as_str()]);
    assert_eq!(addrs(&app, &format!("/v1/operators?q={}", &c[..12])).await, [c.as_str()]);
    assert!(addrs(&app, "/v1/operators?q=%25").await.is_empty(), "% is a literal, not a wildcard");
    // An address prefix is case-sensitive, as base58 is (SQLite's LIKE would not be).
    let lower = c[..12].to_lowercase();
    if lower != c[..12] {
        assert!(addrs(&app, &format!("/v1/operators?q={lower}")).await.is_empty(), "{lower}");
    }
    assert_eq!(addrs(&app, "/v1/operators?gpu_model=H100&sort=apy").await, [a.as_str()]);

    // Offset pages carry the filtered total.
    let v = ok(&app, "/v1/operators?limit=1&offset=1").await;
    assert_eq!(
        (v["total"].clone(), v["offset"].clone(), v["data"][0]["address"].clone()),
        (json!(3), json!(1), json!(b))
    );
    let v = ok(&app, "/v1/operators?limit=1&offset=5").await;
    assert_eq!((v["total"].clone(), v["data"].clone()), (json!(3), json!([])));
    assert_eq!(ok(&app, "/v1/operators?status=active").await["total"], json!(1));
    let v = ok(&app, "/v1/operators?sort=apy&limit=1").await;
    assert_eq!(v["next_cursor"], Value::Null, "apy pages by offset");

    // Keyset pages of one row list the same rows as one page, for each sort and order.
    for sort in ["stake", "commission", "gpus", "uptime"] {
        for order in ["asc", "desc"] {
            let base = format!("/v1/operators?limit=1&sort={sort}&order={order}");
            let (mut seen, mut uri) = (vec![], base.clone());
            loop {
                let v = ok(&app, &uri).await;
                seen.extend(
                    v["data"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap().to_owned()),
                );
                match v["next_cursor"].as_str() {
                    Some(cur) => uri = format!("{base}&cursor={cur}"),
                    None => break,
                }
            }
            let all = addrs(&app, &format!("/v1/operators?sort={sort}&order={order}")).await;
            assert_eq!(seen, all, "{sort} {order}");
        }
    }
    // A cursor is good for its own sort and order only.
    let cur = ok(&app, "/v1/operators?limit=1&sort=gpus").await["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(refused(&app, &format!("/v1/operators?sort=gpus&order=asc&cursor={cur}")).await.1, "cursor");

    // The row's figures.
    let rows = ok(&app, "/v1/operators").await;
    let ra = &rows["data"][0];
    assert_eq!(ra["gpu_models"], json!(["H100"]));
    assert_eq!(
        (ra["gpus_active"].clone(), ra["uptime_bps"].clone(), ra["status"].clone()),
        (json!(8), json!(10_000), json!("active"))
    );
    assert_eq!((ra["reward_last_amount"].clone(), ra["reward_last_span"].clone()), (json!(2_000), json!(4)));
    // ⌊(2,000 − ⌈5% of 2,000⌉) × 8,760 × 10⁴ / (4 × 200)⌋, as io_sdk computes it.
    let apy = io_sdk::views::staking::estimated_net_apy_bps(2_000, 4, 500, 200);
    assert_eq!(apy, Some(1_900 * 8_760 * 10_000 / 800));
    assert_eq!(ra["est_net_apy_bps"], json!(apy));
    assert_eq!(ra["commission_changed_7d"], json!(true));
    let rb = &rows["data"][1];
    assert_eq!(
        (rb["status"].clone(), rb["uptime_bps"].clone(), rb["devices_jailed"].clone()),
        (json!("jailed"), json!(0), json!(1))
    );
    assert_eq!(
        (rb["est_net_apy_bps"].clone(), rb["commission_changed_7d"].clone()),
        (Value::Null, json!(false))
    );
    assert_eq!(rb["gpu_models"], json!(["RTX4090"]));

    // Bad parameters are 400s naming them.
    for (uri, param) in [
        ("/v1/operators?sort=fame", "sort"),
        ("/v1/operators?order=up", "order"),
        ("/v1/operators?status=busy", "status"),
        ("/v1/operators?min_uptime=10001", "min_uptime"),
        ("/v1/operators?max_commission=x", "max_commission"),
        ("/v1/operators?offset=1000001", "offset"),
        ("/v1/operators?sort=apy&cursor=abc", "cursor"),
        ("/v1/operators?q=", "q"),
    ] {
        assert_eq!(refused(&app, uri).await, (StatusCode::BAD_REQUEST, param.to_owned()), "{uri}");
    }
}

async fn provider_page_has_bond_earnings_and_status(db: TestDb) {
    let (app, n) = setup(&db).await;
    let v = ok(&app, &format!("/v1/operators/{}", n.op_a)).await;
    let d = &v["data"];
    assert_eq!(d["status"], json!("active"));
    assert_eq!((d["commission_bps"].clone(), d["pending_commission_bps"].clone()), (json!(500), json!(800)));
    assert_eq!(d["commission_changed_7d"], json!(true));
    let bond = &d["bond_status"];
    let (posted, required) = (bond["posted"].as_u64().unwrap(), bond["required"].as_u64().unwrap());
    assert_eq!(posted, 16_000);
    assert_eq!(bond["free"], json!(io_sdk::views::staking::bond_free(posted, required)));
    assert_eq!(bond["covered"], json!(posted >= required));
    assert_eq!(
        d["earnings"],
        json!({ "rewards_allotted": 3_000, "commission_claimed": 0, "delegator_rewards_claimed": 7 })
    );
    assert_eq!(d["devices"][0]["status"], json!("active"));
    assert_eq!(d["delegator_count"], json!(1));
    let hist = d["commission_history"].as_array().unwrap();
    assert_eq!(hist.last().unwrap()["requested_bps"], json!(800));
    let c = ok(&app, &format!("/v1/operators/{}", n.op_c)).await;
    assert_eq!(
        (c["data"]["status"].clone(), c["data"]["slashes"][0]["amount"].clone()),
        (json!("exiting"), json!(500))
    );
    let b = ok(&app, &format!("/v1/operators/{}", n.op_b)).await;
    assert_eq!(
        (b["data"]["status"].clone(), b["data"]["devices"][0]["status"].clone()),
        (json!("jailed"), json!("jailed"))
    );
}

async fn quote_prices_as_open_lease(db: TestDb) {
    // Before io_escrow's config is indexed a quote cannot be made (503), though a device that
    // does not exist is still a 404.
    let (app, n) = setup(&db).await;
    let missing = key(200);
    assert_eq!(
        refused(&app, &format!("/v1/quote?devices={}&hours=1&currency=usdc", n.dev_a)).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        refused(&app, &format!("/v1/quote?devices={missing}&hours=1&currency=usdc")).await,
        (StatusCode::NOT_FOUND, "devices".to_owned())
    );

    // Then the config is indexed; dev_b, jailed by the setup batch, is re-activated and priced in
    // $IO too.
    let reactivate = tx(
        103,
        33,
        vec![
            ev(
                Program::Staking,
                &io_staking::events::DeviceStatusChanged {
                    device: n.dev_b,
                    operator: n.op_b,
                    before: DeviceStatus::Jailed,
                    after: DeviceStatus::Active,
                    required_bond_before: 0,
                    required_bond_after: 0,
                    devices_active_after: 1,
                    ts: crate::common::fixtures::T0 + 33,
                },
            ),
            ev(
                Program::Escrow,
                &io_escrow::events::OfferPosted {
                    offer: n.offer_b,
                    operator: n.op_b,
                    device: n.dev_b,
                    price_usdc_per_hour: 500_000,
                    price_io_per_hour: 3_000_000,
                    min_hours: 1,
                    max_hours: 720,
                },
            ),
        ],
    );
    let cursor =
        Cursor { program: "io_staking".into(), last_signature: reactivate.signature.clone(), last_slot: 33 };
    let batch = Batch { expected: vec![], transactions: vec![reactivate], accounts: vec![escrow_config(&n)] };
    db.store.commit_batch(&batch, &cursor).await.unwrap();

    // USDC: 0.5 USDC an hour for 10 hours, and the 2% fee reserved on it, rounded up.
    let v = ok(&app, &format!("/v1/quote?devices={}&hours=10&currency=usdc", n.dev_b)).await;
    let q = &v["data"];
    let sdk = io_sdk::views::DepositQuote::new(&[500_000], 10, 200).unwrap();
    assert_eq!((sdk.base, sdk.fee_reserve, sdk.total), (5_000_000, 100_000, 5_100_000));
    assert_eq!(
        (q["escrow"].clone(), q["fee"].clone(), q["total"].clone(), q["fee_bps"].clone()),
        (json!(sdk.base), json!(sdk.fee_reserve), json!(sdk.total), json!(200))
    );
    assert_eq!(q["payment_mint"], json!(n.usdc.to_string()));
    assert_eq!(
        q["devices"],
        json!([{ "device": n.dev_b.to_string(), "operator": n.op_b.to_string(), "offer": n.offer_b.to_string(),
                 "price_per_hour": 500_000, "escrow": 5_000_000 }])
    );
    // $IO: no fee.
    let v = ok(&app, &format!("/v1/quote?devices={}&hours=2&currency=io", n.dev_b)).await;
    assert_eq!(
        (
            v["data"]["escrow"].clone(),
            v["data"]["fee"].clone(),
            v["data"]["total"].clone(),
            v["data"]["fee_bps"].clone()
        ),
        (json!(6_000_000), json!(0), json!(6_000_000), json!(0))
    );

    // What open_lease would refuse, named.
    for (uri, status, param) in [
        // dev_a is held by the fixture's lease until long after the indexed chain time.
        (format!("/v1/quote?devices={}&hours=10&currency=usdc", n.dev_a), StatusCode::BAD_REQUEST, "devices"),
        (
            format!("/v1/quote?devices={},{}&hours=10&currency=usdc", n.dev_b, n.dev_b),
            StatusCode::BAD_REQUEST,
            "devices",
        ),
        // dev_c is a pending device without an offer.
        (format!("/v1/quote?devices={}&hours=10&currency=usdc", n.dev_c), StatusCode::BAD_REQUEST, "devices"),
        (
            format!("/v1/quote?devices={},{missing}&hours=10&currency=usdc", n.dev_b),
            StatusCode::NOT_FOUND,
            "devices",
        ),
        (format!("/v1/quote?devices={}&hours=721&currency=usdc", n.dev_b), StatusCode::BAD_REQUEST, "hours"),
        // 0.51 USDC is below the one-USDC minimum deposit.
        (format!("/v1/quote?devices={}&hours=1&currency=usdc", n.dev_b), StatusCode::BAD_REQUEST, "hours"),
        (format!("/v1/quote?devices={}&hours=0&currency=usdc", n.dev_b), StatusCode::BAD_REQUEST, "hours"),
        (format!("/v1/quote?devices={}&hours=10&currency=eur", n.dev_b), StatusCode::BAD_REQUEST, "currency"),
        (format!("/v1/quote?devices={}&hours=10", n.dev_b), StatusCode::BAD_REQUEST, "currency"),
        ("/v1/quote?hours=10&currency=usdc".to_owned(), StatusCode::BAD_REQUEST, "devices"),
        ("/v1/quote?devices=xyz&hours=10&currency=usdc".to_owned(), StatusCode::BAD_REQUEST, "devices"),
    ] {
        assert_eq!(refused(&app, &uri).await, (status, param.to_owned()), "{uri}");
    }
}
