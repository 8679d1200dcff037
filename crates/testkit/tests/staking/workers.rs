//! A device's worker key (issue 12): the machine's own signing key, named at registration and
//! rebound only by the operator's authority.
use crate::common::*;

async fn worker_key_of(f: &mut StakingFixture, device: &Pubkey) -> Pubkey {
    f.h.account::<Device>(device).await.worker_key
}

#[tokio::test]
async fn a_device_names_its_worker_key_at_registration() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let a = op.authority.insecure_clone();
    let key = worker();
    let spec = StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 2, 1);
    let device = sdk::device(&op.address, &spec.id_hash);
    let events = f.h.send_events(&[sdk::register_device(&a.pubkey(), spec, key)], &[&a]).await.unwrap();
    assert_eq!(events.len(), 2, "WorkerBound, then DeviceRegistered");
    let bound: WorkerBound = decode_event(&events[0]).expect("a WorkerBound event");
    assert_eq!((bound.device, bound.operator), (device, op.address));
    assert_eq!((bound.before, bound.after), (Pubkey::default(), key));
    assert!(decode_event::<DeviceRegistered>(&events[1]).is_some());
    let d: Device = f.h.account(&device).await;
    assert_eq!((d.worker_key, d.status), (key, DeviceStatus::Pending));
    // The key sits at the fixed offset a worker filters on.
    let raw = f.h.raw_account(&device).await.unwrap().data;
    assert_eq!(&raw[Device::WORKER_KEY_OFFSET..Device::WORKER_KEY_OFFSET + 32], key.as_ref());
}

#[tokio::test]
async fn the_default_address_is_never_a_worker_key() {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let a = op.authority.insecure_clone();
    let spec = StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 7);
    let device = sdk::device(&op.address, &spec.id_hash);
    let ix = sdk::register_device(&a.pubkey(), spec, Pubkey::default());
    assert_error(f.h.send_one(ix, &[&a]).await, code(StakingError::InvalidWorkerKey));
    assert!(f.h.raw_account(&device).await.is_none(), "nothing was created");
    let key = worker_key_of(&mut f, &dev).await;
    let ix = sdk::bind_worker(&a.pubkey(), &dev, Pubkey::default());
    assert_error(f.h.send_one(ix, &[&a]).await, code(StakingError::InvalidWorkerKey));
    assert_eq!(worker_key_of(&mut f, &dev).await, key, "the bound key stays");
}

#[tokio::test]
async fn the_operator_rebinds_its_device_in_any_status_but_retired() {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let a = op.authority.insecure_clone();
    let old = worker_key_of(&mut f, &dev).await;
    let required = f.operator_state(&op.address).await.required_bond;
    let new = worker();
    let events = f.h.send_events(&[sdk::bind_worker(&a.pubkey(), &dev, new)], &[&a]).await.unwrap();
    let bound: WorkerBound = decode_event(&events[0]).expect("a WorkerBound event");
    assert_eq!((bound.device, bound.operator, bound.before, bound.after), (dev, op.address, old, new));
    let d: Device = f.h.account(&dev).await;
    assert_eq!((d.worker_key, d.status), (new, DeviceStatus::Active), "rotation keeps the status");
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.devices_active, o.required_bond), (1, required), "and the bond it requires");
    // A jailed device's key may be rotated too (a leaked key is a reason to be jailed).
    let oracle = f.oracle.insecure_clone();
    f.h.send_one(sdk::jail_device(&oracle.pubkey(), &op.address, &dev), &[&oracle]).await.unwrap();
    let newer = worker();
    f.h.send_one(sdk::bind_worker(&a.pubkey(), &dev, newer), &[&a]).await.unwrap();
    assert_eq!(worker_key_of(&mut f, &dev).await, newer);
    // A retired device is final.
    f.h.send_one(sdk::deregister_device(&a.pubkey(), &dev), &[&a]).await.unwrap();
    let ix = sdk::bind_worker(&a.pubkey(), &dev, worker());
    assert_error(f.h.send_one(ix, &[&a]).await, code(StakingError::InvalidDeviceStatus));
    assert_eq!(worker_key_of(&mut f, &dev).await, newer);
}

#[tokio::test]
async fn nobody_but_the_operator_rebinds() {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let key = worker_key_of(&mut f, &dev).await;
    // Another operator, naming the device under its own operator account: the device's address
    // is not derived from that operator.
    let other = f.operator(0, 0).await;
    let b = other.authority.insecure_clone();
    let ix = sdk::bind_worker(&b.pubkey(), &dev, b.pubkey());
    assert_error(f.h.send_one(ix, &[&b]).await, anchor_code(AnchorError::ConstraintSeeds));
    // The same, passing the victim's operator account: it is not the stranger's.
    let ix = swap_account(sdk::bind_worker(&b.pubkey(), &dev, b.pubkey()), &other.address, &op.address);
    assert_error(f.h.send_one(ix, &[&b]).await, anchor_code(AnchorError::ConstraintSeeds));
    // A wallet with no operator account at all.
    let stranger = f.h.funded_keypair(1_000_000_000).await;
    let ix = sdk::bind_worker(&stranger.pubkey(), &dev, stranger.pubkey());
    assert_error(f.h.send_one(ix, &[&stranger]).await, anchor_code(AnchorError::AccountNotInitialized));
    // The oracle authority activates and jails devices, but does not hold their keys.
    let oracle = f.oracle.insecure_clone();
    let ix = swap_account(
        sdk::bind_worker(&oracle.pubkey(), &dev, oracle.pubkey()),
        &sdk::operator(&oracle.pubkey()),
        &op.address,
    );
    assert_error(f.h.send_one(ix, &[&oracle]).await, anchor_code(AnchorError::ConstraintSeeds));
    assert_eq!(worker_key_of(&mut f, &dev).await, key, "nothing changed");
}

#[tokio::test]
async fn a_prefunded_device_address_still_registers_with_its_key() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let spec = StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 9);
    let device = sdk::device(&op.address, &spec.id_hash);
    f.h.prefund(&device, 5_000_000).await;
    let key = worker();
    assert_eq!(f.device_with_worker(&op, spec, key).await.unwrap(), device);
    assert_eq!(worker_key_of(&mut f, &device).await, key);
}
