use crate::{constants::*, error::TokenError};
use anchor_lang::prelude::*;

/// The leaf of `wallet`'s claim of `amount` at position `index` in campaign `campaign_id`:
/// `leaf_hash("io-airdrop-v1", [campaign_id u64 LE, index u32 LE, wallet, amount u64 LE])`.
pub fn airdrop_leaf(campaign_id: u64, index: u32, wallet: &Pubkey, amount: u64) -> [u8; 32] {
    io_merkle::leaf_hash(
        AIRDROP_DOMAIN,
        &[&campaign_id.to_le_bytes(), &index.to_le_bytes(), wallet.as_ref(), &amount.to_le_bytes()],
    )
}

/// A community airdrop, PDA `["airdrop", campaign_id (u64 LE)]`. Reserves `total` of the
/// community bucket until it is closed; a bitmap of 8,192 bits records the claimed leaves. Never
/// closed as an account, so a claimed bit can never be reset. Zero-copy (1,112 bytes).
#[account(zero_copy)]
#[derive(Debug)]
pub struct AirdropCampaign {
    pub campaign_id: u64,
    /// Reserved from the community bucket, base units.
    pub total: u64,
    /// Σ claimed so far.
    pub claimed_amount: u64,
    /// Returned to the community bucket by `close_airdrop`: `total − claimed_amount` then.
    pub returned: u64,
    /// Claims are accepted while `now < expiry_ts`; `close_airdrop` from then on.
    pub expiry_ts: i64,
    pub created_ts: i64,
    pub merkle_root: [u8; 32],
    pub claimed_count: u32,
    /// 1 once `close_airdrop` ran.
    pub closed: u8,
    pub bump: u8,
    pub _padding: [u8; 2],
    /// Bit `i` (byte `i / 8`, bit `i % 8`) is set once leaf `i` was claimed.
    pub claimed_bitmap: [u8; AIRDROP_BITMAP_BYTES],
}

impl AirdropCampaign {
    pub const SPACE: usize = 8 + core::mem::size_of::<AirdropCampaign>();

    fn bit(index: u32) -> Result<(usize, u8)> {
        require!(index < MAX_AIRDROP_CLAIMS, TokenError::ClaimIndexOutOfRange);
        let byte = index.checked_div(8).ok_or(TokenError::MathOverflow)?;
        let bit = index.checked_rem(8).ok_or(TokenError::MathOverflow)?;
        Ok((byte as usize, 1u8.checked_shl(bit).ok_or(TokenError::MathOverflow)?))
    }

    pub fn is_claimed(&self, index: u32) -> Result<bool> {
        let (byte, mask) = Self::bit(index)?;
        Ok(self.claimed_bitmap[byte] & mask != 0)
    }

    pub fn set_claimed(&mut self, index: u32) -> Result<()> {
        let (byte, mask) = Self::bit(index)?;
        self.claimed_bitmap[byte] |= mask;
        Ok(())
    }

    pub fn is_closed(&self) -> bool {
        self.closed != 0
    }

    pub fn invariant(&self) -> Result<()> {
        let settled = self.claimed_amount.checked_add(self.returned);
        let closed_ok = if self.is_closed() { settled == Some(self.total) } else { self.returned == 0 };
        require!(
            settled.is_some_and(|s| s <= self.total)
                && closed_ok
                && self.closed <= 1
                && self.claimed_count <= MAX_AIRDROP_CLAIMS
                && self.total > 0,
            TokenError::MathOverflow
        );
        Ok(())
    }
}
