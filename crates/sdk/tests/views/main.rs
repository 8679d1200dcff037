//! The views' figures against what the programs actually do, in the native program-test
//! harness: a position's claimable rewards are what `claim_rewards` pays, its value is the most
//! `unstake` accepts, a pending unstake is what `withdraw` pays; the next emission is what `emit`
//! mints (on the last hour of a month too); circulating supply is the mint's supply less
//! io_token's vaults; a deposit quote is what `open_lease` takes and the refund on close is what
//! `close_lease` returns.
mod escrow;
mod staking;
mod token;
