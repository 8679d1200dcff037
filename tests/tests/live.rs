//! The live local network, as `make up` runs it and its users meet it: four oracle nodes
//! (threshold 3), one simulated worker per demo device, the indexer and the `io` CLI, on a chain
//! clock 60× the wall (one hourly period per wall minute). One network is shared by the
//! scenarios of this file; each looks at its own devices:
//! - atlas-compute's two devices stay up (alice stakes with atlas; its A100 is leased);
//! - fjord-gpu's RTX 4090 (leased) goes dark for half a minute; its RTX A6000 cheats (wrong rows);
//! - sakura-cpu's only device goes dark for good;
//! - oracle node 2 is killed (-9) mid-period and restarted.
use anchor_lang::prelude::Pubkey;
use io_e2e::{Options, System, PERIOD};
use serde_json::Value;
use std::{path::PathBuf, str::FromStr, sync::OnceLock, time::Duration};

const ATLAS: usize = 0;
const FJORD: usize = 1;
const SAKURA: usize = 2;
/// The cheating device: fjord-gpu's second.
const CHEATER: (usize, usize) = (FJORD, 1);

fn system() -> &'static System {
    static SYSTEM: OnceLock<System> = OnceLock::new();
    SYSTEM.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-live");
        System::start(Options { dir, cheating: vec![CHEATER], ..Options::default() })
            .expect("the system starts")
    })
}

/// The scenarios run at once on the shared network (each waits for chain periods: one after
/// the other they would take the sum of their waits); each failure is reported by name.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_live_network() {
    let s = system();
    let scenarios = vec![
        (
            "a period is certified and a staker claims its rewards",
            tokio::spawn(a_period_is_certified_and_a_staker_claims_its_rewards(s)),
        ),
        (
            "a lease is settled by usage and its downtime refunded",
            tokio::spawn(a_lease_is_settled_by_usage_and_its_downtime_refunded(s)),
        ),
        (
            "a device whose worker stops is jailed and stops earning",
            tokio::spawn(a_device_whose_worker_stops_is_jailed_and_stops_earning(s)),
        ),
        (
            "a cheating worker is caught with evidence and slashed",
            tokio::spawn(a_cheating_worker_is_caught_with_evidence_and_slashed(s)),
        ),
        (
            "a killed oracle node neither stops certification nor doubles a report",
            tokio::spawn(a_killed_oracle_node_neither_stops_certification_nor_doubles_a_report(s)),
        ),
    ];
    let mut failed = vec![];
    for (name, task) in scenarios {
        match task.await {
            Ok(()) => eprintln!("ok: {name}"),
            Err(e) => {
                let why = io_e2e::failure_message(e);
                eprintln!("FAILED: {name}");
                failed.push(format!("{name}: {}", why.lines().next().unwrap_or_default()));
            }
        }
    }
    assert!(failed.is_empty(), "{} of 5 scenarios failed:\n{}", failed.len(), failed.join("\n"));
}

fn pk(s: &str) -> Pubkey {
    Pubkey::from_str(s).unwrap_or_else(|_| panic!("{s:?} is not a public key"))
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(60 * m)
}

/// The leaves of `tree` in a served report.
fn leaves<'a>(served: &'a Value, tree: &str) -> &'a [Value] {
    served["report"][tree].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn leaf<'a>(served: &'a Value, tree: &str, field: &str, key: &str) -> Option<&'a Value> {
    leaves(served, tree).iter().find(|l| l[field] == key)
}

fn u64_of(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("{v} is not a u64"))
}

