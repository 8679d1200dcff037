//! Ingest and query benchmark: `cargo bench -p io-indexer --bench ingest [-- --events N --db sqlite]`.
//!
//! For SQLite (a file, WAL) and PostgreSQL (`DATABASE_URL`, or a local server started from the
//! machine's packages with fsync on): synthetic decoded transactions — the programs' own event
//! structs, encoded as `emit_cpi!` data and decoded by the indexer's table, in a realistic mix
//! over 1,000 operators, 5,000 devices, 50,000 stakers and 2,000 leases — are committed in
//! batches through `Store::commit_batch` (rows, accounts index, projections, cursor: one database
//! transaction per batch). In the same run, the same event rows go into a fresh database with a
//! plain multi-row `INSERT` per batch (the raw baseline). Then pages of 100 are requested through
//! the API router (`oneshot`, JSON included) at random positions; p50/p99 per query.
use anchor_lang::{AnchorSerialize, Discriminator};
use axum::body::Body;
use axum::http::Request;
use clap::Parser;
use http_body_util::BodyExt;
use io_indexer::decode::{events, DecodedEvent, DecodedTx, Program};
use io_indexer::store::{write, Batch, Cursor, Store};
use io_sdk::Pubkey;
use io_staking::state::{DeviceStatus, HardwareClass};
use io_token::state::BurnReason;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[derive(Parser)]
#[command(about = "io-indexer ingest and query benchmark")]
struct Args {
    /// Events to ingest per database.
    #[arg(long, default_value_t = 1_000_000)]
    events: usize,
    /// Events per committed batch (2,000 ≈ one page of 1,000 signatures).
    #[arg(long, default_value_t = 2_000)]
    batch: usize,
    /// sqlite, postgres or both.
    #[arg(long, default_value = "both")]
    db: String,
    /// Requests per query kind for the latency figures.
    #[arg(long, default_value_t = 500)]
    requests: usize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

const OPERATORS: u32 = 1_000;
const DEVICES: u32 = 5_000;
const STAKERS: u32 = 50_000;
const LEASES: u32 = 2_000;
const T0: i64 = 1_760_000_000;

/// xorshift64*: deterministic, so both runs see the same rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u32) -> u32 {
        (self.next() % u64::from(n)) as u32
    }
}

fn key(kind: u8, i: u32) -> Pubkey {
    let mut b = [kind; 32];
    b[..4].copy_from_slice(&i.to_le_bytes());
    Pubkey::new_from_array(b)
}

fn ev<E: AnchorSerialize + Discriminator>(program: Program, e: &E) -> DecodedEvent {
    events::as_decoded(program, e).expect("event in the table")
}

/// The synthetic chain: set-up events (operators, devices, offers, leases) then a steady mix.
struct Gen {
    rng: Rng,
    tx: u64,
    emitted: usize,
    total: usize,
    setup: Vec<DecodedEvent>,
    pool: Vec<u64>,
    burned: [u64; 4],
}

impl Gen {
    fn new(total: usize) -> Gen {
        let mut setup = Vec::new();
        let regions = ["us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-east"];
        let models = [
            ("H100", 80u16, HardwareClass::DatacenterGpu),
            ("A100", 40, HardwareClass::DatacenterGpu),
            ("RTX4090", 24, HardwareClass::ConsumerGpu),
            ("L40S", 48, HardwareClass::WorkstationGpu),
        ];
        for i in 0..OPERATORS {
            setup.push(ev(
                Program::Staking,
                &io_staking::events::OperatorRegistered {
                    operator: key(1, i),
                    authority: key(2, i),
                    name: format!("operator-{i}"),
                    region: regions[i as usize % regions.len()].into(),
                    metadata_url: String::new(),
                    commission_bps: (i % 20) as u16 * 100,
                    ts: T0,
                },
            ));
        }
        for i in 0..DEVICES {
            let (model, vram, class) = models[i as usize % models.len()];
            let op = key(1, i % OPERATORS);
            setup.push(ev(
                Program::Staking,
                &io_staking::events::DeviceRegistered {
                    device: key(3, i),
                    operator: op,
                    id_hash: [i as u8; 32],
                    gpu_model: model.into(),
                    gpu_count: 8,
                    vram_gb: vram,
                    region: regions[i as usize % regions.len()].into(),
                    green: i % 3 == 0,
                    class,
                    ts: T0,
                },
            ));
            setup.push(ev(
                Program::Staking,
                &io_staking::events::DeviceStatusChanged {
                    device: key(3, i),
                    operator: op,
                    before: DeviceStatus::Pending,
                    after: DeviceStatus::Active,
                    required_bond_before: 0,
                    required_bond_after: 1_000,
                    devices_active_after: i / OPERATORS + 1,
                    ts: T0,
                },
            ));
            setup.push(ev(
                Program::Escrow,
                &io_escrow::events::OfferPosted {
                    offer: key(4, i),
                    operator: op,
                    device: key(3, i),
                    price_usdc_per_hour: 1_000_000 + u64::from(i),
                    price_io_per_hour: 0,
                    min_hours: 1,
                    max_hours: 720,
                },
            ));
        }
        for i in 0..LEASES {
            setup.push(ev(
                Program::Escrow,
                &io_escrow::events::LeaseOpened {
                    lease: key(5, i),
                    renter: key(6, i % 500),
                    payment_mint: key(7, 0),
                    devices: vec![key(3, i), key(3, i + LEASES)],
                    rates_per_hour: vec![1_000_000, 1_000_000],
                    hours: 100,
                    base: 200_000_000,
                    fee_reserve: 4_000_000,
                    deposit: 204_000_000,
                    fee_bps: 200,
                    start_ts: T0 + i64::from(i),
                    end_ts: T0 + i64::from(i) + 360_000,
                },
            ));
        }
        setup.reverse();
        Gen {
            rng: Rng(0x9e37_79b9_7f4a_7c15),
            tx: 0,
            emitted: 0,
            total,
            setup,
            pool: vec![0; OPERATORS as usize],
            burned: [0; 4],
        }
    }

