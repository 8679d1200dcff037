-- History for the charts (issue 14): append-only logs, one row per event, that the current-state
-- tables overwrite. Same tables as migrations/postgres/20261220100000_history.sql. Written by the
-- projection from events the indexer already ingests (so a database indexed from genesis has the
-- whole series); an older database gains them from the events ingested after this migration.

-- An operator's stake after each event that moves it: Staked, Unstaked, ActivatingUnstaked (pool
-- tokens before and after) and SlashExecuted (from_stake taken). `stake_delta` = after − before,
-- so the network's total stake at any time is the sum of the deltas up to it.
CREATE TABLE stake_history (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    operator TEXT NOT NULL,
    staker TEXT,
    kind TEXT NOT NULL,
    amount INTEGER,
    stake_before INTEGER,
    stake_after INTEGER,
    stake_delta INTEGER NOT NULL,
    delegators_after INTEGER
);
CREATE INDEX stake_history_operator ON stake_history (operator, event_id);
CREATE INDEX stake_history_time ON stake_history (block_time);

-- Every device status change (DeviceStatusChanged): attested devices and GPUs over time.
CREATE TABLE device_status_history (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    device TEXT NOT NULL,
    operator TEXT NOT NULL,
    status_before TEXT NOT NULL,
    status_after TEXT NOT NULL
);
CREATE INDEX device_status_history_operator ON device_status_history (operator, event_id);
CREATE INDEX device_status_history_time ON device_status_history (block_time);

-- The $IO supply after each mint and burn (Minted, Burned: both carry supply and total minted).
CREATE TABLE supply_history (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    supply INTEGER,
    total_minted INTEGER
);
CREATE INDEX supply_history_time ON supply_history (block_time);

-- Rewards allotted to an operator's pool: RewardsFunded (kind 'funded') and OperatorRewardsClaimed
-- (kind 'report', with the report's period), split as the program split them.
CREATE TABLE operator_rewards (
    event_id INTEGER PRIMARY KEY,
    signature TEXT NOT NULL,
    slot INTEGER NOT NULL,
    block_time INTEGER,
    operator TEXT NOT NULL,
    kind TEXT NOT NULL,
    period INTEGER,
    amount INTEGER,
    commission INTEGER,
    to_delegators INTEGER
);
CREATE INDEX operator_rewards_operator ON operator_rewards (operator, event_id);
-- The overview's APY estimate reads each operator's latest report rewards.
CREATE INDEX operator_rewards_report ON operator_rewards (operator, kind, period);
CREATE INDEX operator_rewards_time ON operator_rewards (block_time);

-- A wallet's rewards history reads its claims by staker and time.
CREATE INDEX reward_claims_staker_time ON reward_claims (staker, block_time);
CREATE INDEX burns_time ON burns (block_time);
