//! What the worker reads on chain: the cluster it is on, its device (the one whose record names
//! this worker key), the oracle set that may challenge it, and its leases and earnings.
use anyhow::{anyhow, bail, Context, Result};
use io_escrow::{EscrowConfig, Lease, LeaseStatus, Offer};
use io_oracle::OracleConfig;
use io_sdk::{client::Client, worker, Pubkey};
use io_staking::{Device, DeviceStatus};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};

/// Genesis hashes of the public clusters (solana-cluster-type's table): a cluster with one of
/// these is never a local network.
pub const PUBLIC_CLUSTERS: [(&str, &str); 3] = [
    ("mainnet-beta", "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"),
    ("testnet", "4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY"),
    ("devnet", "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"),
];

/// The cluster the worker talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Genesis hash, base58: what every message names.
    pub genesis: String,
    /// Whether this is a local network, on which a device may be simulated.
    pub local: bool,
    /// Why it is or is not local, in words (shown by `status` and the refusal to simulate).
    pub why: String,
}

/// Whether `url`'s host is this machine.
pub fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split('/').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The local-network rule: a cluster is local when (1) the RPC node is on this machine, (2) its
/// genesis hash is none of the public clusters', and (3) io_oracle's config names that same
/// genesis hash as its cluster id (the programs were set up for this node, not copied from
/// elsewhere). A flag alone never makes a cluster local; `--simulate` only asks to use it.
pub fn classify(rpc_url: &str, genesis: &str, oracle_cluster_id: &[u8; 32]) -> Cluster {
    let named = Pubkey::new_from_array(*oracle_cluster_id).to_string();
    let public = PUBLIC_CLUSTERS.iter().find(|(_, h)| *h == genesis).map(|(n, _)| *n);
    let (local, why) = if let Some(name) = public {
        (false, format!("{name} (genesis {genesis})"))
    } else if named != genesis {
        (false, format!("io_oracle's cluster id {named} is not this node's genesis hash {genesis}"))
    } else if !is_loopback(rpc_url) {
        (false, format!("the RPC node {rpc_url} is not on this machine"))
    } else {
        (true, format!("local network (genesis {genesis}, RPC on this machine)"))
    };
    Cluster { genesis: genesis.to_string(), local, why }
}

/// A connection used only to read.
pub struct Chain {
    pub client: Client,
}

impl Chain {
    pub fn new(url: &str, key: &solana_keypair::Keypair) -> Chain {
        let client = Client::new(
            url.to_string(),
            solana_commitment_config::CommitmentConfig::confirmed(),
            key.insecure_clone(),
        );
        Chain { client }
    }

    pub async fn oracle_config(&self) -> Result<OracleConfig> {
        self.client.account::<OracleConfig>(&io_sdk::oracle::config()).await?.ok_or_else(|| {
            anyhow!(
                "io_oracle is not initialised on this cluster (no config at {})",
                io_sdk::oracle::config()
            )
        })
    }

    pub async fn cluster(&self) -> Result<Cluster> {
        let genesis = self.client.rpc.get_genesis_hash().await.map_err(|e| self.client.error(&e))?;
        let config = self.oracle_config().await?;
        Ok(classify(self.client.url(), &genesis.to_string(), &config.cluster_id))
    }

