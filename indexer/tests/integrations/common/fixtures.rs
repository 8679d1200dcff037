//! Decoded transactions for the store and API tests. Events are the programs' own structs,
//! encoded as `emit_cpi!` data and decoded by the indexer's event table, so the tests see exactly
//! the payloads ingestion produces.
use anchor_lang::{AnchorSerialize, Discriminator};
use io_indexer::decode::{events, DecodedEvent, DecodedTx, Program};
use io_indexer::store::{AccountSnapshot, Batch, Cursor};
use io_sdk::Pubkey;
use io_staking::state::{DeviceStatus, HardwareClass};
use io_token::state::BurnReason;
use serde_json::json;

pub const T0: i64 = 1_760_000_000;

pub fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

pub fn sig(n: u32) -> String {
    let mut b = [7u8; 64];
    b[..4].copy_from_slice(&n.to_le_bytes());
    bs58::encode(b).into_string()
}

/// An event as the decoder yields it.
pub fn ev<E: AnchorSerialize + Discriminator>(program: Program, e: &E) -> DecodedEvent {
    events::as_decoded(program, e).expect("event in the table")
}

/// A successful transaction at `slot` carrying `events` (paths `0.i`).
pub fn tx(n: u32, slot: u64, events: Vec<DecodedEvent>) -> DecodedTx {
    let events = events
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.ix_path = format!("0.{i}");
            e.event_index = i as u32;
            e
        })
        .collect();
    DecodedTx {
        signature: sig(n),
        slot,
        block_time: Some(T0 + slot as i64),
        err: None,
        events,
        undecoded: 0,
        instructions: vec![],
    }
}

/// A failed transaction.
pub fn failed(n: u32, slot: u64) -> DecodedTx {
    DecodedTx {
        signature: sig(n),
        slot,
        block_time: Some(T0 + slot as i64),
        err: Some(r#"{"InstructionError":[0,{"Custom":6000}]}"#.into()),
        events: vec![],
        undecoded: 0,
        instructions: vec![],
    }
}

pub fn cursor_at(t: &DecodedTx) -> Cursor {
    Cursor { program: "io_staking".into(), last_signature: t.signature.clone(), last_slot: t.slot }
}

/// The actors of the fixture network.
pub struct Net {
    pub admin: Pubkey,
    pub op_a: Pubkey,
    pub op_b: Pubkey,
    pub op_c: Pubkey,
    pub dev_a: Pubkey,
    pub dev_b: Pubkey,
    pub dev_c: Pubkey,
    pub offer_a: Pubkey,
    pub offer_b: Pubkey,
    pub staker1: Pubkey,
    pub staker2: Pubkey,
    pub renter: Pubkey,
    pub lease: Pubkey,
    pub usdc: Pubkey,
    pub report: Pubkey,
    pub oracle: Pubkey,
    pub slash: Pubkey,
    pub txs: Vec<DecodedTx>,
    pub accounts: Vec<AccountSnapshot>,
}

impl Net {
    pub fn batch(&self) -> Batch {
        Batch { expected: vec![], transactions: self.txs.clone(), accounts: self.accounts.clone() }
    }

    pub fn cursor(&self) -> Cursor {
        cursor_at(self.txs.last().expect("txs"))
    }

    pub fn event_count(&self) -> usize {
        self.txs.iter().filter(|t| t.err.is_none()).map(|t| t.events.len()).sum()
    }
}

fn registered(operator: Pubkey, authority: Pubkey, name: &str, region: &str, bps: u16) -> DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::OperatorRegistered {
            operator,
            authority,
            name: name.into(),
            region: region.into(),
            metadata_url: format!("https://{name}.example"),
            commission_bps: bps,
            ts: T0,
        },
    )
}

#[allow(clippy::too_many_arguments)]
fn device(
    device: Pubkey,
    operator: Pubkey,
    model: &str,
    gpus: u16,
    vram: u16,
    region: &str,
    green: bool,
    class: HardwareClass,
) -> DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::DeviceRegistered {
            device,
            operator,
            id_hash: [device.to_bytes()[0]; 32],
            gpu_model: model.into(),
            gpu_count: gpus,
            vram_gb: vram,
            region: region.into(),
            green,
            class,
            ts: T0,
        },
    )
}

fn activated(device: Pubkey, operator: Pubkey, active_after: u32) -> DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::DeviceStatusChanged {
            device,
            operator,
            before: DeviceStatus::Pending,
            after: DeviceStatus::Active,
            required_bond_before: 0,
            required_bond_after: 1_000,
            devices_active_after: active_after,
            ts: T0 + 13,
        },
    )
}

fn staked(
    operator: Pubkey,
    staker: Pubkey,
    amount: u64,
    pos: u64,
    pool: u64,
    delegators: u32,
) -> DecodedEvent {
    ev(
        Program::Staking,
        &io_staking::events::Staked {
            operator,
            staker,
            amount,
            shares_minted: amount,
            position_shares_after: pos,
            pool_shares_after: pool,
            pool_tokens_before: pool - amount,
            pool_tokens_after: pool,
            delegator_count_after: delegators,
        },
    )
}

