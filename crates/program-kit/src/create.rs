//! Creating accounts at predictable addresses (PDAs) so that nobody can stop the creation.
//!
//! Anyone can send lamports to any address. Anchor 1.2's `init` creates an address that already
//! holds lamports with the system program's `CreateAccountAllowPrefund`, which today's runtime
//! refuses, so one lamport sent in advance would block an offer, a lease, a slash or an evidence
//! account forever. These helpers create the account in the way the runtime has always accepted:
//! `create_account` when the address is empty, otherwise top up to rent exemption, `allocate` and
//! `assign`, the last two signed with the PDA's seeds. The pre-funded lamports stay in the account
//! (they are the donor's loss, and they count towards rent).
use anchor_lang::{
    prelude::*,
    solana_program::system_program as system_id,
    system_program::{self, Allocate, Assign, CreateAccount, Transfer},
    AccountSerialize,
};
use anchor_spl::token::{self, InitializeAccount3, TokenAccount};

/// Refuses an address that is already an account of some program, or holds data: creating it again
/// would overwrite live state. A system-owned empty address (with or without lamports) passes.
/// Error: Anchor's `AccountDiscriminatorAlreadySet` (3000), the same for every program.
pub fn ensure_uninitialized(target: &AccountInfo) -> Result<()> {
    if *target.owner != system_id::ID || !target.data_is_empty() {
        return Err(
            error!(ErrorCode::AccountDiscriminatorAlreadySet).with_account_name(target.key.to_string())
        );
    }
    Ok(())
}

/// Creates `target` (a PDA of the calling program, signed for by `signer_seeds`) with `space`
/// bytes, owned by `owner`, rent-exempt, paid by `payer`, whether or not the address was funded
/// beforehand.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    ensure_uninitialized(target)?;
    let rent = Rent::get()?.minimum_balance(space);
    let current = target.lamports();
    let signer = &[signer_seeds];
    if current == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: target.clone() };
        let ctx = CpiContext::new_with_signer(system_program.key(), accounts, signer);
        return system_program::create_account(ctx, rent, space as u64, owner);
    }
    // Pre-funded: top up what rent still needs, then give the address its size and owner.
    let missing = rent.saturating_sub(current);
    if missing > 0 {
        let accounts = Transfer { from: payer.clone(), to: target.clone() };
        system_program::transfer(CpiContext::new(system_program.key(), accounts), missing)?;
    }
    let accounts = Allocate { account_to_allocate: target.clone() };
    system_program::allocate(
        CpiContext::new_with_signer(system_program.key(), accounts, signer),
        space as u64,
    )?;
    let accounts = Assign { account_to_assign: target.clone() };
    system_program::assign(CpiContext::new_with_signer(system_program.key(), accounts, signer), owner)
}

/// Creates `target` as an Anchor account of the calling program holding `value` (discriminator
/// and data), with `space` bytes in all (discriminator included).
pub fn create_program_account<'info, T: AccountSerialize>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    program_id: &Pubkey,
    space: usize,
    signer_seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    create_pda(payer, target, system_program, space, program_id, signer_seeds)?;
    let mut data = target.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}

/// Creates `vault` as an SPL token account of `mint` owned by `authority`, at a PDA of the calling
/// program signed for by `signer_seeds`.
#[allow(clippy::too_many_arguments)]
pub fn create_token_vault<'info>(
    payer: &AccountInfo<'info>,
    vault: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    create_pda(payer, vault, system_program, TokenAccount::LEN, token_program.key, signer_seeds)?;
    let accounts =
        InitializeAccount3 { account: vault.clone(), mint: mint.clone(), authority: authority.clone() };
    token::initialize_account3(CpiContext::new(token_program.key(), accounts))
}
