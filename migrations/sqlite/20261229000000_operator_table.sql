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
ALTER TABLE operators ADD COLUMN reward_last_amount BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN reward_last_span BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN reward_last_period BIGINT;
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

CREATE TRIGGER devices_operator_figures_ins AFTER INSERT ON devices BEGIN
    UPDATE operators SET
        gpus_active = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.operator AND status = 'active'),
        gpus_total = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        devices_registered = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator),
        devices_live = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        devices_jailed = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator AND status = 'jailed'),
        uptime_bps = (SELECT COALESCE(SUM(status = 'active') * 10000 / NULLIF(COUNT(*), 0), 0) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        gpu_models = (SELECT COALESCE(group_concat(m, ','), '') FROM (SELECT DISTINCT gpu_model AS m FROM devices WHERE operator = NEW.operator AND status <> 'retired' AND gpu_model IS NOT NULL ORDER BY m))
    WHERE address = NEW.operator;
END;

CREATE TRIGGER devices_operator_figures_upd AFTER UPDATE ON devices BEGIN
    UPDATE operators SET
        gpus_active = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.operator AND status = 'active'),
        gpus_total = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        devices_registered = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator),
        devices_live = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        devices_jailed = (SELECT COUNT(*) FROM devices WHERE operator = NEW.operator AND status = 'jailed'),
        uptime_bps = (SELECT COALESCE(SUM(status = 'active') * 10000 / NULLIF(COUNT(*), 0), 0) FROM devices WHERE operator = NEW.operator AND status <> 'retired'),
        gpu_models = (SELECT COALESCE(group_concat(m, ','), '') FROM (SELECT DISTINCT gpu_model AS m FROM devices WHERE operator = NEW.operator AND status <> 'retired' AND gpu_model IS NOT NULL ORDER BY m))
    WHERE address = NEW.operator;
END;

CREATE TRIGGER operators_device_figures AFTER INSERT ON operators BEGIN
    UPDATE operators SET
        gpus_active = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.address AND status = 'active'),
        gpus_total = (SELECT COALESCE(SUM(gpu_count), 0) FROM devices WHERE operator = NEW.address AND status <> 'retired'),
        devices_registered = (SELECT COUNT(*) FROM devices WHERE operator = NEW.address),
        devices_live = (SELECT COUNT(*) FROM devices WHERE operator = NEW.address AND status <> 'retired'),
        devices_jailed = (SELECT COUNT(*) FROM devices WHERE operator = NEW.address AND status = 'jailed'),
        uptime_bps = (SELECT COALESCE(SUM(status = 'active') * 10000 / NULLIF(COUNT(*), 0), 0) FROM devices WHERE operator = NEW.address AND status <> 'retired'),
        gpu_models = (SELECT COALESCE(group_concat(m, ','), '') FROM (SELECT DISTINCT gpu_model AS m FROM devices WHERE operator = NEW.address AND status <> 'retired' AND gpu_model IS NOT NULL ORDER BY m))
    WHERE address = NEW.address;
END;

CREATE TRIGGER reward_claims_operator_last AFTER INSERT ON reward_claims
WHEN NEW.kind = 'operator_report' AND NEW.period IS NOT NULL BEGIN
    UPDATE operators SET
        reward_last_amount = NEW.amount,
        -- A first claim pays for every period since the operator began to earn, how many is not
        -- known here: no estimate (span 0) until a second claim measures one.
        reward_last_span = CASE WHEN reward_last_period IS NULL THEN 0
                                ELSE MAX(1, NEW.period - reward_last_period) END,
        reward_last_period = NEW.period
    WHERE address = NEW.operator AND (reward_last_period IS NULL OR reward_last_period < NEW.period);
END;
