//! Decoding: transactions (`getTransaction`, json / jsonParsed / base64 / base58 encodings,
//! `maxSupportedTransactionVersion: 0`) into the `emit_cpi!` events of our four programs, and
//! account data into account states.
//!
//! The event rule (shared reference §2.4): an event is an **inner** instruction that invokes one
//! of our programs, whose data starts with Anchor's `EVENT_IX_TAG_LE`, whose first account is
//! that program's event-authority PDA (only the program can sign for it), invoked from a frame of
//! that same program, in a transaction whose `meta.err` is null. A failed transaction is recorded
//! as failed and yields no event; anything else that looks like an event is ignored.
pub mod accounts;
pub mod events;
pub mod json;

use serde_json::Value;
use solana_transaction_status_client_types::{
    EncodedConfirmedTransactionWithStatusMeta, EncodedTransaction, UiInstruction, UiMessage,
    UiParsedInstruction,
};
use std::sync::{Arc, LazyLock};

pub mod instructions;
pub use accounts::{decode_account, DecodedAccount};

/// A table entry's decoder: the value's JSON form and the accounts it mentions, or `None` when
/// the bytes are not one of its type.
pub type DecodeFn = fn(&[u8]) -> Option<(Value, Vec<io_sdk::Pubkey>)>;

/// The four programs: the sdk's one enum (ids, names as stored in the `program` columns).
pub use io_sdk::Program;

struct Ids {
    id: String,
    event_authority: String,
}

static IDS: LazyLock<[Ids; 4]> = LazyLock::new(|| {
    Program::ALL.map(|p| Ids { id: p.id().to_string(), event_authority: p.event_authority().to_string() })
});

/// The program ids in base58, computed once: decoding compares them against every instruction's
/// program and first account, which arrive as base58 text.
pub trait ProgramIds: Sized {
    /// The program id, base58.
    fn id_str(self) -> &'static str;
    /// The program's event-authority PDA, base58.
    fn event_authority_str(self) -> &'static str;
    /// The program whose id is `id` (base58).
    fn from_id_str(id: &str) -> Option<Self>;
}

impl ProgramIds for Program {
    fn id_str(self) -> &'static str {
        &IDS[position(self)].id
    }

    fn event_authority_str(self) -> &'static str {
        &IDS[position(self)].event_authority
    }

    fn from_id_str(id: &str) -> Option<Program> {
        Program::ALL.into_iter().find(|p| p.id_str() == id)
    }
}

/// The program's place in `Program::ALL` (the order of `IDS`).
fn position(p: Program) -> usize {
    Program::ALL.iter().position(|q| *q == p).unwrap_or(0)
}

/// One decoded `emit_cpi!` event: the typed value (what the projection matches) and its JSON
/// form (what the events table and the API carry), produced from it.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedEvent {
    /// `"{outer instruction index}.{inner instruction index}"`.
    pub ix_path: String,
    /// Position of the event among the transaction's events.
    pub event_index: u32,
    pub program: Program,
    pub name: String,
    pub payload: Value,
    /// Every non-zero account the event mentions, base58.
    pub accounts: Vec<String>,
    /// The event as the program crate's own struct (shared: the structs are not `Clone`).
    pub event: Arc<events::Event>,
}

impl DecodedEvent {
    /// The event at `ix_path`, `event_index`, with its JSON form and accounts.
    pub fn new(ix_path: String, event_index: u32, event: events::Event) -> DecodedEvent {
        let mut cx = json::Cx::default();
        let payload = event.to_json(&mut cx);
        DecodedEvent {
            ix_path,
            event_index,
            program: event.program(),
            name: event.name().to_owned(),
            payload,
            accounts: cx.accounts.iter().map(ToString::to_string).collect(),
            event: Arc::new(event),
        }
    }
}

/// One transaction as the store records it.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedTx {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    /// The transaction error as JSON text; `None` for a successful transaction.
    pub err: Option<String>,
    pub events: Vec<DecodedEvent>,
    /// Event-shaped inner instructions of our programs with an unknown discriminator or
    /// undecodable body (counted, not stored).
    pub undecoded: u32,
    /// Our programs' instructions, outer and inner (failed transactions too).
    pub instructions: Vec<instructions::DecodedInstruction>,
}

