//! Clusters on leases (issue 17), on the live local network as `make up` runs it: the demo's
//! cluster lease over atlas-compute's H100 (the head) and fjord-gpu's RTX A6000, each device's
//! worker on its own loopback address with its own Ray node; every other worker runs without
//! clusters. One scenario, in the order a renter and the network live it:
//! 1. the lease's two workers form one Ray cluster, and a job that uses both nodes runs through
//!    `io lease connect` with stock `ray job submit`; `io lease jobs` reads it back with its logs;
//! 2. requests signed by another wallet, replayed, or for another lease are refused at the
//!    gateway and never reach Ray; the tunnel's cost against a direct connection is measured;
//! 3. a worker killed mid-lease is not paid for the time it was gone;
//! 4. closing the lease stops the cluster (no Ray process left, working files wiped), and the
//!    next renter of the same devices gets a fresh cluster: the time from its `io lease open`
//!    to jobs accepted is measured.
use anchor_lang::prelude::Pubkey;
use io_e2e::{cluster_ip, Options, System};
use io_sdk::worker::cluster::{self, node_dir, ACCESS_HEADER, NODE_MARK};
use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    str::FromStr,
    time::{Duration, Instant},
};

const HEAD: (usize, usize) = (0, 0);
const NODE: (usize, usize) = (1, 1);

fn pk(s: &str) -> Pubkey {
    Pubkey::from_str(s).unwrap_or_else(|_| panic!("{s:?} is not a public key"))
}

/// A demo wallet's ed25519 secret.
fn secret(s: &System, wallet: &str) -> [u8; 32] {
    let k = io_sdk::keypair::read_keypair(Path::new(s.wallet_keypair(wallet))).expect("a demo keypair");
    *k.secret_bytes()
}

/// How a test signs for a wallet, like `io lease connect` does per request.
struct Signer {
    genesis: String,
    secret: [u8; 32],
    lease: Pubkey,
    head: Pubkey,
}

impl Signer {
    fn header(&self) -> String {
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        cluster::access_header(
            &self.secret,
            &cluster::access(&self.genesis, &self.lease, &self.head, rand::random(), now),
        )
    }
}

/// GET through the gateway: (status, JSON body), or why no answer came (not listening yet, a
/// timeout): waits retry on that.
async fn try_get(url: &str, header: Option<&str>) -> anyhow::Result<(u16, Value)> {
    let mut req = reqwest::Client::new().get(url).timeout(Duration::from_secs(20));
    if let Some(h) = header {
        req = req.header(ACCESS_HEADER, h);
    }
    let r = req.send().await.map_err(|e| anyhow::anyhow!("GET {url}: {e}"))?;
    let status = r.status().as_u16();
    let text = r.text().await.unwrap_or_default();
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
}

/// [`try_get`] where the gateway must answer.
async fn get(url: &str, header: Option<&str>) -> (u16, Value) {
    try_get(url, header).await.unwrap_or_else(|e| panic!("{e:#}"))
}

/// The running worker's view of its lease's cluster (`cluster` in `run.json`, what `io-worker
/// status` shows), `None` when it serves none.
fn cluster_status(s: &System, d: (usize, usize)) -> Option<Value> {
    let path = Path::new(&s.device(d.0, d.1).worker_state_dir).join("run.json");
    let v: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    Some(v["cluster"].clone()).filter(|c| !c.is_null())
}

/// A Ray process as the provider's machine sees it: every process of a lease's Ray node carries
/// `IO_RAY_NODE=<its working directory>` (`/tmp/io-ray/<lease 8>-<device 8>`) in its environment.
struct RayProcess {
    pid: String,
    node_dir: String,
    token: Option<String>,
}