    fn event(&mut self) -> DecodedEvent {
        if let Some(e) = self.setup.pop() {
            return e;
        }
        let r = self.rng.below(100);
        let op_i = self.rng.below(OPERATORS);
        let op = key(1, op_i);
        let staker = key(8, self.rng.below(STAKERS));
        match r {
            0..=29 => {
                let amount = 100_000_000 + u64::from(self.rng.below(1_000)) * 1_000_000;
                let pool = &mut self.pool[op_i as usize];
                let before = *pool;
                *pool += amount;
                ev(
                    Program::Staking,
                    &io_staking::events::Staked {
                        operator: op,
                        staker,
                        amount,
                        shares_minted: amount,
                        position_shares_after: amount,
                        pool_shares_after: *pool,
                        pool_tokens_before: before,
                        pool_tokens_after: *pool,
                        delegator_count_after: 1 + (*pool / 1_000_000_000) as u32,
                    },
                )
            }
            30..=34 => ev(
                Program::Staking,
                &io_staking::events::Unstaked {
                    operator: op,
                    staker,
                    amount: 1_000_000,
                    shares_burned: 1_000_000,
                    unbonding_shares_minted: 1_000_000,
                    unlock_ts: T0 + 14 * 86_400,
                    position_shares_after: 0,
                    pool_shares_after: self.pool[op_i as usize],
                    pool_tokens_before: self.pool[op_i as usize],
                    pool_tokens_after: self.pool[op_i as usize],
                    unbonding_tokens_after: 1_000_000,
                    delegator_count_after: 1,
                },
            ),
            35..=59 => {
                let l = self.rng.below(LEASES);
                let paid = u64::from(self.rng.below(1_000_000));
                ev(
                    Program::Escrow,
                    &io_escrow::events::LeaseSettled {
                        lease: key(5, l),
                        device: key(3, l),
                        device_index: 0,
                        attested_before: 0,
                        attested_after: self.tx,
                        paid,
                        fee: paid / 50,
                        lease_paid_after: paid,
                        lease_fees_after: paid / 50,
                        held_after: 100,
                    },
                )
            }
            60..=74 => {
                let reason =
                    [BurnReason::LeaseFee, BurnReason::Buyback, BurnReason::Slash, BurnReason::Other]
                        [(r % 4) as usize];
                let amount = u64::from(self.rng.below(1_000)) + 1;
                self.burned[(r % 4) as usize] += amount;
                let total: u64 = self.burned.iter().sum();
                ev(
                    Program::Token,
                    &io_token::events::Burned {
                        reason,
                        authority: key(9, r % 4),
                        from: key(9, r % 4),
                        amount,
                        reason_burned_before: self.burned[(r % 4) as usize] - amount,
                        reason_burned_after: self.burned[(r % 4) as usize],
                        total_burned_after: total,
                        total_minted: 500_000_000_000_000,
                        supply_after: 500_000_000_000_000 - total,
                    },
                )
            }
            75..=84 => ev(
                Program::Staking,
                &io_staking::events::RewardsClaimed {
                    operator: op,
                    staker,
                    amount: 12_345,
                    reward_per_share: 1 << 80,
                },
            ),
            85..=89 => ev(
                Program::Staking,
                &io_staking::events::CommissionChangeRequested {
                    operator: op,
                    commission_bps: 500,
                    requested_bps: 600,
                    effective_ts: T0 + 172_800,
                },
            ),
            90..=94 => ev(
                Program::Escrow,
                &io_escrow::events::BuybackBurned {
                    usdc_spent: 1_000,
                    io_burned: 500,
                    usdc_per_io: 2,
                    min_io: 485,
                    total_usdc_spent: self.tx,
                    total_io_burned: self.tx,
                    buyback_count: self.tx,
                    donation_burned: 0,
                },
            ),
            _ => ev(
                Program::Token,
                &io_token::events::Emitted {
                    from_hour: self.tx,
                    to_hour: self.tx + 1,
                    scheduled: 4_561,
                    minted: 4_561,
                    month_amount_before: 3_330_000,
                    month_amount_after: 3_330_000,
                    emitted_before: self.tx * 4_561,
                    emitted_after: (self.tx + 1) * 4_561,
                    hours_still_due: 0,
                },
            ),
        }
    }

