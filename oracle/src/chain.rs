//! (placeholder) What the node reads on chain: the devices and their bound worker keys, the
//! leases, the oracle set.
