//! io_staking: addresses and instruction builders.
use crate::{event_authority, Instruction, Pubkey};
use anchor_lang::{prelude::AccountMeta, InstructionData, ToAccountMetas};
use io_staking::{accounts as acc, constants::*, instruction as ix, state::Params, DeviceSpec};

pub use io_staking::ID as PROGRAM_ID;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

pub fn config() -> Pubkey {
    pda(&[CONFIG_SEED])
}
pub fn stake_vault() -> Pubkey {
    pda(&[STAKE_VAULT_SEED])
}
pub fn bond_vault() -> Pubkey {
    pda(&[BOND_VAULT_SEED])
}
pub fn reward_vault() -> Pubkey {
    pda(&[REWARD_VAULT_SEED])
}
/// The operator account of the wallet `authority`.
pub fn operator(authority: &Pubkey) -> Pubkey {
    pda(&[OPERATOR_SEED, authority.as_ref()])
}
pub fn device(operator: &Pubkey, id_hash: &[u8; 32]) -> Pubkey {
    pda(&[DEVICE_SEED, operator.as_ref(), id_hash])
}
/// Byte offset of `operator` in a `Position` account (after the 8-byte discriminator), for a
/// `getProgramAccounts` memcmp: an operator's positions with one filter.
pub const POSITION_OPERATOR_OFFSET: usize = 8;

pub fn position(operator: &Pubkey, staker: &Pubkey) -> Pubkey {
    pda(&[POSITION_SEED, operator.as_ref(), staker.as_ref()])
}
/// The slash of `operator` for the evidence `evidence_hash` (one slash per piece of evidence).
pub fn slash(operator: &Pubkey, evidence_hash: &[u8; 32]) -> Pubkey {
    pda(&[SLASH_SEED, operator.as_ref(), evidence_hash])
}
pub fn event_authority_pda() -> Pubkey {
    event_authority(&PROGRAM_ID)
}

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction { program_id: PROGRAM_ID, accounts: accounts.to_account_metas(None), data: data.data() }
}

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;

const SYSTEM_PROGRAM: Pubkey = anchor_lang::system_program::ID;

/* Admin */

