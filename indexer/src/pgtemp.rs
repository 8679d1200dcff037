//! A throwaway PostgreSQL server for tests and benchmarks. With `DATABASE_URL` set (a role that
//! may `CREATE DATABASE`), that server is used. Otherwise one is started from the machine's
//! packages (`/usr/lib/postgresql/<version>/bin`, or `PG_BIN`): `initdb` into a fresh temporary
//! directory, `pg_ctl start` on a free loopback port, once per process — for tests with
//! durability off (`fsync=off`), for the benchmark with `fsync` on and `synchronous_commit=off`
//! (like SQLite's WAL with `synchronous=NORMAL`: a crash may lose the last commits, never
//! corrupts).
//! PostgreSQL refuses to run as root, so as root the directory is handed to the `postgres` user
//! and the commands run through `runuser -u postgres --`. A watchdog shell in its own process
//! group stops the server (`pg_ctl stop -m immediate`) and removes the directory as soon as the
//! test process exits, however it exits. Each caller gets its own database. Panics when no
//! server can be had: it is a test and benchmark utility, not part of the service.
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

static ADMIN_URL: OnceLock<String> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn bin_dir() -> PathBuf {
    if let Ok(p) = std::env::var("PG_BIN") {
        return PathBuf::from(p);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("no DATABASE_URL and no /usr/lib/postgresql: install PostgreSQL or set DATABASE_URL")
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, p): &(u32, PathBuf)| p.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop().expect("no PostgreSQL server binaries under /usr/lib/postgresql").1
}

/// `cmd args…`, through `runuser -u postgres --` when running as root.
fn as_pg_user(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn start_server(durable: bool) -> String {
    let bin = bin_dir();
    let root = is_root();
    let dir = std::env::temp_dir().join(format!("io-indexer-pg-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    if root {
        let ok =
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().map(|s| s.success());
        assert_eq!(ok.ok(), Some(true), "chown of {} to postgres failed", dir.display());
    }
    let data = dir.join("data");
    let out = as_pg_user(root, &bin.join("initdb"))
        .arg("-D")
        .arg(&data)
        .args(["--username=postgres", "--auth=trust", "--encoding=UTF8", "--no-sync", "--no-instructions"])
        .stdout(Stdio::null())
        .output()
        .expect("running initdb");
    assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
    let port = free_port();
    let durability = if durable {
        "-c synchronous_commit=off"
    } else {
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    };
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 {durability} -c max_connections=300 -c shared_buffers=256MB",
        dir.display()
    );
    let pg_ctl = bin.join("pg_ctl");
    let out = as_pg_user(root, &pg_ctl)
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(dir.join("server.log"))
        .args(["-o", &opts, "-w", "-t", "60", "start"])
        .stdout(Stdio::null())
        .output()
        .expect("running pg_ctl start");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
    );
    // Watchdog: stop and clean up once this process is gone.
    let runner = if root { "runuser -u postgres -- " } else { "" };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {runner}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        pg_ctl = pg_ctl.display(),
        data = data.display(),
        dir = dir.display(),
    );
    use std::os::unix::process::CommandExt;
    // Deliberately not waited for: it outlives this process to clean up after it.
    #[allow(clippy::zombie_processes)]
    let _watchdog = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawning the watchdog");
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

/// URL of a server on which tests and benchmarks may create databases (`DATABASE_URL`, or a
/// server started on first use).
pub fn admin_url() -> &'static str {
    admin_url_with(false)
}

/// [`admin_url`], starting a server with `fsync` on when `durable` (the first call decides).
pub fn admin_url_with(durable: bool) -> &'static str {
    ADMIN_URL.get_or_init(|| std::env::var("DATABASE_URL").unwrap_or_else(|_| start_server(durable)))
}

/// A fresh, empty database; its URL.
pub async fn fresh_database() -> String {
    use sqlx::Connection;
    let admin = admin_url_with(false);
    let name = format!("io_indexer_{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::Relaxed));
    let mut c = sqlx::PgConnection::connect(admin).await.expect("connecting to the PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut c).await.expect("CREATE DATABASE");
    let _ = c.close().await;
    let (url, query) = admin.split_once('?').map_or((admin, None), |(u, q)| (u, Some(q)));
    let (base, _) = url.rsplit_once('/').expect("database url with a path");
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}
