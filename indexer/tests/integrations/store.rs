//! The store on SQLite and PostgreSQL: projections, idempotency, the cursor and its gaps, slot
//! guards, finality.
use crate::common::fixtures::{cursor_at, ev, failed, key, net, sig, tx, T0};
use crate::common::{rows, snapshot, TestDb};
use crate::dual;
use io_indexer::decode::Program;
use io_indexer::store::{AccountSnapshot, Batch, Cursor, SigRef};
use serde_json::json;

dual!(
    commit_projects_the_network,
    same_batch_twice_changes_nothing,
    cursor_never_moves_past_a_gap,
    cursor_never_moves_back,
    older_slots_never_overwrite_newer_rows,
    finality_is_promoted_by_slot,
    withdrawal_pays_matured_tickets,
    account_snapshots_alone,
    u64_values_round_trip_and_order,
    event_ids_survive_a_rebuild,
    supply_figures_are_the_sdk_views,
);

async fn commit_projects_the_network(db: TestDb) {
    let s = &db.store;
    let n = net();
    let out = s.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    assert_eq!(out.events_inserted as usize, n.event_count());
    assert_eq!(out.transactions_inserted as usize, n.txs.len());
    assert_eq!(out.cursor, Some(n.cursor()));
    assert_eq!(out.gap, None);
    let sync = s.sync_state().await.unwrap();
    assert_eq!((sync.indexed_slot, sync.indexed_block_time), (21, Some(T0 + 21)));
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(n.cursor()));

    let failed = rows(
        s,
        &format!("SELECT success, err, event_count FROM transactions WHERE signature = '{}'", sig(6)),
    )
    .await;
    assert_eq!(failed[0]["success"], json!(false));
    assert!(failed[0]["err"].as_str().unwrap().contains("Custom"));

    let a = &rows(s, &format!("SELECT * FROM operators WHERE address = '{}'", n.op_a)).await[0];
    assert_eq!(
        (&a["name"], &a["region"], &a["commission_bps"], &a["bond"]),
        (&json!("alpha"), &json!("eu-west"), &json!(500), &json!(16_000))
    );
    assert_eq!(
        (&a["stake_tokens"], &a["stake_shares"], &a["delegator_count"]),
        (&json!(200), &json!(200), &json!(1))
    );
    assert_eq!(
        (&a["unbonding_tokens"], &a["devices_active"], &a["slot"]),
        (&json!(100), &json!(1), &json!(19))
    );

    let d = &rows(s, &format!("SELECT * FROM devices WHERE address = '{}'", n.dev_a)).await[0];
    assert_eq!(
        (&d["status"], &d["class"], &d["green"], &d["vram_gb"]),
        (&json!("active"), &json!("datacenter_gpu"), &json!(true), &json!(80))
    );

    let p = rows(s, "SELECT operator, staker, shares FROM positions ORDER BY operator, staker").await;
    assert_eq!(p.len(), 3);
    let p2 = rows(s, &format!("SELECT shares FROM positions WHERE staker = '{}'", n.staker2)).await;
    assert_eq!(p2[0]["shares"], json!(0));
    let t = rows(s, "SELECT operator, staker, amount, withdrawn_slot FROM unstake_tickets").await;
    assert_eq!((t.len(), &t[0]["amount"], &t[0]["withdrawn_slot"]), (1, &json!(100), &json!(null)));

    let sup = &rows(s, "SELECT * FROM supply").await[0];
    assert_eq!(
        (&sup["total_minted"], &sup["total_burned"], &sup["supply"], &sup["emitted"], &sup["decimals"]),
        (&json!(500_000_000), &json!(65), &json!(500_000_000 - 65), &json!(9_122), &json!(6))
    );
    assert_eq!(
        (&sup["burned_buyback"], &sup["burned_slash"], &sup["burned_other"], &sup["burned_lease_fee"]),
        (&json!(50), &json!(10), &json!(5), &json!(0))
    );
    let burns = rows(s, "SELECT reason, amount FROM burns ORDER BY event_id").await;
    assert_eq!(
        burns.iter().map(|b| b["reason"].as_str().unwrap()).collect::<Vec<_>>(),
        ["buyback", "slash", "other"]
    );

    let l = &rows(s, &format!("SELECT * FROM leases WHERE address = '{}'", n.lease)).await[0];
    assert_eq!(
        (&l["status"], &l["paid"], &l["fees"], &l["deposit"]),
        (&json!("open"), &json!(1_000_000), &json!(20_000), &json!(20_400_000))
    );
    let ld = rows(s, "SELECT * FROM lease_devices").await;
    assert_eq!(
        (ld.len(), &ld[0]["attested_seconds"], &ld[0]["rate_per_hour"]),
        (1, &json!(1_800), &json!(2_000_000))
    );
    let off = &rows(s, &format!("SELECT * FROM offers WHERE device = '{}'", n.dev_a)).await[0];
    assert_eq!(
        (&off["lease"], &off["leased_until"], &off["address"]),
        (&json!(n.lease.to_string()), &json!(T0 + 16 + 36_000), &json!(n.offer_a.to_string()))
    );
    assert_eq!(rows(s, "SELECT * FROM settlements").await.len(), 1);
    assert_eq!(rows(s, "SELECT amount FROM fees").await[0]["amount"], json!(20_000));
    assert_eq!(rows(s, "SELECT io_burned FROM buybacks").await[0]["io_burned"], json!(50));
    assert_eq!(rows(s, "SELECT minted FROM emissions").await[0]["minted"], json!(9_122));

    // The report was posted by an event and certified by the later account snapshot.
    let r = &rows(s, "SELECT * FROM reports").await[0];
    assert_eq!(
        (&r["status"], &r["signers"], &r["period"], &r["slot"]),
        (&json!("certified"), &json!(3), &json!(5), &json!(22))
    );
    let set = &rows(s, "SELECT * FROM oracle_set").await[0];
    assert_eq!(set["members"], json!([n.oracle.to_string(), key(62).to_string(), key(63).to_string()]));
    assert_eq!(rows(s, "SELECT status FROM slashes").await[0]["status"], json!("pending"));
    assert_eq!(rows(s, "SELECT account_type FROM accounts").await[0]["account_type"], json!("Report"));

    // Every event names its accounts.
    let mentions =
        rows(s, &format!("SELECT COUNT(*) AS n FROM event_accounts WHERE account = '{}'", n.staker1)).await;
    assert_eq!(mentions[0]["n"], json!(4));
    let o = rows(s, "SELECT bond FROM oracles").await;
    assert_eq!(o[0]["bond"], json!(1_000));
    let claims = rows(s, "SELECT kind, amount FROM reward_claims").await;
    assert_eq!((&claims[0]["kind"], &claims[0]["amount"]), (&json!("delegator"), &json!(7)));
}

