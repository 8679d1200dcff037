//! The enumerated values the API accepts and the OpenAPI document lists, each taken from where
//! it is defined — the sdk's names of the programs' enums, the sdk's program list, the indexer's
//! event table — so that a filter, the document and the stored rows spell them one way.
use io_sdk::Name;

pub fn device_classes() -> Vec<&'static str> {
    io_staking::state::HardwareClass::names()
}

pub fn device_statuses() -> Vec<&'static str> {
    io_staking::state::DeviceStatus::names()
}

pub fn lease_statuses() -> Vec<&'static str> {
    io_escrow::state::LeaseStatus::names()
}

pub fn burn_reasons() -> Vec<&'static str> {
    io_token::state::BurnReason::names()
}

pub fn programs() -> Vec<&'static str> {
    io_sdk::Program::ALL.iter().map(|p| p.name()).collect()
}

/// Event names, each once: the same name in two programs (`ConfigInitialized`) is one value of
/// the `type` filter (narrowed by `program`).
pub fn event_types() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = crate::decode::events::names().collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_hold_each_value_once_in_the_sdk_spelling() {
        for list in [super::device_classes(), super::event_types(), super::programs(), super::burn_reasons()]
        {
            let mut d = list.clone();
            d.sort_unstable();
            d.dedup();
            assert_eq!(d.len(), list.len(), "{list:?}");
        }
        assert!(super::device_classes().contains(&"consumer_gpu"));
        assert!(super::lease_statuses().contains(&"open"));
        assert!(
            super::event_types().len() < crate::decode::events::names().count(),
            "a repeated name exists"
        );
    }
}
