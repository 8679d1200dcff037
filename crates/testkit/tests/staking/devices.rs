use crate::common::*;

#[tokio::test]
async fn register_validates_spec_per_class() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 0).await;
    let bad = |class, gpus, vram, model: &str, region: &str| DeviceSpec {
        id_hash: [gpus as u8 ^ vram as u8; 32],
        gpu_model: model.into(),
        gpu_count: gpus,
        vram_gb: vram,
        region: region.into(),
        green: false,
        class,
    };
    let cases = [
        (bad(HardwareClass::Cpu, 1, 0, "", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::Cpu, 0, 8, "", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 0, 24, "RTX 4090", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 17, 24, "RTX 4090", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 1, 0, "RTX 4090", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 1, 24, "", "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 1, 24, &"m".repeat(33), "eu"), StakingError::InvalidDeviceSpec),
        (bad(HardwareClass::ConsumerGpu, 1, 24, "RTX 4090", ""), StakingError::InvalidRegion),
    ];
    for (spec, err) in cases {
        assert_error(f.device(&op, spec).await, code(err));
    }
    // A CPU-only device is a valid class.
    let cpu = f.device(&op, bad(HardwareClass::Cpu, 0, 0, "", "eu")).await.unwrap();
    let d: Device = f.h.account(&cpu).await;
    assert_eq!((d.class, d.status, d.gpu_count), (HardwareClass::Cpu, DeviceStatus::Pending, 0));
    let gpu = f.device(&op, StakingFixture::gpu_spec(HardwareClass::DatacenterGpu, 8, 1)).await.unwrap();
    let d: Device = f.h.account(&gpu).await;
    assert_eq!((d.gpu_count, d.vram_gb, d.green, d.operator), (8, 80, true, op.address));
    assert_eq!(f.operator_state(&op.address).await.devices_registered, 2);
    // The same device id twice.
    assert_reinit_refused(f.device(&op, StakingFixture::gpu_spec(HardwareClass::DatacenterGpu, 8, 1)).await);
}

#[tokio::test]
async fn activation_needs_bond_and_the_oracle_authority() {
    let mut f = StakingFixture::new().await;
    let op = f.operator(0, 20_000 * IO).await;
    let dev = f.device(&op, StakingFixture::gpu_spec(HardwareClass::FlagshipGpu, 4, 1)).await.unwrap();
    let cpu = f
        .device(
            &op,
            DeviceSpec {
                class: HardwareClass::Cpu,
                gpu_count: 0,
                vram_gb: 0,
                gpu_model: String::new(),
                ..StakingFixture::gpu_spec(HardwareClass::Cpu, 0, 2)
            },
        )
        .await
        .unwrap();
    // 4 flagship GPUs need 8,000 $IO; 7,999 is not enough.
    f.add_bond(&op, 7_999 * IO).await.unwrap();
    assert_error(f.activate(&op, &dev).await, code(StakingError::InsufficientBond));
    f.add_bond(&op, IO).await.unwrap();
    // Not the oracle authority.
    let a = op.authority.insecure_clone();
    assert_error(
        f.h.send_one(sdk::activate_device(&a.pubkey(), &op.address, &dev), &[&a]).await,
        anchor_code(AnchorError::ConstraintHasOne),
    );
    f.activate(&op, &dev).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.required_bond, o.devices_active), (8_000 * IO, 1));
    // The CPU device counts as one unit of the CPU class (50 $IO): the bond is exhausted.
    assert_error(f.activate(&op, &cpu).await, code(StakingError::InsufficientBond));
    f.add_bond(&op, 50 * IO).await.unwrap();
    f.activate(&op, &cpu).await.unwrap();
    assert_eq!(f.operator_state(&op.address).await.required_bond, 8_050 * IO);
    // Active twice is not a move of the state machine.
    assert_error(f.activate(&op, &dev).await, code(StakingError::InvalidDeviceStatus));

    // Jail releases the requirement; re-activation takes it again.
    let oracle = f.oracle.insecure_clone();
    f.h.send_one(sdk::jail_device(&oracle.pubkey(), &op.address, &dev), &[&oracle]).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.required_bond, o.devices_active), (50 * IO, 1));
    assert_eq!(f.h.account::<Device>(&dev).await.status, DeviceStatus::Jailed);
    f.activate(&op, &dev).await.unwrap();
    // A device of another operator passed with this operator.
    let other = f.operator(0, 0).await;
    let foreign = f.device(&other, StakingFixture::gpu_spec(HardwareClass::ConsumerGpu, 1, 5)).await.unwrap();
    let ix = sdk::activate_device(&oracle.pubkey(), &op.address, &foreign);
    assert_error(f.h.send_one(ix, &[&oracle]).await, anchor_code(AnchorError::ConstraintSeeds));
}

#[tokio::test]
async fn deregister_retires_for_good() {
    let mut f = StakingFixture::new().await;
    let (op, dev) = bonded_operator(&mut f, 0, 2_000 * IO, 1).await;
    let a = op.authority.insecure_clone();
    // Someone else cannot retire it.
    let other = f.operator(0, 0).await;
    let b = other.authority.insecure_clone();
    let ix = swap_account(sdk::deregister_device(&b.pubkey(), &dev), &other.address, &op.address);
    assert_error(f.h.send_one(ix, &[&b]).await, anchor_code(AnchorError::ConstraintSeeds));
    f.h.send_one(sdk::deregister_device(&a.pubkey(), &dev), &[&a]).await.unwrap();
    let o = f.operator_state(&op.address).await;
    assert_eq!((o.required_bond, o.devices_active), (0, 0));
    assert_eq!(f.h.account::<Device>(&dev).await.status, DeviceStatus::Retired);
    assert_error(f.activate(&op, &dev).await, code(StakingError::InvalidDeviceStatus));
    assert_error(
        f.h.send_one(sdk::deregister_device(&a.pubkey(), &dev), &[&a]).await,
        code(StakingError::InvalidDeviceStatus),
    );
    // With no active device the whole bond can leave.
    f.h.send_one(sdk::request_bond_withdrawal(&a.pubkey(), 2_000 * IO), &[&a]).await.unwrap();
}