async fn same_batch_twice_changes_nothing(db: TestDb) {
    let s = &db.store;
    let n = net();
    s.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    let first = snapshot(s).await;
    let again = s.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    assert_eq!((again.events_inserted, again.transactions_inserted), (0, 0));
    assert_eq!(snapshot(s).await, first);
    // Replaying any part, in pieces, is a no-op too.
    for t in n.txs.iter().rev() {
        let b = Batch { expected: vec![], transactions: vec![t.clone()], accounts: n.accounts.clone() };
        s.commit_batch(&b, &cursor_at(t)).await.unwrap();
    }
    assert_eq!(snapshot(s).await, first);
    let counts: Vec<usize> = first.iter().map(|(_, c, _)| *c).collect();
    assert!(counts.iter().all(|c| *c > 0), "every table has rows: {first:?}");
}

async fn cursor_never_moves_past_a_gap(db: TestDb) {
    let s = &db.store;
    let e = |i: u64| {
        ev(Program::Staking, &io_staking::events::CommissionClaimed { operator: key(10), amount: i })
    };
    let (a, b, c, d) = (
        tx(101, 100, vec![e(1)]),
        tx(102, 101, vec![e(2)]),
        tx(103, 102, vec![e(3)]),
        tx(104, 103, vec![e(4)]),
    );
    let expected: Vec<SigRef> =
        [&a, &b, &c, &d].iter().map(|t| SigRef { signature: t.signature.clone(), slot: t.slot }).collect();

    // The source listed a, b, c, d; c could not be fetched.
    let batch = Batch {
        expected: expected.clone(),
        transactions: vec![a.clone(), b.clone(), d.clone()],
        accounts: vec![],
    };
    let out = s.commit_batch(&batch, &cursor_at(&d)).await.unwrap();
    assert_eq!(out.cursor, Some(cursor_at(&b)));
    assert_eq!(out.gap, Some(c.signature.clone()));
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(cursor_at(&b)));
    assert_eq!(s.sync_state().await.unwrap().indexed_slot, 101);
    // d's rows are stored (idempotently) even though the cursor waits before c.
    assert_eq!(rows(s, "SELECT COUNT(*) AS n FROM reward_claims").await[0]["n"], json!(3));

    // A batch that still lacks c leaves the cursor where it is.
    let out = s
        .commit_batch(
            &Batch { expected: expected[2..].to_vec(), transactions: vec![d.clone()], accounts: vec![] },
            &cursor_at(&d),
        )
        .await
        .unwrap();
    assert_eq!((out.cursor, out.gap.as_deref()), (None, Some(c.signature.as_str())));
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(cursor_at(&b)));

    // A cursor naming a signature stored nowhere is a gap too.
    let ghost = Cursor { program: "io_staking".into(), last_signature: sig(999), last_slot: 200 };
    let out = s.commit_batch(&Batch::default(), &ghost).await.unwrap();
    assert_eq!(out.cursor, None);
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(cursor_at(&b)));

    // Once c arrives the cursor moves over the stored d.
    let out = s
        .commit_batch(
            &Batch { expected: expected[2..].to_vec(), transactions: vec![c.clone()], accounts: vec![] },
            &cursor_at(&d),
        )
        .await
        .unwrap();
    assert_eq!((out.cursor, out.gap), (Some(cursor_at(&d)), None));
    assert_eq!(s.sync_state().await.unwrap().indexed_slot, 103);
    assert_eq!(rows(s, "SELECT COUNT(*) AS n FROM reward_claims").await[0]["n"], json!(4));

    // A gap at the very start: nothing moves.
    let (x, y) = (tx(105, 104, vec![e(5)]), tx(106, 105, vec![e(6)]));
    let exp = vec![
        SigRef { signature: x.signature.clone(), slot: 104 },
        SigRef { signature: y.signature.clone(), slot: 105 },
    ];
    let out = s
        .commit_batch(
            &Batch { expected: exp, transactions: vec![y.clone()], accounts: vec![] },
            &cursor_at(&y),
        )
        .await
        .unwrap();
    assert_eq!((out.cursor, out.gap), (None, Some(x.signature.clone())));
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(cursor_at(&d)));
}

