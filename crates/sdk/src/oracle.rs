//! io_oracle: addresses, instruction builders, and the Ed25519 precompile instruction that
//! carries a quorum's signatures.
use crate::{event_authority, Instruction, Pubkey};
use anchor_lang::{prelude::AccountMeta, InstructionData, ToAccountMetas};
use io_oracle::{accounts as acc, constants::*, instruction as ix, OracleParams, ReportBody};

pub use io_oracle::{report_digest, rotation_digest, ID as PROGRAM_ID};

/// The Ed25519 precompile program.
pub const ED25519_PROGRAM_ID: Pubkey = solana_sdk_ids::ed25519_program::ID;
/// The instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Pubkey = solana_sdk_ids::sysvar::instructions::ID;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

pub fn config() -> Pubkey {
    pda(&[CONFIG_SEED])
}
pub fn bond_vault() -> Pubkey {
    pda(&[BOND_VAULT_SEED])
}
pub fn bond(oracle: &Pubkey) -> Pubkey {
    pda(&[BOND_SEED, oracle.as_ref()])
}
/// The candidate report of `body` on cluster `cluster_id` (its address binds period and digest).
pub fn report(cluster_id: &[u8; 32], body: &ReportBody) -> Pubkey {
    pda(&[REPORT_SEED, &body.period.to_le_bytes(), &report_digest(cluster_id, body)])
}
pub fn equivocation(oracle: &Pubkey, period: u64) -> Pubkey {
    pda(&[EQUIVOCATION_SEED, oracle.as_ref(), &period.to_le_bytes()])
}
pub fn event_authority_pda() -> Pubkey {
    event_authority(&PROGRAM_ID)
}

const TOKEN_PROGRAM: Pubkey = anchor_spl::token::ID;
const SYSTEM_PROGRAM: Pubkey = anchor_lang::system_program::ID;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData, rest: Vec<AccountMeta>) -> Instruction {
    let mut metas = accounts.to_account_metas(None);
    metas.extend(rest);
    Instruction { program_id: PROGRAM_ID, accounts: metas, data: data.data() }
}

/// One signature for [`ed25519_instruction`]: the signer's public key and its 64-byte signature.
pub type Ed25519Signature = ([u8; 32], [u8; 64]);

/// An Ed25519 precompile instruction verifying every `(pubkey, signature)` over one `message`,
/// with everything inside its own data: header `[n, 0]`, `n` 14-byte offset records whose three
/// instruction indices are all `u16::MAX`, then `n × (pubkey ‖ signature)`, then the message once.
pub fn ed25519_instruction(signatures: &[Ed25519Signature], message: &[u8]) -> Instruction {
    let n = signatures.len();
    let offsets_end = 2 + 14 * n;
    let message_offset = offsets_end + 96 * n;
    let mut data = Vec::with_capacity(message_offset + message.len());
    data.push(n as u8);
    data.push(0);
    for i in 0..n {
        let pk = (offsets_end + 96 * i) as u16;
        let sig = pk + 32;
        for v in [sig, u16::MAX, pk, u16::MAX, message_offset as u16, message.len() as u16, u16::MAX] {
            data.extend_from_slice(&v.to_le_bytes());
        }
    }
    for (pk, sig) in signatures {
        data.extend_from_slice(pk);
        data.extend_from_slice(sig);
    }
    data.extend_from_slice(message);
    Instruction { program_id: ED25519_PROGRAM_ID, accounts: vec![], data }
}

/// An Ed25519 precompile instruction verifying signatures over possibly different messages (as
/// an equivocation proof needs), everything inside its own data: header, offset records, then per
/// signature `pubkey ‖ signature ‖ message`.
pub fn ed25519_instruction_multi(entries: &[(Ed25519Signature, &[u8])]) -> Instruction {
    let n = entries.len();
    let mut offsets = Vec::new();
    let mut body = Vec::new();
    let mut at = 2 + 14 * n;
    for ((pk, sig), msg) in entries {
        let pk_off = at as u16;
        let sig_off = pk_off + 32;
        let msg_off = sig_off + 64;
        for v in [sig_off, u16::MAX, pk_off, u16::MAX, msg_off, msg.len() as u16, u16::MAX] {
            offsets.extend_from_slice(&v.to_le_bytes());
        }
        body.extend_from_slice(pk);
        body.extend_from_slice(sig);
        body.extend_from_slice(msg);
        at += 96 + msg.len();
    }
    let mut data = vec![n as u8, 0];
    data.extend(offsets);
    data.extend(body);
    Instruction { program_id: ED25519_PROGRAM_ID, accounts: vec![], data }
}

