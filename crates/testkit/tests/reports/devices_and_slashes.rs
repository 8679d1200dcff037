use anchor_lang::prelude::Pubkey;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_sdk::{oracle as osdk, staking as sdk};
use io_staking::{error::StakingError, Device, DeviceStatus, HardwareClass, Operator, Slash};
use io_testkit::{
    assert_error, escrow::EscrowFixture, oracle::Quorum, staking::StakingFixture, TestSigner, IO,
};

fn code(e: StakingError) -> u32 {
    anchor_lang::error::ERROR_CODE_OFFSET + e as u32
}

#[tokio::test]
async fn devices_are_activated_and_jailed_by_report_proofs() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let op = f.s.operator(0, 10_000 * IO).await;
    f.s.add_bond(&op, 4_000 * IO).await.unwrap();
    let dev = f.s.device(&op, StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, 2, 1)).await.unwrap();
    let other = f.s.device(&op, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 2)).await.unwrap();
    let flagship = HardwareClass::FlagshipGpu.index() as u8;
    let tree = MerkleTree::new(vec![
        leaves::device_leaf(&dev, flagship, false, true),
        leaves::device_leaf(&other, 2, true, true), // attested as another class than declared
    ]);
    let report = q.publish(&mut f.s.h, ReportBody { devices_root: tree.root(), ..Default::default() }).await;
    let apply = |device: &Pubkey, class: u8, green: bool, active: bool, proof: Vec<[u8; 32]>| {
        sdk::apply_device_report(&op.address, device, &report, class, green, active, proof)
    };
    // A leaf that is not in the tree (the declared green flag instead of the attested one).
    let r = f.s.h.send_one(apply(&dev, flagship, true, true, tree.proof(0).unwrap()), &[]).await;
    assert_error(r, code(StakingError::InvalidProof));
    // Another device's proof.
    let r = f.s.h.send_one(apply(&dev, 2, true, true, tree.proof(1).unwrap()), &[]).await;
    assert_error(r, code(StakingError::InvalidProof));
    f.s.h.send_one(apply(&dev, flagship, false, true, tree.proof(0).unwrap()), &[]).await.unwrap();
    let d: Device = f.s.h.account(&dev).await;
    assert_eq!((d.status, d.green), (DeviceStatus::Active, false));
    assert_eq!(f.s.operator_state(&op.address).await.required_bond, 4_000 * IO);
    // The same report again: reports apply in period order.
    let r = f.s.h.send_one(apply(&dev, flagship, false, true, tree.proof(0).unwrap()), &[]).await;
    assert_error(r, code(StakingError::StaleReport));
    // Attested class differs from the declared one.
    let r = f.s.h.send_one(apply(&other, 2, true, true, tree.proof(1).unwrap()), &[]).await;
    assert_error(r, code(StakingError::ClassMismatch));

    // A later report jails the device; its bond requirement is released.
    let tree2 = MerkleTree::new(vec![leaves::device_leaf(&dev, flagship, false, false)]);
    let report2 =
        q.publish(&mut f.s.h, ReportBody { devices_root: tree2.root(), ..Default::default() }).await;
    let ix = sdk::apply_device_report(
        &op.address,
        &dev,
        &report2,
        flagship,
        false,
        false,
        tree2.proof(0).unwrap(),
    );
    f.s.h.send_one(ix, &[]).await.unwrap();
    assert_eq!(f.s.h.account::<Device>(&dev).await.status, DeviceStatus::Jailed);
    assert_eq!(f.s.operator_state(&op.address).await.required_bond, 0);

    // A report posted but never certified proves nothing.
    f.s.h.warp_seconds(3600).await;
    let mut body = ReportBody { devices_root: tree.root(), set_epoch: 1, ..Default::default() };
    body.period = (f.s.h.now().await / 3600) as u64;
    body.expiry_slot = u64::MAX;
    let relayer = f.s.h.payer().insecure_clone();
    f.s.h.send_one(osdk::post_report(&relayer.pubkey(), &q.cluster, body), &[]).await.unwrap();
    let ix = sdk::apply_device_report(
        &op.address,
        &dev,
        &q.report(&body),
        flagship,
        false,
        true,
        tree.proof(0).unwrap(),
    );
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::ReportNotCertified));
}

#[tokio::test]
async fn slashes_open_from_report_proofs_once_per_evidence() {
    let mut f = EscrowFixture::new().await;
    let q = Quorum::init(&mut f.s.h, 3).await;
    let op = f.s.operator(0, 10_000 * IO).await;
    f.s.add_bond(&op, 3_000 * IO).await.unwrap();
    let other = f.s.operator(0, 0).await;
    let evidence = [9u8; 32];
    let tree = MerkleTree::new(vec![
        leaves::slash_leaf(&op.address, 1_000 * IO, &evidence),
        leaves::slash_leaf(&other.address, 5 * IO, &[1; 32]),
    ]);
    let report = q.publish(&mut f.s.h, ReportBody { slashes_root: tree.root(), ..Default::default() }).await;
    let payer = f.s.h.payer().insecure_clone();
    // A larger amount than the leaf says, and the leaf for another operator.
    let ix = sdk::propose_slash_from_report(
        &payer.pubkey(),
        &op.address,
        &report,
        2_000 * IO,
        evidence,
        tree.proof(0).unwrap(),
    );
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::InvalidProof));
    let ix = sdk::propose_slash_from_report(
        &payer.pubkey(),
        &op.address,
        &report,
        5 * IO,
        [1; 32],
        tree.proof(1).unwrap(),
    );
    assert_error(f.s.h.send_one(ix, &[]).await, code(StakingError::InvalidProof));
    let ix = sdk::propose_slash_from_report(
        &payer.pubkey(),
        &op.address,
        &report,
        1_000 * IO,
        evidence,
        tree.proof(0).unwrap(),
    );
    f.s.h.send_one(ix.clone(), &[]).await.unwrap();
    let slash = sdk::slash(&op.address, &evidence);
    let s: Slash = f.s.h.account(&slash).await;
    assert_eq!((s.amount, s.evidence_hash), (1_000 * IO, evidence));
    // The same evidence cannot open a second slash.
    io_testkit::assert_reinit_refused(f.s.h.send_one(ix, &[]).await);
    // After the appeal window it executes like any slash.
    f.s.h.warp_seconds(f.s.params.slash_appeal_secs).await;
    f.s.execute_slash(&op.address, &slash).await.unwrap();
    let o: Operator = f.s.operator_state(&op.address).await;
    assert_eq!(o.bond, 2_000 * IO);
}
