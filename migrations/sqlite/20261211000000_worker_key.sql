-- The device's worker key (io_staking Device.worker_key, bound by register_device and bind_worker):
-- the key its io-worker signs heartbeats and proofs with.
ALTER TABLE devices ADD COLUMN worker_key TEXT;
