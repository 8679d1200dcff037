//! Each device's latest accepted heartbeat, kept as the worker signed it (memory only: it is a
//! directory, not an observation): `GET /v1/devices/{device}/heartbeat` serves it, so a renter's
//! client or another worker finds a device's gateway `endpoint` and checks it against the
//! device's on-chain worker key without trusting this node.
use io_sdk::{worker::Signed, Pubkey};
use std::{collections::HashMap, sync::RwLock};

#[derive(Default)]
pub struct Latest {
    /// Device → (worker timestamp ms, the envelope).
    by_device: RwLock<HashMap<Pubkey, (u64, Signed)>>,
}

impl Latest {
    /// Records an accepted heartbeat; an older one (two requests racing) never replaces a newer.
    pub fn put(&self, device: Pubkey, timestamp_ms: u64, signed: &Signed) {
        let mut m = self.by_device.write().unwrap_or_else(|p| p.into_inner());
        match m.get(&device) {
            Some((ts, _)) if *ts >= timestamp_ms => {}
            _ => {
                m.insert(device, (timestamp_ms, signed.clone()));
            }
        }
    }

    pub fn get(&self, device: &Pubkey) -> Option<Signed> {
        self.by_device.read().unwrap_or_else(|p| p.into_inner()).get(device).map(|(_, s)| s.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use io_sdk::worker::Kind;

    #[test]
    fn the_newest_heartbeat_stays() {
        let l = Latest::default();
        let d = Pubkey::new_from_array([1; 32]);
        let signed = |n: u8| Signed::sign(Kind::Pong, &n, &[n; 32]);
        assert_eq!(l.get(&d), None);
        l.put(d, 10, &signed(1));
        l.put(d, 20, &signed(2));
        l.put(d, 15, &signed(3));
        assert_eq!(l.get(&d), Some(signed(2)));
        assert_eq!(l.get(&Pubkey::new_from_array([2; 32])), None);
    }
}
