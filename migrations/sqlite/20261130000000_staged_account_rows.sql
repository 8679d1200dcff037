-- Rows waiting in account_events_recent, counted as they are added (stable event ids are sparse,
-- so the merge can no longer be timed by event ids, and counting the table each batch costs a
-- scan of up to 100,000 rows).
ALTER TABLE sync_state ADD COLUMN account_rows_staged BIGINT NOT NULL DEFAULT 0;
