//! Reading back the Ed25519 precompile instruction that precedes ours.
//!
//! The precompile has already verified every signature in it (a bad one fails the whole
//! transaction). What this module proves is that the signatures we count are those: every
//! signature's three instruction indices must be `u16::MAX` — signature, public key and message
//! all inside the Ed25519 instruction itself — and every message must equal, byte for byte, the
//! message we expect. All reads are bounds-checked.
use crate::error::OracleError;
use anchor_lang::prelude::*;
use solana_instructions_sysvar::{load_current_index_checked, load_instruction_at_checked};

const OFFSETS_START: usize = 2;
const OFFSETS_LEN: usize = 14;

fn u16_at(data: &[u8], at: usize) -> Result<u16> {
    let b = data
        .get(at..at.checked_add(2).ok_or(OracleError::MalformedEd25519)?)
        .ok_or(OracleError::MalformedEd25519)?;
    Ok(u16::from_le_bytes([b[0], b[1]]))
}

fn slice(data: &[u8], offset: u16, len: usize) -> Result<&[u8]> {
    let start = usize::from(offset);
    let end = start.checked_add(len).ok_or(OracleError::MalformedEd25519)?;
    Ok(data.get(start..end).ok_or(OracleError::MalformedEd25519)?)
}

/// The public keys of the signatures in Ed25519 instruction data `data`, each over `expected`.
pub fn signers_over(data: &[u8], expected: &[u8]) -> Result<Vec<Pubkey>> {
    let mut keys = Vec::new();
    for (pk, msg) in parse(data)? {
        require!(msg == expected, OracleError::MessageMismatch);
        keys.push(pk);
    }
    Ok(keys)
}

/// Every (public key, message) of Ed25519 instruction data `data`, all of it inside that data.
pub fn parse(data: &[u8]) -> Result<Vec<(Pubkey, &[u8])>> {
    let n = usize::from(*data.first().ok_or(OracleError::MalformedEd25519)?);
    require!(n > 0, OracleError::MalformedEd25519);
    let mut keys = Vec::with_capacity(n);
    for i in 0..n {
        let base = i
            .checked_mul(OFFSETS_LEN)
            .and_then(|o| o.checked_add(OFFSETS_START))
            .ok_or(OracleError::MalformedEd25519)?;
        let at = |k: usize| u16_at(data, base.saturating_add(k));
        let (sig_off, sig_ix, pk_off, pk_ix, msg_off, msg_len, msg_ix) =
            (at(0)?, at(2)?, at(4)?, at(6)?, at(8)?, at(10)?, at(12)?);
        require!(sig_ix == u16::MAX && pk_ix == u16::MAX && msg_ix == u16::MAX, OracleError::ForeignOffsets);
        slice(data, sig_off, 64)?;
        let pk = slice(data, pk_off, 32)?;
        let msg = slice(data, msg_off, usize::from(msg_len))?;
        keys.push((Pubkey::try_from(pk).map_err(|_| OracleError::MalformedEd25519)?, msg));
    }
    Ok(keys)
}

/// The data of the Ed25519 instruction placed right before the current one. The sysvar account
/// must be the real instructions sysvar (the `*_checked` loaders refuse any other account).
pub fn preceding_ed25519_data(ix_sysvar: &AccountInfo) -> Result<Vec<u8>> {
    let current = load_current_index_checked(ix_sysvar)?;
    let prev = current.checked_sub(1).ok_or(OracleError::MissingEd25519Instruction)?;
    let ix = load_instruction_at_checked(usize::from(prev), ix_sysvar)?;
    require_keys_eq!(
        ix.program_id,
        solana_sdk_ids::ed25519_program::ID,
        OracleError::MissingEd25519Instruction
    );
    Ok(ix.data)
}

/// Counts distinct members of `members` among `keys`; any non-member or repeated key is an error.
/// Returns the bitmap of members who signed.
pub fn member_bitmap(keys: &[Pubkey], members: &[Pubkey]) -> Result<u8> {
    let mut bitmap = 0u8;
    for k in keys {
        let i = members.iter().position(|m| m == k).ok_or(OracleError::NotAMember)?;
        let bit = 1u8
            .checked_shl(u32::try_from(i).map_err(|_| OracleError::NotAMember)?)
            .ok_or(OracleError::NotAMember)?;
        require!(bitmap & bit == 0, OracleError::DuplicateSigner);
        bitmap |= bit;
    }
    Ok(bitmap)
}