/// The host's live Ray processes whose working directory belongs to `lease` (its first 8
/// characters).
fn ray_processes(lease: &str) -> Vec<RayProcess> {
    let prefix = format!("{NODE_MARK}={}", node_dir(lease, "").display());
    let mut out = vec![];
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(env) = std::fs::read(e.path().join("environ")) else { continue };
        let vars: Vec<String> =
            env.split(|b| *b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect();
        let Some(dir) =
            vars.iter().find(|v| v.starts_with(&prefix)).map(|v| v[NODE_MARK.len() + 1..].to_string())
        else {
            continue;
        };
        // A zombie keeps its environment until it is reaped, but runs nothing.
        let zombie = std::fs::read_to_string(e.path().join("stat"))
            .is_ok_and(|st| st.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')));
        if zombie {
            continue;
        }
        let token = vars.iter().find_map(|v| v.strip_prefix("RAY_AUTH_TOKEN=").map(str::to_string));
        out.push(RayProcess { pid: e.file_name().to_string_lossy().into_owned(), node_dir: dir, token });
    }
    out
}

fn pids(ps: &[RayProcess]) -> Vec<String> {
    ps.iter().map(|p| format!("{} ({})", p.pid, p.node_dir)).collect()
}

/// Waits until the lease's cluster serves with `nodes` nodes alive, as its renter sees it.
async fn wait_serving(s: &System, gateway: &str, signer: &Signer, nodes: usize, timeout: Duration) -> Value {
    let url = format!("{gateway}{}", cluster::paths::CLUSTER);
    s.wait("the lease's cluster to serve with every node alive", timeout, || async {
        let (status, v) = try_get(&url, Some(&signer.header())).await?;
        let alive = v["nodes"].as_array().map_or(0, |n| n.iter().filter(|n| n["alive"] == true).count());
        if status == 200 && v["state"] == "serving" && alive >= nodes {
            Ok(Some(v))
        } else {
            Err(anyhow::anyhow!("{status}: {v}"))
        }
    })
    .await
}

/// The job the renter runs: one task on each named device's node, each printing where it ran.
const JOB: &str = r#"import sys, ray
ray.init()
@ray.remote(num_cpus=0)
def where(device):
    return device, ray.util.get_node_ip_address()
refs = [where.options(resources={"io_device_" + d: 1}).remote(d) for d in sys.argv[1:]]
for device, ip in ray.get(refs):
    print(f"device {device} ran on node {ip}")
print("alive nodes:", sum(1 for n in ray.nodes() if n["Alive"]))
"#;

/// `io lease connect` as a child process: its address once it listens.
struct Tunnel {
    /// Kept only to be dropped: that kills the tunnel.
    _child: tokio::process::Child,
    address: String,
}

async fn connect(s: &System, wallet: &str, lease: &str) -> Tunnel {
    use tokio::io::AsyncBufReadExt;
    let bins = io_e2e::procs::bin_dir().unwrap();
    let mut child = tokio::process::Command::new(bins.join("io"))
        .args(["--url", &s.net.rpc_url, "--manifest"])
        .arg(&s.net.manifest_path)
        .args(["--keypair", s.wallet_keypair(wallet), "lease", "connect", lease, "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start io lease connect");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(l) = lines.next_line().await.unwrap() {
            if let Some(a) = l.strip_prefix("listening on ") {
                return a.split_whitespace().next().unwrap().to_string();
            }
        }
        panic!("io lease connect ended without listening");
    })
    .await
    .expect("io lease connect listens within 60 s");
    // Its stdout closed here, as by a script that reads the address and goes on (`| head -2`):
    // the tunnel must keep serving (the job below goes through it).
    drop(lines);
    Tunnel { _child: child, address }
}

fn ray_bin() -> PathBuf {
    cluster::default_ray_venv().join("bin").join("ray")
}

