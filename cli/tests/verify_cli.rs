//! `io verify`'s refusals, offline: each mistake a user can make is named with what to pass
//! instead, before anything is checked, and the command exits non-zero. Nothing here needs a
//! network: every URL is a port where nothing listens.
use std::process::Command;

/// A port where nothing listens: bound, then released.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A scratch directory of this test process.
fn scratch() -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("io-verify-cli-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `io --url <rpc> --manifest <manifest> <args>`: (exit status, stdout, stderr). No keypair:
/// `io verify` only reads. The environment's IO_* settings are cleared so a developer's shell
/// cannot change what is tested.
fn io(rpc: &str, manifest: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_io"))
        .env_remove("IO_INDEXER_URL")
        .env_remove("IO_ORACLE_URLS")
        .env_remove("IO_URL")
        .env_remove("IO_MANIFEST")
        .env("HOME", scratch())
        .args(["--url", rpc, "--manifest", manifest.to_str().unwrap()])
        .args(args)
        .output()
        .expect("run io");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn no_manifest() -> std::path::PathBuf {
    scratch().join("no-manifest.json")
}

#[test]
fn an_empty_period_range_is_refused_naming_it() {
    let (code, _, err) =
        io(&closed_port_url(), &no_manifest(), &["verify", "--period", "9..5", "--no-indexer"]);
    assert_ne!(code, 0);
    assert!(err.contains("9..5") && err.contains("empty"), "{err}");
    let (code, _, err) = io(&closed_port_url(), &no_manifest(), &["verify", "--period", "x..5"]);
    assert_ne!(code, 0);
    assert!(err.contains("'x' is not a period number"), "{err}");
}

#[test]
fn an_indexer_url_that_is_not_http_is_refused_with_what_to_pass() {
    let (code, out, err) = io(
        &closed_port_url(),
        &no_manifest(),
        &["verify", "--indexer", "ftp://x", "--oracle", "http://127.0.0.1:9"],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("--indexer 'ftp://x' is not an http(s) URL"), "{err}");
    assert!(err.contains("--indexer http://127.0.0.1:8999") && err.contains("--no-indexer"), "{err}");
    let (code, _, err) =
        io(&closed_port_url(), &no_manifest(), &["verify", "--no-indexer", "--oracle", "7901"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--oracle '7901' is not an http(s) URL") && err.contains("comma-separated"),
        "{err}"
    );
}

#[test]
fn an_indexer_that_does_not_answer_stops_the_run_before_any_check() {
    let indexer = closed_port_url();
    // The RPC node does not answer either: the indexer is named first, before the chain is read.
    let rpc = closed_port_url();
    let (code, out, err) =
        io(&rpc, &no_manifest(), &["verify", "--indexer", &indexer, "--oracle", "http://127.0.0.1:9"]);
    assert_eq!(code, 1, "{out}{err}");
    let expect = format!(
        "no indexer answers at {indexer}: pass --indexer URL, or --no-indexer to check the chain and the oracle \
         nodes only"
    );
    assert!(err.contains(&expect), "{err}");
    assert!(!err.contains("RPC node"), "{err}");
    assert!(out.is_empty(), "no table for a run that did not check: {out}");

    let (code, out, _) = io(
        &rpc,
        &no_manifest(),
        &["--output", "json", "verify", "--indexer", &indexer, "--oracle", "http://127.0.0.1:9"],
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().unwrap().contains(&expect), "{v}");
}

#[test]
fn without_an_indexer_an_rpc_node_that_does_not_answer_is_the_sdks_error() {
    let rpc = closed_port_url();
    let (code, out, err) =
        io(&rpc, &no_manifest(), &["verify", "--no-indexer", "--oracle", "http://127.0.0.1:9"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(&format!("cannot reach the RPC node at {rpc}")), "{err}");
    assert!(err.contains("is it running? check --url"), "{err}");
}

#[test]
fn no_oracle_node_known_says_to_pass_oracle() {
    let (code, _, err) = io(&closed_port_url(), &no_manifest(), &["verify", "--no-indexer"]);
    assert_eq!(code, 1);
    assert!(err.contains("no oracle node known") && err.contains("pass --oracle URL"), "{err}");
}

#[test]
fn on_the_local_network_the_manifest_names_the_oracle_nodes() {
    let rpc = closed_port_url();
    let manifest = scratch().join("manifest.json");
    let nodes = r#"[{"url": "http://127.0.0.1:9/", "key": "k", "settings": "s"}]"#;
    std::fs::write(&manifest, format!(r#"{{"rpc_url": "{rpc}", "oracle_nodes": {nodes}}}"#)).unwrap();
    // The manifest's network: its nodes are used, so the run gets as far as the chain.
    let (code, _, err) = io(&rpc, &manifest, &["verify", "--no-indexer"]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("cannot reach the RPC node at {rpc}")), "{err}");
    // Another network: the local nodes are not its nodes.
    let other = closed_port_url();
    let (code, _, err) = io(&other, &manifest, &["verify", "--no-indexer"]);
    assert_eq!(code, 1);
    assert!(err.contains("no oracle node known"), "{err}");
    // Another network and no --indexer: which indexer is not guessed.
    let (code, _, err) = io(&other, &manifest, &["verify", "--oracle", "http://127.0.0.1:9"]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("no indexer to compare with on {other}")), "{err}");
    assert!(err.contains("--no-indexer"), "{err}");
}

#[test]
fn indexer_and_no_indexer_conflict() {
    let (code, _, err) = io(
        &closed_port_url(),
        &no_manifest(),
        &["verify", "--no-indexer", "--indexer", "http://127.0.0.1:9"],
    );
    assert_ne!(code, 0);
    assert!(err.contains("cannot be used with"), "{err}");
}
