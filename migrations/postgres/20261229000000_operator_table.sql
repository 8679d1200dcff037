-- The operators table of the web app (issue 14): sorted and filtered by GPUs, uptime and status
-- with 10,000 operators, so these figures are columns with indexes rather than per-row aggregates
-- over `devices`. Triggers keep them: every write of a device recomputes its operator's figures,
-- and so does the insert of an operator row (a batch writes `devices` before `operators`, so a
-- device registered with its operator in one batch finds no operator row yet).
ALTER TABLE operators ADD COLUMN gpus_active BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN gpus_total BIGINT DEFAULT 0;
-- Every device registered, retired ones too (a column, not a subquery per row: PostgreSQL computes
-- a row's subqueries for the rows an OFFSET skips as well).
ALTER TABLE operators ADD COLUMN devices_registered BIGINT DEFAULT 0;
-- Devices not retired, and of those the jailed ones.
ALTER TABLE operators ADD COLUMN devices_live BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN devices_jailed BIGINT DEFAULT 0;
-- Active share of the live devices, bps: the devices the latest certified reports kept active.
ALTER TABLE operators ADD COLUMN uptime_bps BIGINT DEFAULT 0;
-- Distinct GPU models of the live devices, comma-separated.
ALTER TABLE operators ADD COLUMN gpu_models TEXT DEFAULT '';
-- The operator's last reward claimed against a certified report, and how many hourly periods it
-- paid for (since the previous one; the first counts as one): io_sdk's estimated net APY input.
ALTER TABLE operators ADD COLUMN reward_last_amount NUMERIC(20,0) DEFAULT 0;
ALTER TABLE operators ADD COLUMN reward_last_span BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN reward_last_period NUMERIC(20,0);
-- The newest commission change: when it was requested (block time) and when it takes effect
-- (`commission_effective_ts` is cleared by the account once applied; this is not).
ALTER TABLE operators ADD COLUMN commission_requested_ts BIGINT;
ALTER TABLE operators ADD COLUMN commission_change_effective_ts BIGINT;

CREATE INDEX operators_gpus ON operators (gpus_active, address);
CREATE INDEX operators_uptime ON operators (uptime_bps, address);
-- The estimated APY's order (store::operators::APY_KEY, the same expression): io_sdk's
-- estimated_net_apy_bps without its rounding; no estimate is -1.
CREATE INDEX operators_apy ON operators ((CASE WHEN stake_tokens > 0 AND reward_last_span > 0
    THEN CAST(reward_last_amount AS DOUBLE PRECISION) * (10000 - commission_bps)
         / (reward_last_span * CAST(stake_tokens AS DOUBLE PRECISION)) ELSE -1 END), address);

CREATE OR REPLACE FUNCTION operator_device_figures(op TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE operators SET
        gpus_active = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = op AND status = 'active'),
        gpus_total = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = op AND status <> 'retired'),
        devices_registered = (SELECT COUNT(*) FROM devices WHERE operator = op),
        devices_live = (SELECT COUNT(*) FROM devices WHERE operator = op AND status <> 'retired'),
        devices_jailed = (SELECT COUNT(*) FROM devices WHERE operator = op AND status = 'jailed'),
        uptime_bps = (SELECT COALESCE(COUNT(*) FILTER (WHERE status = 'active') * 10000 / NULLIF(COUNT(*), 0), 0) FROM devices WHERE operator = op AND status <> 'retired'),
        gpu_models = (SELECT COALESCE(string_agg(DISTINCT gpu_model, ',' ORDER BY gpu_model), '') FROM devices WHERE operator = op AND status <> 'retired')
    WHERE address = op;
$$;

CREATE OR REPLACE FUNCTION devices_operator_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_device_figures(NEW.operator);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION operators_device_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM operator_device_figures(NEW.address);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION reward_claims_operator_last() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE operators SET
        reward_last_amount = NEW.amount,
        -- A first claim pays for every period since the operator began to earn, how many is not
        -- known here: no estimate (span 0) until a second claim measures one.
        reward_last_span = CASE WHEN reward_last_period IS NULL THEN 0
                                ELSE GREATEST(1, NEW.period - reward_last_period) END,
        reward_last_period = NEW.period
    WHERE address = NEW.operator AND (reward_last_period IS NULL OR reward_last_period < NEW.period);
    RETURN NULL;
END $$;

CREATE TRIGGER devices_operator_figures AFTER INSERT OR UPDATE ON devices
    FOR EACH ROW EXECUTE FUNCTION devices_operator_figures();
CREATE TRIGGER operators_device_figures AFTER INSERT ON operators
    FOR EACH ROW EXECUTE FUNCTION operators_device_figures();
CREATE TRIGGER reward_claims_operator_last AFTER INSERT ON reward_claims
    FOR EACH ROW WHEN (NEW.kind = 'operator_report' AND NEW.period IS NOT NULL)
    EXECUTE FUNCTION reward_claims_operator_last();
