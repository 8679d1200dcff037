//! What certified oracle reports drive, through Merkle proofs against their roots: device
//! activation and jailing, slashes (io_staking), usage settlement and the price feed (io_escrow).
mod devices_and_slashes;
mod rewards;
mod usage_and_price;