async fn cursor_never_moves_back(db: TestDb) {
    let s = &db.store;
    let e = ev(Program::Staking, &io_staking::events::CommissionClaimed { operator: key(10), amount: 1 });
    let (new, old) = (tx(201, 300, vec![e.clone()]), tx(202, 250, vec![e]));
    s.commit_batch(&Batch { transactions: vec![new.clone()], ..Batch::default() }, &cursor_at(&new))
        .await
        .unwrap();
    let out = s
        .commit_batch(&Batch { transactions: vec![old.clone()], ..Batch::default() }, &cursor_at(&old))
        .await
        .unwrap();
    assert_eq!(out.cursor, None);
    assert_eq!(s.cursor("io_staking").await.unwrap(), Some(cursor_at(&new)));
    assert_eq!(s.sync_state().await.unwrap().indexed_slot, 300);
    // The old transaction's rows are still stored.
    assert_eq!(rows(s, "SELECT COUNT(*) AS n FROM transactions").await[0]["n"], json!(2));
}

fn operator_state(stake_tokens: u64, delegators: u32) -> serde_json::Value {
    json!({
        "authority": key(100).to_string(), "name": "alpha", "region": "eu-west", "metadata_url": "",
        "commission_bps": 500, "pending_commission_bps": 0, "commission_effective_ts": 0, "bond": 5,
        "bond_withdrawing": 0, "bond_unlock_ts": 0, "required_bond": 0, "devices_active": 0,
        "stake_shares": stake_tokens, "stake_tokens": stake_tokens, "unbonding_tokens": 0,
        "reward_per_share": "0", "commission_claimable": 0, "delegator_count": delegators,
        "slash_count": 0, "total_slashed": 0, "registered_ts": T0,
    })
}