/// Why a transaction could not be decoded at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("transaction has no status meta")]
    MissingMeta,
    #[error("transaction has no signature")]
    MissingSignature,
    #[error("transaction encoding not supported: {0}")]
    Unsupported(&'static str),
    #[error("instruction {0}: account index out of range")]
    AccountIndex(String),
    #[error("instruction {0}: data is not base58")]
    Data(String),
}

/// An inner instruction reduced to what the event rule reads.
struct Inner<'a> {
    program: &'a str,
    first_account: Option<&'a str>,
    data: Vec<u8>,
    stack_height: Option<u32>,
}

/// Decodes one `getTransaction` result into its events (none for a failed transaction).
pub fn decode_transaction(tx: &EncodedConfirmedTransactionWithStatusMeta) -> Result<DecodedTx, DecodeError> {
    let meta = tx.transaction.meta.as_ref().ok_or(DecodeError::MissingMeta)?;
    let (signature, keys, outer_programs) = message_keys(&tx.transaction.transaction, meta)?;
    let mut out = DecodedTx {
        signature,
        slot: tx.slot,
        block_time: tx.block_time,
        err: meta.err.as_ref().map(|e| serde_json::to_string(e).unwrap_or_else(|_| format!("{e:?}"))),
        events: Vec::new(),
        undecoded: 0,
        instructions: transaction_instructions(tx)?,
    };
    if out.err.is_some() {
        return Ok(out);
    }
    let Some(groups) = Option::from(meta.inner_instructions.as_ref()) else { return Ok(out) };
    let groups: &Vec<_> = groups;
    for group in groups {
        let outer = usize::from(group.index);
        // Program of the most recent frame at each stack height; height 1 is the outer instruction.
        let mut frames: Vec<Option<&str>> = vec![None, outer_programs.get(outer).map(String::as_str)];
        for (j, ix) in group.instructions.iter().enumerate() {
            let path = format!("{outer}.{j}");
            let Some(inner) = inner_view(ix, &keys, &path)? else { continue };
            let parent = match inner.stack_height.and_then(|h| usize::try_from(h).ok()) {
                Some(h) if h >= 2 => {
                    frames.truncate(h);
                    frames.resize(h, None);
                    let parent = frames[h - 1];
                    frames.push(Some(inner.program));
                    Some(parent)
                }
                _ => None,
            };
            let Some(program) = Program::from_id_str(inner.program) else { continue };
            let Some(rest) = inner.data.strip_prefix(anchor_lang::event::EVENT_IX_TAG_LE) else { continue };
            if inner.first_account != Some(program.event_authority_str()) {
                continue;
            }
            // Invoked from a frame of the program itself (when the node reports stack heights).
            if let Some(parent) = parent {
                if parent != Some(program.id_str()) {
                    continue;
                }
            }
            let decoded = rest
                .get(..8)
                .and_then(|disc| events::lookup(program, disc))
                .and_then(|def| (def.decode)(&inner.data));
            match decoded {
                Some(event) => {
                    let event_index = u32::try_from(out.events.len()).unwrap_or(u32::MAX);
                    out.events.push(DecodedEvent::new(path, event_index, event));
                }
                None => out.undecoded = out.undecoded.saturating_add(1),
            }
        }
    }
    Ok(out)
}

