//! Off-chain view of the IO Compute programs and the one vocabulary every client shares: PDA
//! derivations, typed instruction builders and account decoders (per program), the [`Program`]
//! enum, the user-facing [`names`] of every enum, the [`errors`] table of every program, token
//! [`amount`]s, [`keypair`] files, account [`views`] with their derived figures and, behind the
//! `client` feature, the RPC [`client`] wrapper. The tests, the CLI, the indexer, the local network
//! and the coming services all go through this crate, so addresses, layouts, names and figures
//! have one source of truth: the program crates themselves.
pub mod amount;
#[cfg(feature = "client")]
pub mod client;
pub mod errors;
pub mod escrow;
pub mod keypair;
pub mod names;
pub mod oracle;
mod program;
pub mod report;
pub mod settings;
pub mod staking;
pub mod token;
pub mod verify;
pub mod views;
pub mod worker;

pub use names::Name;
pub use program::Program;

pub use anchor_lang::solana_program::{instruction::Instruction, pubkey::Pubkey};
use anchor_lang::{AccountDeserialize, Discriminator};

/// Seeds of the PDA that signs `emit_cpi!` events (Anchor's convention).
pub const EVENT_AUTHORITY_SEED: &[u8] = b"__event_authority";

/// The event-authority PDA of `program_id`.
pub fn event_authority(program_id: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[EVENT_AUTHORITY_SEED], program_id).0
}

/// Decodes an Anchor account (discriminator checked) from raw account data.
pub fn decode_account<T: AccountDeserialize>(data: &[u8]) -> anchor_lang::Result<T> {
    let mut slice = data;
    T::try_deserialize(&mut slice)
}

/// Decodes an `emit_cpi!` event from the data of an inner instruction, if it is one of type `E`:
/// `EVENT_IX_TAG_LE ‖ E::DISCRIMINATOR ‖ borsh(E)`.
pub fn decode_event<E: anchor_lang::Event + anchor_lang::AnchorDeserialize + Discriminator>(
    ix_data: &[u8],
) -> Option<E> {
    let rest = ix_data.strip_prefix(anchor_lang::event::EVENT_IX_TAG_LE)?;
    let mut body = rest.strip_prefix(E::DISCRIMINATOR)?;
    E::deserialize(&mut body).ok()
}