fn offer(offer: Pubkey, operator: Pubkey, device: Pubkey, usdc: u64) -> DecodedEvent {
    ev(
        Program::Escrow,
        &io_escrow::events::OfferPosted {
            offer,
            operator,
            device,
            price_usdc_per_hour: usdc,
            price_io_per_hour: 0,
            min_hours: 1,
            max_hours: 720,
        },
    )
}

fn burned(
    reason: BurnReason,
    amount: u64,
    reason_after: u64,
    total_after: u64,
    authority: Pubkey,
) -> DecodedEvent {
    ev(
        Program::Token,
        &io_token::events::Burned {
            reason,
            authority,
            from: authority,
            amount,
            reason_burned_before: reason_after - amount,
            reason_burned_after: reason_after,
            total_burned_after: total_after,
            total_minted: 500_000_000,
            supply_after: 500_000_000 - total_after,
        },
    )
}

/// A small network: three operators (eu-west, us-east, us-west), three devices (two active and
/// offered), stakes, one USDC lease with a settlement, burns of three reasons, an emission, a
/// reward to a pool without stake, an unstake, an oracle set and a report certified by a later account snapshot, one failed
/// transaction. Slots 10–22; block time `T0 + slot`.
#[allow(clippy::vec_init_then_push)] // one push per transaction reads as the chain's history
pub fn net() -> Net {
    let n = Net {
        admin: key(1),
        op_a: key(10),
        op_b: key(11),
        op_c: key(12),
        dev_a: key(20),
        dev_b: key(21),
        dev_c: key(22),
        offer_a: key(30),
        offer_b: key(31),
        staker1: key(40),
        staker2: key(41),
        renter: key(50),
        lease: key(51),
        usdc: key(52),
        report: key(60),
        oracle: key(61),
        slash: key(70),
        txs: vec![],
        accounts: vec![],
    };
    let mut txs = vec![];
    txs.push(tx(
        1,
        10,
        vec![
            ev(
                Program::Token,
                &io_token::events::TokenInitialized {
                    admin: n.admin,
                    io_mint: key(2),
                    decimals: 6,
                    max_supply: 800_000_000,
                    params: io_token::state::EmissionParams {
                        first_month_emission: 3_330_000,
                        decay_bps: 100,
                    },
                },
            ),
            ev(
                Program::Token,
                &io_token::events::Minted {
                    reason: io_token::events::MintReason::Genesis,
                    destination: key(3),
                    amount: 500_000_000,
                    total_minted_before: 0,
                    total_minted_after: 500_000_000,
                    supply_after: 500_000_000,
                },
            ),
        ],
    ));
    txs.push(tx(
        2,
        11,
        vec![
            registered(n.op_a, key(100), "alpha", "eu-west", 500),
            registered(n.op_b, key(101), "bravo", "us-east", 300),
            registered(n.op_c, key(102), "charlie", "us-west", 1_000),
        ],
    ));
    txs.push(tx(
        3,
        12,
        vec![
            device(n.dev_a, n.op_a, "H100", 8, 80, "eu-west", true, HardwareClass::DatacenterGpu),
            device(n.dev_b, n.op_b, "RTX4090", 1, 24, "us-east", false, HardwareClass::ConsumerGpu),
            device(n.dev_c, n.op_c, "", 0, 0, "us-west", true, HardwareClass::Cpu),
        ],
    ));
    txs.push(tx(
        4,
        13,
        vec![
            ev(
                Program::Staking,
                &io_staking::events::BondChanged {
                    operator: n.op_a,
                    action: io_staking::events::BondAction::Add,
                    amount: 16_000,
                    bond_before: 0,
                    bond_after: 16_000,
                    withdrawing_before: 0,
                    withdrawing_after: 0,
                    unlock_ts: 0,
                    required_bond: 0,
                },
            ),
            activated(n.dev_a, n.op_a, 1),
            activated(n.dev_b, n.op_b, 1),
        ],
    ));
    txs.push(tx(
        5,
        14,
        vec![
            staked(n.op_a, n.staker1, 200, 200, 200, 1),
            staked(n.op_b, n.staker1, 150, 150, 150, 1),
            staked(n.op_a, n.staker2, 100, 100, 300, 2),
        ],
    ));
    txs.push(failed(6, 15));
    txs.push(tx(
        7,
        15,
        vec![offer(n.offer_a, n.op_a, n.dev_a, 2_000_000), offer(n.offer_b, n.op_b, n.dev_b, 500_000)],
    ));
    txs.push(tx(
        8,
        16,
        vec![ev(
            Program::Escrow,
            &io_escrow::events::LeaseOpened {
                lease: n.lease,
                renter: n.renter,
                payment_mint: n.usdc,
                devices: vec![n.dev_a],
                rates_per_hour: vec![2_000_000],
                hours: 10,
                base: 20_000_000,
                fee_reserve: 400_000,
                deposit: 20_400_000,
                fee_bps: 200,
                start_ts: T0 + 16,
                // Far beyond the fixture's chain time: dev_a stays leased.
                end_ts: T0 + 16 + 36_000,
            },
        )],
    ));
    txs.push(tx(
        9,
        17,
        vec![ev(
            Program::Escrow,
            &io_escrow::events::LeaseSettled {
                lease: n.lease,
                device: n.dev_a,
                device_index: 0,
                attested_before: 0,
                attested_after: 1_800,
                paid: 1_000_000,
                fee: 20_000,
                lease_paid_after: 1_000_000,
                lease_fees_after: 20_000,
                held_after: 19_380_000,
            },
        )],
    ));
    txs.push(tx(
        10,
        18,
        vec![
            burned(BurnReason::Buyback, 50, 50, 50, key(80)),
            ev(
                Program::Escrow,
                &io_escrow::events::BuybackBurned {
                    usdc_spent: 100,
                    io_burned: 50,
                    usdc_per_io: 2,
                    min_io: 48,
                    total_usdc_spent: 100,
                    total_io_burned: 50,
                    buyback_count: 1,
                    donation_burned: 0,
                },
            ),
            burned(BurnReason::Slash, 10, 10, 60, key(81)),
            burned(BurnReason::Other, 5, 5, 65, n.staker1),
        ],
    ));
    txs.push(tx(
        11,
        19,
        vec![ev(
            Program::Staking,
            &io_staking::events::Unstaked {
                operator: n.op_a,
                staker: n.staker2,
                amount: 100,
                shares_burned: 100,
                unbonding_shares_minted: 100,
                unlock_ts: T0 + 19 + 14 * 86_400,
                position_shares_after: 0,
                pool_shares_after: 200,
                pool_tokens_before: 300,
                pool_tokens_after: 200,
                unbonding_tokens_after: 100,
                delegator_count_after: 1,
            },
        )],
    ));
    txs.push(tx(
        12,
        20,
        vec![
            ev(
                Program::Token,
                &io_token::events::Emitted {
                    from_hour: 0,
                    to_hour: 2,
                    scheduled: 9_122,
                    minted: 9_122,
                    month_amount_before: 3_330_000,
                    month_amount_after: 3_330_000,
                    emitted_before: 0,
                    emitted_after: 9_122,
                    hours_still_due: 0,
                },
            ),
            ev(
                Program::Staking,
                &io_staking::events::RewardsClaimed {
                    operator: n.op_a,
                    staker: n.staker1,
                    amount: 7,
                    reward_per_share: 1 << 70,
                },
            ),
            // A reward to a pool without stake: all of it is commission, as the program splits it.
            ev(
                Program::Staking,
                &io_staking::events::RewardsFunded {
                    operator: n.op_c,
                    amount: 40,
                    commission: 40,
                    to_delegators: 0,
                    commission_bps: 1_000,
                    pool_shares: 0,
                    reward_per_share_before: 0,
                    reward_per_share_after: 0,
                },
            ),
        ],
    ));
    let body = io_oracle::state::ReportBody {
        period: 5,
        set_epoch: 1,
        rewards_root: [1; 32],
        usage_root: [2; 32],
        devices_root: [3; 32],
        slashes_root: [4; 32],
        usdc_per_io: 2,
        emission_distributed: 9_000,
        device_seconds: 7_200,
        devices_attested: 2,
        expiry_slot: 1_000,
    };
    txs.push(tx(
        13,
        21,
        vec![
            ev(
                Program::Oracle,
                &io_oracle::events::SetRotated {
                    epoch: 1,
                    members: vec![n.oracle, key(62), key(63)],
                    threshold: 3,
                    by_quorum: false,
                },
            ),
            ev(Program::Oracle, &io_oracle::events::ReportPosted { report: n.report, digest: [9; 32], body }),
            ev(
                Program::Oracle,
                &io_oracle::events::OracleBondChanged {
                    oracle: n.oracle,
                    amount: 1_000,
                    bond_after: 1_000,
                    withdrawing_after: 0,
                    unlock_ts: 0,
                },
            ),
            ev(
                Program::Staking,
                &io_staking::events::SlashProposed {
                    slash: n.slash,
                    operator: n.op_c,
                    index: 0,
                    amount: 500,
                    evidence_hash: [5; 32],
                    executable_ts: T0 + 21 + 7 * 86_400,
                },
            ),
        ],
    ));
    // certify_report emits no event: the report account is the record.
    let mut cx = io_indexer::decode::json::Cx::default();
    let report_state = io_indexer::decode::json::ToJson::to_json(
        &io_oracle::state::Report {
            body,
            digest: [9; 32],
            status: io_oracle::state::ReportStatus::Certified,
            signers: 3,
            posted_by: n.admin,
            certified_slot: 22,
            bump: 254,
        },
        &mut cx,
    );
    let accounts = vec![AccountSnapshot {
        address: n.report.to_string(),
        program: Program::Oracle,
        account_type: "Report".into(),
        slot: 22,
        state: report_state,
    }];
    assert_eq!(accounts[0].state["status"], json!("certified"));
    Net { txs, accounts, ..n }
}
