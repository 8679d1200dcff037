//! The `io` CLI against a real local network (the `localnet` crate, started in-process on free
//! ports with its demo bootstrap): the staking flow, leases in USDC and $IO, and bad input that
//! must be refused with a clear message, a non-zero exit, and no transaction sent.
use io_localnet::{Config, Localnet};
use serde_json::Value;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use std::process::Command;

struct Net {
    net: Localnet,
    rpc: RpcClient,
    _dir: std::path::PathBuf,
}

async fn start() -> Net {
    let dir = std::env::temp_dir().join(format!("io-cli-localnet-{}-{}", std::process::id(), rand_suffix()));
    let net = Localnet::start(Config::ephemeral(&dir)).await.expect("local network starts");
    let rpc = RpcClient::new(net.rpc_url.clone());
    Net { net, rpc, _dir: dir }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// Runs `io` with `--url` at the network and `--keypair` of `wallet`; returns (exit code, stdout, stderr).
async fn io(net: &Net, keypair: &str, args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_io"));
    cmd.args(["--url", &net.net.rpc_url, "--keypair", keypair]).args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run io")).await.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

async fn io_json(net: &Net, keypair: &str, args: &[&str]) -> Value {
    let mut all = vec!["--output", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = io(net, keypair, &all).await;
    assert_eq!(code, 0, "io {args:?} failed: {out}{err}");
    let v: Value =
        serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("io {args:?}: not JSON ({e}): {out}"));
    assert_eq!(v["ok"], true, "io {args:?}: {v}");
    v
}

/// The documented fields of a command's JSON (or of one of its rows) are all there.
fn has_fields(v: &Value, fields: &[&str]) {
    for f in fields {
        assert!(v.get(*f).is_some(), "field '{f}' missing in {v}");
    }
}

async fn lamports(net: &Net, address: &str) -> u64 {
    net.rpc.get_balance(&address.parse().unwrap()).await.unwrap()
}

/// A refused command: exit 1, the message contains `expect`, and the wallet paid no fee.
async fn refused(net: &Net, keypair: &str, address: &str, args: &[&str], expect: &str) {
    let before = lamports(net, address).await;
    let (code, out, err) = io(net, keypair, args).await;
    assert_eq!(code, 1, "io {args:?} should fail: {out}{err}");
    assert!(err.contains(expect), "io {args:?}: expected '{expect}' in: {err}");
    assert_eq!(lamports(net, address).await, before, "io {args:?} sent a transaction");
}

/// Moves the local network's clock `secs` forward (surfpool's time-travel cheat code).
async fn time_travel(net: &Net, secs: u64) {
    let now = net.rpc.get_block_time(net.rpc.get_slot().await.unwrap()).await.unwrap_or(0) as u64;
    let now_ms =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let base = (now * 1000).max(now_ms);
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "surfnet_timeTravel",
        "params": [{ "absoluteTimestamp": base + secs * 1000 }]
    });
    let client = reqwest_free_post(&net.net.rpc_url, &body.to_string()).await;
    assert!(client.contains("\"result\""), "time travel failed: {client}");
}

/// A JSON-RPC POST without an HTTP client dependency: the RPC client's transport does it.
async fn reqwest_free_post(url: &str, body: &str) -> String {
    let url = url.trim_start_matches("http://").to_string();
    let body = body.to_string();
    tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let (host, path) = url.split_once('/').map(|(h, p)| (h.to_string(), format!("/{p}"))).unwrap_or((url.clone(), "/".into()));
        let mut s = std::net::TcpStream::connect(&host).unwrap();
        write!(s, "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        resp
    })
    .await
    .unwrap()
}

/// Reads a keypair file (the tests' own reading: the CLI under test is not asked).
fn keypair(path: &str) -> solana_keypair::Keypair {
    let bytes: Vec<u8> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    solana_keypair::Keypair::try_from(bytes.as_slice()).unwrap()
}

/// Sends `ix` signed and paid by the keypair at `signer`.
async fn send_as(net: &Net, signer: &str, ix: io_sdk::Instruction) {
    use solana_signer::Signer;
    let k = keypair(signer);
    let blockhash = net.rpc.get_latest_blockhash().await.unwrap();
    let tx =
        solana_transaction::Transaction::new_signed_with_payer(&[ix], Some(&k.pubkey()), &[&k], blockhash);
    net.rpc.send_and_confirm_transaction(&tx).await.expect("the setup transaction");
}