    /// The next batch of about `events` events (two per transaction, four transactions a slot).
    fn batch(&mut self, events: usize) -> Option<Vec<DecodedTx>> {
        if self.emitted >= self.total {
            return None;
        }
        let mut txs = Vec::new();
        let mut n = 0;
        while n < events && self.emitted < self.total {
            let per = 2.min(self.total - self.emitted);
            let evs: Vec<DecodedEvent> = (0..per)
                .map(|i| {
                    let mut e = self.event();
                    e.ix_path = format!("0.{i}");
                    e.event_index = i as u32;
                    e
                })
                .collect();
            let slot = 1_000 + self.tx / 4;
            let mut sig = [0u8; 64];
            sig[..8].copy_from_slice(&self.tx.to_le_bytes());
            txs.push(DecodedTx {
                signature: bs58::encode(sig).into_string(),
                slot,
                block_time: Some(T0 + (slot as i64 * 2) / 5),
                err: None,
                events: evs,
                undecoded: 0,
                instructions: vec![],
            });
            self.tx += 1;
            n += per;
            self.emitted += per;
        }
        Some(txs)
    }
}

async fn open(kind: &str, dir: &std::path::Path, name: &str) -> Store {
    let url = match kind {
        "sqlite" => format!("sqlite://{}?mode=rwc", dir.join(format!("{name}.db")).display()),
        _ => io_indexer::pgtemp::fresh_database().await,
    };
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    store
}

/// Full pipeline: `commit_batch` per batch. Returns (events, seconds spent committing).
async fn ingest(store: &Store, total: usize, batch: usize) -> (usize, f64) {
    let mut g = Gen::new(total);
    let mut spent = Duration::ZERO;
    let mut n = 0;
    while let Some(txs) = g.batch(batch) {
        let last = txs.last().expect("non-empty");
        let cursor = Cursor {
            program: "io_staking".into(),
            last_signature: last.signature.clone(),
            last_slot: last.slot,
        };
        let events: usize = txs.iter().map(|t| t.events.len()).sum();
        let b = Batch { expected: vec![], transactions: txs, accounts: vec![] };
        let t = Instant::now();
        let out = store.commit_batch(&b, &cursor).await.expect("commit");
        spent += t.elapsed();
        assert_eq!(out.events_inserted as usize, events);
        n += events;
    }
    (n, spent.as_secs_f64())
}

/// Raw baseline: the same `events` rows, one plain multi-row INSERT per batch, one transaction.
async fn raw(store: &Store, total: usize, batch: usize) -> (usize, f64) {
    let mut g = Gen::new(total);
    let mut spent = Duration::ZERO;
    let mut n = 0;
    let d = store.dialect();
    let head = format!("INSERT INTO events ({}) VALUES ", write::EVENT_COLS.join(", "));
    let mut tx_id = 0i64;
    while let Some(txs) = g.batch(batch) {
        let mut rows = Vec::new();
        for t in &txs {
            tx_id += 1;
            rows.extend(t.events.iter().map(|e| write::event_row(tx_id, t, e, false)));
        }
        let stmts = write::multi_insert(d, &head, &rows, "");
        let t = Instant::now();
        store.exec_in_tx(&stmts).await.expect("raw insert");
        spent += t.elapsed();
        n += rows.len();
    }
    (n, spent.as_secs_f64())
}

