//! The account table: one decoder per Anchor account type of the four programs, keyed by
//! (program, discriminator), decoding with the program crate's own type
//! (`io_sdk::decode_account`) into the same JSON form as events.
use super::json::{json_struct, Cx, ToJson};
use super::Program;
use anchor_lang::{AccountDeserialize, Discriminator};
use io_sdk::Pubkey;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One account type.
pub struct AccountDef {
    pub program: Program,
    pub name: &'static str,
    pub discriminator: &'static [u8],
    /// Decodes the account's full data (discriminator first).
    pub decode: super::DecodeFn,
}

fn decode_as<T: AccountDeserialize + ToJson>(data: &[u8]) -> Option<(Value, Vec<Pubkey>)> {
    let account = io_sdk::decode_account::<T>(data).ok()?;
    let mut cx = Cx::default();
    let value = account.to_json(&mut cx);
    Some((value, cx.accounts))
}

/// `AirdropCampaign` is zero-copy: Anchor's reader panics unless the data is exactly its size.
fn decode_airdrop(data: &[u8]) -> Option<(Value, Vec<Pubkey>)> {
    let exact = data.get(..io_token::state::AirdropCampaign::SPACE)?;
    decode_as::<io_token::state::AirdropCampaign>(exact)
}

json_struct!(io_token::state::AirdropCampaign {
    campaign_id,
    total,
    claimed_amount,
    returned,
    expiry_ts,
    created_ts,
    merkle_root,
    claimed_count,
    closed,
    bump
} skip { _padding, claimed_bitmap });

macro_rules! account_table {
    ($($prog:ident => $variant:ident [ $($ty:ident { $($f:ident),* $(,)? }),* $(,)? ];)*) => {
        $($(json_struct!($prog::state::$ty { $($f),* });)*)*

        /// Every account type of the four programs.
        pub static ACCOUNTS: &[AccountDef] = &[
            $($(AccountDef {
                program: Program::$variant,
                name: stringify!($ty),
                discriminator: <$prog::state::$ty as Discriminator>::DISCRIMINATOR,
                decode: decode_as::<$prog::state::$ty>,
            },)*)*
            AccountDef {
                program: Program::Token,
                name: "AirdropCampaign",
                discriminator: <io_token::state::AirdropCampaign as Discriminator>::DISCRIMINATOR,
                decode: decode_airdrop,
            },
        ];
    };
}

account_table! {
io_staking => Staking [
    Config { admin, pending_admin, paused, io_mint, io_decimals, stake_vault, bond_vault, reward_vault, oracle_authority, rewards_authority, params, operator_count, total_bonded, total_staked, rewards_funded, rewards_paid, total_slashed, bump },
    Device { operator, id_hash, worker_key, gpu_model, gpu_count, vram_gb, region, green, class, status, bonded, registered_ts, status_ts, attested_period, bump },
    Operator { authority, name, region, metadata_url, commission_bps, pending_commission_bps, commission_effective_ts, last_commission_epoch, bond, bond_withdrawing, bond_unlock_ts, required_bond, devices_registered, devices_active, stake_shares, stake_tokens, unbonding_shares, unbonding_tokens, reward_per_share, commission_claimable, rewards_claimed_cumulative, delegator_count, slash_count, pending_slashes, unbonding_era, total_slashed, registered_ts, rewards_period, activating_shares, bump },
    Position { operator, staker, shares, reward_per_share_paid, rewards_owed, tickets, activating_shares, activation_period, fresh_shares, bump },
    Slash { operator, index, amount, evidence_hash, proposed_ts, executable_ts, status, from_bond, from_stake, from_unbonding, bump },
];
io_token => Token [
    TokenConfig { admin, pending_admin, paused, io_mint, decimals, max_supply, params, genesis_done, vaults, rewards_vault, allocations, allocated, released, schedule_count, campaign_count, rewards_distributor, rewards_withdrawn, burn_authorities, total_minted, genesis_minted, burned, total_burned, emission, bump, mint_bump },
    VestingSchedule { beneficiary, bucket, index, start_ts, cliff_ts, end_ts, total, claimed, bump },
];
io_escrow => Escrow [
    EscrowConfig { admin, pending_admin, paused, usdc_mint, io_mint, treasury_usdc, treasury_io, buyback_vault, usage_authority, price_authority, treasury_authority, params, leases_opened, fees_usdc, fees_io, paid_usdc, paid_io, refunded_usdc, refunded_io, buyback_usdc_spent, buyback_io_burned, buyback_count, bump },
    Lease { renter, nonce, payment_mint, vault, fee_bps, start_ts, end_ts, hours, max_hours, devices, deposit, paid, fees, refunded, status, bump, vault_bump },
    Offer { operator, operator_authority, device, price_usdc_per_hour, price_io_per_hour, min_hours, max_hours, active, lease, leased_until, updated_ts, bump },
    PriceFeed { usdc_per_io, updated_ts, period, bump },
];
io_oracle => Oracle [
    OracleConfig { admin, pending_admin, paused, io_mint, bond_vault, params, set, prev_set, prev_valid_until, pending_rotation, last_period, reports_certified, total_bonded, total_slashed, bump, cluster_id, prev_last_period, set_revoked },
    OracleBond { oracle, amount, withdrawing, unlock_ts, slashed, bump },
    Report { body, digest, status, signers, posted_by, certified_slot, bump },
    Equivocation { oracle, period, digest_a, digest_b, slashed, reporter },
];}

static BY_KEY: LazyLock<HashMap<(Program, [u8; 8]), &'static AccountDef>> = LazyLock::new(|| {
    ACCOUNTS
        .iter()
        .filter_map(|d| Some(((d.program, <[u8; 8]>::try_from(d.discriminator).ok()?), d)))
        .collect()
});

/// A decoded account state.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedAccount {
    pub program: Program,
    pub account_type: &'static str,
    pub state: Value,
    pub accounts: Vec<Pubkey>,
}

/// Decodes the data of an account owned by `program` by its discriminator; `None` for data that
/// is not one of its account types (or does not decode as one).
pub fn decode_account(program: Program, data: &[u8]) -> Option<DecodedAccount> {
    let disc = <[u8; 8]>::try_from(data.get(..8)?).ok()?;
    let def = BY_KEY.get(&(program, disc))?;
    let (state, accounts) = (def.decode)(data)?;
    Some(DecodedAccount { program, account_type: def.name, state, accounts })
}