/// The latest certified report of node 0 that satisfies `pred`.
async fn certified_where(s: &System, what: &str, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Value {
    s.wait(what, timeout, || async {
        Ok(s.latest_report(0).await?.filter(|r| r["status"] == "certified" && pred(r)))
    })
    .await
}

/// The certified report of `period` (node 0), waiting for it.
async fn certified_of(s: &System, period: u64, timeout: Duration) -> Value {
    s.wait(&format!("the certified report of period {period}"), timeout, || async {
        Ok(s.report(0, period).await?.filter(|r| r["status"] == "certified"))
    })
    .await
}

async fn a_period_is_certified_and_a_staker_claims_its_rewards(s: &'static System) {
    let atlas = s.manifest.operators[ATLAS].operator.clone();
    let served = certified_where(s, "a certified report paying atlas-compute", minutes(5), |r| {
        leaf(r, "rewards", "operator", &atlas).is_some_and(|l| u64_of(&l["cumulative"]) > 0)
    })
    .await;
    let period = u64_of(&served["period"]);

    // The chain holds it certified, by at least the threshold's signatures.
    let address = pk(served["address"].as_str().unwrap());
    let report: io_oracle::Report = s.account(&address).await.unwrap().expect("the report account");
    assert_eq!(report.status, io_oracle::ReportStatus::Certified);
    assert_eq!(report.body.period, period);
    assert!(report.signers.count_ones() >= u32::from(s.manifest.oracle_threshold), "{:b}", report.signers);

    // Every node's proof of atlas's reward verifies against the certified root.
    let cumulative = u64_of(&leaf(&served, "rewards", "operator", &atlas).unwrap()["cumulative"]);
    let url = format!("{}/v1/reports/{period}/proof/rewards/{atlas}", s.node_url(0));
    let proof = s.get(&url).await.unwrap().expect("a proof");
    let siblings: Vec<[u8; 32]> = proof["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| <[u8; 32]>::try_from(hex::decode(h.as_str().unwrap()).unwrap()).unwrap())
        .collect();
    let leaf_hash = io_oracle::leaves::rewards_leaf(&pk(&atlas), cumulative);
    assert!(io_merkle::verify(&siblings, &report.body.rewards_root, &leaf_hash), "{proof}");

    // `io report` shows it as the node and the chain see it.
    let (code, shown, err) = s.io(None, &["report", &period.to_string()]).await.unwrap();
    assert_eq!(code, 0, "io report: {err}");
    assert_eq!(
        (shown["status"].as_str(), shown["on_chain"].as_str()),
        (Some("certified"), Some("certified"))
    );
    assert_eq!(shown["devices"].as_array().unwrap().len(), 5);

    // The nodes crank the operator's claim; `io operator claim-rewards` claims what is left (or
    // says there is nothing left to claim): either way the operator's claimed cumulative reaches
    // the report's.
    let (code, out, err) =
        s.io(Some(s.wallet_keypair("carol")), &["operator", "claim-rewards", &atlas]).await.unwrap();
    assert!(code == 0 || err.contains("nothing to claim"), "io operator claim-rewards: {out} {err}");
    let op: io_staking::Operator = s.account(&pk(&atlas)).await.unwrap().unwrap();
    assert!(op.rewards_claimed_cumulative >= cumulative, "{} < {cumulative}", op.rewards_claimed_cumulative);

    // alice's stake with atlas earns: `io positions` shows rewards claimable, and `io claim`
    // pays them into her $IO account.
    let alice = s.wallet_keypair("alice");
    let claimable = s
        .wait("alice's claimable rewards in io positions", minutes(3), || async {
            let (code, p, err) = s.io(Some(alice), &["positions"]).await?;
            anyhow::ensure!(code == 0, "io positions: {err}");
            let row =
                p["positions"].as_array().and_then(|ps| ps.iter().find(|r| r["operator"] == atlas).cloned());
            Ok(row.map(|r| u64_of(&r["claimable"])).filter(|c| *c > 0))
        })
        .await;
    let io_account = pk(&s.manifest.wallet("alice").unwrap().io_account);
    let before = s.client().token_balance(&io_account).await.unwrap().unwrap();
    let (code, out, err) = s.io(Some(alice), &["claim", &atlas]).await.unwrap();
    assert_eq!(code, 0, "io claim: {out} {err}");
    let after = s.client().token_balance(&io_account).await.unwrap().unwrap();
    assert!(after - before >= claimable, "claimed {} < claimable {claimable}", after - before);
}

async fn a_lease_is_settled_by_usage_and_its_downtime_refunded(s: &'static System) {
    let demo = s.manifest.demo.clone().expect("the demo lease");
    let lease = pk(&demo.lease);
    let (steady, flaky) = (demo.lease_devices[0].clone(), demo.lease_devices[1].clone());
    assert_eq!(flaky, s.device(FJORD, 0).address);
    let read = || async {
        let l: io_escrow::Lease = s.account(&lease).await?.ok_or_else(|| anyhow::anyhow!("no lease"))?;
        Ok::<_, anyhow::Error>(l)
    };

    // Usage is attested and settled for both devices while they serve.
    s.wait("attested usage settled for both lease devices", minutes(4), || async {
        let l = read().await?;
        Ok(l.devices.iter().all(|d| d.attested_seconds > 0).then_some(()))
    })
    .await;
    // The second device's worker stops for half a wall minute: half an hour of chain time.
    let stopped_at = s.chain_now().await.unwrap();
    let f2 = flaky.clone();
    tokio::task::spawn_blocking(move || s.stop_worker(&f2)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(30)).await;
    let dark = s.chain_now().await.unwrap() - stopped_at;
    s.start_worker(&flaky).unwrap();

    // Finalized after its end and the settlement grace (two hours of chain time).
    let l = read().await.unwrap();
    let grace =
        s.client().account::<io_escrow::EscrowConfig>(&io_sdk::escrow::config()).await.unwrap().unwrap();
    let due = l.end_ts + grace.params.settlement_grace_secs;
    let wall = Duration::from_secs(((due - s.chain_now().await.unwrap()).max(0) / 60) as u64) + minutes(3);
    let l = s
        .wait("the demo lease finalized", wall, || async {
            let l = read().await?;
            Ok((l.status == io_escrow::LeaseStatus::Closed).then_some(l))
        })
        .await;
    let window = (l.end_ts - l.start_ts) as u64;
    let (a, b) = (&l.devices[0], &l.devices[1]);
    assert_eq!((a.device.to_string(), b.device.to_string()), (steady, flaky.clone()));
    // The steady device is attested for (nearly) the whole window; the flaky one lost its dark
    // half hour (less the liveness tolerance) and no more than it.
    assert!(a.attested_seconds <= window && b.attested_seconds <= window);
    // The workers start a few wall seconds (a few chain minutes) after the lease opens.
    assert!(a.attested_seconds + 1_500 >= window, "steady: {} of {window} s", a.attested_seconds);
    assert!(
        b.attested_seconds + (dark as u64) / 2 <= a.attested_seconds,
        "the dark {dark} s are not missing: {} vs {} s",
        b.attested_seconds,
        a.attested_seconds
    );
    // Providers were paid for attested seconds exactly; the renter got the rest back.
    let owed = |d: &io_escrow::LeaseDevice| {
        io_escrow::math::device_owed_floor(d.attested_seconds, d.rate_per_hour, l.hours).unwrap()
    };
    assert_eq!((a.paid, b.paid), (owed(a), owed(b)));
    assert_eq!(l.paid + l.fees + l.refunded, l.deposit);
    let unattested =
        io_escrow::math::device_owed_floor(window - b.attested_seconds, b.rate_per_hour, l.hours).unwrap();
    assert!(l.refunded >= unattested, "refunded {} < the dark time's {unattested}", l.refunded);

    // `io lease usage` tells the renter the same.
    let (code, u, err) = s.io(None, &["lease", "usage", &demo.lease]).await.unwrap();
    assert_eq!(code, 0, "io lease usage: {err}");
    assert_eq!(u["status"], "closed");
    assert_eq!(u64_of(&u["devices"][1]["settled_seconds"]), b.attested_seconds);
    assert_eq!(u64_of(&u["refund_at_attested"]), l.refunded, "{u}");
}

async fn a_device_whose_worker_stops_is_jailed_and_stops_earning(s: &'static System) {
    let device = s.device(SAKURA, 0).address.clone();
    let operator = s.manifest.operators[SAKURA].operator.clone();
    certified_where(s, "sakura-cpu's device attested active and earning", minutes(5), |r| {
        leaf(r, "devices", "device", &device).is_some_and(|l| l["active"] == true)
            && leaf(r, "rewards", "operator", &operator).is_some_and(|l| u64_of(&l["cumulative"]) > 0)
    })
    .await;

    let d2 = device.clone();
    tokio::task::spawn_blocking(move || s.stop_worker(&d2)).await.unwrap();
    let stopped = s.period().await.unwrap();
    // The chain jails it (apply_device_report from a certified report).
    s.wait("sakura-cpu's device jailed on chain", minutes(4), || async {
        let d: io_staking::Device = s.account(&pk(&device)).await?.expect("the device");
        Ok((d.status == io_staking::DeviceStatus::Jailed).then_some(()))
    })
    .await;
    // The indexer shows it jailed.
    let url = format!("{}/v1/devices?status=jailed", s.indexer_url);
    s.wait("the indexer listing the device as jailed", minutes(1), || async {
        let v = s.get(&url).await?.unwrap_or_default();
        let listed = v["data"].as_array().is_some_and(|d| d.iter().any(|x| x["address"] == device.as_str()));
        Ok(listed.then_some(()))
    })
    .await;
    // It stops earning: the first whole dark period gives it no uptime and its operator nothing,
    // and the next one neither.
    let cumulative =
        |r: &Value| leaf(r, "rewards", "operator", &operator).map_or(0, |l| u64_of(&l["cumulative"]));
    let before = certified_of(s, stopped, minutes(3)).await;
    let dark = certified_of(s, stopped + 1, minutes(3)).await;
    let later = certified_of(s, stopped + 2, minutes(3)).await;
    let d = leaf(&dark, "devices", "device", &device).expect("the device's leaf");
    assert_eq!((d["active"].as_bool(), d["uptime_bps"].as_u64()), (Some(false), Some(0)), "{d}");
    assert_eq!(cumulative(&dark), cumulative(&before), "earned in a dark period");
    assert_eq!(cumulative(&later), cumulative(&dark), "earned in a dark period");
}

async fn a_cheating_worker_is_caught_with_evidence_and_slashed(s: &'static System) {
    let d = s.device(CHEATER.0, CHEATER.1);
    let (device, worker) = (d.address.clone(), pk(&d.worker.pubkey));
    let operator = pk(&s.manifest.operators[CHEATER.0].operator);
    // A certified report names the device's wrong rows, with evidence anyone can re-verify.
    let served = certified_where(s, "a slash leaf for the cheating device", minutes(5), |r| {
        leaf(r, "slashes", "device", &device).is_some()
    })
    .await;
    let slash_leaf = leaf(&served, "slashes", "device", &device).unwrap().clone();
    let evidence: io_sdk::report::Evidence = serde_json::from_value(slash_leaf["evidence"].clone()).unwrap();
    let cluster = Pubkey::new_from_array(
        s.client()
            .account::<io_oracle::OracleConfig>(&io_sdk::oracle::config())
            .await
            .unwrap()
            .unwrap()
            .cluster_id,
    );
    evidence.verify(&cluster.to_string(), &worker).expect("the evidence proves wrong rows");
    let hash = evidence.hash();
    assert_eq!(slash_leaf["evidence_hash"].as_str(), Some(hex::encode(hash).as_str()));

    // The nodes propose the slash on chain from the report, and execute it after the appeal window.
    let slash = io_sdk::staking::slash(&operator, &hash);
    let bond_before = s.account::<io_staking::Operator>(&operator).await.unwrap().unwrap().bond;
    let proposed: io_staking::Slash =
        s.wait("the slash proposed on chain", minutes(3), || async { s.account(&slash).await }).await;
    assert_eq!(proposed.amount, u64_of(&slash_leaf["amount"]));
    let executed = s
        .wait("the slash executed after its appeal window", minutes(4), || async {
            let sl: Option<io_staking::Slash> = s.account(&slash).await?;
            Ok(sl.filter(|x| x.status == io_staking::SlashStatus::Executed))
        })
        .await;
    assert!(executed.from_bond + executed.from_stake + executed.from_unbonding > 0, "nothing burned");
    let op: io_staking::Operator = s.account(&operator).await.unwrap().unwrap();
    assert!(op.bond < bond_before || executed.from_bond == 0, "the bond did not shrink");
}

async fn a_killed_oracle_node_neither_stops_certification_nor_doubles_a_report(s: &'static System) {
    const KILLED: usize = 1;
    // The network certifies.
    certified_where(s, "a first certified report", minutes(5), |_| true).await;
    // Mid-period (a quarter to three quarters in), node 2 is killed with SIGKILL.
    let period = s
        .wait("the middle of a period", minutes(2), || async {
            let now = s.chain_now().await?;
            let into = now.rem_euclid(PERIOD);
            Ok((PERIOD / 4..PERIOD * 3 / 4).contains(&into).then_some((now / PERIOD) as u64))
        })
        .await;
    tokio::task::spawn_blocking(move || s.kill_oracle(KILLED)).await.unwrap();
    // Three nodes of four still certify that period.
    let served = certified_of(s, period, minutes(4)).await;
    let report: io_oracle::Report =
        s.account(&pk(served["address"].as_str().unwrap())).await.unwrap().expect("on chain");
    assert_eq!(report.status, io_oracle::ReportStatus::Certified);

    // Restarted on the same database, it takes part again: it serves the next period's report,
    // which the chain certifies.
    s.start_oracle(KILLED).unwrap();
    s.wait("the restarted node serving the next period's report", minutes(4), || async {
        Ok(s.report(KILLED, period + 1).await?.map(|_| ()))
    })
    .await;
    certified_of(s, period + 1, minutes(3)).await;
    // Nothing doubled: from the killed period on, one report account per period on chain; and
    // every period certified once.
    let reports: Vec<(Pubkey, io_oracle::Report)> =
        s.client().program_accounts(&io_oracle::ID, vec![]).await.unwrap();
    let mut per_period = std::collections::BTreeMap::<u64, Vec<(Pubkey, bool)>>::new();
    for (k, r) in &reports {
        let certified = r.status == io_oracle::ReportStatus::Certified;
        per_period.entry(r.body.period).or_default().push((*k, certified));
    }
    assert!(per_period.contains_key(&period) && per_period.contains_key(&(period + 1)));
    for (p, accounts) in &per_period {
        let certified = accounts.iter().filter(|(_, c)| *c).count();
        assert!(certified <= 1, "period {p} is certified {certified} times: {accounts:?}");
        if *p >= period {
            assert_eq!(accounts.len(), 1, "period {p} has {} report accounts: {accounts:?}", accounts.len());
        }
    }
    let status = s.get(&format!("{}/v1/status", s.node_url(KILLED))).await.unwrap().unwrap();
    assert!(status["outbox"]["failed"].as_u64().unwrap_or(0) == 0, "the restarted node's outbox: {status}");
}