async fn older_slots_never_overwrite_newer_rows(db: TestDb) {
    let s = &db.store;
    let op = key(10);
    let snap = |slot: u64, tokens: u64| AccountSnapshot {
        address: op.to_string(),
        program: Program::Staking,
        account_type: "Operator".into(),
        slot,
        state: operator_state(tokens, 7),
    };
    s.commit_accounts(&[snap(100, 1_000)]).await.unwrap();
    let staked = |tokens: u64| {
        ev(
            Program::Staking,
            &io_staking::events::Staked {
                operator: op,
                staker: key(40),
                amount: 1,
                shares_minted: 1,
                position_shares_after: 1,
                pool_shares_after: tokens,
                pool_tokens_before: tokens - 1,
                pool_tokens_after: tokens,
                delegator_count_after: 1,
            },
        )
    };
    // An event from slot 90 arrives after the slot-100 snapshot: it changes nothing.
    let old = tx(301, 90, vec![staked(900)]);
    s.commit_batch(&Batch { transactions: vec![old.clone()], ..Batch::default() }, &cursor_at(&old))
        .await
        .unwrap();
    let get =
        || async { rows(s, "SELECT stake_tokens, delegator_count, slot FROM operators").await.remove(0) };
    let r = get().await;
    assert_eq!(
        (&r["stake_tokens"], &r["delegator_count"], &r["slot"]),
        (&json!(1_000), &json!(7), &json!(100))
    );
    // An older snapshot neither.
    s.commit_accounts(&[snap(95, 5)]).await.unwrap();
    assert_eq!(get().await["stake_tokens"], json!(1_000));
    let acct = rows(s, "SELECT slot FROM accounts").await;
    assert_eq!(acct[0]["slot"], json!(100));
    // A newer event does.
    let new = tx(302, 110, vec![staked(1_100)]);
    s.commit_batch(&Batch { transactions: vec![new.clone()], ..Batch::default() }, &cursor_at(&new))
        .await
        .unwrap();
    let r = get().await;
    assert_eq!(
        (&r["stake_tokens"], &r["delegator_count"], &r["slot"]),
        (&json!(1_100), &json!(1), &json!(110))
    );
    // Inside one batch the newest event of a row wins, whatever the order given.
    let (e1, e2) = (tx(303, 120, vec![staked(1_200)]), tx(304, 121, vec![staked(1_210)]));
    s.commit_batch(&Batch { transactions: vec![e2.clone(), e1], ..Batch::default() }, &cursor_at(&e2))
        .await
        .unwrap();
    assert_eq!(get().await["stake_tokens"], json!(1_210));
}

async fn finality_is_promoted_by_slot(db: TestDb) {
    let s = &db.store;
    let n = net();
    s.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    assert_eq!(rows(s, "SELECT COUNT(*) AS n FROM events WHERE finalized = TRUE").await[0]["n"], json!(0));
    let promoted = s.promote_finalized(14).await.unwrap();
    let upto14: usize =
        n.txs.iter().filter(|t| t.slot <= 14 && t.err.is_none()).map(|t| t.events.len()).sum();
    assert_eq!(promoted as usize, upto14);
    assert_eq!(
        rows(s, "SELECT COUNT(*) AS n FROM transactions WHERE finalized = TRUE").await[0]["n"],
        json!(5)
    );
    s.promote_finalized(12).await.unwrap();
    assert_eq!(s.sync_state().await.unwrap().finalized_slot, 14);
    s.set_chain_slot(40).await.unwrap();
    s.set_chain_slot(30).await.unwrap();
    assert_eq!(s.sync_state().await.unwrap().chain_slot, 40);
    // Rows written below the finalized slot are stored as final.
    let late = tx(
        401,
        13,
        vec![ev(Program::Staking, &io_staking::events::CommissionClaimed { operator: key(10), amount: 3 })],
    );
    s.commit_batch(&Batch { transactions: vec![late.clone()], ..Batch::default() }, &cursor_at(&late))
        .await
        .unwrap();
    let r = rows(s, &format!("SELECT finalized FROM events WHERE signature = '{}'", late.signature)).await;
    assert_eq!(r[0]["finalized"], json!(true));
    s.mark_caught_up(35, Some(T0 + 35)).await.unwrap();
    assert_eq!(s.sync_state().await.unwrap().indexed_slot, 35);
}

