//! The event table: one entry per `emit_cpi!` event type of the four programs, keyed by (program,
//! discriminator). Each entry decodes with the program crate's own type (`io_sdk::decode_event`)
//! and converts to JSON field by field (`json_struct!`, checked against the struct at compile
//! time); a test checks that every `#[event]` struct in `programs/*/src/events.rs` has an entry.
use super::json::{json_enum, json_struct, Cx, ToJson};
use super::Program;
use anchor_lang::{AnchorDeserialize, AnchorSerialize, Discriminator, Event};
use io_sdk::Pubkey;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// One event type.
pub struct EventDef {
    pub program: Program,
    pub name: &'static str,
    pub discriminator: &'static [u8],
    /// Decodes the inner instruction's full data (tag ‖ discriminator ‖ borsh) into its JSON form
    /// and the accounts it mentions.
    pub decode: super::DecodeFn,
}

fn decode_as<E: Event + AnchorDeserialize + Discriminator + ToJson>(
    data: &[u8],
) -> Option<(Value, Vec<Pubkey>)> {
    let event = io_sdk::decode_event::<E>(data)?;
    let mut cx = Cx::default();
    let value = event.to_json(&mut cx);
    Some((value, cx.accounts))
}

macro_rules! event_table {
    ($($prog:ident => $variant:ident [ $($ev:ident { $($f:ident),* $(,)? }),* $(,)? ];)*) => {
        $($(json_struct!($prog::events::$ev { $($f),* });)*)*

        /// Every event type of the four programs.
        pub static EVENTS: &[EventDef] = &[
            $($(EventDef {
                program: Program::$variant,
                name: stringify!($ev),
                discriminator: <$prog::events::$ev as Discriminator>::DISCRIMINATOR,
                decode: decode_as::<$prog::events::$ev>,
            },)*)*
        ];
    };
}

json_enum!(
    io_staking::events::BondAction,
    io_staking::state::HardwareClass,
    io_staking::state::DeviceStatus,
    io_staking::state::SlashStatus,
    io_token::events::MintReason,
    io_token::state::BurnReason,
    io_token::state::Bucket,
    io_escrow::state::LeaseStatus,
    io_oracle::state::ReportStatus,
);

json_struct!(io_staking::state::Params {
    min_stake,
    unstake_cooldown_secs,
    bond_per_gpu,
    commission_cap_bps,
    max_commission_change_bps,
    commission_epoch_secs,
    commission_delay_secs,
    bond_unbonding_secs,
    slash_appeal_secs
});
json_struct!(io_staking::state::UnstakeTicket { shares, unlock_ts, era });
json_struct!(io_token::state::EmissionParams { first_month_emission, decay_bps });
json_struct!(io_token::state::EmissionState { start_ts, next_hour, month_amount, emitted });
json_struct!(io_escrow::state::EscrowParams {
    usdc_fee_bps,
    io_fee_bps,
    min_deposit_usdc,
    min_deposit_io,
    max_buyback_slippage_bps,
    max_price_age_secs,
    settlement_grace_secs
});
json_struct!(io_escrow::state::LeaseDevice {
    device,
    offer,
    operator_authority,
    rate_per_hour,
    attested_seconds,
    paid
});
json_struct!(io_oracle::state::OracleParams {
    min_bond,
    bond_cooldown_secs,
    set_grace_secs,
    admin_rotation_timelock_secs
});
json_struct!(io_oracle::state::PendingRotation { set, executable_ts });
json_struct!(io_oracle::state::ReportBody {
    period,
    set_epoch,
    rewards_root,
    usage_root,
    devices_root,
    slashes_root,
    usdc_per_io,
    emission_distributed,
    device_seconds,
    devices_attested,
    expiry_slot
});

