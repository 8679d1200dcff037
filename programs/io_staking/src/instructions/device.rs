//! Devices: registered and retired by their operator, activated and jailed by the oracle
//! authority (the oracle quorum in a later version).
use super::now;
use crate::{
    constants::*,
    error::{MathResultExt, StakingError},
    events::*,
    state::*,
};
use anchor_lang::prelude::*;
use io_math::{add, sub};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct DeviceSpec {
    pub id_hash: [u8; 32],
    pub gpu_model: String,
    pub gpu_count: u16,
    pub vram_gb: u16,
    pub region: String,
    pub green: bool,
    pub class: HardwareClass,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(spec: DeviceSpec)]
pub struct RegisterDevice<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    /// CHECK: the device PDA, created here through io-program-kit so that lamports sent to the
    /// address beforehand cannot block a registration (S-1); the same id twice fails with 3000.
    #[account(mut, seeds = [DEVICE_SEED, operator.key().as_ref(), spec.id_hash.as_ref()], bump)]
    pub device: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// Registers a device as `Pending` with `worker_key` as its own signing key; it earns and can be
/// leased only once activated.
pub fn handle_register_device(
    ctx: Context<RegisterDevice>,
    spec: DeviceSpec,
    worker_key: Pubkey,
) -> Result<()> {
    Device::validate_spec(spec.class, &spec.gpu_model, spec.gpu_count, spec.vram_gb, &spec.region)?;
    Device::validate_worker_key(&worker_key)?;
    let ts = now()?;
    let operator = ctx.accounts.operator.key();
    let bump = ctx.bumps.device;
    let device = Device {
        operator,
        id_hash: spec.id_hash,
        worker_key,
        gpu_model: spec.gpu_model.clone(),
        gpu_count: spec.gpu_count,
        vram_gb: spec.vram_gb,
        region: spec.region.clone(),
        green: spec.green,
        class: spec.class,
        status: DeviceStatus::Pending,
        bonded: 0,
        registered_ts: ts,
        status_ts: ts,
        attested_period: 0,
        bump,
    };
    device.invariant()?;
    io_program_kit::create_program_account(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.device.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &crate::ID,
        8 + Device::INIT_SPACE,
        &[DEVICE_SEED, operator.as_ref(), spec.id_hash.as_ref(), &[bump]],
        &device,
    )?;
    let op = &mut ctx.accounts.operator;
    op.devices_registered = op.devices_registered.checked_add(1).ok_or(StakingError::MathOverflow)?;
    op.invariant(&ctx.accounts.config.params)?;
    let device = ctx.accounts.device.key();
    emit_cpi!(WorkerBound { device, operator, before: Pubkey::default(), after: worker_key, ts });
    emit_cpi!(DeviceRegistered {
        device,
        operator,
        id_hash: spec.id_hash,
        gpu_model: spec.gpu_model,
        gpu_count: spec.gpu_count,
        vram_gb: spec.vram_gb,
        region: spec.region,
        green: spec.green,
        class: spec.class,
        ts,
    });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct DeregisterDevice<'info> {
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut, seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [DEVICE_SEED, operator.key().as_ref(), device.id_hash.as_ref()],
        bump = device.bump, has_one = operator)]
    pub device: Box<Account<'info, Device>>,
}

/// Retires a device for good; an active device stops counting toward the required bond.
pub fn handle_deregister_device(ctx: Context<DeregisterDevice>) -> Result<()> {
    let params = ctx.accounts.config.params;
    let ev =
        set_status(&mut ctx.accounts.operator, &mut ctx.accounts.device, &params, DeviceStatus::Retired)?;
    emit_cpi!(ev);
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct BindWorker<'info> {
    pub authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(seeds = [OPERATOR_SEED, authority.key().as_ref()], bump = operator.bump,
        has_one = authority)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [DEVICE_SEED, operator.key().as_ref(), device.id_hash.as_ref()],
        bump = device.bump, has_one = operator)]
    pub device: Box<Account<'info, Device>>,
}

/// Binds a new worker key to a device (the machine was reinstalled, or its key leaked): the old
/// key's signatures no longer count for it. Only the operator's authority may; a retired device
/// is final (`InvalidDeviceStatus`). Any other status keeps its status.
pub fn handle_bind_worker(ctx: Context<BindWorker>, worker_key: Pubkey) -> Result<()> {
    Device::validate_worker_key(&worker_key)?;
    let device = &mut ctx.accounts.device;
    require!(device.status != DeviceStatus::Retired, StakingError::InvalidDeviceStatus);
    let before = core::mem::replace(&mut device.worker_key, worker_key);
    let (address, operator) = (device.key(), device.operator);
    emit_cpi!(WorkerBound { device: address, operator, before, after: worker_key, ts: now()? });
    Ok(())
}

#[event_cpi]
#[derive(Accounts)]
pub struct OracleSetDeviceStatus<'info> {
    pub oracle_authority: Signer<'info>,
    #[account(seeds = [CONFIG_SEED], bump = config.bump, has_one = oracle_authority,
        constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [DEVICE_SEED, operator.key().as_ref(), device.id_hash.as_ref()],
        bump = device.bump, has_one = operator)]
    pub device: Box<Account<'info, Device>>,
}