async fn chain_now(net: &Net) -> i64 {
    net.rpc.get_block_time(net.rpc.get_slot().await.unwrap()).await.unwrap()
}

/// The admin grants `beneficiary` a genesis schedule of `amount` that vested by the chain's clock.
async fn grant_vesting(net: &Net, admin_keypair: &str, beneficiary: &str, amount: u64) {
    use solana_signer::Signer;
    let bucket = io_token::Bucket::EarlyContributors;
    let data = net.rpc.get_account_data(&io_sdk::token::config()).await.unwrap();
    let config: io_token::TokenConfig = io_sdk::decode_account(&data).unwrap();
    let now = chain_now(net).await;
    let ix = io_sdk::token::create_vesting(
        &keypair(admin_keypair).pubkey(),
        &beneficiary.parse().unwrap(),
        bucket,
        config.schedule_count[bucket.index()],
        now - 10,
        now - 10,
        now - 1,
        amount,
    );
    send_as(net, admin_keypair, ix).await;
}

/// The admin opens airdrop campaign `campaign_id` for `(wallet, amount)` leaves (index = position);
/// returns the proof file of each leaf, as a claimant is given it.
async fn open_airdrop(
    net: &Net,
    admin_keypair: &str,
    campaign_id: u64,
    leaves: &[(&str, u64)],
) -> Vec<serde_json::Value> {
    use solana_signer::Signer;
    let hashes: Vec<[u8; 32]> = leaves
        .iter()
        .enumerate()
        .map(|(i, (w, a))| io_token::airdrop_leaf(campaign_id, i as u32, &w.parse().unwrap(), *a))
        .collect();
    let tree = io_merkle::MerkleTree::new(hashes);
    let total = leaves.iter().map(|l| l.1).sum();
    let expiry = chain_now(net).await + 30 * 24 * 3600;
    let ix = io_sdk::token::create_airdrop(
        &keypair(admin_keypair).pubkey(),
        campaign_id,
        tree.root(),
        total,
        expiry,
    );
    send_as(net, admin_keypair, ix).await;
    let hex = |h: &[u8; 32]| h.iter().map(|b| format!("{b:02x}")).collect::<String>();
    leaves
        .iter()
        .enumerate()
        .map(|(i, (_, amount))| {
            let proof: Vec<String> = tree.proof(i).unwrap().iter().map(hex).collect();
            serde_json::json!({ "campaign_id": campaign_id, "index": i, "amount": amount, "proof": proof })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staking_flow_leases_and_bad_input() {
    let net = start().await;
    let m = net.net.manifest.clone();
    let alice = m.wallet("alice").expect("alice in the manifest").clone();
    let renter = m.wallet("renter").expect("renter in the manifest").clone();
    let op = m.operators[0].clone();
    let (ak, aa) = (alice.keypair.as_str(), alice.address.as_str());

    // Read-only commands, each with its documented JSON fields.
    let supply = io_json(&net, ak, &["supply"]).await;
    assert_eq!(supply["cap"], 800_000_000_000_000_000u64);
    has_fields(
        &supply,
        &[
            "decimals",
            "cap",
            "minted",
            "burned",
            "burned_by_reason",
            "supply",
            "circulating",
            "next_emission_hour",
            "next_emission_ts",
            "next_emission_amount",
        ],
    );
    // Circulating supply and the next emission are io-sdk's one definition (the indexer's too),
    // computed from io_token's config counters.
    let data = net.rpc.get_account_data(&io_sdk::token::config()).await.unwrap();
    let config: io_token::TokenConfig = io_sdk::decode_account(&data).unwrap();
    let view = io_sdk::views::SupplyView::new(&config).unwrap();
    assert_eq!(supply["circulating"], view.circulating);
    assert_eq!(supply["next_emission_amount"], view.next_emission.amount);
    assert_eq!(supply["decimals"], config.decimals);
    assert_eq!(supply["burned_by_reason"].as_object().unwrap().len(), view.burned_by_reason.len());
    let ops = io_json(&net, ak, &["operator", "list"]).await;
    assert_eq!(ops["operators"].as_array().unwrap().len(), m.operators.len());
    has_fields(
        &ops["operators"][0],
        &["operator", "name", "region", "commission_bps", "stake", "devices_active"],
    );
    let shown = io_json(&net, ak, &["operator", "show", &op.operator]).await;
    has_fields(
        &shown,
        &[
            "operator",
            "authority",
            "name",
            "region",
            "commission_bps",
            "bond",
            "required_bond",
            "devices_active",
            "stake",
            "delegators",
            "pending_slashes",
        ],
    );
    assert_eq!(shown["name"], op.name);
    // Hardware classes print with the names the API and the manifest use (`consumer_gpu`).
    let devices = io_json(&net, ak, &["device", "list"]).await;
    let listed = devices["devices"].as_array().unwrap();
    for d in m.operators.iter().flat_map(|o| o.devices.iter()) {
        let row = listed.iter().find(|r| r["device"] == d.address.as_str()).expect("every device listed");
        assert_eq!(row["class"], d.class.as_str(), "{row}");
        has_fields(
            row,
            &[
                "device",
                "operator",
                "model",
                "gpus",
                "vram_gb",
                "class",
                "region",
                "status",
                "green",
                "worker_key",
            ],
        );
        assert_eq!(row["worker_key"], d.worker.pubkey.as_str(), "{row}");
    }
    assert!(listed.iter().any(|r| r["class"] == "consumer_gpu"), "the demo has a consumer GPU: {devices}");
    let (_, text, _) = io(&net, ak, &["device", "list"]).await;
    assert!(text.contains("consumer_gpu") && !text.contains("consumer "), "{text}");
    let offers = io_json(&net, ak, &["offer", "list"]).await;
    has_fields(
        &offers["offers"][0],
        &["device", "operator", "usdc_per_hour", "io_per_hour", "min_hours", "max_hours", "available"],
    );
    let oracle = io_json(&net, ak, &["oracle", "show"]).await;
    has_fields(
        &oracle,
        &[
            "epoch",
            "threshold",
            "members",
            "last_period",
            "reports_certified",
            "bonded",
            "cluster_id",
            "set_revoked",
        ],
    );
    assert_eq!(oracle["threshold"], m.oracle_threshold);

    // Bad input: each refused before anything is signed.
    refused(
        &net,
        ak,
        aa,
        &["stake", &op.operator, "99.5"],
        "a stake must be at least 100 IO; you asked for 99.5",
    )
    .await;
    refused(
        &net,
        ak,
        aa,
        &["stake", "not-an-address", "100"],
        "'not-an-address' is not a valid operator address",
    )
    .await;
    let nobody = "So11111111111111111111111111111111111111112";
    refused(&net, ak, aa, &["stake", nobody, "100"], "see `io operator list`").await;
    refused(&net, ak, aa, &["stake", &op.operator, "1000000000"], "insufficient balance").await;
    // The decimals are the chain's: io_token was initialised with 9.
    refused(&net, ak, aa, &["stake", &op.operator, "100.0000000001"], "at most 9 decimals").await;

    // The staking flow: stake, a partial unstake that would leave dust is refused, unstake all,
    // withdraw refused during the cooldown, then accepted after it.
    let staked = io_json(&net, ak, &["stake", &op.operator, "100"]).await;
    assert_eq!(staked["position"], 100_000_000_000u64);
    has_fields(&staked, &["signature", "operator", "amount", "position"]);
    // u64::MAX base units on top of the position: a message and exit 1, never a panic (101).
    refused(
        &net,
        ak,
        aa,
        &["stake", &op.operator, "18446744073.709551615"],
        "more than any position can hold",
    )
    .await;
    let pos = io_json(&net, ak, &["positions"]).await;
    has_fields(&pos, &["wallet", "positions"]);
    has_fields(
        &pos["positions"][0],
        &["operator", "staked", "claimable", "activating", "activation_period", "pending"],
    );
    assert_eq!(pos["positions"][0]["staked"], 100_000_000_000u64);
    // New stake warms up until the next hourly reward period, and shows so.
    assert_eq!(pos["positions"][0]["activating"], 100_000_000_000u64);
    assert!(pos["positions"][0]["activation_period"].is_u64());
    io_json(&net, ak, &["stake", &op.operator, "0.5"]).await; // a top-up of any size
                                                              // An hour on, the stake has begun its activation period: unstaking goes through the cooldown
                                                              // (stake made in the current hour would come back at once).
    time_travel(&net, 3600).await;
    refused(&net, ak, aa, &["unstake", &op.operator, "50"], "an unstake must leave 0 or at least 100 IO")
        .await;
    let unstaked = io_json(&net, ak, &["unstake", &op.operator, "all"]).await;
    has_fields(&unstaked, &["signature", "operator", "amount", "cooldown_secs"]);
    let (code, _, err) = io(&net, ak, &["withdraw", &op.operator]).await;
    assert_eq!(code, 1);
    assert!(err.contains("the cooldown has not elapsed"), "{err}");
    time_travel(&net, 15 * 24 * 3600).await;
    let w = io_json(&net, ak, &["withdraw", &op.operator]).await;
    assert_eq!(w["amount"], 100_500_000_000u64);
    has_fields(&w, &["signature", "operator", "amount"]);
    // Fifteen days of hours are due: the crank mints them.
    let emitted = io_json(&net, ak, &["emit"]).await;
    has_fields(&emitted, &["signature"]);

    // An operator of one's own: register, bond, a CPU device (pending until attested).
    io_json(
        &net,
        ak,
        &["operator", "register", "--name", "alice-gpu", "--region", "eu-west", "--commission-bps", "500"],
    )
    .await;
    let bonded = io_json(&net, ak, &["bond", "add", "100"]).await;
    has_fields(&bonded, &["signature", "amount"]);
    let unbonding = io_json(&net, ak, &["bond", "withdraw", "10"]).await;
    has_fields(&unbonding, &["signature", "amount"]);
    assert_eq!(unbonding["amount"], 10_000_000_000u64);
    let commission = io_json(&net, ak, &["operator", "commission", "600"]).await;
    has_fields(&commission, &["signature", "bps"]);
    // A device bound to its io-worker key: the record names the key, which only its operator
    // rotates (`bind-worker`).
    use solana_signer::Signer;
    let worker_of = |device: &str| {
        let device = device.parse().unwrap();
        let rpc = &net.rpc;
        async move {
            let data = rpc.get_account_data(&device).await.unwrap();
            io_sdk::worker::bound_worker(&io_sdk::decode_account::<io_staking::Device>(&data).unwrap())
        }
    };
    let (first, second) = (solana_keypair::Keypair::new().pubkey(), solana_keypair::Keypair::new().pubkey());
    let (first, second) = (first.to_string(), second.to_string());
    let add = ["device", "add", "--class", "cpu", "--region", "eu-west", "--worker-key"];
    let dev = io_json(&net, ak, &[&add[..], &[first.as_str()]].concat()).await;
    has_fields(&dev, &["signature", "device"]);
    let device = dev["device"].as_str().unwrap().to_string();
    assert_eq!(worker_of(&device).await.to_string(), first);
    let rebound = io_json(&net, ak, &["device", "bind-worker", &device, &second]).await;
    has_fields(&rebound, &["signature", "device", "worker_key", "previous"]);
    assert_eq!(
        (rebound["worker_key"].as_str(), rebound["previous"].as_str()),
        (Some(second.as_str()), Some(first.as_str()))
    );
    assert_eq!(worker_of(&device).await.to_string(), second);
    refused(&net, ak, aa, &["device", "bind-worker", &device, &second], "is already bound to").await;
    refused(
        &net,
        ak,
        aa,
        &[
            "device",
            "add",
            "--class",
            "cpu",
            "--region",
            "eu",
            "--worker-key",
            "11111111111111111111111111111111",
        ],
        "the worker key cannot be",
    )
    .await;
    refused(
        &net,
        &renter.keypair,
        &renter.address,
        &["device", "bind-worker", &device, &first],
        "is not yours",
    )
    .await;

    // Leases: USDC pays the 2% fee reserve, $IO none.
    let (rk, ra) = (renter.keypair.as_str(), renter.address.as_str());
    let usdc_dev = op.devices.iter().find(|d| d.price_usdc_per_hour > 0).expect("a USDC offer");
    let io_dev = m
        .operators
        .iter()
        .flat_map(|o| o.devices.iter())
        .find(|d| d.price_io_per_hour > 0 && d.address != usdc_dev.address)
        .expect("an $IO offer");
    let l = io_json(
        &net,
        rk,
        &["lease", "open", "--device", &usdc_dev.address, "--hours", "2", "--pay", "usdc", "--yes"],
    )
    .await;
    has_fields(&l, &["signature", "lease", "deposit", "base", "fee_reserve", "fee_bps", "mint"]);
    assert_eq!(l["fee_bps"], 200);
    assert_eq!(l["fee_reserve"], (2 * usdc_dev.price_usdc_per_hour).div_ceil(50));
    let l2 = io_json(
        &net,
        rk,
        &["lease", "open", "--device", &io_dev.address, "--hours", "1", "--pay", "io", "--yes"],
    )
    .await;
    assert_eq!((l2["fee_bps"].as_u64(), l2["fee_reserve"].as_u64()), (Some(0), Some(0)));
    let lease = l["lease"].as_str().unwrap();
    let shown = io_json(&net, rk, &["lease", "show", lease]).await;
    assert_eq!(shown["deposit"], l["deposit"]);
    // The status is spelt as the indexer's API spells it.
    assert_eq!(shown["status"], "open");
    has_fields(
        &shown,
        &[
            "lease", "renter", "status", "start_ts", "end_ts", "hours", "deposit", "paid", "fees",
            "refunded", "held",
        ],
    );
    // The text of each read is the same result, rendered for people.
    for args in [
        &["supply"][..],
        &["operator", "list"],
        &["operator", "show", &op.operator],
        &["device", "list"],
        &["offer", "list"],
        &["positions", aa],
        &["oracle", "show"],
    ] {
        let (code, text, err) = io(&net, rk, args).await;
        assert_eq!(code, 0, "io {args:?}: {err}");
        assert!(!text.trim().is_empty() && !text.trim_start().starts_with('{'), "io {args:?}: {text}");
    }
    let (_, text, _) = io(&net, rk, &["lease", "show", lease]).await;
    assert!(text.contains("status    open") && text.contains(" USDC"), "{text}");
    // The lease's Ray cluster: only its renter reaches it, and only through a gateway found on
    // an oracle node or named (no node runs here: each refusal says what to pass instead).
    refused(&net, ak, aa, &["lease", "connect", lease], "not by your wallet").await;
    refused(&net, rk, ra, &["lease", "jobs", lease], "no oracle node known to ask: pass --oracle").await;
    let ftp = ["lease", "jobs", lease, "--endpoint", "ftp://gw"];
    refused(&net, rk, ra, &ftp, "--endpoint 'ftp://gw' is not an http(s) URL").await;
    let tls = ["lease", "connect", lease, "--endpoint", "https://gw.example"];
    refused(&net, rk, ra, &tls, "plain HTTP only").await;
    let topped = io_json(&net, rk, &["lease", "top-up", lease, "1"]).await;
    has_fields(&topped, &["signature", "lease", "amount"]);
    io_json(&net, rk, &["lease", "close", lease]).await;
    assert_eq!(io_json(&net, rk, &["lease", "show", lease]).await["status"], "ended");
    refused(&net, rk, ra, &["lease", "connect", lease], "its cluster is stopped").await;
    // `finalize` (formerly `settle`) sends finalize_lease after the grace period; anyone may.
    time_travel(&net, 15 * 24 * 3600).await;
    let fin = io_json(&net, ak, &["lease", "finalize", lease]).await;
    has_fields(&fin, &["signature", "lease"]);
    assert_eq!(io_json(&net, rk, &["lease", "show", lease]).await["status"], "closed");

    // An absurd offer price: the deposit (price × hours + fee reserve) and the sum of the rates
    // overflow; each is a message and exit 1, never a panic.
    // Devices no other step of this test leases: the second operator's two.
    let pricey = &m.operators[1];
    let (d1, d2) = (&pricey.devices[0].address, &pricey.devices[1].address);
    for d in [d1, d2] {
        // 2^63 base units an hour.
        let posted =
            io_json(&net, &pricey.keypair, &["offer", "post", "--device", d, "--io", "9223372036.854775808"])
                .await;
        has_fields(&posted, &["signature", "device", "offer"]);
    }
    refused(
        &net,
        rk,
        ra,
        &["lease", "open", "--device", d1, "--hours", "2", "--pay", "io", "--yes"],
        "than a 64-bit amount can hold",
    )
    .await;
    refused(
        &net,
        rk,
        ra,
        &["lease", "open", "--device", d1, "--device", d2, "--hours", "1", "--pay", "io", "--yes"],
        "than a 64-bit amount can hold",
    )
    .await;

    // A lease on a retired device is refused, with no transaction.
    let owner = m.operators.iter().find(|o| o.devices.iter().any(|d| d.address == io_dev.address)).unwrap();
    io_json(&net, &owner.keypair, &["device", "remove", &io_dev.address]).await;
    refused(
        &net,
        rk,
        ra,
        &["lease", "open", "--device", &io_dev.address, "--hours", "1", "--pay", "io", "--yes"],
        "is retired",
    )
    .await;

    // Vesting: the admin grants alice a schedule that has fully vested by the chain's clock (the
    // chain is weeks ahead of this machine after the time travel); she claims it.
    refused(&net, ak, aa, &["vesting", "claim"], "nothing has vested yet").await;
    let admin_key = m.authorities["admin"].keypair.as_str();
    grant_vesting(&net, admin_key, aa, 5_000_000_000).await;
    let vested = io_json(&net, ak, &["vesting", "claim"]).await;
    has_fields(&vested, &["signature", "amount"]);
    assert_eq!(vested["amount"], 5_000_000_000u64);

    // An airdrop: the admin opens a campaign of two leaves; alice claims hers with the proof file.
    let bob = m.wallet("bob").expect("bob in the manifest");
    let proofs =
        open_airdrop(&net, admin_key, 1, &[(aa, 7_000_000_000), (bob.address.as_str(), 3_000_000_000)]).await;
    let proof_file = net._dir.join("airdrop-alice.json");
    std::fs::write(&proof_file, proofs[0].to_string()).unwrap();
    let claimed = io_json(&net, ak, &["airdrop", "claim", "--proof", proof_file.to_str().unwrap()]).await;
    has_fields(&claimed, &["signature", "amount", "campaign_id"]);
    assert_eq!((claimed["amount"].as_u64(), claimed["campaign_id"].as_u64()), (Some(7_000_000_000), Some(1)));
    // Bob's proof is not alice's: the program refuses it, and the CLI says so plainly.
    let bob_file = net._dir.join("airdrop-bob.json");
    std::fs::write(&bob_file, proofs[1].to_string()).unwrap();
    refused(&net, ak, aa, &["airdrop", "claim", "--proof", bob_file.to_str().unwrap()], "proof").await;

    // A report certified by the oracle set's keys, every field given.
    let slot = net.rpc.get_slot().await.unwrap();
    let period = net.rpc.get_block_time(slot).await.unwrap() / 3600 - 1;
    let root = "00".repeat(32);
    let body = serde_json::json!({ "period": period, "set_epoch": 1, "rewards_root": root, "usage_root": root,
        "devices_root": root, "slashes_root": root, "usdc_per_io": 250_000, "emission_distributed": 0,
        "device_seconds": 0, "devices_attested": 0 });
    let file = net._dir.join("report.json");
    std::fs::write(&file, body.to_string()).unwrap();
    let mut args = vec!["oracle", "submit-report", file.to_str().unwrap()];
    for o in &m.oracles {
        args.extend(["--signer", o.keypair.as_str()]);
    }
    let certified = io_json(&net, ak, &args).await;
    has_fields(&certified, &["signature", "report", "period", "posted"]);
    assert_eq!(io_json(&net, ak, &["oracle", "show"]).await["last_period"], period);

    // Admin: while io_staking is paused a stake is refused in plain words; unpaused, it goes through.
    let paused = io_json(&net, admin_key, &["admin", "pause", "staking"]).await;
    assert_eq!(paused["paused"], true);
    refused(&net, ak, aa, &["stake", &op.operator, "100"], "paused").await;
    let unpaused = io_json(&net, admin_key, &["admin", "unpause", "staking"]).await;
    assert_eq!(unpaused["paused"], false);
    io_json(&net, ak, &["stake", &op.operator, "100"]).await;
}
