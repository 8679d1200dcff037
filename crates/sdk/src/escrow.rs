//! io_escrow: addresses and instruction builders.
use crate::{event_authority, Instruction, Pubkey};
use anchor_lang::{prelude::AccountMeta, InstructionData, ToAccountMetas};
use io_escrow::{accounts as acc, constants::*, instruction as ix, state::EscrowParams};

pub use io_escrow::ID as PROGRAM_ID;

fn pda(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &PROGRAM_ID).0
}

pub fn config() -> Pubkey {
    pda(&[CONFIG_SEED])
}
pub fn treasury(mint: &Pubkey) -> Pubkey {
    pda(&[TREASURY_SEED, mint.as_ref()])
}
pub fn buyback_vault() -> Pubkey {
    pda(&[BUYBACK_VAULT_SEED])
}
pub fn price_feed() -> Pubkey {
    pda(&[PRICE_FEED_SEED])
}
/// The offer of an io_staking device.
pub fn offer(device: &Pubkey) -> Pubkey {
    pda(&[OFFER_SEED, device.as_ref()])
}
/// The lease `nonce` of `renter`.
pub fn lease(renter: &Pubkey, nonce: u64) -> Pubkey {
    pda(&[LEASE_SEED, renter.as_ref(), &nonce.to_le_bytes()])
}
pub fn lease_vault(lease: &Pubkey) -> Pubkey {
    pda(&[LEASE_VAULT_SEED, lease.as_ref()])
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

/* Admin */

pub fn initialize(
    admin: &Pubkey,
    usdc_mint: &Pubkey,
    io_mint: &Pubkey,
    params: EscrowParams,
    usage_authority: Pubkey,
    price_authority: Pubkey,
    treasury_authority: Pubkey,
) -> Instruction {
    build(
        acc::Initialize {
            admin: *admin,
            config: config(),
            usdc_mint: *usdc_mint,
            io_mint: *io_mint,
            treasury_usdc: treasury(usdc_mint),
            treasury_io: treasury(io_mint),
            buyback_vault: buyback_vault(),
            price_feed: price_feed(),
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Initialize { params, usage_authority, price_authority, treasury_authority },
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

pub fn update_params(admin: &Pubkey, params: EscrowParams) -> Instruction {
    build(admin_only(admin), ix::UpdateParams { params }, vec![])
}

pub fn set_authorities(admin: &Pubkey, usage: Pubkey, price: Pubkey, treasury: Pubkey) -> Instruction {
    build(
        admin_only(admin),
        ix::SetAuthorities { usage_authority: usage, price_authority: price, treasury_authority: treasury },
        vec![],
    )
}

pub fn set_price(price_authority: &Pubkey, usdc_per_io: u64) -> Instruction {
    build(
        acc::SetPrice {
            price_authority: *price_authority,
            config: config(),
            price_feed: price_feed(),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::SetPrice { usdc_per_io },
        vec![],
    )
}

/* Operators */

pub fn post_offer(
    authority: &Pubkey,
    device: &Pubkey,
    price_usdc_per_hour: u64,
    price_io_per_hour: u64,
    min_hours: u32,
    max_hours: u32,
) -> Instruction {
    build(
        acc::PostOffer {
            authority: *authority,
            config: config(),
            operator: crate::staking::operator(authority),
            device: *device,
            offer: offer(device),
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::PostOffer { price_usdc_per_hour, price_io_per_hour, min_hours, max_hours },
        vec![],
    )
}

pub fn withdraw_offer(authority: &Pubkey, device: &Pubkey) -> Instruction {
    build(
        acc::WithdrawOffer {
            authority: *authority,
            config: config(),
            offer: offer(device),
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::WithdrawOffer {},
        vec![],
    )
}

/* Renters */

/// Opens lease `nonce` of `renter` over `devices` (io_staking device accounts; their offers are
/// derived), paying in `payment_mint` from `renter_token`, at most `max_deposit` in all (the quote
/// shown to the renter: see [`quote_deposit`]).
#[allow(clippy::too_many_arguments)]
pub fn open_lease(
    renter: &Pubkey,
    nonce: u64,
    payment_mint: &Pubkey,
    renter_token: &Pubkey,
    hours: u32,
    max_deposit: u64,
    devices: &[Pubkey],
) -> Instruction {
    let lease = lease(renter, nonce);
    let rest = devices
        .iter()
        .flat_map(|d| [AccountMeta::new(offer(d), false), AccountMeta::new_readonly(*d, false)])
        .collect();
    build(
        acc::OpenLease {
            renter: *renter,
            config: config(),
            payment_mint: *payment_mint,
            lease,
            vault: lease_vault(&lease),
            renter_token: *renter_token,
            token_program: TOKEN_PROGRAM,
            system_program: SYSTEM_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::OpenLease { nonce, hours, max_deposit },
        rest,
    )
}

/// The deposit `open_lease` takes for `rates` (per device-hour, from the offers) over `hours` at
/// `fee_bps`: `Σ rate × hours` plus the fee reserve. Pass it as `max_deposit` so that a re-pricing
/// between the quote and the transaction makes the transaction fail instead of costing more.
pub fn quote_deposit(rates: &[u64], hours: u32, fee_bps: u16) -> Option<u64> {
    io_escrow::math::deposit_total(rates, hours, fee_bps).ok()
}

fn offers_of(devices: &[Pubkey]) -> Vec<AccountMeta> {
    devices.iter().map(|d| AccountMeta::new(offer(d), false)).collect()
}

/// Extends `lease` by `hours`; `devices` are the lease's devices in lease order.
pub fn top_up_lease(
    renter: &Pubkey,
    lease: &Pubkey,
    payment_mint: &Pubkey,
    renter_token: &Pubkey,
    hours: u32,
    devices: &[Pubkey],
) -> Instruction {
    build(
        acc::TopUpLease {
            renter: *renter,
            config: config(),
            lease: *lease,
            payment_mint: *payment_mint,
            vault: lease_vault(lease),
            renter_token: *renter_token,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::TopUpLease { hours },
        offers_of(devices),
    )
}

/// Ends `lease` now; `devices` must be all the lease's devices, in lease order: their offers are
/// freed for new leases.
pub fn close_lease(
    renter: &Pubkey,
    lease: &Pubkey,
    payment_mint: &Pubkey,
    renter_token: &Pubkey,
    devices: &[Pubkey],
) -> Instruction {
    build(
        acc::CloseLease {
            renter: *renter,
            config: config(),
            lease: *lease,
            payment_mint: *payment_mint,
            vault: lease_vault(lease),
            renter_token: *renter_token,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::CloseLease {},
        offers_of(devices),
    )
}

pub fn finalize_lease(lease: &Pubkey, payment_mint: &Pubkey, renter_token: &Pubkey) -> Instruction {
    build(
        acc::FinalizeLease {
            config: config(),
            lease: *lease,
            payment_mint: *payment_mint,
            vault: lease_vault(lease),
            renter_token: *renter_token,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::FinalizeLease {},
        vec![],
    )
}

/* Usage and treasury authorities */

pub fn settle(
    usage_authority: &Pubkey,
    lease: &Pubkey,
    payment_mint: &Pubkey,
    provider_token: &Pubkey,
    device_index: u8,
    attested_seconds: u64,
) -> Instruction {
    build(
        acc::SettleLease {
            usage_authority: *usage_authority,
            config: config(),
            lease: *lease,
            payment_mint: *payment_mint,
            vault: lease_vault(lease),
            provider_token: *provider_token,
            treasury: treasury(payment_mint),
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::Settle { device_index, attested_seconds },
        vec![],
    )
}

#[allow(clippy::too_many_arguments)]
pub fn buyback_burn(
    treasury_authority: &Pubkey,
    usdc_mint: &Pubkey,
    io_mint: &Pubkey,
    authority_usdc: &Pubkey,
    authority_io: &Pubkey,
    usdc_spent: u64,
    io_amount: u64,
) -> Instruction {
    build(
        acc::BuybackBurn {
            treasury_authority: *treasury_authority,
            config: config(),
            price_feed: price_feed(),
            usdc_mint: *usdc_mint,
            io_mint: *io_mint,
            treasury_usdc: treasury(usdc_mint),
            buyback_vault: buyback_vault(),
            authority_usdc: *authority_usdc,
            authority_io: *authority_io,
            token_config: crate::token::config(),
            token_event_authority: crate::token::event_authority_pda(),
            io_token_program: io_token::ID,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::BuybackBurn { usdc_spent, io_amount },
        vec![],
    )
}

/// Anyone: settles a lease device with a usage proof against a certified oracle report.
#[allow(clippy::too_many_arguments)]
pub fn settle_attested(
    lease: &Pubkey,
    payment_mint: &Pubkey,
    provider_token: &Pubkey,
    report: &Pubkey,
    device_index: u8,
    attested_seconds: u64,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    build(
        acc::SettleAttested {
            config: config(),
            lease: *lease,
            payment_mint: *payment_mint,
            vault: lease_vault(lease),
            provider_token: *provider_token,
            treasury: treasury(payment_mint),
            report: *report,
            token_program: TOKEN_PROGRAM,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::SettleAttested { device_index, attested_seconds, proof },
        vec![],
    )
}

/// Anyone: moves a certified report's IO/USDC price into the price feed.
pub fn price_from_report(report: &Pubkey) -> Instruction {
    build(
        acc::PriceFromReport {
            config: config(),
            price_feed: price_feed(),
            report: *report,
            event_authority: event_authority_pda(),
            program: PROGRAM_ID,
        },
        ix::PriceFromReport {},
        vec![],
    )
}