/// Pending or jailed → active. Refused unless the operator's bond covers the device too.
pub fn handle_activate_device(ctx: Context<OracleSetDeviceStatus>) -> Result<()> {
    let params = ctx.accounts.config.params;
    let ev = set_status(&mut ctx.accounts.operator, &mut ctx.accounts.device, &params, DeviceStatus::Active)?;
    supersede_reports_until_now(&mut ctx.accounts.device)?;
    emit_cpi!(ev);
    Ok(())
}

/// Active or pending → jailed: the device stops earning and being leasable.
pub fn handle_jail_device(ctx: Context<OracleSetDeviceStatus>) -> Result<()> {
    let params = ctx.accounts.config.params;
    let ev = set_status(&mut ctx.accounts.operator, &mut ctx.accounts.device, &params, DeviceStatus::Jailed)?;
    supersede_reports_until_now(&mut ctx.accounts.device)?;
    emit_cpi!(ev);
    Ok(())
}

/// S-7: the authority's decision counts as the device's attestation for the current oracle
/// period (`now / io_oracle::PERIOD_SECS`), so a report of this period or an earlier one, even
/// if certified or applied later, cannot silently undo it. Only a report of a later period, one
/// the quorum certified with the authority's decision already in force, moves the device again.
fn supersede_reports_until_now(device: &mut Device) -> Result<()> {
    device.attested_period = device.attested_period.max(period_of(now()?)?);
    Ok(())
}

/// The device state machine. Allowed moves:
/// Pending → Active | Jailed | Retired; Active → Jailed | Retired; Jailed → Active | Retired.
fn set_status(
    op: &mut Operator,
    device: &mut Account<Device>,
    params: &Params,
    to: DeviceStatus,
) -> Result<DeviceStatusChanged> {
    use DeviceStatus::*;
    let from = device.status;
    let allowed = matches!(
        (from, to),
        (Pending, Active | Jailed | Retired) | (Active, Jailed | Retired) | (Jailed, Active | Retired)
    );
    require!(allowed, StakingError::InvalidDeviceStatus);
    let required_before = op.required_bond;
    if to == Active {
        // The bond is priced at activation and remembered, so a later change of the per-class
        // bond parameter cannot make the release below differ from what was locked.
        let units_bond = Operator::bond_for(params.bond_per_gpu[device.class.index()], device.bond_units())?;
        let required_after = add(op.required_bond, units_bond).math()?;
        require!(op.bond >= required_after, StakingError::InsufficientBond);
        op.required_bond = required_after;
        device.bonded = units_bond;
        op.devices_active = op.devices_active.checked_add(1).ok_or(StakingError::MathOverflow)?;
    } else if from == Active {
        op.required_bond = sub(op.required_bond, device.bonded).math()?;
        device.bonded = 0;
        op.devices_active = op.devices_active.checked_sub(1).ok_or(StakingError::MathOverflow)?;
    }
    let ts = now()?;
    device.status = to;
    device.status_ts = ts;
    device.invariant()?;
    op.invariant(params)?;
    Ok(DeviceStatusChanged {
        device: device.key(),
        operator: device.operator,
        before: from,
        after: to,
        required_bond_before: required_before,
        required_bond_after: op.required_bond,
        devices_active_after: op.devices_active,
        ts,
    })
}

#[event_cpi]
#[derive(Accounts)]
pub struct ApplyDeviceReport<'info> {
    #[account(seeds = [CONFIG_SEED], bump = config.bump, constraint = config.is_live() @ StakingError::Paused)]
    pub config: Box<Account<'info, Config>>,
    #[account(mut)]
    pub operator: Box<Account<'info, Operator>>,
    #[account(mut, seeds = [DEVICE_SEED, operator.key().as_ref(), device.id_hash.as_ref()],
        bump = device.bump, has_one = operator)]
    pub device: Box<Account<'info, Device>>,
    /// A certified io_oracle report (owner and discriminator checked by `Account`).
    #[account(constraint = report.status == io_oracle::ReportStatus::Certified @ StakingError::ReportNotCertified)]
    pub report: Box<Account<'info, io_oracle::Report>>,
}

/// Anyone: applies the devices-tree leaf `(device, class, green, active)` of a certified report —
/// activation (bond permitting) or jailing, and the attested green flag. Reports apply in period
/// order, so an old report cannot undo a newer one. A retired device stays retired.
pub fn handle_apply_device_report(
    ctx: Context<ApplyDeviceReport>,
    class: u8,
    green: bool,
    active: bool,
    proof: Vec<[u8; 32]>,
) -> Result<()> {
    let body = ctx.accounts.report.body;
    let device_key = ctx.accounts.device.key();
    let leaf = io_oracle::leaves::device_leaf(&device_key, class, green, active);
    require!(io_merkle::verify(&proof, &body.devices_root, &leaf), StakingError::InvalidProof);
    let device = &mut ctx.accounts.device;
    require!(body.period > device.attested_period, StakingError::StaleReport);
    require!(usize::from(class) == device.class.index(), StakingError::ClassMismatch);
    device.attested_period = body.period;
    device.green = green;
    let params = ctx.accounts.config.params;
    let target = if active { DeviceStatus::Active } else { DeviceStatus::Jailed };
    if device.status == target {
        // Already there: only the attested period and green flag move.
        device.invariant()?;
        return Ok(());
    }
    let ev = set_status(&mut ctx.accounts.operator, &mut ctx.accounts.device, &params, target)?;
    emit_cpi!(ev);
    Ok(())
}
