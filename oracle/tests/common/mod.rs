//! What the oracle node's tests and benchmark share: the heartbeat body of a simulated CPU device
//! (a test stands in for io-worker by signing these itself).
use io_sdk::worker::{CpuTelemetry, Hardware, Heartbeat, Reading, Telemetry, PROTOCOL_VERSION};

/// The heartbeat of a simulated device of `class` at worker time `ts` (ms).
pub fn heartbeat(
    cluster: &str,
    device: &str,
    worker: &str,
    class: &str,
    ts: u64,
    simulated: bool,
) -> Heartbeat {
    Heartbeat {
        version: PROTOCOL_VERSION,
        cluster: cluster.into(),
        device: device.into(),
        worker: worker.into(),
        hardware: Hardware {
            class: class.into(),
            gpu_model: String::new(),
            gpu_count: 0,
            vram_gb: 0,
            driver: None,
            gpu_uuids: vec![],
            cpu_model: "test".into(),
            cpu_cores: 2,
            memory_mb: 1024,
        },
        telemetry: Telemetry {
            sampled_at_ms: ts,
            gpus: vec![],
            cpu: CpuTelemetry {
                utilisation_pct: Reading::of(3.0),
                temperature_c: Reading::unavailable("none"),
                power_w: Reading::unavailable("none"),
            },
        },
        serving_lease: None,
        lease_cluster: None,
        endpoint: None,
        software: "test".into(),
        simulated,
        timestamp_ms: ts,
    }
}
