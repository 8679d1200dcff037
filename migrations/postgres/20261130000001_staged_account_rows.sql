-- The same sync_state columns as SQLite (there it counts the rows staged in
-- account_events_recent; PostgreSQL keeps one event_accounts table and leaves it 0).
ALTER TABLE sync_state ADD COLUMN account_rows_staged BIGINT NOT NULL DEFAULT 0;