    /// The device whose record names `worker`, refusing with a plain message when there is none
    /// or more than one (and no `operator` to choose). Whether it may serve: [`may_serve`].
    pub async fn device(&self, worker: &Pubkey, operator: Option<&Pubkey>) -> Result<(Pubkey, Device)> {
        let filters = vec![RpcFilterType::Memcmp(Memcmp::new_raw_bytes(
            worker::WORKER_KEY_OFFSET,
            worker.to_bytes().to_vec(),
        ))];
        let mut found: Vec<(Pubkey, Device)> = self
            .client
            .program_accounts::<Device>(&io_staking::ID, filters)
            .await?
            .into_iter()
            .filter(|(_, d)| worker::bound_worker(d) == *worker && operator.is_none_or(|o| d.operator == *o))
            .collect();
        // A retired record stays on chain; when another names the key too, that one is meant.
        if found.iter().any(|(_, d)| d.status != DeviceStatus::Retired) {
            found.retain(|(_, d)| d.status != DeviceStatus::Retired);
        }
        let (address, device) = match found.len() {
            0 => bail!(
                "no device on this cluster names the worker key {worker}{}: have its operator register it with \
                 `io device add --worker-key {worker} ...` or bind it to a device with `io device bind-worker DEVICE \
                 {worker}`",
                operator.map(|o| format!(" under operator {o}")).unwrap_or_default()
            ),
            1 => found.remove(0),
            _ => bail!(
                "{} devices name the worker key {worker} ({}): pass --operator OPERATOR to say which is yours",
                found.len(),
                found.iter().map(|(k, d)| format!("{k} of operator {}", d.operator)).collect::<Vec<_>>().join(", ")
            ),
        };
        Ok((address, device))
    }

    /// Whether `key` may sign for the oracle set now (the current set, or the previous one in
    /// its grace), by io_oracle's own rule and the chain's clock.
    pub async fn oracle_may_sign(&self, key: &Pubkey) -> Result<bool> {
        let config = self.oracle_config().await?;
        let now = self.chain_time().await?;
        Ok(config.may_sign(key, now))
    }

    async fn chain_time(&self) -> Result<i64> {
        let slot = self.client.rpc.get_slot().await.map_err(|e| self.client.error(&e))?;
        self.client.rpc.get_block_time(slot).await.map_err(|e| self.client.error(&e)).context("block time")
    }

    /// The lease `device` serves now (open and not past its end), with what the cluster needs:
    /// its renter and its devices in order. Lighter than [`Self::leases`] (no
    /// earnings), for the lease watcher's frequent polls.
    ///
    /// Reads two accounts, whatever the number of leases on chain: the device's offer (PDA
    /// `["offer", device]`, which io_escrow points at the lease holding the device, and which is
    /// never closed) and that lease.
    pub async fn serving_lease(&self, device: &Pubkey) -> Result<Option<ServedLease>> {
        let Some(offer) = self.client.account::<Offer>(&io_sdk::escrow::offer(device)).await? else {
            return Ok(None);
        };
        if offer.lease == Pubkey::default() {
            return Ok(None);
        }
        let Some(lease) = self.client.account::<Lease>(&offer.lease).await? else { return Ok(None) };
        let now = self.chain_time().await?;
        // The offer names the device's newest lease; that lease must still list the device.
        Ok((serves_now(&lease, now) && lease.devices.iter().any(|d| d.device == *device)).then(|| {
            ServedLease {
                address: offer.lease,
                renter: lease.renter,
                devices: lease.devices.iter().map(|d| d.device).collect(),
            }
        }))
    }

    /// The worker key each of `devices` binds on chain (what signs its join).
    pub async fn worker_keys(&self, devices: &[Pubkey]) -> Result<Vec<(Pubkey, Pubkey)>> {
        let mut out = Vec::with_capacity(devices.len());
        for d in devices {
            let record: Device =
                self.client.account(d).await?.ok_or_else(|| {
                    anyhow!("device {d} of the lease has no io_staking record on this cluster")
                })?;
            out.push((*d, worker::bound_worker(&record)));
        }
        Ok(out)
    }

