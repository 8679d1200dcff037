//! Reading and writing an account of the calling program given untyped: one created earlier in
//! the same instruction, or a PDA that may not exist yet (so it cannot be a typed `Account`).
use anchor_lang::prelude::*;

/// Reads `info` as a `T`, checking what `Account<T>` would: the owner (Anchor's
/// `AccountOwnedByWrongProgram`, 3007), then the discriminator.
pub fn load<T: AccountDeserialize + Owner>(info: &AccountInfo) -> Result<T> {
    require_keys_eq!(*info.owner, T::owner(), ErrorCode::AccountOwnedByWrongProgram);
    let data = info.try_borrow_data()?;
    T::try_deserialize(&mut &data[..])
}

/// Reads `info` as a `T` when the program owns it; `None` when it does not (not created yet,
/// pre-funded lamports alone do not make an account), so the caller may create it or refuse with
/// its own error.
pub fn load_if_owned<T: AccountDeserialize + Owner>(info: &AccountInfo) -> Result<Option<T>> {
    if *info.owner != T::owner() {
        return Ok(None);
    }
    load(info).map(Some)
}

/// Writes `value` (discriminator and data) back into `info`, read with [`load`].
pub fn store<T: AccountSerialize>(info: &AccountInfo, value: &T) -> Result<()> {
    let mut data = info.try_borrow_mut_data()?;
    let mut writer: &mut [u8] = &mut data;
    value.try_serialize(&mut writer)
}