async fn withdrawal_pays_matured_tickets(db: TestDb) {
    let s = &db.store;
    let (op, st) = (key(10), key(40));
    let unstake = |unlock: i64| {
        ev(
            Program::Staking,
            &io_staking::events::Unstaked {
                operator: op,
                staker: st,
                amount: 10,
                shares_burned: 10,
                unbonding_shares_minted: 10,
                unlock_ts: unlock,
                position_shares_after: 100,
                pool_shares_after: 100,
                pool_tokens_before: 110,
                pool_tokens_after: 100,
                unbonding_tokens_after: 10,
                delegator_count_after: 1,
            },
        )
    };
    let withdraw = ev(
        Program::Staking,
        &io_staking::events::Withdrawn {
            operator: op,
            staker: st,
            amount: 10,
            unbonding_shares_burned: 10,
            unbonding_tokens_after: 10,
        },
    );
    // Two unstakes maturing at T0+100 and T0+10_000, a withdrawal at slot 500 (time T0+500).
    let txs = vec![
        tx(501, 50, vec![unstake(T0 + 100)]),
        tx(502, 60, vec![unstake(T0 + 10_000)]),
        tx(503, 500, vec![withdraw]),
        failed(504, 501),
    ];
    let cur = cursor_at(&txs[2]);
    s.commit_batch(&Batch { transactions: txs, ..Batch::default() }, &cur).await.unwrap();
    let t = rows(s, "SELECT unlock_ts, withdrawn_slot FROM unstake_tickets ORDER BY unlock_ts").await;
    assert_eq!((&t[0]["withdrawn_slot"], &t[1]["withdrawn_slot"]), (&json!(500), &json!(null)));
}

async fn account_snapshots_alone(db: TestDb) {
    let s = &db.store;
    let n = net();
    s.commit_accounts(&n.accounts).await.unwrap();
    let r = rows(s, "SELECT status, period FROM reports").await;
    assert_eq!((&r[0]["status"], &r[0]["period"]), (&json!("certified"), &json!(5)));
    // No cursor, no indexed slot from snapshots alone.
    assert_eq!(s.sync_state().await.unwrap().indexed_slot, 0);
    assert_eq!(s.cursor("io_staking").await.unwrap(), None);
}

/// A u64 above i64::MAX goes in through an event and comes back exact through the store's read
/// (the offer price used to be clamped to 9223372036854775807), and orders as a number.
async fn u64_values_round_trip_and_order(db: TestDb) {
    let s = &db.store;
    let (op, authority) = (key(90), key(91));
    let mut events = vec![ev(
        Program::Staking,
        &io_staking::events::OperatorRegistered {
            operator: op,
            authority,
            name: "big".into(),
            region: "eu-west".into(),
            metadata_url: String::new(),
            commission_bps: 0,
            ts: T0,
        },
    )];
    let prices = [u64::MAX, 5, i64::MAX as u64 + 1, i64::MAX as u64];
    for (i, price) in prices.iter().enumerate() {
        let device = key(100 + i as u8);
        events.push(ev(
            Program::Staking,
            &io_staking::events::DeviceRegistered {
                device,
                operator: op,
                id_hash: [0; 32],
                gpu_model: "H100".into(),
                gpu_count: 1,
                vram_gb: 80,
                region: "eu-west".into(),
                green: false,
                class: io_staking::state::HardwareClass::DatacenterGpu,
                ts: T0,
            },
        ));
        events.push(ev(
            Program::Escrow,
            &io_escrow::events::OfferPosted {
                offer: key(110 + i as u8),
                operator: op,
                device,
                price_usdc_per_hour: *price,
                price_io_per_hour: u64::MAX - i as u64,
                min_hours: 1,
                max_hours: 2,
            },
        ));
    }
    let t = tx(1, 10, events);
    s.commit_batch(&Batch { transactions: vec![t.clone()], ..Batch::default() }, &cursor_at(&t))
        .await
        .unwrap();
    let (_, detail) = s.operator(&op.to_string()).await.unwrap();
    let devices = detail.unwrap()["devices"].clone();
    let mut got: Vec<u64> =
        devices.as_array().unwrap().iter().map(|d| d["price_usdc_per_hour"].as_u64().unwrap()).collect();
    got.sort_unstable();
    let mut want = prices.to_vec();
    want.sort_unstable();
    assert_eq!(got, want);
    // The event's payload and the current-state row agree.
    let payload = rows(s, "SELECT payload FROM events WHERE event_name = 'OfferPosted' ORDER BY id").await;
    assert!(payload.iter().any(|r| r["payload"]["price_usdc_per_hour"] == json!(u64::MAX)));
    let ordered = rows(s, "SELECT price_usdc_per_hour AS p FROM offers ORDER BY price_usdc_per_hour").await;
    assert_eq!(ordered.iter().map(|r| r["p"].as_u64().unwrap()).collect::<Vec<_>>(), want);
    let above =
        rows(s, &format!("SELECT COUNT(*) AS n FROM offers WHERE price_usdc_per_hour > {}", i64::MAX)).await;
    assert_eq!(above[0]["n"], json!(2));
}

