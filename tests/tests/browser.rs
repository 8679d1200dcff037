//! The web app in real Chromium against the real system: this test starts the system (`System`:
//! the local network, the indexer, four oracle nodes, simulated workers — what `make up` runs),
//! serves the built app with `app/scripts/serve.mjs` in front of it, then runs the browser suite
//! (`node --test app/e2e/*.e2e.mjs`, playwright-core driving /usr/bin/chromium with the injected
//! Wallet Standard test wallet) with the addresses in environment variables.
//!
//! Why a Rust driver rather than a Node harness that spawns the binaries: the fixture that starts,
//! waits for and tears down the system (and reports every process's log on failure) exists here
//! once; the browser scenarios stay in JavaScript, beside the app they drive.
//!
//! Ignored by a plain `cargo test`: it needs the built app (`npm --prefix app run build`), Node
//! packages (`npm --prefix app ci`) and Chromium; `make test` prepares those and runs it.
use io_e2e::{Options, System};
use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium; `make test` builds the app and runs it"]
async fn the_app_in_chromium() {
    // This crate's own checkout (not the fixture library's: a shared target directory may hold a
    // library built from another checkout of the workspace).
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").join("app");
    assert!(
        app.join("dist/index.html").exists(),
        "no app build in {}: run `npm --prefix app ci && npm --prefix app run build`",
        app.display()
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-browser");
    let s = System::start(Options { dir, ..Options::default() }).expect("the system starts");
    let manifest = s.net.manifest_path.display().to_string();

    // The app's server on a free port; it prints its address first.
    let mut serve = Command::new("node")
        .arg(app.join("scripts/serve.mjs"))
        .args(["--manifest", &manifest, "--indexer", &s.indexer_url, "--port", "0"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start node app/scripts/serve.mjs");
    let mut lines = BufReader::new(serve.stdout.take().expect("stdout")).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("serve.mjs printed nothing in 20 s")
        .expect("read serve.mjs")
        .unwrap_or_default();
    let base =
        first.strip_prefix("serve: ").unwrap_or_else(|| panic!("serve.mjs said {first:?}")).to_string();

    // E2E_HOLD=<seconds>: keep the system and the app up that long instead of running the suite,
    // for running scenarios by hand (`node --test app/e2e/...` with the variables printed here;
    // run with --nocapture to see them); then everything stops as after a run.
    if let Ok(secs) = std::env::var("E2E_HOLD") {
        println!(
            "E2E_BASE_URL={base} E2E_MANIFEST={manifest} E2E_RPC_URL={} E2E_INDEXER_URL={}",
            s.net.rpc_url, s.indexer_url
        );
        tokio::time::sleep(Duration::from_secs(secs.parse().expect("E2E_HOLD: seconds"))).await;
        return;
    }

    // Every scenario file, in name order (the order is the story: the clock jump comes last).
    let mut files: Vec<String> = std::fs::read_dir(app.join("e2e"))
        .expect("app/e2e")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|f| f.ends_with(".e2e.mjs"))
        .map(|f| format!("e2e/{f}"))
        .collect();
    files.sort();
    let mut node = Command::new("node");
    // Killed with the test (a timeout too): node and its Chromium must not outlive the suite.
    node.kill_on_drop(true)
        .current_dir(&app)
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .env("E2E_BASE_URL", &base)
        .env("E2E_MANIFEST", &manifest)
        .env("E2E_RPC_URL", &s.net.rpc_url)
        .env("E2E_INDEXER_URL", &s.indexer_url);
    // E2E_FILTER narrows the run to matching test names while working on one scenario.
    if let Ok(filter) = std::env::var("E2E_FILTER") {
        node.arg(format!("--test-name-pattern={filter}"));
    }
    let status = tokio::time::timeout(Duration::from_secs(900), node.args(&files).status())
        .await
        .expect("the browser suite did not finish in 15 minutes")
        .expect("run node --test");
    assert!(
        status.success(),
        "the browser suite failed ({status}); screenshots and traces in app/e2e/artifacts/\n{}",
        s.logs(20)
    );
}
