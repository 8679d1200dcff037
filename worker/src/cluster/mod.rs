//! Clusters on leases (issue 17): while its device serves a lease, the worker runs the device's
//! part of the lease's Ray cluster and, on the lease's first device, the gateway through which
//! only the lease's renter reaches it.
//!
//! - [`context`]: the lease's cluster as this worker serves it (shared by all below).
//! - [`watch`]: polls the chain for the lease the device serves; starts and stops the cluster.
//! - [`serve`]: one lease's Ray node on this device, started again when it dies.
//! - [`join`]: a non-head device asks the head's gateway for the Ray head's address and token.
//! - [`gateway`]: the worker's endpoint: joins, the renter's cluster view, the Ray job API.
//! - [`ray`], [`node`], [`ports`]: the Ray install, one Ray node in its own PID namespace, its
//!   port block.
pub mod context;
pub mod gateway;
pub mod join;
pub mod node;
pub mod ports;
pub mod ray;
pub mod serve;
pub mod watch;

use std::{
    io::Read,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    time::Duration,
};

/// How the worker runs the clusters of its leases (`io-worker run` flags).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The Ray virtual environment.
    pub venv: PathBuf,
    /// Where the gateway listens.
    pub gateway: SocketAddr,
    /// What heartbeats advertise as the gateway's URL.
    pub public_url: String,
    /// Ray's node IP on this device (where the other devices of a lease reach its Ray ports).
    pub cluster_ip: IpAddr,
    /// The first port of this device's Ray port block.
    pub ray_ports: u16,
    pub object_store_bytes: u64,
    /// How often the chain is read for the lease the device serves.
    pub lease_poll: Duration,
    /// What the device's Ray node declares.
    pub resources: Resources,
    /// Oracle node base URLs: where a joining worker finds the head's gateway.
    pub oracles: Vec<String>,
}

/// What a device's Ray node declares to the cluster's scheduler, from the detected hardware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resources {
    pub cpus: u32,
    pub gpus: u32,
    pub memory_bytes: u64,
}

/// The URL heartbeats advertise for the gateway: `--public-url` when given, else the gateway
/// address, with the cluster IP standing in for a wildcard listen address.
pub fn public_url(given: Option<&str>, gateway: SocketAddr, cluster_ip: IpAddr) -> String {
    if let Some(u) = given {
        return u.trim_end_matches('/').to_string();
    }
    let host = if gateway.ip().is_unspecified() { cluster_ip } else { gateway.ip() };
    format!("http://{}", SocketAddr::new(host, gateway.port()))
}

/// 32 bytes from the kernel's random source (Ray tokens, join nonces).
pub fn random32() -> std::io::Result<[u8; 32]> {
    let mut b = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    Ok(b)
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_url_replaces_a_wildcard_with_the_cluster_ip() {
        let ip: IpAddr = "127.0.0.41".parse().unwrap();
        assert_eq!(public_url(None, "0.0.0.0:7960".parse().unwrap(), ip), "http://127.0.0.41:7960");
        assert_eq!(public_url(None, "10.1.2.3:80".parse().unwrap(), ip), "http://10.1.2.3:80");
        assert_eq!(
            public_url(Some("https://gw.example/"), "0.0.0.0:1".parse().unwrap(), ip),
            "https://gw.example"
        );
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random32().unwrap(), random32().unwrap());
        assert_ne!(a, b);
        assert_eq!(hex(&a).len(), 64);
        assert_eq!(hex(&[0, 255]), "00ff");
    }
}
