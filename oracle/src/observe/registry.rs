//! The devices this node knows, by io_staking account and by bound worker key: read from the
//! chain every `workers.registry_refresh_ms`, and at once (at most once a second) when a
//! heartbeat names a device or key the last read did not have (a device just registered or
//! re-bound). Tests and benchmarks build one from a list.
use crate::chain;
use io_sdk::{client::Client, Pubkey};
use io_staking::{Device, DeviceStatus, HardwareClass};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

/// Least wall time between two reads forced by unknown keys.
const FORCED_REFRESH_EVERY: Duration = Duration::from_secs(1);

/// What the node needs of a device to judge its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registered {
    /// The io_staking device account.
    pub address: Pubkey,
    /// The worker key the chain binds to it: the only key whose messages count for it.
    pub worker_key: Pubkey,
    pub class: HardwareClass,
    pub status: DeviceStatus,
}

impl Registered {
    pub fn from_chain(address: Pubkey, d: &Device) -> Registered {
        Registered { address, worker_key: io_sdk::worker::bound_worker(d), class: d.class, status: d.status }
    }
}

#[derive(Default)]
struct Maps {
    by_address: HashMap<Pubkey, Registered>,
    /// Worker key → device account.
    by_worker: HashMap<Pubkey, Pubkey>,
}

#[derive(Default)]
pub struct Registry {
    maps: RwLock<Maps>,
    /// When the chain was last read (None: never; a registry from a list is never re-read
    /// unless asked to).
    last_read: tokio::sync::Mutex<Option<Instant>>,
}

impl Registry {
    /// A registry holding exactly `devices` (tests, benchmarks).
    pub fn from_list(devices: impl IntoIterator<Item = Registered>) -> Registry {
        let r = Registry::default();
        r.replace(devices);
        r
    }

    /// Replaces the whole list.
    pub fn replace(&self, devices: impl IntoIterator<Item = Registered>) {
        let mut m = Maps::default();
        for d in devices {
            m.by_worker.insert(d.worker_key, d.address);
            m.by_address.insert(d.address, d);
        }
        *self.maps.write().unwrap_or_else(|p| p.into_inner()) = m;
    }

    pub fn get(&self, address: &Pubkey) -> Option<Registered> {
        self.maps.read().unwrap_or_else(|p| p.into_inner()).by_address.get(address).copied()
    }

    /// The device a worker key is bound to.
    pub fn by_worker(&self, worker: &Pubkey) -> Option<Registered> {
        let m = self.maps.read().unwrap_or_else(|p| p.into_inner());
        m.by_worker.get(worker).and_then(|a| m.by_address.get(a)).copied()
    }

    /// Every known device.
    pub fn all(&self) -> Vec<Registered> {
        self.maps.read().unwrap_or_else(|p| p.into_inner()).by_address.values().copied().collect()
    }

    pub fn len(&self) -> usize {
        self.maps.read().unwrap_or_else(|p| p.into_inner()).by_address.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads every device from the chain.
    pub async fn refresh(&self, client: &Client) -> anyhow::Result<()> {
        let mut last = self.last_read.lock().await;
        self.read(client).await?;
        *last = Some(Instant::now());
        Ok(())
    }

    /// Reads the chain again unless it was read less than a second ago (callers that arrive
    /// during a read wait for it and use its result).
    pub async fn refresh_soon(&self, client: &Client) -> anyhow::Result<()> {
        let mut last = self.last_read.lock().await;
        if last.is_some_and(|t| t.elapsed() < FORCED_REFRESH_EVERY) {
            return Ok(());
        }
        let r = self.read(client).await;
        // A failed read also counts: an unreachable RPC is not asked again per heartbeat.
        *last = Some(Instant::now());
        r
    }

    async fn read(&self, client: &Client) -> anyhow::Result<()> {
        let devices = chain::devices(client).await?;
        self.replace(devices.iter().map(|(a, d)| Registered::from_chain(*a, d)));
        Ok(())
    }
}

/// Reads the chain every `every` until the process ends.
pub fn spawn_refresher(registry: Arc<Registry>, client: Arc<Client>, every: Duration) {
    tokio::spawn(async move {
        let mut warned = false;
        loop {
            match registry.refresh(&client).await {
                Ok(()) => warned = false,
                Err(e) if !warned => {
                    tracing::warn!("cannot read the registered devices: {e:#}");
                    warned = true;
                }
                Err(_) => {}
            }
            tokio::time::sleep(every).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_by_account_and_worker_key() {
        let d = |a: u8, w: u8| Registered {
            address: Pubkey::new_from_array([a; 32]),
            worker_key: Pubkey::new_from_array([w; 32]),
            class: HardwareClass::Cpu,
            status: DeviceStatus::Pending,
        };
        let r = Registry::from_list([d(1, 11), d(2, 12)]);
        assert_eq!(r.get(&Pubkey::new_from_array([2; 32])), Some(d(2, 12)));
        assert_eq!(r.by_worker(&Pubkey::new_from_array([11; 32])), Some(d(1, 11)));
        // Re-bound: the old key no longer names the device.
        r.replace([d(1, 21), d(2, 12)]);
        assert_eq!(r.by_worker(&Pubkey::new_from_array([11; 32])), None);
        assert_eq!(
            r.by_worker(&Pubkey::new_from_array([21; 32])).unwrap().address,
            Pubkey::new_from_array([1; 32])
        );
        assert_eq!(r.len(), 2);
    }
}
