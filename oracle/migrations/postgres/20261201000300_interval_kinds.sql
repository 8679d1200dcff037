-- Clusters on leases (issue 17): besides the live stretches, a device has *unserved* ones, when
-- it was live but its worker's heartbeats said the lease's Ray cluster was not serving on it
-- (starting, failed, another lease's); the report takes them off the lease's seconds. Both kinds
-- live in one table keyed by kind; the live stretches already recorded move over as 'live'.
CREATE TABLE device_intervals (
    device TEXT NOT NULL,
    -- live | unserved
    kind TEXT NOT NULL,
    start_ts BIGINT NOT NULL,
    end_ts BIGINT NOT NULL,
    PRIMARY KEY (device, kind, start_ts)
);
INSERT INTO device_intervals (device, kind, start_ts, end_ts)
    SELECT device, 'live', start_ts, end_ts FROM live_intervals;
DROP TABLE live_intervals;
CREATE INDEX device_intervals_end ON device_intervals (end_ts);
