//! Mistakes the CLI catches before it talks to any network: each prints what to do instead,
//! exits non-zero, and sends nothing (the URL points at a port where nothing listens).
use std::process::Command;

const NOWHERE: &str = "http://127.0.0.1:9";

fn io(args: &[&str]) -> (i32, String, String) {
    io_at(NOWHERE, args)
}

fn io_at(url: &str, args: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("io-cli-offline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per call: the tests of this binary run in parallel and must not read each
    // other's half-written keypair.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let key = dir.join(format!("id-{n}.json"));
    let kp = solana_keypair::Keypair::new();
    std::fs::write(&key, serde_json::to_string(&kp.to_bytes().to_vec()).unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_io"))
        .args(["--url", url, "--keypair", key.to_str().unwrap()])
        .args(args)
        .output()
        .expect("run io");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_malformed_operator_address_is_named() {
    let (code, _, err) = io(&["stake", "not-a-key", "100"]);
    assert_eq!(code, 1);
    assert!(err.contains("'not-a-key' is not a valid operator address"), "{err}");
}

#[test]
fn a_malformed_amount_says_how_to_write_one() {
    let op = "11111111111111111111111111111111";
    for bad in ["1.2.3", "abc", "1e3"] {
        let (code, _, err) = io(&["stake", op, bad]);
        assert_eq!(code, 1, "{bad}");
        assert!(
            err.contains(&format!("invalid amount '{bad}'")) && err.contains("like 100 or 99.5"),
            "{err}"
        );
    }
    let (code, _, err) = io(&["stake", op, "-5"]);
    assert_eq!(code, 1);
    assert!(err.contains("invalid amount '-5': an amount cannot be negative"), "{err}");
}

/// A port where nothing listens: bound, then released.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_refused_connection_is_named_a_network_error() {
    let url = closed_port_url();
    let op = "11111111111111111111111111111111";
    let expect = format!("cannot reach the RPC node at {url}");
    // A read, a write that reads first, and a send: none may pass for a missing account.
    for args in [&["supply"][..], &["stake", op, "100"], &["emit"], &["positions", op]] {
        let (code, out, err) = io_at(&url, args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert!(err.contains(&expect) && err.contains("is it running? check --url"), "{args:?}: {err}");
        assert!(!err.contains("AccountNotFound") && !err.contains("no operator"), "{args:?}: {err}");
    }
    let (code, out, _) = io_at(&url, &["--output", "json", "supply"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().unwrap().contains(&expect), "{v}");
}

#[test]
fn settle_is_now_finalize() {
    let (code, _, err) = io(&["lease", "settle", "11111111111111111111111111111111"]);
    assert_eq!(code, 2, "clap refuses an unknown subcommand: {err}");
    let out = Command::new(env!("CARGO_BIN_EXE_io")).args(["lease", "finalize", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("grace period"));
}

#[test]
fn an_unknown_url_or_missing_manifest_says_what_to_pass() {
    let out = Command::new(env!("CARGO_BIN_EXE_io")).args(["--url", "moon", "supply"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use localnet, devnet, mainnet or an http(s) URL"));
    let out = Command::new(env!("CARGO_BIN_EXE_io"))
        .args(["--url", "localnet", "--manifest", "/nonexistent/manifest.json", "supply"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("start one with `make up`"));
}

#[test]
fn a_missing_keypair_points_at_the_flag() {
    let out = Command::new(env!("CARGO_BIN_EXE_io"))
        .args([
            "--url",
            NOWHERE,
            "--keypair",
            "/nonexistent/id.json",
            "stake",
            "11111111111111111111111111111111",
            "100",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --keypair FILE"));
}

#[test]
fn json_output_reports_errors_as_json() {
    let (code, out, _) = io(&["--output", "json", "stake", "bad", "100"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().unwrap().contains("not a valid operator address"));
}

#[test]
fn a_report_with_a_missing_field_names_it() {
    let dir = std::env::temp_dir().join(format!("io-cli-offline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report-no-price.json");
    let root = "00".repeat(32);
    let body = serde_json::json!({ "period": 5, "set_epoch": 1, "rewards_root": root, "usage_root": root,
        "devices_root": root, "slashes_root": root, "emission_distributed": 0, "device_seconds": 0,
        "devices_attested": 0 });
    std::fs::write(&file, body.to_string()).unwrap();
    let (code, _, err) = io(&["oracle", "submit-report", file.to_str().unwrap(), "--signer", "/nonexistent"]);
    assert_eq!(code, 1);
    assert!(err.contains("missing field `usdc_per_io`"), "{err}");
}

#[test]
fn hardware_classes_are_the_sdk_names() {
    let out = Command::new(env!("CARGO_BIN_EXE_io"))
        .args(["device", "add", "--class", "consumer", "--region", "eu"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap refuses a name that is not the sdk's");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("consumer_gpu") && err.contains("flagship_gpu"), "{err}");
}

#[test]
fn a_malformed_worker_key_is_named() {
    let (code, _, err) = io(&["device", "add", "--class", "cpu", "--region", "eu", "--worker-key", "nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("'nope' is not a valid worker key address"), "{err}");
    let (code, _, err) = io(&["device", "add", "--class", "cpu", "--region", "eu"]);
    assert_eq!(code, 2, "clap asks for the worker key: {err}");
    assert!(err.contains("--worker-key"), "{err}");
    let (code, _, err) = io(&["device", "bind-worker", "nope", "11111111111111111111111111111111"]);
    assert_eq!(code, 1);
    assert!(err.contains("'nope' is not a valid device address"), "{err}");
}

#[test]
fn the_oracle_node_commands_say_which_node_to_ask() {
    // No --oracle and no manifest listing a node.
    let (code, _, err) = io(&["--manifest", "/nonexistent/manifest.json", "report"]);
    assert_eq!(code, 1);
    assert!(err.contains("no oracle node to ask: pass --oracle URL"), "{err}");
    // A node that does not answer.
    let node = closed_port_url();
    for args in [
        &["report", "--oracle", &node][..],
        &["operator", "claim-rewards", "11111111111111111111111111111111", "--oracle", &node],
    ] {
        let (code, _, err) = io(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(err.contains("does not answer") && err.contains("--oracle URL"), "{args:?}: {err}");
    }
    // Not a URL, and a malformed lease: named before anything is asked.
    let (code, _, err) = io(&["report", "--oracle", "127.0.0.1:7901"]);
    assert_eq!(code, 1);
    assert!(err.contains("is not an http(s) URL"), "{err}");
    let (code, _, err) = io(&["lease", "usage", "not-a-key", "--oracle", &node]);
    assert_eq!(code, 1);
    assert!(err.contains("'not-a-key' is not a valid lease address"), "{err}");
}
