-- Unsigned 64-bit program values (amounts, prices, shares, periods) as NUMERIC(20,0): BIGINT stops
-- at i64::MAX, and the current-state tables used to clamp larger values (an offer price of
-- u64::MAX stored as 9223372036854775807 while the event held the real value). NUMERIC keeps every
-- u64 exact, orders numerically and sums exactly; the store binds and reads it in binary form
-- (indexer/src/store/u64.rs). SQLite keeps its INTEGER columns: a value above i64::MAX is stored
-- there as an 8-byte big-endian blob, which its type order sorts after every integer.
-- The columns are exactly those the projection writes from u64 fields (checked by a test).
ALTER TABLE operators
    ALTER COLUMN bond TYPE NUMERIC(20,0),
    ALTER COLUMN bond_withdrawing TYPE NUMERIC(20,0),
    ALTER COLUMN required_bond TYPE NUMERIC(20,0),
    ALTER COLUMN stake_shares TYPE NUMERIC(20,0),
    ALTER COLUMN stake_tokens TYPE NUMERIC(20,0),
    ALTER COLUMN unbonding_tokens TYPE NUMERIC(20,0),
    ALTER COLUMN commission_claimable TYPE NUMERIC(20,0),
    ALTER COLUMN total_slashed TYPE NUMERIC(20,0),
    ALTER COLUMN rewards_period TYPE NUMERIC(20,0),
    ALTER COLUMN activating_shares TYPE NUMERIC(20,0);
ALTER TABLE positions
    ALTER COLUMN shares TYPE NUMERIC(20,0),
    ALTER COLUMN rewards_owed TYPE NUMERIC(20,0),
    ALTER COLUMN activating_shares TYPE NUMERIC(20,0),
    ALTER COLUMN activation_period TYPE NUMERIC(20,0);
ALTER TABLE slashes
    ALTER COLUMN amount TYPE NUMERIC(20,0),
    ALTER COLUMN from_bond TYPE NUMERIC(20,0),
    ALTER COLUMN from_stake TYPE NUMERIC(20,0),
    ALTER COLUMN from_unbonding TYPE NUMERIC(20,0);
ALTER TABLE offers
    ALTER COLUMN price_usdc_per_hour TYPE NUMERIC(20,0),
    ALTER COLUMN price_io_per_hour TYPE NUMERIC(20,0);
ALTER TABLE leases
    ALTER COLUMN deposit TYPE NUMERIC(20,0),
    ALTER COLUMN paid TYPE NUMERIC(20,0),
    ALTER COLUMN fees TYPE NUMERIC(20,0),
    ALTER COLUMN refunded TYPE NUMERIC(20,0);
ALTER TABLE lease_devices
    ALTER COLUMN rate_per_hour TYPE NUMERIC(20,0),
    ALTER COLUMN attested_seconds TYPE NUMERIC(20,0);
ALTER TABLE reports
    ALTER COLUMN period TYPE NUMERIC(20,0),
    ALTER COLUMN set_epoch TYPE NUMERIC(20,0),
    ALTER COLUMN usdc_per_io TYPE NUMERIC(20,0),
    ALTER COLUMN emission_distributed TYPE NUMERIC(20,0),
    ALTER COLUMN device_seconds TYPE NUMERIC(20,0),
    ALTER COLUMN expiry_slot TYPE NUMERIC(20,0),
    ALTER COLUMN certified_slot TYPE NUMERIC(20,0);
ALTER TABLE oracle_set
    ALTER COLUMN epoch TYPE NUMERIC(20,0);
ALTER TABLE oracles
    ALTER COLUMN bond TYPE NUMERIC(20,0),
    ALTER COLUMN withdrawing TYPE NUMERIC(20,0);
ALTER TABLE supply
    ALTER COLUMN max_supply TYPE NUMERIC(20,0),
    ALTER COLUMN total_minted TYPE NUMERIC(20,0),
    ALTER COLUMN total_burned TYPE NUMERIC(20,0),
    ALTER COLUMN supply TYPE NUMERIC(20,0),
    ALTER COLUMN burned_lease_fee TYPE NUMERIC(20,0),
    ALTER COLUMN burned_buyback TYPE NUMERIC(20,0),
    ALTER COLUMN burned_slash TYPE NUMERIC(20,0),
    ALTER COLUMN burned_other TYPE NUMERIC(20,0),
    ALTER COLUMN emitted TYPE NUMERIC(20,0),
    ALTER COLUMN rewards_withdrawn TYPE NUMERIC(20,0);
ALTER TABLE unstake_tickets
    ALTER COLUMN amount TYPE NUMERIC(20,0),
    ALTER COLUMN unbonding_shares TYPE NUMERIC(20,0);
ALTER TABLE reward_claims
    ALTER COLUMN amount TYPE NUMERIC(20,0),
    ALTER COLUMN period TYPE NUMERIC(20,0);
ALTER TABLE settlements
    ALTER COLUMN attested_before TYPE NUMERIC(20,0),
    ALTER COLUMN attested_after TYPE NUMERIC(20,0),
    ALTER COLUMN paid TYPE NUMERIC(20,0),
    ALTER COLUMN fee TYPE NUMERIC(20,0);
ALTER TABLE fees
    ALTER COLUMN amount TYPE NUMERIC(20,0);
ALTER TABLE buybacks
    ALTER COLUMN usdc_spent TYPE NUMERIC(20,0),
    ALTER COLUMN io_burned TYPE NUMERIC(20,0),
    ALTER COLUMN usdc_per_io TYPE NUMERIC(20,0),
    ALTER COLUMN min_io TYPE NUMERIC(20,0);
ALTER TABLE burns
    ALTER COLUMN amount TYPE NUMERIC(20,0);
ALTER TABLE emissions
    ALTER COLUMN from_hour TYPE NUMERIC(20,0),
    ALTER COLUMN to_hour TYPE NUMERIC(20,0),
    ALTER COLUMN scheduled TYPE NUMERIC(20,0),
    ALTER COLUMN minted TYPE NUMERIC(20,0),
    ALTER COLUMN emitted_after TYPE NUMERIC(20,0);