/// `cluster_id`: the cluster's genesis hash (`getGenesisHash`), bound into every signed digest.
pub fn initialize(
    admin: &Pubkey,
    io_mint: &Pubkey,
    params: OracleParams,
    members: Vec<Pubkey>,
    threshold: u8,
    cluster_id: [u8; 32],
) -> Instruction {
    build(
        acc::Initialize {
            admin: *admin,
            config: config(),
            io_mint: *io_mint,
            bond_vault: bond_vault(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Initialize { params, members, threshold, cluster_id },
        vec![],
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
    build(admin_only(admin), ix::ProposeAdmin { new_admin }, vec![])
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
        vec![],
    )
}

pub fn set_paused(admin: &Pubkey, paused: bool) -> Instruction {
    build(admin_only(admin), ix::SetPaused { paused }, vec![])
}

pub fn update_params(admin: &Pubkey, params: OracleParams) -> Instruction {
    build(admin_only(admin), ix::UpdateParams { params }, vec![])
}

fn bonds_of(members: &[Pubkey]) -> Vec<AccountMeta> {
    members.iter().map(|m| AccountMeta::new_readonly(bond(m), false)).collect()
}

pub fn propose_rotation(admin: &Pubkey, members: Vec<Pubkey>, threshold: u8) -> Instruction {
    let rest = bonds_of(&members);
    build(admin_only(admin), ix::ProposeRotation { members, threshold }, rest)
}

pub fn cancel_rotation(admin: &Pubkey) -> Instruction {
    build(admin_only(admin), ix::CancelRotation {}, vec![])
}

/// `members`: the pending rotation's members (`config.pending_rotation.set.keys()`), whose bonds
/// are checked again at execution.
pub fn execute_rotation(members: &[Pubkey]) -> Instruction {
    build(
        acc::ExecuteRotation {
            config: config(),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ExecuteRotation {},
        bonds_of(members),
    )
}

/// Must follow an [`ed25519_instruction`] over [`rotation_digest`].
pub fn rotate_by_quorum(members: Vec<Pubkey>, threshold: u8) -> Instruction {
    let rest = bonds_of(&members);
    build(
        acc::RotateByQuorum {
            config: config(),
            instructions: INSTRUCTIONS_SYSVAR_ID,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::RotateByQuorum { members, threshold },
        rest,
    )
}

fn bond_action(oracle: &Pubkey, io_mint: &Pubkey, oracle_token: &Pubkey) -> acc::BondAction {
    acc::BondAction {
        oracle: *oracle,
        config: config(),
        bond: bond(oracle),
        io_mint: *io_mint,
        bond_vault: bond_vault(),
        oracle_token: *oracle_token,
        token_program: TOKEN_PROGRAM,
        system_program: SYSTEM_PROGRAM,
        event_authority: event_authority_pda(),
        program: PROGRAM_ID,
    }
}

pub fn post_bond(oracle: &Pubkey, io_mint: &Pubkey, oracle_token: &Pubkey, amount: u64) -> Instruction {
    let a = bond_action(oracle, io_mint, oracle_token);
    let accounts = acc::PostBond {
        oracle: a.oracle,
        config: a.config,
        bond: a.bond,
        io_mint: a.io_mint,
        bond_vault: a.bond_vault,
        oracle_token: a.oracle_token,
        token_program: a.token_program,
        system_program: a.system_program,
        event_authority: a.event_authority,
        program: a.program,
    };
    build(accounts, ix::PostBond { amount }, vec![])
}

pub fn request_bond_withdrawal(oracle: &Pubkey, io_mint: &Pubkey, oracle_token: &Pubkey) -> Instruction {
    build(bond_action(oracle, io_mint, oracle_token), ix::RequestBondWithdrawal {}, vec![])
}

pub fn withdraw_bond(oracle: &Pubkey, io_mint: &Pubkey, oracle_token: &Pubkey) -> Instruction {
    build(bond_action(oracle, io_mint, oracle_token), ix::WithdrawBond {}, vec![])
}

/// `cluster_id`: the config's (`OracleConfig::cluster_id`); it fixes the candidate's address.
pub fn post_report(relayer: &Pubkey, cluster_id: &[u8; 32], body: ReportBody) -> Instruction {
    build(
        acc::PostReport {
            relayer: *relayer,
            config: config(),
            report: report(cluster_id, &body),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::PostReport { body },
        vec![],
    )
}

/// Must follow an [`ed25519_instruction`] over the report's digest.
pub fn certify_report(report: &Pubkey) -> Instruction {
    build(
        acc::CertifyReport { config: config(), report: *report, instructions: INSTRUCTIONS_SYSVAR_ID },
        ix::CertifyReport {},
        vec![],
    )
}

/// Must follow an [`ed25519_instruction`]-style instruction carrying `oracle`'s signatures over
/// both bodies' digests.
pub fn prove_equivocation(
    reporter: &Pubkey,
    io_mint: &Pubkey,
    oracle: Pubkey,
    body_a: ReportBody,
    body_b: ReportBody,
) -> Instruction {
    build(
        acc::ProveEquivocation {
            reporter: *reporter,
            config: config(),
            bond: bond(&oracle),
            evidence: equivocation(&oracle, body_a.period),
            io_mint: *io_mint,
            bond_vault: bond_vault(),
            token_config: crate::token::config(),
            token_event_authority: crate::token::event_authority_pda(),
            io_token_program: io_token::ID,
            instructions: INSTRUCTIONS_SYSVAR_ID,
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::ProveEquivocation { oracle, body_a, body_b },
        vec![],
    )
}