pub fn initialize(
    admin: &Pubkey,
    io_mint: &Pubkey,
    params: Params,
    oracle_authority: Pubkey,
    rewards_authority: Pubkey,
) -> Instruction {
    build(
        acc::Initialize {
            admin: *admin,
            config: config(),
            io_mint: *io_mint,
            stake_vault: stake_vault(),
            bond_vault: bond_vault(),
            reward_vault: reward_vault(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Initialize { params, oracle_authority, rewards_authority },
    )
}

fn admin_only(admin: &Pubkey) -> acc::AdminOnly {
    acc::AdminOnly {
        admin: *admin,
        config: config(),
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn propose_admin(admin: &Pubkey, new_admin: Pubkey) -> Instruction {
    build(admin_only(admin), ix::ProposeAdmin { new_admin })
}

pub fn accept_admin(new_admin: &Pubkey) -> Instruction {
    build(
        acc::AcceptAdmin {
            new_admin: *new_admin,
            config: config(),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::AcceptAdmin {},
    )
}

pub fn set_paused(admin: &Pubkey, paused: bool) -> Instruction {
    build(admin_only(admin), ix::SetPaused { paused })
}

pub fn update_params(admin: &Pubkey, params: Params) -> Instruction {
    build(admin_only(admin), ix::UpdateParams { params })
}

pub fn set_authorities(admin: &Pubkey, oracle_authority: Pubkey, rewards_authority: Pubkey) -> Instruction {
    build(admin_only(admin), ix::SetAuthorities { oracle_authority, rewards_authority })
}

/* Operator */

pub fn register_operator(
    authority: &Pubkey,
    name: &str,
    region: &str,
    metadata_url: &str,
    commission_bps: u16,
) -> Instruction {
    build(
        acc::RegisterOperator {
            authority: *authority,
            config: config(),
            operator: operator(authority),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::RegisterOperator {
            name: name.into(),
            region: region.into(),
            metadata_url: metadata_url.into(),
            commission_bps,
        },
    )
}

fn operator_only(authority: &Pubkey) -> acc::OperatorOnly {
    acc::OperatorOnly {
        authority: *authority,
        config: config(),
        operator: operator(authority),
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn update_operator(authority: &Pubkey, name: &str, region: &str, metadata_url: &str) -> Instruction {
    build(
        operator_only(authority),
        ix::UpdateOperator { name: name.into(), region: region.into(), metadata_url: metadata_url.into() },
    )
}

pub fn request_commission_change(authority: &Pubkey, new_bps: u16) -> Instruction {
    build(operator_only(authority), ix::RequestCommissionChange { new_bps })
}

fn bond_transfer(authority: &Pubkey, io_mint: &Pubkey, operator_token: &Pubkey) -> acc::BondTransfer {
    acc::BondTransfer {
        authority: *authority,
        config: config(),
        operator: operator(authority),
        io_mint: *io_mint,
        bond_vault: bond_vault(),
        operator_token: *operator_token,
        token_program: TOKEN_PROGRAM,
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn add_bond(authority: &Pubkey, io_mint: &Pubkey, operator_token: &Pubkey, amount: u64) -> Instruction {
    build(bond_transfer(authority, io_mint, operator_token), ix::AddBond { amount })
}

pub fn request_bond_withdrawal(authority: &Pubkey, amount: u64) -> Instruction {
    build(operator_only(authority), ix::RequestBondWithdrawal { amount })
}

pub fn withdraw_bond(authority: &Pubkey, io_mint: &Pubkey, operator_token: &Pubkey) -> Instruction {
    build(bond_transfer(authority, io_mint, operator_token), ix::WithdrawBond {})
}

pub fn claim_commission(authority: &Pubkey, io_mint: &Pubkey, destination: &Pubkey) -> Instruction {
    build(
        acc::ClaimCommission {
            authority: *authority,
            config: config(),
            operator: operator(authority),
            io_mint: *io_mint,
            reward_vault: reward_vault(),
            destination: *destination,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ClaimCommission {},
    )
}

/* Devices */

/// Registers a device under `authority`'s operator, naming `worker_key` (the machine's own
/// signing key, see `bind_worker`).
pub fn register_device(authority: &Pubkey, spec: DeviceSpec, worker_key: Pubkey) -> Instruction {
    let op = operator(authority);
    build(
        acc::RegisterDevice {
            authority: *authority,
            config: config(),
            operator: op,
            device: device(&op, &spec.id_hash),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::RegisterDevice { spec, worker_key },
    )
}

/// Binds `worker_key` to `device` of `authority`'s operator (rotates the device's signing key).
pub fn bind_worker(authority: &Pubkey, device: &Pubkey, worker_key: Pubkey) -> Instruction {
    build(
        acc::BindWorker {
            authority: *authority,
            config: config(),
            operator: operator(authority),
            device: *device,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::BindWorker { worker_key },
    )
}

pub fn deregister_device(authority: &Pubkey, device: &Pubkey) -> Instruction {
    build(
        acc::DeregisterDevice {
            authority: *authority,
            config: config(),
            operator: operator(authority),
            device: *device,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::DeregisterDevice {},
    )
}

fn oracle_device(
    oracle_authority: &Pubkey,
    operator: &Pubkey,
    device: &Pubkey,
) -> acc::OracleSetDeviceStatus {
    acc::OracleSetDeviceStatus {
        oracle_authority: *oracle_authority,
        config: config(),
        operator: *operator,
        device: *device,
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn activate_device(oracle_authority: &Pubkey, operator: &Pubkey, device: &Pubkey) -> Instruction {
    build(oracle_device(oracle_authority, operator, device), ix::ActivateDevice {})
}

pub fn jail_device(oracle_authority: &Pubkey, operator: &Pubkey, device: &Pubkey) -> Instruction {
    build(oracle_device(oracle_authority, operator, device), ix::JailDevice {})
}

/* Stakers */

fn staker_action(
    staker: &Pubkey,
    operator: &Pubkey,
    io_mint: &Pubkey,
    staker_token: &Pubkey,
) -> acc::StakerAction {
    acc::StakerAction {
        staker: *staker,
        config: config(),
        operator: *operator,
        position: position(operator, staker),
        io_mint: *io_mint,
        stake_vault: stake_vault(),
        reward_vault: reward_vault(),
        staker_token: *staker_token,
        token_program: TOKEN_PROGRAM,
        system_program: SYSTEM_PROGRAM,
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn stake(
    staker: &Pubkey,
    operator: &Pubkey,
    io_mint: &Pubkey,
    staker_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(staker_action(staker, operator, io_mint, staker_token), ix::Stake { amount })
}

pub fn unstake(
    staker: &Pubkey,
    operator: &Pubkey,
    io_mint: &Pubkey,
    staker_token: &Pubkey,
    amount: u64,
) -> Instruction {
    build(staker_action(staker, operator, io_mint, staker_token), ix::Unstake { amount })
}

pub fn withdraw(staker: &Pubkey, operator: &Pubkey, io_mint: &Pubkey, staker_token: &Pubkey) -> Instruction {
    build(staker_action(staker, operator, io_mint, staker_token), ix::Withdraw {})
}

pub fn claim_rewards(
    staker: &Pubkey,
    operator: &Pubkey,
    io_mint: &Pubkey,
    staker_token: &Pubkey,
) -> Instruction {
    build(staker_action(staker, operator, io_mint, staker_token), ix::ClaimRewards {})
}

/* Rewards and slashing */

/// Appends warming-up positions to a reward instruction (writable, after its accounts): each is
/// paid for the periods of the reward's window it was active in, and starts earning.
fn with_positions(mut ix: Instruction, positions: &[Pubkey]) -> Instruction {
    ix.accounts.extend(positions.iter().map(|p| AccountMeta::new(*p, false)));
    ix
}

/// Funds `amount` of rewards for `operator`, as rewards for the current period. `positions`:
/// the operator's positions still warming up (see `Position::activating_shares`), to pay for
/// the periods they were active in and activate; those left out earn from their own next
/// instruction after their activation period instead.
pub fn fund_operator_rewards(
    rewards_authority: &Pubkey,
    operator: &Pubkey,
    io_mint: &Pubkey,
    source: &Pubkey,
    amount: u64,
    positions: &[Pubkey],
) -> Instruction {
    let ix = build(
        acc::FundOperatorRewards {
            rewards_authority: *rewards_authority,
            config: config(),
            operator: *operator,
            io_mint: *io_mint,
            reward_vault: reward_vault(),
            source: *source,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::FundOperatorRewards { amount },
    );
    with_positions(ix, positions)
}

pub fn propose_slash(
    oracle_authority: &Pubkey,
    operator: &Pubkey,
    amount: u64,
    evidence_hash: [u8; 32],
) -> Instruction {
    build(
        acc::ProposeSlash {
            oracle_authority: *oracle_authority,
            config: config(),
            operator: *operator,
            slash: slash(operator, &evidence_hash),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ProposeSlash { amount, evidence_hash },
    )
}

/// The admin cancels `slash` against `operator` (the operator's pending-slash count drops).
pub fn cancel_slash(admin: &Pubkey, operator: &Pubkey, slash: &Pubkey) -> Instruction {
    build(
        acc::CancelSlash {
            admin: *admin,
            config: config(),
            operator: *operator,
            slash: *slash,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::CancelSlash {},
    )
}

pub fn execute_slash(operator: &Pubkey, slash: &Pubkey, io_mint: &Pubkey) -> Instruction {
    build(
        acc::ExecuteSlash {
            config: config(),
            operator: *operator,
            slash: *slash,
            io_mint: *io_mint,
            stake_vault: stake_vault(),
            bond_vault: bond_vault(),
            token_config: crate::token::config(),
            token_event_authority: crate::token::event_authority_pda(),
            io_token_program: io_token::ID,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ExecuteSlash {},
    )
}

/// Anyone: applies a device's leaf from a certified report's devices tree.
pub fn apply_device_report(
    operator: &Pubkey,
    device: &Pubkey,
    report: &Pubkey,
    class: u8,
    green: bool,
    active: bool,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    build(
        acc::ApplyDeviceReport {
            config: config(),
            operator: *operator,
            device: *device,
            report: *report,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ApplyDeviceReport { class, green, active, proof },
    )
}

/// Anyone: opens a slash found in a certified report's slashes tree.
pub fn propose_slash_from_report(
    payer: &Pubkey,
    operator: &Pubkey,
    report: &Pubkey,
    amount: u64,
    evidence_hash: [u8; 32],
    proof: Vec<[u8; 32]>,
) -> Instruction {
    build(
        acc::ProposeSlashFromReport {
            payer: *payer,
            config: config(),
            operator: *operator,
            report: *report,
            slash: slash(operator, &evidence_hash),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ProposeSlashFromReport { amount, evidence_hash, proof },
    )
}

/// Anyone: claims `operator`'s rewards with a proof of `(operator, cumulative)` against a certified
/// report's rewards tree; the $IO comes out of io_token's emissions vault. `positions`: as for
/// [`fund_operator_rewards`].
pub fn claim_operator_rewards(
    operator: &Pubkey,
    report: &Pubkey,
    io_mint: &Pubkey,
    cumulative: u64,
    proof: Vec<[u8; 32]>,
    positions: &[Pubkey],
) -> Instruction {
    let ix = build(
        acc::ClaimOperatorRewards {
            config: config(),
            operator: *operator,
            report: *report,
            io_mint: *io_mint,
            reward_vault: reward_vault(),
            token_config: crate::token::config(),
            emissions_vault: crate::token::rewards_vault(),
            token_event_authority: crate::token::event_authority_pda(),
            io_token_program: io_token::ID,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ClaimOperatorRewards { cumulative, proof },
    );
    with_positions(ix, positions)
}