/// Every instruction of our programs in a transaction, outer and inner, in execution order
/// (`emit_cpi!` self-calls are events, not instructions, and are left out). For a failed
/// transaction too: what it tried is what its sender wants to see.
pub fn transaction_instructions(
    tx: &EncodedConfirmedTransactionWithStatusMeta,
) -> Result<Vec<instructions::DecodedInstruction>, DecodeError> {
    let meta = tx.transaction.meta.as_ref().ok_or(DecodeError::MissingMeta)?;
    let (_, keys, _) = message_keys(&tx.transaction.transaction, meta)?;
    // (program id, data) of each outer instruction.
    let outer: Vec<(String, Vec<u8>)> = match &tx.transaction.transaction {
        EncodedTransaction::Json(ui) => match &ui.message {
            UiMessage::Raw(raw) => raw
                .instructions
                .iter()
                .enumerate()
                .map(|(i, ix)| {
                    let program = keys.get(usize::from(ix.program_id_index)).cloned().unwrap_or_default();
                    let data =
                        bs58::decode(&ix.data).into_vec().map_err(|_| DecodeError::Data(i.to_string()))?;
                    Ok((program, data))
                })
                .collect::<Result<_, DecodeError>>()?,
            UiMessage::Parsed(parsed) => parsed
                .instructions
                .iter()
                .enumerate()
                .map(|(i, ix)| {
                    Ok(inner_view(ix, &keys, &i.to_string())?
                        .map(|v| (v.program.to_owned(), v.data))
                        .unwrap_or_default())
                })
                .collect::<Result<_, DecodeError>>()?,
        },
        other => {
            let vt = other.decode().ok_or(DecodeError::Unsupported("undecodable binary transaction"))?;
            vt.message
                .instructions()
                .iter()
                .map(|ix| {
                    (keys.get(usize::from(ix.program_id_index)).cloned().unwrap_or_default(), ix.data.clone())
                })
                .collect()
        }
    };
    let groups: Vec<_> =
        Option::<&Vec<_>>::from(meta.inner_instructions.as_ref()).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let mut push = |path: String, program: &str, data: &[u8]| {
        let Some(program) = Program::from_id_str(program) else { return };
        if data.starts_with(anchor_lang::event::EVENT_IX_TAG_LE) {
            return;
        }
        out.push(instructions::DecodedInstruction {
            ix_path: path,
            program,
            name: instructions::name(program, data),
        });
    };
    for (i, (program, data)) in outer.iter().enumerate() {
        push(i.to_string(), program, data);
        for group in groups.iter().filter(|g| usize::from(g.index) == i) {
            for (j, ix) in group.instructions.iter().enumerate() {
                let path = format!("{i}.{j}");
                if let Some(inner) = inner_view(ix, &keys, &path)? {
                    push(path, inner.program, &inner.data);
                }
            }
        }
    }
    Ok(out)
}

/// The accounts a transaction could write (its writable static keys, then the loaded writable
/// addresses): the only ones whose state it can have changed, so what ingestion re-reads.
/// Programs and sysvars are never among them.
pub fn writable_keys(tx: &EncodedConfirmedTransactionWithStatusMeta) -> Result<Vec<String>, DecodeError> {
    let meta = tx.transaction.meta.as_ref().ok_or(DecodeError::MissingMeta)?;
    // Static keys are ordered signed-writable, signed-readonly, unsigned-writable, unsigned-readonly.
    // The header's (required signatures, readonly signed, readonly unsigned).
    let by_header = |keys: Vec<String>, (signed, ro_signed, ro_unsigned): (u8, u8, u8)| -> Vec<String> {
        let signed = usize::from(signed);
        let signed_writable = signed.saturating_sub(usize::from(ro_signed));
        let unsigned_writable_end = keys.len().saturating_sub(usize::from(ro_unsigned));
        keys.into_iter()
            .enumerate()
            .filter(|(i, _)| *i < signed_writable || (*i >= signed && *i < unsigned_writable_end))
            .map(|(_, k)| k)
            .collect()
    };
    let mut out = match &tx.transaction.transaction {
        EncodedTransaction::Json(ui) => match &ui.message {
            UiMessage::Raw(raw) => {
                let h = &raw.header;
                let counts = (
                    h.num_required_signatures,
                    h.num_readonly_signed_accounts,
                    h.num_readonly_unsigned_accounts,
                );
                by_header(raw.account_keys.clone(), counts)
            }
            // jsonParsed marks each key, loaded addresses included.
            UiMessage::Parsed(parsed) => {
                return Ok(parsed
                    .account_keys
                    .iter()
                    .filter(|k| k.writable)
                    .map(|k| k.pubkey.clone())
                    .collect())
            }
        },
        EncodedTransaction::Accounts(_) => {
            return Err(DecodeError::Unsupported("accounts-only transaction details"))
        }
        binary => {
            let vt = binary.decode().ok_or(DecodeError::Unsupported("undecodable binary transaction"))?;
            let keys = vt.message.static_account_keys().iter().map(ToString::to_string).collect();
            let h = vt.message.header();
            let counts =
                (h.num_required_signatures, h.num_readonly_signed_accounts, h.num_readonly_unsigned_accounts);
            by_header(keys, counts)
        }
    };
    let loaded: Option<&solana_transaction_status_client_types::UiLoadedAddresses> =
        Option::from(meta.loaded_addresses.as_ref());
    if let Some(l) = loaded {
        out.extend(l.writable.iter().cloned());
    }
    Ok(out)
}

