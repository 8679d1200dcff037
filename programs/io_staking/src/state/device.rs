use crate::{constants::*, error::StakingError};
use anchor_lang::prelude::*;

/// What a device is, for bond sizing and challenge deadlines. Stored as its index.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum HardwareClass {
    /// CPU-only machine: no GPUs, bonded as one unit.
    Cpu,
    /// Consumer GPUs (RTX 3090/4090 class).
    ConsumerGpu,
    /// Workstation GPUs (A6000, L40 class).
    WorkstationGpu,
    /// Datacenter GPUs (A100 class).
    DatacenterGpu,
    /// Flagship datacenter GPUs (H100, H200, B200 class).
    FlagshipGpu,
}

impl HardwareClass {
    pub fn index(self) -> usize {
        match self {
            HardwareClass::Cpu => 0,
            HardwareClass::ConsumerGpu => 1,
            HardwareClass::WorkstationGpu => 2,
            HardwareClass::DatacenterGpu => 3,
            HardwareClass::FlagshipGpu => 4,
        }
    }
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum DeviceStatus {
    /// Registered, not yet attested: earns nothing, cannot be leased.
    Pending,
    /// Attested by the oracle quorum: earns and can be leased; counts toward the required bond.
    Active,
    /// Suspended by the oracle quorum (failed challenges, downtime).
    Jailed,
    /// Deregistered by its operator. Final.
    Retired,
}

/// A machine under an operator, PDA `["device", operator, id_hash]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Device {
    pub operator: Pubkey,
    /// Hash of the machine's hardware identity, chosen by the worker; unique per operator.
    pub id_hash: [u8; 32],
    /// The device's own signing key (the IO Worker's keypair): it signs the device's heartbeats
    /// and challenge answers. Only the operator's authority binds it (`register_device`) or
    /// rotates it (`bind_worker`); never the default address. Kept before the variable-length
    /// fields so that it sits at [`Device::WORKER_KEY_OFFSET`] in every device account.
    pub worker_key: Pubkey,
    #[max_len(MAX_GPU_MODEL_LEN)]
    pub gpu_model: String,
    /// 0 for CPU devices, 1..=16 otherwise.
    pub gpu_count: u16,
    /// VRAM per GPU, GB. 0 for CPU devices.
    pub vram_gb: u16,
    #[max_len(MAX_REGION_LEN)]
    pub region: String,
    /// Declared as running on renewable energy.
    pub green: bool,
    pub class: HardwareClass,
    pub status: DeviceStatus,
    /// Bond this device adds to the operator's `required_bond` while active (priced at
    /// activation); 0 otherwise.
    pub bonded: u64,
    pub registered_ts: i64,
    pub status_ts: i64,
    /// Period of the last oracle report applied to this device (0 = none): reports apply in order.
    pub attested_period: u64,
    pub bump: u8,
}

impl Device {
    /// Byte offset of `worker_key` in a device account (discriminator, operator, id_hash before
    /// it): a worker finds its device with one `memcmp` filter on its own key.
    pub const WORKER_KEY_OFFSET: usize = 8 + 32 + 32;

    /// Refuses the default address as a worker key: nobody holds its secret, so a device bound to
    /// it could never prove anything.
    pub fn validate_worker_key(worker_key: &Pubkey) -> Result<()> {
        require!(*worker_key != Pubkey::default(), StakingError::InvalidWorkerKey);
        Ok(())
    }

    /// Units the bond is counted in: GPUs, or one for a CPU device.
    pub fn bond_units(&self) -> u64 {
        u64::from(self.gpu_count.max(1))
    }

    pub fn validate_spec(
        class: HardwareClass,
        gpu_model: &str,
        gpu_count: u16,
        vram_gb: u16,
        region: &str,
    ) -> Result<()> {
        require!(!region.is_empty() && region.len() <= MAX_REGION_LEN, StakingError::InvalidRegion);
        let spec_ok = match class {
            HardwareClass::Cpu => gpu_count == 0 && vram_gb == 0 && gpu_model.len() <= MAX_GPU_MODEL_LEN,
            _ => {
                (1..=MAX_GPUS_PER_DEVICE).contains(&gpu_count)
                    && vram_gb > 0
                    && !gpu_model.is_empty()
                    && gpu_model.len() <= MAX_GPU_MODEL_LEN
            }
        };
        require!(spec_ok, StakingError::InvalidDeviceSpec);
        Ok(())
    }

    pub fn invariant(&self) -> Result<()> {
        Self::validate_spec(self.class, &self.gpu_model, self.gpu_count, self.vram_gb, &self.region)
    }
}