/// Builds the next request of a query kind.
type UriGen = Box<dyn Fn(&mut Rng) -> String>;

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn latency(store: &Store, requests: usize, max_slot: u64) -> Vec<(String, f64, f64)> {
    let feed = io_indexer::feed::Feed::new(0);
    let app = io_indexer::api::app(io_indexer::api::AppState::new(store.clone(), feed));
    let mut rng = Rng(42);
    let kinds: Vec<(&str, UriGen)> = vec![
        (
            "events from a slot",
            Box::new(move |r: &mut Rng| {
                format!("/v1/events?limit=100&from_slot={}", 1_000 + r.next() % (max_slot - 1_000))
            }),
        ),
        (
            "events of a type from a slot",
            Box::new(move |r: &mut Rng| {
                format!(
                    "/v1/events?type=Staked&limit=100&from_slot={}",
                    1_000 + r.next() % (max_slot - 1_000)
                )
            }),
        ),
        (
            "events of a type, newest",
            Box::new(|_: &mut Rng| "/v1/events?type=LeaseSettled&order=desc&limit=100".to_owned()),
        ),
        (
            "events of an account",
            Box::new(|r: &mut Rng| format!("/v1/events?account={}&limit=100", key(8, r.below(STAKERS)))),
        ),
        ("operators by stake", Box::new(|_: &mut Rng| "/v1/operators?limit=100".to_owned())),
        (
            "devices available near",
            Box::new(|_: &mut Rng| "/v1/devices?availability=available&near=eu-west&limit=100".to_owned()),
        ),
        ("leases", Box::new(|_: &mut Rng| "/v1/leases?limit=100".to_owned())),
        ("burns of a reason", Box::new(|_: &mut Rng| "/v1/burns?reason=buyback&limit=100".to_owned())),
    ];
    let mut out = Vec::new();
    for (name, uri) in &kinds {
        let mut times = Vec::with_capacity(requests);
        for i in 0..requests + 20 {
            let u = uri(&mut rng);
            let t = Instant::now();
            let res = app
                .clone()
                .oneshot(Request::get(&u).body(Body::empty()).expect("request"))
                .await
                .expect("response");
            assert!(res.status().is_success(), "{u}: {}", res.status());
            let body = res.into_body().collect().await.expect("body").to_bytes();
            let ms = t.elapsed().as_secs_f64() * 1_000.0;
            assert!(!body.is_empty());
            if i >= 20 {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        out.push(((*name).to_owned(), pct(&times, 0.5), pct(&times, 0.99)));
    }
    out
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args = Args::parse();
    let dir = tempfile::tempdir().expect("temp dir");
    let kinds: Vec<&str> = match args.db.as_str() {
        "both" => vec!["sqlite", "postgres"],
        "sqlite" => vec!["sqlite"],
        "postgres" => vec!["postgres"],
        other => panic!("--db {other}: expected sqlite, postgres or both"),
    };
    if kinds.contains(&"postgres") {
        // Before any database: the benchmark's server keeps fsync on.
        let _ = io_indexer::pgtemp::admin_url_with(true);
    }
    println!(
        "io-indexer bench: {} events per database, batches of {}, {} requests per query",
        args.events, args.batch, args.requests
    );
    for kind in kinds {
        let full = open(kind, dir.path(), "full").await;
        let (n, secs) = ingest(&full, args.events, args.batch).await;
        let rate = n as f64 / secs;
        let baseline = open(kind, dir.path(), "raw").await;
        let (rn, rsecs) = raw(&baseline, args.events, args.batch).await;
        let raw_rate = rn as f64 / rsecs;
        baseline.close().await;
        println!("\n## {kind}");
        println!("ingest (commit_batch: rows + accounts index + projections + cursor): {n} events in {secs:.1} s = {rate:.0} events/s");
        println!("raw batched INSERT of the same event rows:                          {rn} events in {rsecs:.1} s = {raw_rate:.0} events/s");
        println!("ratio ingest / raw: {:.2}", rate / raw_rate);
        let sync = full.sync_state().await.expect("sync");
        let lat = latency(&full, args.requests, sync.indexed_slot.max(1_001) as u64).await;
        println!("\n| page of 100 at {n} events | p50 ms | p99 ms |\n|---|---:|---:|");
        let mut worst: f64 = 0.0;
        for (name, p50, p99) in &lat {
            println!("| {name} | {p50:.2} | {p99:.2} |");
            worst = worst.max(*p99);
        }
        println!(
            "worst p99: {worst:.2} ms (goal ≤ 10 ms); ingest goal ≥ 20,000 events/s: {}",
            if rate >= 20_000.0 { "met" } else { "NOT met" }
        );
        full.close().await;
    }
}
