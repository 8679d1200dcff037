-- What this node observed of the devices (oracle/src/observe): live intervals, liveness-ping
-- counts, the last accepted heartbeat timestamp per device, and every full challenge.

-- A stretch of chain seconds [start_ts, end_ts] during which a device kept in contact (accepted
-- heartbeats, in-time pongs). Written in batches; an open stretch is rewritten as it grows.
CREATE TABLE live_intervals (
    device TEXT NOT NULL,
    start_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    PRIMARY KEY (device, start_ts)
);
CREATE INDEX live_intervals_end ON live_intervals (end_ts);

-- Liveness pings sent to and answered in time by each device, per period.
CREATE TABLE ping_counts (
    device TEXT NOT NULL,
    period BIGINT NOT NULL,
    sent BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    PRIMARY KEY (device, period)
);

-- The newest heartbeat timestamp accepted from each device (worker clock, ms): after a restart
-- an older heartbeat is still a replay.
CREATE TABLE heartbeat_marks (
    device TEXT PRIMARY KEY,
    timestamp_ms BIGINT NOT NULL
);

-- Every full challenge this node issued, with everything needed to judge it after a restart
-- (the signed request carries the parameters and beacon; the reveal is the verifier's secret,
-- disclosed to the device once its commitment is accepted) and its outcome.
CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    worker_key TEXT NOT NULL,
    period BIGINT NOT NULL,
    issued_ts BIGINT NOT NULL,
    issued_at_ms BIGINT NOT NULL,
    request TEXT NOT NULL,
    reveal TEXT NOT NULL,
    status TEXT NOT NULL,
    commitment TEXT,
    committed_at_ms BIGINT,
    answer TEXT,
    reason TEXT,
    evidence TEXT,
    judged_at_ms BIGINT,
    UNIQUE (device, period)
);
CREATE INDEX challenges_period ON challenges (period);
CREATE INDEX challenges_status ON challenges (status);
