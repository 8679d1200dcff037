//! S-7: the oracle authority's `jail_device` / `activate_device` count as the device's
//! attestation for the current oracle period, so a report of that period or an earlier one (even
//! certified or applied later) cannot silently undo them. And the permissionless report-driven
//! instructions respect the pause.
use crate::common::*;
use io_merkle::MerkleTree;
use io_oracle::{leaves, ReportBody};
use io_testkit::oracle::Quorum;

fn device_report(device: &Pubkey, active: bool) -> MerkleTree {
    let flagship = HardwareClass::FlagshipGpu.index() as u8;
    MerkleTree::new(vec![leaves::device_leaf(device, flagship, true, active)])
}

#[tokio::test]
async fn an_authority_jail_is_not_undone_by_an_older_report() {
    let mut f = StakingFixture::new().await;
    let q = Quorum::init(&mut f.h, 3).await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let flagship = HardwareClass::FlagshipGpu.index() as u8;
    // A report attesting the device active, certified but not applied yet.
    let active = device_report(&dev, true);
    let older = q.publish(&mut f.h, ReportBody { devices_root: active.root(), ..Default::default() }).await;
    let older_period = f.h.account::<io_oracle::Report>(&older).await.body.period;
    // The authority jails the device in the same period.
    let oracle = f.oracle.insecure_clone();
    f.h.send_one(sdk::jail_device(&oracle.pubkey(), &op.address, &dev), &[&oracle]).await.unwrap();
    let d: Device = f.h.account(&dev).await;
    assert_eq!((d.status, d.attested_period), (DeviceStatus::Jailed, older_period));
    let apply = |report: &Pubkey, tree: &MerkleTree, active: bool| {
        sdk::apply_device_report(&op.address, &dev, report, flagship, true, active, tree.proof(0).unwrap())
    };
    assert_error(f.h.send_one(apply(&older, &active, true), &[]).await, code(StakingError::StaleReport));
    assert_eq!(f.h.account::<Device>(&dev).await.status, DeviceStatus::Jailed);
    // A report of a later period, certified with the jail in force, moves it again.
    let newer = q.publish(&mut f.h, ReportBody { devices_root: active.root(), ..Default::default() }).await;
    f.h.send_one(apply(&newer, &active, true), &[]).await.unwrap();
    assert_eq!(f.h.account::<Device>(&dev).await.status, DeviceStatus::Active);

    // The same for an authority activation against an older jailing report.
    let jailed = device_report(&dev, false);
    let jail_report =
        q.publish(&mut f.h, ReportBody { devices_root: jailed.root(), ..Default::default() }).await;
    f.h.send_one(sdk::jail_device(&oracle.pubkey(), &op.address, &dev), &[&oracle]).await.unwrap();
    f.activate(&op, &dev).await.unwrap();
    assert_error(
        f.h.send_one(apply(&jail_report, &jailed, false), &[]).await,
        code(StakingError::StaleReport),
    );
    assert_eq!(f.h.account::<Device>(&dev).await.status, DeviceStatus::Active);
}

#[tokio::test]
async fn report_driven_instructions_refuse_while_paused() {
    let mut f = StakingFixture::new().await;
    let q = Quorum::init(&mut f.h, 3).await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let flagship = HardwareClass::FlagshipGpu.index() as u8;
    let devices = device_report(&dev, false);
    let evidence = [3u8; 32];
    let slashes = MerkleTree::new(vec![leaves::slash_leaf(&op.address, IO, &evidence)]);
    let rewards = MerkleTree::new(vec![leaves::rewards_leaf(&op.address, IO)]);
    // Emissions in io_token's vault for the reward claim.
    f.h.warp_seconds(2 * 3600).await;
    f.h.send_one(io_sdk::token::emit(), &[]).await.unwrap();
    let body = ReportBody {
        devices_root: devices.root(),
        slashes_root: slashes.root(),
        rewards_root: rewards.root(),
        ..Default::default()
    };
    let report = q.publish(&mut f.h, body).await;
    let admin = f.admin.insecure_clone();
    f.h.send_one(sdk::set_paused(&admin.pubkey(), true), &[&admin]).await.unwrap();
    let payer = f.h.payer().insecure_clone();
    let mint = f.io_mint();
    let cases = [
        sdk::apply_device_report(
            &op.address,
            &dev,
            &report,
            flagship,
            true,
            false,
            devices.proof(0).unwrap(),
        ),
        sdk::propose_slash_from_report(
            &payer.pubkey(),
            &op.address,
            &report,
            IO,
            evidence,
            slashes.proof(0).unwrap(),
        ),
        sdk::claim_operator_rewards(&op.address, &report, &mint, IO, rewards.proof(0).unwrap(), &[]),
    ];
    for ix in cases {
        assert_error(f.h.send_one(ix, &[]).await, code(StakingError::Paused));
    }
    f.h.send_one(sdk::set_paused(&admin.pubkey(), false), &[&admin]).await.unwrap();

    // Unpaused: a fake SPL Token or io_token program, a report look-alike, another io_oracle
    // account as the report.
    let claim =
        || sdk::claim_operator_rewards(&op.address, &report, &mint, IO, rewards.proof(0).unwrap(), &[]);
    let fake = Pubkey::new_unique();
    let ix = swap_account(claim(), &anchor_spl::token::ID, &fake);
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::InvalidProgramId));
    let ix = swap_account(claim(), &io_token::ID, &fake);
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::ConstraintAddress));
    let forged = look_alike(&mut f.h, &report, &io_staking::ID).await;
    let ix = swap_account(claim(), &report, &forged);
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountOwnedByWrongProgram));
    let ix = sdk::apply_device_report(
        &op.address,
        &dev,
        &forged,
        flagship,
        true,
        false,
        devices.proof(0).unwrap(),
    );
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountOwnedByWrongProgram));
    let ix = swap_account(claim(), &report, &io_sdk::oracle::config());
    assert_error(f.h.send_one(ix, &[]).await, anchor_code(AnchorError::AccountDiscriminatorMismatch));
    // The honest claim still works afterwards.
    f.h.send_one(claim(), &[]).await.unwrap();
}
