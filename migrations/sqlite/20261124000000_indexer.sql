-- IO Compute indexer, SQLite. Same tables and columns as migrations/postgres/20261124000000_indexer.sql;
-- only the types and the event id differ (SQLite: rowid alias; PostgreSQL: identity column).
-- Integers are 64-bit; u128 values (reward-per-share accumulators) are decimal text; JSON is text.

-- Every decoded emit_cpi! event. The natural key (signature, ix_path, event_index) makes writes
-- idempotent; it is enforced as (tx_id, ix_path, event_index) — one transaction id per signature —
-- so that new keys append to the index instead of landing at random places in it. `id` orders
-- events by insertion for the live stream.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    tx_id INTEGER NOT NULL,
    signature TEXT NOT NULL,
    ix_path TEXT NOT NULL,
    event_index INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    program TEXT NOT NULL,
    event_name TEXT NOT NULL,
    payload TEXT NOT NULL,
    finalized BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (tx_id, ix_path, event_index)
);
CREATE INDEX events_slot ON events (slot, id);
CREATE INDEX events_name_slot ON events (event_name, slot, id);
CREATE INDEX events_program_slot ON events (program, slot, id);

-- Accounts each event mentions (the `account` filter of /v1/events), read through the view
-- `event_accounts (account, slot, event_id)`. An index by account takes its inserts at random
-- places, and a commit rewrites every page it touched: so accounts are interned to integers
-- (`account_ids`, a much smaller index) and a batch's rows go to the small
-- `account_events_recent`, moved in key order into `account_events` each time event ids cross a
-- multiple of 50,000 (one sweep over the large index instead of a random page per row).
-- (PostgreSQL keeps one text-keyed `event_accounts` table: interning measured slower there.)
CREATE TABLE account_ids (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE
);
CREATE TABLE account_events (
    account_id INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (account_id, slot, event_id)
) WITHOUT ROWID;
CREATE TABLE account_events_recent (
    account_id INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (account_id, slot, event_id)
) WITHOUT ROWID;
CREATE VIEW event_accounts AS
SELECT a.address AS account, x.slot, x.event_id
FROM (
    SELECT account_id, slot, event_id FROM account_events
    UNION ALL
    SELECT account_id, slot, event_id FROM account_events_recent
) x
JOIN account_ids a ON a.id = x.account_id;

-- Every transaction seen, successful or failed.
CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL UNIQUE,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    success BOOLEAN NOT NULL,
    err TEXT,
    event_count INTEGER NOT NULL,
    -- Our programs' instructions (JSON array of {path, program, name}), failed transactions too.
    instructions TEXT NOT NULL DEFAULT '[]',
    finalized BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX transactions_slot ON transactions (slot);

-- Ingest cursor per program: the newest signature up to which everything is stored.
CREATE TABLE cursors (
    program TEXT PRIMARY KEY,
    last_signature TEXT NOT NULL,
    last_slot INTEGER NOT NULL
);

-- One row: how far ingestion and finalization have come, and the chain tip last seen.
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_slot INTEGER NOT NULL DEFAULT 0,
    indexed_block_time INTEGER,
    finalized_slot INTEGER NOT NULL DEFAULT 0,
    chain_slot INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_state (id) VALUES (1);

