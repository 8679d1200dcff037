//! The import rule of the README ("What may import what"), checked against the workspace's real
//! manifests: each package's normal dependencies (not dev-dependencies: tests may use anything) on
//! other workspace packages must be edges the rule allows. A crate that gains a forbidden
//! dependency fails this test.
use serde_json::Value;
use std::{path::Path, process::Command};

/// Where a workspace package sits in the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    /// `programs/*`: the on-chain programs.
    Program,
    /// io-math, io-merkle, io-program-kit: what the programs are built from.
    ProgramBase,
    /// io-proof: pure Rust for the off-chain services (worker, oracle nodes), never on chain.
    Proof,
    /// io-native: the programs (the sdk's list) registered as native builtins, for the harness and
    /// the local network.
    Native,
    /// io-sdk: the shared vocabulary of every client.
    Sdk,
    /// io-testkit: the test harness.
    Testkit,
    /// io-e2e (`tests/`): the end-to-end suite — the whole system as a user meets it, so it may
    /// use any crate, and nothing may use it.
    EndToEnd,
    /// Everything else: services and front ends (cli, indexer, localnet, the coming worker,
    /// oracle nodes and verifier). A new crate is one unless the table says otherwise.
    Service,
}

fn layer(name: &str, manifest_path: &str) -> Layer {
    match name {
        "io-math" | "io-merkle" | "io-program-kit" => Layer::ProgramBase,
        "io-proof" => Layer::Proof,
        "io-native" => Layer::Native,
        "io-sdk" => Layer::Sdk,
        "io-testkit" => Layer::Testkit,
        "io-e2e" => Layer::EndToEnd,
        _ if Path::new(manifest_path).components().any(|c| c.as_os_str() == "programs") => Layer::Program,
        _ => Layer::Service,
    }
}

/// Whether a package of layer `from` (named `from_name`) may depend on one of layer `to` outside
/// its tests. The table of the README, edge by edge.
fn allowed(from_name: &str, from: Layer, to: Layer) -> bool {
    use Layer::*;
    match (from, to) {
        // Nothing but tests imports the harness (the harness's own examples are its tests' kin).
        (_, Testkit | EndToEnd) => false,
        (EndToEnd, _) => true,
        (ProgramBase, ProgramBase) => true,
        (Proof, ProgramBase) => true,
        // A program calls other programs (CPI) and is built from math, merkle and the kit.
        (Program, Program | ProgramBase) => true,
        // The sdk's worker protocol converts to and from the proof crate's types (one place).
        (Sdk, Program | ProgramBase | Proof) => true,
        (Native, Program | Sdk) => true,
        (Testkit, Program | ProgramBase | Sdk | Native) => true,
        // Services speak the sdk (and the program types it is built on); the local network alone
        // also runs the programs, through io-native.
        (Service, Sdk | Program | ProgramBase | Proof) => true,
        (Service, Native) => from_name == "io-localnet",
        _ => false,
    }
}

/// Every forbidden edge in `cargo metadata --no-deps` output: "from -> to".
fn violations(metadata: &Value) -> Vec<String> {
    let packages = metadata["packages"].as_array().expect("metadata lists packages");
    let layer_of = |name: &str| {
        packages
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| layer(name, p["manifest_path"].as_str().unwrap_or_default()))
    };
    let mut bad = Vec::new();
    for p in packages {
        let name = p["name"].as_str().expect("package name");
        let from = layer_of(name).expect("a listed package");
        for d in p["dependencies"].as_array().into_iter().flatten() {
            // `kind` is null for normal dependencies, "dev" or "build" otherwise.
            if !d["kind"].is_null() {
                continue;
            }
            let dep = d["name"].as_str().expect("dependency name");
            if let Some(to) = layer_of(dep) {
                if !allowed(name, from, to) {
                    bad.push(format!("{name} ({from:?}) -> {dep} ({to:?})"));
                }
            }
        }
    }
    bad
}

fn workspace_metadata() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(&root)
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("cargo metadata JSON")
}

#[test]
fn workspace_follows_the_import_rule() {
    let metadata = workspace_metadata();
    let names: Vec<&str> =
        metadata["packages"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    // The check sees the crates it is about (a broken metadata call would pass vacuously).
    for expected in ["io-staking", "io-sdk", "io-native", "io-testkit", "io-cli", "io-localnet", "io-indexer"]
    {
        assert!(names.contains(&expected), "{expected} missing from the workspace metadata: {names:?}");
    }
    let bad = violations(&metadata);
    assert!(bad.is_empty(), "dependencies the README's import rule forbids:\n{}", bad.join("\n"));
}

#[test]
fn the_rule_rejects_forbidden_edges() {
    use Layer::*;
    assert!(!allowed("io-localnet", Service, Testkit), "a service may not import the test harness");
    assert!(!allowed("io-staking", Program, Sdk), "a program may not import the sdk");
    assert!(!allowed("io-staking", Program, Proof), "a program may not import the off-chain proof");
    assert!(!allowed("io-sdk", Sdk, Service), "the sdk may not import a service");
    assert!(!allowed("io-sdk", Sdk, Native), "the sdk may not run programs");
    assert!(!allowed("io-cli", Service, Native), "only the local network registers the programs");
    assert!(!allowed("io-cli", Service, Service), "services do not import each other");
    assert!(allowed("io-cli", Service, Sdk));
    assert!(allowed("io-localnet", Service, Native));
}

#[test]
fn a_forbidden_dependency_in_the_metadata_is_reported() {
    // The same check over a workspace where the local network depends on the harness again, and
    // a dev-dependency that is fine.
    let metadata = serde_json::json!({ "packages": [
        { "name": "io-testkit", "manifest_path": "/w/crates/testkit/Cargo.toml", "dependencies": [] },
        { "name": "io-sdk", "manifest_path": "/w/crates/sdk/Cargo.toml", "dependencies": [] },
        { "name": "io-localnet", "manifest_path": "/w/localnet/Cargo.toml", "dependencies": [
            { "name": "io-sdk", "kind": null },
            { "name": "io-testkit", "kind": null },
            { "name": "serde", "kind": null },
        ] },
        { "name": "io-cli", "manifest_path": "/w/cli/Cargo.toml", "dependencies": [
            { "name": "io-testkit", "kind": "dev" },
        ] },
    ] });
    assert_eq!(violations(&metadata), ["io-localnet (Service) -> io-testkit (Testkit)"]);
}
