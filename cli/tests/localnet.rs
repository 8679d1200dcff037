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
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("io {args:?}: not JSON ({e}): {out}"))
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staking_flow_leases_and_bad_input() {
    let net = start().await;
    let m = net.net.manifest.clone();
    let alice = m.wallet("alice").expect("alice in the manifest").clone();
    let renter = m.wallet("renter").expect("renter in the manifest").clone();
    let op = m.operators[0].clone();
    let (ak, aa) = (alice.keypair.as_str(), alice.address.as_str());

    // Read-only commands.
    let supply = io_json(&net, ak, &["supply"]).await;
    assert_eq!(supply["cap"], 800_000_000_000_000_000u64);
    let ops = io_json(&net, ak, &["operator", "list"]).await;
    assert_eq!(ops["operators"].as_array().unwrap().len(), m.operators.len());

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

    // The staking flow: stake, a partial unstake that would leave dust is refused, unstake all,
    // withdraw refused during the cooldown, then accepted after it.
    let staked = io_json(&net, ak, &["stake", &op.operator, "100"]).await;
    assert_eq!(staked["position"], 100_000_000_000u64);
    assert!(staked["signature"].is_string());
    let pos = io_json(&net, ak, &["positions"]).await;
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
    io_json(&net, ak, &["unstake", &op.operator, "all"]).await;
    let (code, _, err) = io(&net, ak, &["withdraw", &op.operator]).await;
    assert_eq!(code, 1);
    assert!(err.contains("the cooldown has not elapsed"), "{err}");
    time_travel(&net, 15 * 24 * 3600).await;
    let w = io_json(&net, ak, &["withdraw", &op.operator]).await;
    assert_eq!(w["amount"], 100_500_000_000u64);

    // An operator of one's own: register, bond, a CPU device (pending until attested).
    io_json(
        &net,
        ak,
        &["operator", "register", "--name", "alice-gpu", "--region", "eu-west", "--commission-bps", "500"],
    )
    .await;
    io_json(&net, ak, &["bond", "add", "100"]).await;
    let dev = io_json(&net, ak, &["device", "add", "--class", "cpu", "--region", "eu-west"]).await;
    assert!(dev["device"].is_string());

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
    assert_eq!(l["fee_bps"], 200);
    assert_eq!(l["fee_reserve"], (2 * usdc_dev.price_usdc_per_hour).div_ceil(50));
    let l2 = io_json(
        &net,
        rk,
        &["lease", "open", "--device", &io_dev.address, "--hours", "1", "--pay", "io", "--yes"],
    )
    .await;
    assert_eq!((l2["fee_bps"].as_u64(), l2["fee_reserve"].as_u64()), (Some(0), Some(0)));
    let shown = io_json(&net, rk, &["lease", "show", l["lease"].as_str().unwrap()]).await;
    assert_eq!(shown["deposit"], l["deposit"]);
    io_json(&net, rk, &["lease", "close", l["lease"].as_str().unwrap()]).await;

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
}