-- Latest decoded state of every program account seen (guarded by slot).
CREATE TABLE accounts (
    address TEXT PRIMARY KEY,
    program TEXT NOT NULL,
    account_type TEXT NOT NULL,
    slot INTEGER NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX accounts_type ON accounts (account_type, address);

-- Current-state entities. `slot` is the newest slot the row reflects.
CREATE TABLE operators (
    address TEXT PRIMARY KEY,
    authority TEXT,
    name TEXT,
    region TEXT,
    metadata_url TEXT,
    commission_bps INTEGER DEFAULT 0,
    pending_commission_bps INTEGER DEFAULT 0,
    commission_effective_ts INTEGER DEFAULT 0,
    bond INTEGER DEFAULT 0,
    bond_withdrawing INTEGER DEFAULT 0,
    bond_unlock_ts INTEGER DEFAULT 0,
    required_bond INTEGER DEFAULT 0,
    devices_active INTEGER DEFAULT 0,
    stake_shares INTEGER DEFAULT 0,
    stake_tokens INTEGER DEFAULT 0,
    unbonding_tokens INTEGER DEFAULT 0,
    reward_per_share TEXT DEFAULT '0',
    commission_claimable INTEGER DEFAULT 0,
    delegator_count INTEGER DEFAULT 0,
    slash_count INTEGER DEFAULT 0,
    total_slashed INTEGER DEFAULT 0,
    registered_ts INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
CREATE INDEX operators_stake ON operators (stake_tokens DESC, address);
CREATE INDEX operators_commission ON operators (commission_bps, address);
CREATE INDEX operators_region ON operators (region);

CREATE TABLE devices (
    address TEXT PRIMARY KEY,
    operator TEXT,
    id_hash TEXT,
    gpu_model TEXT,
    gpu_count INTEGER DEFAULT 0,
    vram_gb INTEGER DEFAULT 0,
    region TEXT,
    green BOOLEAN DEFAULT FALSE,
    class TEXT,
    status TEXT,
    registered_ts INTEGER DEFAULT 0,
    status_ts INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
CREATE INDEX devices_operator ON devices (operator);
CREATE INDEX devices_region ON devices (region, address);

CREATE TABLE positions (
    operator TEXT NOT NULL,
    staker TEXT NOT NULL,
    address TEXT,
    shares INTEGER DEFAULT 0,
    reward_per_share_paid TEXT,
    rewards_owed INTEGER DEFAULT 0,
    slot INTEGER NOT NULL,
    PRIMARY KEY (operator, staker)
);
CREATE INDEX positions_staker ON positions (staker, operator);

CREATE TABLE slashes (
    address TEXT PRIMARY KEY,
    operator TEXT,
    idx INTEGER,
    amount INTEGER DEFAULT 0,
    evidence_hash TEXT,
    executable_ts INTEGER DEFAULT 0,
    status TEXT,
    from_bond INTEGER DEFAULT 0,
    from_stake INTEGER DEFAULT 0,
    from_unbonding INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
CREATE INDEX slashes_operator ON slashes (operator);

-- One offer per device (PDA ["offer", device]).
CREATE TABLE offers (
    device TEXT PRIMARY KEY,
    address TEXT,
    operator TEXT,
    price_usdc_per_hour INTEGER DEFAULT 0,
    price_io_per_hour INTEGER DEFAULT 0,
    min_hours INTEGER DEFAULT 0,
    max_hours INTEGER DEFAULT 0,
    active BOOLEAN DEFAULT FALSE,
    lease TEXT,
    leased_until INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
CREATE INDEX offers_lease ON offers (lease);

CREATE TABLE leases (
    address TEXT PRIMARY KEY,
    renter TEXT,
    payment_mint TEXT,
    fee_bps INTEGER DEFAULT 0,
    hours INTEGER DEFAULT 0,
    start_ts INTEGER DEFAULT 0,
    end_ts INTEGER DEFAULT 0,
    deposit INTEGER DEFAULT 0,
    paid INTEGER DEFAULT 0,
    fees INTEGER DEFAULT 0,
    refunded INTEGER DEFAULT 0,
    device_count INTEGER DEFAULT 0,
    status TEXT,
    slot INTEGER NOT NULL
);
CREATE INDEX leases_renter ON leases (renter, start_ts);
CREATE INDEX leases_start ON leases (start_ts DESC, address DESC);

CREATE TABLE lease_devices (
    lease TEXT NOT NULL,
    device TEXT NOT NULL,
    device_index INTEGER DEFAULT 0,
    rate_per_hour INTEGER DEFAULT 0,
    attested_seconds INTEGER DEFAULT 0,
    slot INTEGER NOT NULL,
    PRIMARY KEY (lease, device)
);
CREATE INDEX lease_devices_device ON lease_devices (device);

CREATE TABLE reports (
    address TEXT PRIMARY KEY,
    period INTEGER,
    digest TEXT,
    set_epoch INTEGER,
    rewards_root TEXT,
    usage_root TEXT,
    devices_root TEXT,
    slashes_root TEXT,
    usdc_per_io INTEGER,
    emission_distributed INTEGER,
    device_seconds INTEGER,
    devices_attested INTEGER,
    expiry_slot INTEGER,
    status TEXT,
    signers INTEGER DEFAULT 0,
    posted_by TEXT,
    certified_slot INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
CREATE INDEX reports_period ON reports (period);

CREATE TABLE oracle_set (
    epoch INTEGER PRIMARY KEY,
    members TEXT,
    threshold INTEGER,
    by_quorum BOOLEAN DEFAULT FALSE,
    slot INTEGER NOT NULL
);

CREATE TABLE oracles (
    address TEXT PRIMARY KEY,
    bond INTEGER DEFAULT 0,
    withdrawing INTEGER DEFAULT 0,
    unlock_ts INTEGER DEFAULT 0,
    slashed BOOLEAN DEFAULT FALSE,
    slot INTEGER NOT NULL
);

-- The $IO ledger as io_token records it (one row, id 'io').
CREATE TABLE supply (
    id TEXT PRIMARY KEY,
    decimals INTEGER DEFAULT 0,
    max_supply INTEGER DEFAULT 0,
    total_minted INTEGER DEFAULT 0,
    total_burned INTEGER DEFAULT 0,
    supply INTEGER DEFAULT 0,
    burned_lease_fee INTEGER DEFAULT 0,
    burned_buyback INTEGER DEFAULT 0,
    burned_slash INTEGER DEFAULT 0,
    burned_other INTEGER DEFAULT 0,
    emitted INTEGER DEFAULT 0,
    rewards_withdrawn INTEGER DEFAULT 0,
    slot INTEGER NOT NULL
);
INSERT INTO supply (id, slot) VALUES ('io', 0);

-- Append-only logs, one row per event (keyed by the event's id).
CREATE TABLE unstake_tickets (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    operator TEXT,
    staker TEXT,
    amount INTEGER,
    unbonding_shares INTEGER,
    unlock_ts INTEGER,
    withdrawn_slot INTEGER
);
CREATE INDEX unstake_tickets_staker ON unstake_tickets (staker, operator);

CREATE TABLE reward_claims (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    kind TEXT NOT NULL,
    operator TEXT,
    staker TEXT,
    amount INTEGER,
    period INTEGER
);
CREATE INDEX reward_claims_staker ON reward_claims (staker, operator);

CREATE TABLE settlements (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    lease TEXT,
    device TEXT,
    device_index INTEGER,
    attested_before INTEGER,
    attested_after INTEGER,
    paid INTEGER,
    fee INTEGER
);
CREATE INDEX settlements_lease ON settlements (lease, event_id);

CREATE TABLE fees (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    lease TEXT,
    amount INTEGER
);

CREATE TABLE buybacks (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    usdc_spent INTEGER,
    io_burned INTEGER,
    usdc_per_io INTEGER,
    min_io INTEGER
);

CREATE TABLE burns (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    reason TEXT,
    authority TEXT,
    source TEXT,
    amount INTEGER
);
CREATE INDEX burns_reason ON burns (reason, event_id);

CREATE TABLE emissions (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    from_hour INTEGER,
    to_hour INTEGER,
    scheduled INTEGER,
    minted INTEGER,
    emitted_after INTEGER
);