/// The set as its live members only (`members[..count]`).
impl ToJson for io_oracle::state::OracleSet {
    fn to_json(&self, cx: &mut Cx) -> Value {
        let io_oracle::state::OracleSet { epoch, members, count, threshold } = self;
        let live = members.get(..usize::from(*count)).unwrap_or(members.as_slice());
        super::json::object([
            ("epoch", epoch.to_json(cx)),
            ("members", Value::Array(live.iter().map(|m| m.to_json(cx)).collect())),
            ("count", count.to_json(cx)),
            ("threshold", threshold.to_json(cx)),
        ])
    }
}

event_table! {
io_staking => Staking [
    ConfigInitialized { admin, io_mint, oracle_authority, rewards_authority, params },
    AdminProposed { admin, pending_admin },
    AdminAccepted { old_admin, new_admin },
    PausedSet { paused_before, paused_after },
    ParamsUpdated { before, after },
    AuthoritiesUpdated { oracle_authority_before, oracle_authority_after, rewards_authority_before, rewards_authority_after },
    OperatorRegistered { operator, authority, name, region, metadata_url, commission_bps, ts },
    OperatorUpdated { operator, name, region, metadata_url },
    CommissionChangeRequested { operator, commission_bps, requested_bps, effective_ts },
    BondChanged { operator, action, amount, bond_before, bond_after, withdrawing_before, withdrawing_after, unlock_ts, required_bond },
    DeviceRegistered { device, operator, id_hash, gpu_model, gpu_count, vram_gb, region, green, class, ts },
    DeviceStatusChanged { device, operator, before, after, required_bond_before, required_bond_after, devices_active_after, ts },
    WorkerBound { device, operator, before, after, ts },
    Staked { operator, staker, amount, shares_minted, position_shares_after, pool_shares_after, pool_tokens_before, pool_tokens_after, delegator_count_after },
    Unstaked { operator, staker, amount, shares_burned, unbonding_shares_minted, unlock_ts, position_shares_after, pool_shares_after, pool_tokens_before, pool_tokens_after, unbonding_tokens_after, delegator_count_after },
    Withdrawn { operator, staker, amount, unbonding_shares_burned, unbonding_tokens_after },
    RewardsFunded { operator, amount, commission, to_delegators, commission_bps, pool_shares, reward_per_share_before, reward_per_share_after },
    RewardsClaimed { operator, staker, amount, reward_per_share },
    CommissionClaimed { operator, amount },
    SlashProposed { slash, operator, index, amount, evidence_hash, executable_ts },
    SlashCancelled { slash, operator, index },
    SlashExecuted { slash, operator, index, amount, from_bond, from_stake, from_unbonding, bond_after, bond_withdrawing_after, stake_tokens_after, unbonding_tokens_after },
    OperatorRewardsClaimed { operator, period, cumulative, amount, commission, to_delegators, commission_bps, pool_shares, reward_per_share_before, reward_per_share_after },
    ActivatingUnstaked { operator, staker, amount, shares_burned, activating_shares_after, pool_shares_after, pool_tokens_before, pool_tokens_after, delegator_count_after },
];
io_token => Token [
    TokenInitialized { admin, io_mint, decimals, max_supply, params },
    AdminProposed { admin, pending_admin },
    AdminAccepted { old_admin, new_admin },
    PausedSet { paused_before, paused_after },
    BurnAuthoritySet { reason, before, after },
    RewardsDistributorSet { before, after },
    Minted { reason, destination, amount, total_minted_before, total_minted_after, supply_after },
    GenesisCompleted { allocations, vaults, rewards_vault, emission_start_ts },
    Emitted { from_hour, to_hour, scheduled, minted, month_amount_before, month_amount_after, emitted_before, emitted_after, hours_still_due },
    Burned { reason, authority, from, amount, reason_burned_before, reason_burned_after, total_burned_after, total_minted, supply_after },
    VestingCreated { schedule, beneficiary, bucket, index, start_ts, cliff_ts, end_ts, amount, bucket_allocated_before, bucket_allocated_after },
    VestingClaimed { schedule, beneficiary, bucket, amount, vested, claimed_before, claimed_after, total, bucket_released_after },
    AirdropCreated { campaign, campaign_id, merkle_root, total, expiry_ts, community_allocated_before, community_allocated_after },
    AirdropClaimed { campaign, campaign_id, index, wallet, amount, claimed_amount_before, claimed_amount_after, claimed_count_after },
    AirdropClosed { campaign, campaign_id, total, claimed_amount, returned, community_allocated_before, community_allocated_after },
    RewardsWithdrawn { distributor, destination, amount, withdrawn_before, withdrawn_after, vault_balance_after },
];
io_escrow => Escrow [
    EscrowInitialized { admin, usdc_mint, io_mint, usage_authority, price_authority, treasury_authority, params },
    AdminProposed { admin, pending_admin },
    AdminAccepted { old_admin, new_admin },
    PausedSet { paused_before, paused_after },
    ParamsUpdated { before, after },
    AuthoritiesSet { usage_authority, price_authority, treasury_authority },
    PriceSet { usdc_per_io_before, usdc_per_io_after, ts, period },
    OfferPosted { offer, operator, device, price_usdc_per_hour, price_io_per_hour, min_hours, max_hours },
    OfferWithdrawn { offer, device },
    LeaseOpened { lease, renter, payment_mint, devices, rates_per_hour, hours, base, fee_reserve, deposit, fee_bps, start_ts, end_ts },
    LeaseToppedUp { lease, hours, amount, deposit_after, end_before, end_after },
    LeaseSettled { lease, device, device_index, attested_before, attested_after, paid, fee, lease_paid_after, lease_fees_after, held_after },
    LeaseEnded { lease, end_before, end_after, refund, held_after, excess_swept },
    LeaseClosed { lease, deposit, paid, fees, refunded, final_refund, excess_swept },
    BuybackBurned { usdc_spent, io_burned, usdc_per_io, min_io, total_usdc_spent, total_io_burned, buyback_count, donation_burned },
];
io_oracle => Oracle [
    AdminProposed { pending_admin },
    AdminAccepted { old_admin, new_admin },
    PausedSet { paused_before, paused_after },
    ParamsUpdated { before, after },
    RotationProposed { epoch, members, threshold, executable_ts },
    RotationCancelled { epoch, members, executable_ts },
    SetRotated { epoch, members, threshold, by_quorum },
    OracleBondChanged { oracle, amount, bond_after, withdrawing_after, unlock_ts },
    ReportPosted { report, digest, body },
    OracleSlashed { oracle, period, digest_a, digest_b, amount, removed, epoch_after },
];}

