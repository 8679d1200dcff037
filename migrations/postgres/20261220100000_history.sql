-- History for the charts (issue 14): append-only logs, one row per event, that the current-state
-- tables overwrite. Same tables as migrations/sqlite/20261220100000_history.sql (u64 amounts NUMERIC, as in
-- 20261130000000_u64_numeric.sql). Written by the
-- projection from events the indexer already ingests (so a database indexed from genesis has the
-- whole series); an older database gains them from the events ingested after this migration.

-- An operator's stake after each event that moves it: Staked, Unstaked, ActivatingUnstaked (pool
-- tokens before and after) and SlashExecuted (from_stake taken). `stake_delta` = after − before,
-- so the network's total stake at any time is the sum of the deltas up to it.
CREATE TABLE stake_history (
    event_id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    operator TEXT COLLATE "C" NOT NULL,
    staker TEXT COLLATE "C",
    kind TEXT COLLATE "C" NOT NULL,
    amount NUMERIC(20,0),
    stake_before NUMERIC(20,0),
    stake_after NUMERIC(20,0),
    stake_delta BIGINT NOT NULL,
    delegators_after BIGINT
);
CREATE INDEX stake_history_operator ON stake_history (operator, event_id);
CREATE INDEX stake_history_time ON stake_history (block_time);

-- Every device status change (DeviceStatusChanged): attested devices and GPUs over time.
CREATE TABLE device_status_history (
    event_id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    device TEXT COLLATE "C" NOT NULL,
    operator TEXT COLLATE "C" NOT NULL,
    status_before TEXT NOT NULL,
    status_after TEXT NOT NULL
);
CREATE INDEX device_status_history_operator ON device_status_history (operator, event_id);
CREATE INDEX device_status_history_time ON device_status_history (block_time);

-- The $IO supply after each mint and burn (Minted, Burned: both carry supply and total minted).
CREATE TABLE supply_history (
    event_id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    supply NUMERIC(20,0),
    total_minted NUMERIC(20,0)
);
CREATE INDEX supply_history_time ON supply_history (block_time);

-- Rewards allotted to an operator's pool: RewardsFunded (kind 'funded') and OperatorRewardsClaimed
-- (kind 'report', with the report's period), split as the program split them.
CREATE TABLE operator_rewards (
    event_id BIGINT PRIMARY KEY,
    signature TEXT NOT NULL,
    slot BIGINT NOT NULL,
    block_time BIGINT,
    operator TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    period NUMERIC(20,0),
    amount NUMERIC(20,0),
    commission NUMERIC(20,0),
    to_delegators NUMERIC(20,0)
);
CREATE INDEX operator_rewards_operator ON operator_rewards (operator, event_id);
-- The overview's APY estimate reads each operator's latest report rewards.
CREATE INDEX operator_rewards_report ON operator_rewards (operator, kind, period);
CREATE INDEX operator_rewards_time ON operator_rewards (block_time);

-- A wallet's rewards history reads its claims by staker and time.
CREATE INDEX reward_claims_staker_time ON reward_claims (staker, block_time);
CREATE INDEX burns_time ON burns (block_time);