/// Event ids come from chain positions: indexing the same transactions again from scratch, in
/// other batches and another order, gives every event the same id.
async fn event_ids_survive_a_rebuild(db: TestDb) {
    let ids = |s: &io_indexer::store::Store| {
        let s = s.clone();
        async move {
            rows(&s, "SELECT id, signature, ix_path, event_index FROM events ORDER BY id")
                .await
                .into_iter()
                .map(|r| serde_json::Value::Object(r).to_string())
                .collect::<Vec<_>>()
        }
    };
    let n = net();
    db.store.commit_batch(&n.batch(), &n.cursor()).await.unwrap();
    let first = ids(&db.store).await;
    assert_eq!(first.len(), n.event_count());
    // The rebuild: a fresh database of the same kind, one transaction per batch, newest first.
    let again = match db.store.dialect() {
        io_indexer::store::conn::Dialect::Sqlite => crate::common::sqlite().await,
        io_indexer::store::conn::Dialect::Postgres => crate::common::postgres().await,
    };
    for t in n.txs.iter().rev() {
        let b = Batch { transactions: vec![t.clone()], ..Batch::default() };
        again.store.commit_batch(&b, &cursor_at(t)).await.unwrap();
    }
    assert_eq!(ids(&again.store).await, first);
    // Ids order events by slot: the newest event has the largest id.
    let newest = rows(&db.store, "SELECT slot FROM events ORDER BY id DESC LIMIT 1").await;
    let top = rows(&db.store, "SELECT MAX(slot) AS slot FROM events").await;
    assert_eq!(newest[0]["slot"], top[0]["slot"]);
}

/// Circulating supply and the next emission are io_sdk's one definition of each (the indexer used
/// its own: allocation − released + emitted − withdrawn, and an unclipped hour amount).
async fn supply_figures_are_the_sdk_views(db: TestDb) {
    let s = &db.store;
    // Genesis not complete (minted ≠ Σ allocations + emitted), the last hour of a month, and the
    // cap 5 base units away.
    let state = json!({
        "decimals": 9, "max_supply": 1_000_005, "total_minted": 1_000_000, "total_burned": 30,
        "burned": [10, 20, 0, 0], "allocations": [400_000, 300_000, 0, 0, 0],
        "released": [1_000, 2_000, 0, 0, 0], "rewards_withdrawn": 500,
        "emission": {"start_ts": T0, "next_hour": 729, "month_amount": 730 * 5 + 3, "emitted": 9_000},
        "params": {"first_month_emission": 730 * 5 + 3, "decay_bps": 100},
    });
    let snap = AccountSnapshot {
        address: key(200).to_string(),
        program: Program::Token,
        account_type: "TokenConfig".into(),
        slot: 5,
        state: state.clone(),
    };
    s.commit_accounts(&[snap]).await.unwrap();
    let (_, supply) = s.supply().await.unwrap();
    let counters: io_sdk::views::token::SupplyCounters = serde_json::from_value(state).unwrap();
    assert_eq!(supply["circulating"], json!(1_000 + 2_000 + 500 - 30));
    assert_eq!(supply["circulating"], json!(io_sdk::views::token::circulating(&counters).unwrap()));
    let next = io_sdk::views::token::next_emission(&counters).unwrap();
    assert_eq!(supply["emission_schedule"]["next_hour_amount"], json!(5));
    assert_eq!(supply["emission_schedule"]["next_hour_amount"], json!(next.amount));
    assert_eq!(supply["emission_schedule"]["next_hour_ts"], json!(next.starts_ts));
}
