//! Bad input the worker refuses before it serves anything: each gets a plain message and a
//! non-zero exit (no network is running; the RPC URL points at a port where nothing listens).
use std::process::Command;

const NOWHERE: &str = "http://127.0.0.1:9";

fn worker(state: &str, args: &[&str]) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("io-worker-offline-{}-{state}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_io-worker"))
        .args(["--state-dir", dir.to_str().unwrap()])
        .args(args)
        .output()
        .expect("run io-worker");
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn bad_run_arguments_are_named() {
    let (code, err) = worker("a", &["--url", NOWHERE, "run", "--oracle", "ftp://oracle"]);
    assert_eq!(code, 1);
    assert!(err.contains("--oracle 'ftp://oracle' is not an http(s) URL"), "{err}");
    let (code, err) =
        worker("b", &["--url", NOWHERE, "run", "--oracle", "http://o", "--heartbeat-secs", "0"]);
    assert_eq!(code, 1);
    assert!(err.contains("--heartbeat-secs must be a number of seconds in (0, 3600], got 0"), "{err}");
    let (code, err) = worker("c", &["--url", NOWHERE, "run", "--oracle", "http://o", "--operator", "me"]);
    assert_eq!(code, 1);
    assert!(err.contains("--operator 'me' is not a base58 public key"), "{err}");
    let (code, err) = worker("d", &["--url", NOWHERE, "run"]);
    assert_eq!(code, 2, "clap asks for an oracle node: {err}");
    assert!(err.contains("--oracle"), "{err}");
}

#[test]
fn an_unknown_or_unreachable_cluster_is_named() {
    let (code, err) = worker("e", &["--url", "nope", "run", "--oracle", "http://o"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown --url 'nope'"), "{err}");
    // The key is created first (with its message), then the node is found unreachable.
    let (code, err) = worker("f", &["--url", NOWHERE, "run", "--oracle", "http://o"]);
    assert_eq!(code, 1);
    assert!(err.contains("created a new worker key"), "{err}");
    assert!(err.contains("cannot reach the RPC node at http://127.0.0.1:9"), "{err}");
}

#[test]
fn status_without_a_key_says_how_to_make_one() {
    let (code, err) = worker("g", &["--url", NOWHERE, "status"]);
    assert_eq!(code, 1);
    assert!(err.contains("no worker key at") && err.contains("io-worker key"), "{err}");
}