    /// The device's leases: the one it serves now (open and not past its end) and what they
    /// paid for it.
    pub async fn leases(&self, device: &Pubkey) -> Result<Leases> {
        let leases: Vec<(Pubkey, Lease)> =
            self.client.program_accounts::<Lease>(&io_escrow::ID, vec![]).await?;
        let now = self.chain_time().await?;
        let config: Option<EscrowConfig> = self.client.account(&io_sdk::escrow::config()).await?;
        let mut out = Leases::default();
        for (address, lease) in leases {
            let Some(d) = lease.devices.iter().find(|d| d.device == *device) else { continue };
            out.count += 1;
            if serves_now(&lease, now) {
                out.serving = Some(address);
            }
            let currency =
                config.as_ref().and_then(|c| io_sdk::names::Currency::of_mint(&lease.payment_mint, c));
            let symbol = currency.map_or_else(|| lease.payment_mint.to_string(), |c| c.symbol().to_string());
            let entry = match out.paid.iter_mut().find(|e| e.mint == lease.payment_mint) {
                Some(e) => e,
                None => {
                    let decimals = self.client.mint_decimals(&lease.payment_mint).await?;
                    out.paid.push(Earned { mint: lease.payment_mint, symbol, decimals, base_units: 0 });
                    out.paid.last_mut().expect("just pushed")
                }
            };
            entry.base_units =
                entry.base_units.checked_add(d.paid).ok_or_else(|| anyhow!("earnings overflow u64"))?;
        }
        Ok(out)
    }
}

/// Refuses a device that cannot serve: retired (final) or jailed.
pub fn may_serve(address: &Pubkey, device: &Device) -> Result<()> {
    match device.status {
        DeviceStatus::Retired => {
            bail!(
            "device {address} is retired (final): its operator can register a new device naming this key \
             (`io device add --worker-key KEY ...`)"
        )
        }
        DeviceStatus::Jailed => bail!(
            "device {address} is jailed by the oracles (failed challenges or downtime): it cannot serve until it is \
             reinstated"
        ),
        DeviceStatus::Pending | DeviceStatus::Active => Ok(()),
    }
}

/// The lease a device serves now, as its cluster needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedLease {
    pub address: Pubkey,
    pub renter: Pubkey,
    /// In the lease's order: the first heads the cluster.
    pub devices: Vec<Pubkey>,
}

/// Whether a lease is served at chain time `now`: open and its paid time not over (a lease whose
/// deposit ran out is past its end).
fn serves_now(lease: &Lease, now: i64) -> bool {
    lease.status == LeaseStatus::Open && now < lease.end_ts
}

/// What io_escrow's leases say about one device.
#[derive(Debug, Default, Clone)]
pub struct Leases {
    /// Leases that list the device (any status).
    pub count: u32,
    /// An open lease whose paid time has not ended.
    pub serving: Option<Pubkey>,
    /// Σ `LeaseDevice::paid` per payment mint.
    pub paid: Vec<Earned>,
}

#[derive(Debug, Clone)]
pub struct Earned {
    pub mint: Pubkey,
    pub symbol: String,
    pub decimals: u8,
    pub base_units: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> [u8; 32] {
        s.parse::<Pubkey>().unwrap().to_bytes()
    }

    #[test]
    fn public_clusters_are_never_local() {
        let main = PUBLIC_CLUSTERS[0].1;
        let c = classify("http://127.0.0.1:8899", main, &id(main));
        assert!(!c.local);
        assert!(c.why.starts_with("mainnet-beta"));
    }

    #[test]
    fn local_needs_loopback_and_the_oracle_cluster_id() {
        let g = Pubkey::new_from_array([9; 32]).to_string();
        assert!(classify("http://127.0.0.1:8899", &g, &id(&g)).local);
        assert!(classify("http://localhost:1234/", &g, &id(&g)).local);
        let remote = classify("https://rpc.example.com", &g, &id(&g));
        assert!(!remote.local && remote.why.contains("not on this machine"));
        let other = classify("http://127.0.0.1:8899", &g, &[1; 32]);
        assert!(!other.local && other.why.contains("cluster id"));
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:8899"));
        assert!(is_loopback("http://[::1]:8899"));
        assert!(!is_loopback("http://10.0.0.1:8899"));
        assert!(!is_loopback("http://127.example.com"));
    }
}