/// The signature, the full account-key list (static keys, then loaded writable, then loaded
/// readonly addresses) and the program id of each outer instruction.
fn message_keys(
    tx: &EncodedTransaction,
    meta: &solana_transaction_status_client_types::UiTransactionStatusMeta,
) -> Result<(String, Vec<String>, Vec<String>), DecodeError> {
    let loaded: Option<&solana_transaction_status_client_types::UiLoadedAddresses> =
        Option::from(meta.loaded_addresses.as_ref());
    let (signature, mut keys, outer_idx) = match tx {
        EncodedTransaction::Json(ui) => {
            let sig = ui.signatures.first().cloned().ok_or(DecodeError::MissingSignature)?;
            match &ui.message {
                UiMessage::Raw(raw) => {
                    let outer = raw.instructions.iter().map(|i| usize::from(i.program_id_index)).collect();
                    (sig, raw.account_keys.clone(), outer)
                }
                // jsonParsed lists the loaded addresses among its keys and names programs directly.
                UiMessage::Parsed(parsed) => {
                    let keys: Vec<String> = parsed.account_keys.iter().map(|k| k.pubkey.clone()).collect();
                    let outer = parsed
                        .instructions
                        .iter()
                        .map(|i| match i {
                            UiInstruction::Compiled(c) => {
                                keys.get(usize::from(c.program_id_index)).cloned().unwrap_or_default()
                            }
                            UiInstruction::Parsed(UiParsedInstruction::Parsed(p)) => p.program_id.clone(),
                            UiInstruction::Parsed(UiParsedInstruction::PartiallyDecoded(p)) => {
                                p.program_id.clone()
                            }
                        })
                        .collect();
                    return Ok((sig, keys, outer));
                }
            }
        }
        EncodedTransaction::LegacyBinary(_) | EncodedTransaction::Binary(..) => {
            let vt = tx.decode().ok_or(DecodeError::Unsupported("undecodable binary transaction"))?;
            let sig = vt.signatures.first().map(ToString::to_string).ok_or(DecodeError::MissingSignature)?;
            let outer = vt.message.instructions().iter().map(|i| usize::from(i.program_id_index)).collect();
            (sig, vt.message.static_account_keys().iter().map(ToString::to_string).collect(), outer)
        }
        EncodedTransaction::Accounts(_) => {
            return Err(DecodeError::Unsupported("accounts-only transaction details"))
        }
    };
    if let Some(l) = loaded {
        keys.extend(l.writable.iter().cloned());
        keys.extend(l.readonly.iter().cloned());
    }
    let outer_idx: Vec<usize> = outer_idx;
    let outer = outer_idx.into_iter().map(|i| keys.get(i).cloned().unwrap_or_default()).collect();
    Ok((signature, keys, outer))
}

fn inner_view<'a>(
    ix: &'a UiInstruction,
    keys: &'a [String],
    path: &str,
) -> Result<Option<Inner<'a>>, DecodeError> {
    match ix {
        UiInstruction::Compiled(c) => {
            let key = |i: usize| {
                keys.get(i).map(String::as_str).ok_or_else(|| DecodeError::AccountIndex(path.to_owned()))
            };
            let program = key(usize::from(c.program_id_index))?;
            let first_account = c.accounts.first().map(|i| key(usize::from(*i))).transpose()?;
            let data = bs58::decode(&c.data).into_vec().map_err(|_| DecodeError::Data(path.to_owned()))?;
            Ok(Some(Inner { program, first_account, data, stack_height: c.stack_height }))
        }
        UiInstruction::Parsed(UiParsedInstruction::PartiallyDecoded(p)) => {
            let data = bs58::decode(&p.data).into_vec().map_err(|_| DecodeError::Data(path.to_owned()))?;
            Ok(Some(Inner {
                program: &p.program_id,
                first_account: p.accounts.first().map(String::as_str),
                data,
                stack_height: p.stack_height,
            }))
        }
        // Fully parsed instructions belong to programs the node knows (system, token, ...).
        UiInstruction::Parsed(UiParsedInstruction::Parsed(p)) => Ok(Some(Inner {
            program: &p.program_id,
            first_account: None,
            data: Vec::new(),
            stack_height: p.stack_height,
        })),
    }
}

#[cfg(test)]
mod tests;