/// Medians (ms) of `n` GETs of `url` each on a new connection, three ways interleaved.
async fn median_ms(urls: &[(&str, Option<String>)], n: usize) -> Vec<f64> {
    let mut times = vec![vec![]; urls.len()];
    for _ in 0..n {
        for (i, (url, bearer)) in urls.iter().enumerate() {
            let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
            let mut req = http.get(*url);
            if let Some(b) = bearer {
                req = req.bearer_auth(b);
            }
            let t = Instant::now();
            let r = req.send().await.unwrap();
            assert!(r.status().is_success(), "GET {url}: {}", r.status());
            let _ = r.bytes().await.unwrap();
            times[i].push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort_by(|a, b| a.partial_cmp(b).unwrap());
            t[t.len() / 2]
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_leased_cluster_serves_only_its_renter_and_stops_with_its_lease() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-cluster");
    let s =
        System::start(Options { dir, clusters: vec![HEAD, NODE], demo_cluster: true, ..Options::default() })
            .expect("the system starts");
    let demo = s.manifest.demo.clone().expect("the demo").cluster.expect("the demo's cluster lease");
    let (head, node) = (s.device(HEAD.0, HEAD.1).address.clone(), s.device(NODE.0, NODE.1).address.clone());
    assert_eq!(demo.devices, vec![head.clone(), node.clone()], "the head is the lease's first device");
    let gateway = s.gateways[&head].clone();
    let genesis = s.client().rpc.get_genesis_hash().await.unwrap().to_string();
    let renter = Signer {
        genesis: genesis.clone(),
        secret: secret(&s, "renter"),
        lease: pk(&demo.lease),
        head: pk(&head),
    };

    // 1. The two workers form one cluster; a job on both nodes through the tunnel.
    let view = wait_serving(&s, &gateway, &renter, 2, Duration::from_secs(240)).await;
    eprintln!("demo cluster: {view}");
    let tunnel = connect(&s, "renter", &demo.lease).await;
    let jobdir = tempdir("job");
    std::fs::write(jobdir.join("job.py"), JOB).unwrap();
    let out = tokio::process::Command::new(ray_bin())
        .args(["job", "submit", "--address", &tunnel.address, "--working-dir"])
        .arg(&jobdir)
        .args(["--", "python", "job.py", &head, &node])
        .env("RAY_USAGE_STATS_ENABLED", "0")
        .output();
    let out =
        tokio::time::timeout(Duration::from_secs(300), out).await.expect("the job ends in 5 min").unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ray job submit failed:\n{text}");
    for (d, k) in [(&head, 0), (&node, 1)] {
        assert!(text.contains(&format!("device {d} ran on node {}", cluster_ip(k))), "{text}");
    }
    let (code, jobs, err) =
        s.io(Some(s.wallet_keypair("renter")), &["lease", "jobs", &demo.lease, "--logs"]).await.unwrap();
    assert_eq!(code, 0, "{err}");
    let job = &jobs["jobs"][0];
    assert_eq!(job["status"], "SUCCEEDED", "{jobs}");
    let logs = job["logs"].as_str().unwrap_or_default();
    assert!(logs.contains(&format!("device {node} ran on node {}", cluster_ip(1))), "{logs}");
    assert!(logs.contains("alive nodes: 2"), "{logs}");

    // 2. Only the renter, only fresh, only this lease; refused requests never reach Ray.
    // The worker writes its status every heartbeat (2 s): read it after one has passed.
    let forwarded = |s: &System| cluster_status(s, HEAD).and_then(|v| v["forwarded"].as_u64()).unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = forwarded(&s);
    let jobs_url = format!("{gateway}/api/jobs/");
    let alice = Signer { secret: secret(&s, "alice"), ..renter_clone(&renter) };
    let (status, body) = get(&jobs_url, Some(&alice.header())).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("not_renter")), "{body}");
    let other_lease = Signer { lease: pk(&s.manifest.demo.as_ref().unwrap().lease), ..renter_clone(&renter) };
    let (status, body) = get(&jobs_url, Some(&other_lease.header())).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("wrong_lease")), "{body}");
    let (status, body) = get(&jobs_url, None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("missing_access")), "{body}");
    let once = renter.header();
    let (status, body) = get(&jobs_url, Some(&once)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&jobs_url, Some(&once)).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("replayed")), "{body}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(forwarded(&s), before + 1, "only the one good request reached Ray");

    // The tunnel's cost: Ray's job API directly (its token), through the gateway signed by the
    // test, and through `io lease connect`; interleaved, a new connection per request.
    // Direct: the head's dashboard (its port block's +65) with the lease's Ray token, read where
    // the provider can read it, in the environment of the head's Ray processes.
    let dashboard = format!("http://{}:{}/api/jobs/", cluster_ip(0), io_e2e::system::ray_ports(0) + 65);
    let token = ray_processes(&demo.lease).into_iter().find_map(|p| p.token).expect("the lease's Ray token");
    let through = format!("{}/api/jobs/", tunnel.address);
    let m = median_ms(&[(&dashboard, Some(token)), (&through, None)], 40).await;
    eprintln!(
        "FIGURE tunnel: GET /api/jobs/ median direct {:.2} ms, through io lease connect + gateway {:.2} ms: +{:.2} ms ({:.2}×)",
        m[0],
        m[1],
        m[1] - m[0],
        m[1] / m[0]
    );

    // 3. A worker killed mid-lease is not paid for the time it was gone.
    let killed_dir = node_dir(&demo.lease, &node).display().to_string();
    assert!(ray_processes(&demo.lease).iter().any(|p| p.node_dir == killed_dir), "the node's Ray runs");
    let t0 = s.chain_now().await.unwrap();
    s.kill_worker(&node);
    s.wait("the killed worker's Ray node to go with it", Duration::from_secs(20), || async {
        let left: Vec<RayProcess> =
            ray_processes(&demo.lease).into_iter().filter(|p| p.node_dir == killed_dir).collect();
        if left.is_empty() {
            Ok(Some(()))
        } else {
            Err(anyhow::anyhow!("{:?}", pids(&left)))
        }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(30)).await;
    s.start_worker(&node).unwrap();
    let t1 = s.chain_now().await.unwrap();
    wait_serving(&s, &gateway, &renter, 2, Duration::from_secs(180)).await;
    // The report of the period after the one the worker came back in covers the whole gap.
    let until = (t1 / io_e2e::PERIOD) as u64 + 1;
    let report = s
        .wait("a certified report past the gap", Duration::from_secs(300), || async {
            let r = s.latest_report(0).await?;
            Ok(r.filter(|r| r["period"].as_u64().is_some_and(|p| p >= until)))
        })
        .await;
    let seconds = |d: &str| {
        report["report"]["usage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["lease"] == demo.lease.as_str() && l["device"] == d)
            .and_then(|l| l["seconds"].as_u64())
            .unwrap_or(0)
    };
    let (head_s, node_s) = (seconds(&head), seconds(&node));
    let gap = u64::try_from(t1 - t0).unwrap();
    eprintln!("usage: head {head_s} s, node {node_s} s, the node's worker was gone {gap} chain s");
    assert!(node_s > 0, "the node served before and after: {report}");
    assert!(
        head_s >= node_s + gap * 8 / 10,
        "head {head_s} s vs node {node_s} s: the gap of {gap} s is paid"
    );

    // 4. Closing stops the cluster; the next renter gets a fresh one.
    let dirs: Vec<String> =
        [&head, &node].iter().map(|d| node_dir(&demo.lease, d).display().to_string()).collect();
    assert!(dirs.iter().all(|d| Path::new(d).is_dir()), "each node works in {dirs:?}");
    let (code, _, err) =
        s.io(Some(s.wallet_keypair("renter")), &["lease", "close", &demo.lease]).await.unwrap();
    assert_eq!(code, 0, "{err}");
    wait_stopped(&s, &demo.lease, &dirs).await;
    drop(tunnel);
    let (status, body) = get(&format!("{gateway}{}", cluster::paths::CLUSTER), Some(&renter.header())).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("no_cluster")), "{body}");

    let opened = Instant::now();
    let (code, o, err) = s
        .io(
            Some(s.wallet_keypair("alice")),
            &["lease", "open", "--device", &head, "--device", &node, "--hours", "24", "--pay", "usdc"],
        )
        .await
        .unwrap();
    assert_eq!(code, 0, "{err}");
    let confirmed = opened.elapsed();
    let lease = o["lease"].as_str().unwrap().to_string();
    let alice = Signer { genesis, secret: secret(&s, "alice"), lease: pk(&lease), head: pk(&head) };
    let accepting = Instant::now();
    s.wait("the new lease's cluster to accept jobs", Duration::from_secs(180), || async {
        let (status, v) = try_get(&jobs_url, Some(&alice.header())).await?;
        if status == 200 {
            Ok(Some(v))
        } else {
            Err(anyhow::anyhow!("{status}: {v}"))
        }
    })
    .await;
    let ready = accepting.elapsed();
    wait_serving(&s, &gateway, &alice, 2, Duration::from_secs(180)).await;
    let complete = accepting.elapsed();
    eprintln!(
        "FIGURE ready: io lease open confirmed in {:.1} s; then jobs accepted after {:.1} s, both nodes alive after {:.1} s",
        confirmed.as_secs_f64(),
        ready.as_secs_f64(),
        complete.as_secs_f64()
    );
    let (_, fresh) = get(&jobs_url, Some(&alice.header())).await;
    assert_eq!(fresh, Value::Array(vec![]), "a fresh cluster has no earlier renter's jobs");
    let renter_on_alices = Signer { lease: pk(&lease), ..renter_clone(&renter) };
    let (status, body) = get(&jobs_url, Some(&renter_on_alices.header())).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("not_renter")), "{body}");
    let (code, _, err) = s.io(Some(s.wallet_keypair("alice")), &["lease", "close", &lease]).await.unwrap();
    assert_eq!(code, 0, "{err}");
    // Her cluster stops too (and the test leaves nothing in /tmp/io-ray).
    let dirs: Vec<String> =
        [&head, &node].iter().map(|d| node_dir(&lease, d).display().to_string()).collect();
    wait_stopped(&s, &lease, &dirs).await;
}

/// Waits until `lease` has no Ray process on this host and none of its nodes' `dirs` is left.
async fn wait_stopped(s: &System, lease: &str, dirs: &[String]) {
    s.wait("the closed lease's cluster to stop", Duration::from_secs(60), || async {
        let left = ray_processes(lease);
        let files: Vec<&String> = dirs.iter().filter(|d| Path::new(d).exists()).collect();
        if left.is_empty() && files.is_empty() {
            Ok(Some(()))
        } else {
            Err(anyhow::anyhow!("processes {:?}, dirs {files:?}", pids(&left)))
        }
    })
    .await;
}

fn renter_clone(r: &Signer) -> Signer {
    Signer { genesis: r.genesis.clone(), secret: r.secret, lease: r.lease, head: r.head }
}

fn tempdir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("e2e-cluster-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
