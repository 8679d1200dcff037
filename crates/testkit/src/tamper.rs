//! Shared tools of the negative and randomized tests: tampering with an instruction before it is
//! sent, forging look-alike accounts, Anchor's framework error codes, and a seedable generator.
use crate::Harness;
use anchor_lang::prelude::Pubkey;
use io_sdk::Instruction;

/// `ix` with `who` no longer marked as a signer, so the transaction goes out without its signature.
pub fn unsigned(mut ix: Instruction, who: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *who) {
        m.is_signer = false;
    }
    ix
}

/// `ix` with every occurrence of account `from` replaced by `to`.
pub fn swap_account(mut ix: Instruction, from: &Pubkey, to: &Pubkey) -> Instruction {
    for m in ix.accounts.iter_mut().filter(|m| m.pubkey == *from) {
        m.pubkey = *to;
    }
    ix
}

/// Copies the account at `original` to a fresh address owned by `owner`: the same bytes, the
/// wrong owner. Returns the look-alike's address.
pub async fn look_alike(h: &mut Harness, original: &Pubkey, owner: &Pubkey) -> Pubkey {
    let mut acct = h.raw_account(original).await.expect("original exists");
    acct.owner = *owner;
    let fake = Pubkey::new_unique();
    h.set_account(&fake, &acct);
    fake
}

/// Anchor's numeric code of a framework error (constraints, account checks).
pub fn anchor_code(e: anchor_lang::error::ErrorCode) -> u32 {
    e.into()
}

/// xorshift64*: a deterministic, seedable generator for the randomized tests.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A value in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// An unsigned environment variable, or `default` (how the randomized tests are scaled up).
pub fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
