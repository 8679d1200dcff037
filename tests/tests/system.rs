//! The fixture itself: every part of the system starts from what the bootstrap wrote (the oracle
//! nodes from their settings files, the workers from their state directories) and keeps running;
//! the demo's lease and stake positions are on chain.
use anchor_lang::prelude::Pubkey;
use io_e2e::{Options, System};
use std::{path::PathBuf, str::FromStr, time::Duration};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_part_starts_and_keeps_running() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("e2e-system");
    let s = System::start(Options { dir, ..Options::default() }).expect("the system starts");
    let m = &s.manifest;
    assert_eq!((m.oracle_nodes.len(), m.oracle_threshold), (4, 3));
    assert_eq!(m.clock_speed, io_e2e::CLOCK_SPEED);

    // The chain's clock runs about 60× the wall.
    let t0 = s.chain_now().await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let ran = s.chain_now().await.unwrap() - t0;
    assert!((200..=400).contains(&ran), "{ran} chain seconds in 5 wall seconds");

    // Every process is still up a few seconds in (a bad flag or setting would have ended it).
    let running = s.running();
    assert_eq!(running.len(), 1 + 4 + 5);
    assert!(running.iter().all(|(_, up)| *up), "{running:?}\n{}", s.logs(20));

    // The demo's lease (open, two devices of two operators) and stakes.
    let demo = m.demo.as_ref().expect("the demo");
    let lease: io_escrow::Lease = s.account(&Pubkey::from_str(&demo.lease).unwrap()).await.unwrap().unwrap();
    assert_eq!(lease.status, io_escrow::LeaseStatus::Open);
    let devices: Vec<String> = lease.devices.iter().map(|d| d.device.to_string()).collect();
    assert_eq!(devices, demo.lease_devices);
    assert_eq!(lease.end_ts - lease.start_ts, i64::from(demo.lease_hours) * 3600);
    for p in &demo.positions {
        let pos: io_staking::Position =
            s.account(&Pubkey::from_str(&p.position).unwrap()).await.unwrap().expect("the position");
        assert_eq!(pos.operator.to_string(), p.operator);
    }
}