static BY_KEY: LazyLock<HashMap<(Program, [u8; 8]), &'static EventDef>> = LazyLock::new(|| {
    EVENTS.iter().filter_map(|d| Some(((d.program, <[u8; 8]>::try_from(d.discriminator).ok()?), d))).collect()
});

/// The event type of `program` with this 8-byte discriminator.
pub fn lookup(program: Program, discriminator: &[u8]) -> Option<&'static EventDef> {
    BY_KEY.get(&(program, <[u8; 8]>::try_from(discriminator).ok()?)).copied()
}

/// `event` as ingestion yields it: encoded as `emit_cpi!` data, then decoded through this table
/// (path and index left for the caller). For synthetic histories — tests and the benchmark — that
/// must carry exactly the payloads a real transaction produces; `None` for a type not in the table.
pub fn as_decoded<E: AnchorSerialize + Discriminator>(
    program: Program,
    event: &E,
) -> Option<super::DecodedEvent> {
    let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    data.extend_from_slice(E::DISCRIMINATOR);
    event.serialize(&mut data).ok()?;
    let def = lookup(program, E::DISCRIMINATOR)?;
    let (payload, accounts) = (def.decode)(&data)?;
    Some(super::DecodedEvent {
        ix_path: String::new(),
        event_index: 0,
        program,
        name: def.name.to_owned(),
        payload,
        accounts: accounts.iter().map(ToString::to_string).collect(),
    })
}

/// The names of all event types (for validating the API's `type` filter).
pub fn names() -> impl Iterator<Item = &'static str> {
    EVENTS.iter().map(|d| d.name)
}
