-- io_staking warm-up (issue 10, F-10): stake earns from the reward period after it was made.
ALTER TABLE positions ADD COLUMN activating_shares BIGINT DEFAULT 0;
ALTER TABLE positions ADD COLUMN activation_period BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN rewards_period BIGINT DEFAULT 0;
ALTER TABLE operators ADD COLUMN activating_shares BIGINT DEFAULT 0;
