//! Projection of events and account snapshots onto the entity tables, independent of the SQL
//! dialect: a batch becomes a [`Plan`] of
//!
//! - **appends** (one row per event, keyed by the event's id: burns, settlements, fees, buybacks,
//!   emissions, reward claims, unstake tickets),
//! - **patches** of current-state rows (operators, devices, positions, slashes, offers, leases,
//!   lease devices, reports, oracle set, oracles, supply), merged per row inside the batch with
//!   every column tagged by the slot of the event or snapshot that set it; a column is written
//!   only when its slot is at least the row's `slot`, so an older slot never overwrites a newer
//!   row, and the row's `slot` becomes the highest it has seen,
//! - **specials**: the few statements that touch rows chosen by a condition (the tickets a
//!   withdrawal paid, the offers of a lease that was extended or ended).
//!
//! Projection runs only for events inserted by this batch (an event already stored was projected
//! when it was), which is what makes a replayed batch a no-op.
use crate::decode::Program;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// A bindable SQL value. Nulls are typed so PostgreSQL can infer parameter types; arrays exist
/// for PostgreSQL's `UNNEST` bulk statements only.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    I(i64),
    T(String),
    B(bool),
    NullI,
    NullT,
    NullB,
    ArrI(Vec<Option<i64>>),
    ArrT(Vec<Option<String>>),
    ArrB(Vec<Option<bool>>),
}

impl Val {
    pub fn opt_i(v: Option<i64>) -> Val {
        v.map_or(Val::NullI, Val::I)
    }
}

/// u64 → i64 for storage. Every amount of the programs is bounded by the $IO cap (8·10^18 at
/// 10 decimals) or USDC amounts far below it, so saturation is never reached in practice.
pub fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Key columns of each patched table.
pub fn key_columns(table: &str) -> &'static [&'static str] {
    match table {
        "positions" => &["operator", "staker"],
        "lease_devices" => &["lease", "device"],
        "offers" => &["device"],
        "oracle_set" => &["epoch"],
        "supply" => &["id"],
        _ => &["address"],
    }
}

/// Row patch of one table.
#[derive(Clone, Debug)]
pub struct Patch {
    pub key: Vec<Val>,
    /// Insert the row when it is missing (otherwise a patch of a missing row does nothing).
    pub upsert: bool,
    /// Highest slot among the columns.
    pub slot: i64,
    /// Column → (value, slot it was set at); later writes in the batch replace earlier ones.
    pub cols: BTreeMap<&'static str, (Val, i64)>,
}

/// Rows to append to a log table (columns in `cols` order).
#[derive(Clone, Debug, Default)]
pub struct Append {
    pub cols: &'static [&'static str],
    pub rows: Vec<Vec<Val>>,
}

/// A statement applied on its own, in event order, after appends.
#[derive(Clone, Debug, PartialEq)]
pub enum Special {
    /// Mark the unwithdrawn tickets of (operator, staker) that had matured by `block_time`.
    TicketsWithdrawn { operator: String, staker: String, slot: i64, block_time: i64 },
    /// The offers held by `lease` are now held until `until`.
    OffersLeasedUntil { lease: String, until: i64, slot: i64 },
}

/// What one batch changes in the entity tables.
#[derive(Debug, Default)]
pub struct Plan {
    pub appends: BTreeMap<&'static str, Append>,
    /// table → key → patch (BTreeMap for a deterministic statement order).
    pub patches: BTreeMap<&'static str, HashMap<Vec<KeyPart>, Patch>>,
    pub specials: Vec<Special>,
}

/// Hashable form of a key value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyPart {
    I(i64),
    T(String),
}

fn key_part(v: &Val) -> KeyPart {
    match v {
        Val::I(i) => KeyPart::I(*i),
        Val::T(s) => KeyPart::T(s.clone()),
        Val::B(b) => KeyPart::I(i64::from(*b)),
        _ => KeyPart::T(String::new()),
    }
}

/// The metadata of one event the plan is built from.
pub struct EventCtx<'a> {
    pub id: i64,
    pub signature: &'a str,
    pub slot: i64,
    pub block_time: Option<i64>,
    pub program: Program,
    pub name: &'a str,
    pub payload: &'a Value,
}

fn s(p: &Value, k: &str) -> Val {
    match p.get(k) {
        Some(Value::String(v)) => Val::T(v.clone()),
        Some(Value::Number(n)) => Val::T(n.to_string()),
        Some(Value::Bool(b)) => Val::T(b.to_string()),
        _ => Val::NullT,
    }
}

fn n(p: &Value, k: &str) -> Val {
    match p.get(k) {
        Some(Value::Number(v)) => v.as_i64().or_else(|| v.as_u64().map(i64_of)).map_or(Val::NullI, Val::I),
        Some(Value::Bool(b)) => Val::I(i64::from(*b)),
        _ => Val::NullI,
    }
}

fn b(p: &Value, k: &str) -> Val {
    match p.get(k) {
        Some(Value::Bool(v)) => Val::B(*v),
        _ => Val::B(false),
    }
}

fn json_text(p: &Value, k: &str) -> Val {
    p.get(k).map_or(Val::NullT, |v| Val::T(v.to_string()))
}

fn t(v: &str) -> Val {
    Val::T(v.to_owned())
}

impl Plan {
    /// Patches `table` at `key` with `cols` set at `slot`.
    pub fn patch(
        &mut self,
        table: &'static str,
        key: Vec<Val>,
        upsert: bool,
        slot: i64,
        cols: Vec<(&'static str, Val)>,
    ) {
        let hk: Vec<KeyPart> = key.iter().map(key_part).collect();
        let entry = self.patches.entry(table).or_default().entry(hk).or_insert_with(|| Patch {
            key,
            upsert: false,
            slot: i64::MIN,
            cols: BTreeMap::new(),
        });
        entry.upsert |= upsert;
        entry.slot = entry.slot.max(slot);
        for (c, v) in cols {
            match entry.cols.get(c) {
                // An older event of the batch never replaces a newer value.
                Some((_, at)) if *at > slot => {}
                _ => {
                    entry.cols.insert(c, (v, slot));
                }
            }
        }
    }

    fn append(&mut self, table: &'static str, cols: &'static [&'static str], row: Vec<Val>) {
        let a = self.appends.entry(table).or_insert_with(|| Append { cols, rows: Vec::new() });
        a.rows.push(row);
    }

    /// Adds what one newly stored event changes.
    pub fn add_event(&mut self, e: &EventCtx<'_>) {
        let p = e.payload;
        let slot = e.slot;
        let head =
            |e: &EventCtx<'_>| vec![Val::I(e.id), t(e.signature), Val::I(e.slot), Val::opt_i(e.block_time)];
        match (e.program, e.name) {
            (Program::Staking, "OperatorRegistered") => self.patch(
                "operators",
                vec![s(p, "operator")],
                true,
                slot,
                vec![
                    ("authority", s(p, "authority")),
                    ("name", s(p, "name")),
                    ("region", s(p, "region")),
                    ("metadata_url", s(p, "metadata_url")),
                    ("commission_bps", n(p, "commission_bps")),
                    ("registered_ts", n(p, "ts")),
                ],
            ),
            (Program::Staking, "OperatorUpdated") => self.patch(
                "operators",
                vec![s(p, "operator")],
                false,
                slot,
                vec![
                    ("name", s(p, "name")),
                    ("region", s(p, "region")),
                    ("metadata_url", s(p, "metadata_url")),
                ],
            ),
            (Program::Staking, "CommissionChangeRequested") => self.patch(
                "operators",
                vec![s(p, "operator")],
                false,
                slot,
                vec![
                    ("commission_bps", n(p, "commission_bps")),
                    ("pending_commission_bps", n(p, "requested_bps")),
                    ("commission_effective_ts", n(p, "effective_ts")),
                ],
            ),
            (Program::Staking, "BondChanged") => self.patch(
                "operators",
                vec![s(p, "operator")],
                false,
                slot,
                vec![
                    ("bond", n(p, "bond_after")),
                    ("bond_withdrawing", n(p, "withdrawing_after")),
                    ("bond_unlock_ts", n(p, "unlock_ts")),
                    ("required_bond", n(p, "required_bond")),
                ],
            ),
            (Program::Staking, "DeviceRegistered") => self.patch(
                "devices",
                vec![s(p, "device")],
                true,
                slot,
                vec![
                    ("operator", s(p, "operator")),
                    ("id_hash", s(p, "id_hash")),
                    ("gpu_model", s(p, "gpu_model")),
                    ("gpu_count", n(p, "gpu_count")),
                    ("vram_gb", n(p, "vram_gb")),
                    ("region", s(p, "region")),
                    ("green", b(p, "green")),
                    ("class", s(p, "class")),
                    ("status", t("pending")),
                    ("registered_ts", n(p, "ts")),
                    ("status_ts", n(p, "ts")),
                ],
            ),
            (Program::Staking, "DeviceStatusChanged") => {
                self.patch(
                    "devices",
                    vec![s(p, "device")],
                    false,
                    slot,
                    vec![("status", s(p, "after")), ("status_ts", n(p, "ts"))],
                );
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![
                        ("required_bond", n(p, "required_bond_after")),
                        ("devices_active", n(p, "devices_active_after")),
                    ],
                );
            }
            (Program::Staking, "Staked") => {
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![
                        ("stake_shares", n(p, "pool_shares_after")),
                        ("stake_tokens", n(p, "pool_tokens_after")),
                        ("delegator_count", n(p, "delegator_count_after")),
                    ],
                );
                self.patch(
                    "positions",
                    vec![s(p, "operator"), s(p, "staker")],
                    true,
                    slot,
                    vec![("shares", n(p, "position_shares_after"))],
                );
            }
            (Program::Staking, "Unstaked") => {
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![
                        ("stake_shares", n(p, "pool_shares_after")),
                        ("stake_tokens", n(p, "pool_tokens_after")),
                        ("unbonding_tokens", n(p, "unbonding_tokens_after")),
                        ("delegator_count", n(p, "delegator_count_after")),
                    ],
                );
                self.patch(
                    "positions",
                    vec![s(p, "operator"), s(p, "staker")],
                    true,
                    slot,
                    vec![("shares", n(p, "position_shares_after"))],
                );
                let mut row = head(e);
                row.extend([
                    s(p, "operator"),
                    s(p, "staker"),
                    n(p, "amount"),
                    n(p, "unbonding_shares_minted"),
                    n(p, "unlock_ts"),
                ]);
                self.append("unstake_tickets", TICKET_COLS, row);
            }
            (Program::Staking, "ActivatingUnstaked") => self.patch(
                "operators",
                vec![s(p, "operator")],
                false,
                slot,
                vec![
                    ("stake_shares", n(p, "pool_shares_after")),
                    ("stake_tokens", n(p, "pool_tokens_after")),
                    ("delegator_count", n(p, "delegator_count_after")),
                ],
            ),
            (Program::Staking, "Withdrawn") => {
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![("unbonding_tokens", n(p, "unbonding_tokens_after"))],
                );
                if let (Val::T(operator), Val::T(staker), Some(block_time)) =
                    (s(p, "operator"), s(p, "staker"), e.block_time)
                {
                    self.specials.push(Special::TicketsWithdrawn { operator, staker, slot, block_time });
                }
            }
            (Program::Staking, "RewardsFunded") => self.patch(
                "operators",
                vec![s(p, "operator")],
                false,
                slot,
                vec![("reward_per_share", s(p, "reward_per_share_after"))],
            ),
            (Program::Staking, "RewardsClaimed") => {
                let mut row = head(e);
                row.extend([t("delegator"), s(p, "operator"), s(p, "staker"), n(p, "amount"), Val::NullI]);
                self.append("reward_claims", CLAIM_COLS, row);
            }
            (Program::Staking, "CommissionClaimed") => {
                let mut row = head(e);
                row.extend([t("commission"), s(p, "operator"), Val::NullT, n(p, "amount"), Val::NullI]);
                self.append("reward_claims", CLAIM_COLS, row);
            }
            (Program::Staking, "OperatorRewardsClaimed") => {
                let mut row = head(e);
                row.extend([
                    t("operator_report"),
                    s(p, "operator"),
                    Val::NullT,
                    n(p, "amount"),
                    n(p, "period"),
                ]);
                self.append("reward_claims", CLAIM_COLS, row);
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![("reward_per_share", s(p, "reward_per_share_after"))],
                );
            }
            (Program::Staking, "SlashProposed") => self.patch(
                "slashes",
                vec![s(p, "slash")],
                true,
                slot,
                vec![
                    ("operator", s(p, "operator")),
                    ("idx", n(p, "index")),
                    ("amount", n(p, "amount")),
                    ("evidence_hash", s(p, "evidence_hash")),
                    ("executable_ts", n(p, "executable_ts")),
                    ("status", t("pending")),
                ],
            ),
            (Program::Staking, "SlashCancelled") => {
                self.patch("slashes", vec![s(p, "slash")], false, slot, vec![("status", t("cancelled"))])
            }
            (Program::Staking, "SlashExecuted") => {
                self.patch(
                    "slashes",
                    vec![s(p, "slash")],
                    false,
                    slot,
                    vec![
                        ("status", t("executed")),
                        ("from_bond", n(p, "from_bond")),
                        ("from_stake", n(p, "from_stake")),
                        ("from_unbonding", n(p, "from_unbonding")),
                    ],
                );
                self.patch(
                    "operators",
                    vec![s(p, "operator")],
                    false,
                    slot,
                    vec![
                        ("bond", n(p, "bond_after")),
                        ("bond_withdrawing", n(p, "bond_withdrawing_after")),
                        ("stake_tokens", n(p, "stake_tokens_after")),
                        ("unbonding_tokens", n(p, "unbonding_tokens_after")),
                    ],
                );
            }
            (Program::Token, "TokenInitialized") => self.patch(
                "supply",
                vec![t("io")],
                true,
                slot,
                vec![("decimals", n(p, "decimals")), ("max_supply", n(p, "max_supply"))],
            ),
            (Program::Token, "Minted") => self.patch(
                "supply",
                vec![t("io")],
                true,
                slot,
                vec![("total_minted", n(p, "total_minted_after")), ("supply", n(p, "supply_after"))],
            ),
            (Program::Token, "Emitted") => {
                let mut row = head(e);
                row.extend([
                    n(p, "from_hour"),
                    n(p, "to_hour"),
                    n(p, "scheduled"),
                    n(p, "minted"),
                    n(p, "emitted_after"),
                ]);
                self.append("emissions", EMISSION_COLS, row);
                self.patch("supply", vec![t("io")], true, slot, vec![("emitted", n(p, "emitted_after"))]);
            }
            (Program::Token, "Burned") => {
                let reason = match p.get("reason").and_then(Value::as_str) {
                    Some("lease_fee") => "burned_lease_fee",
                    Some("buyback") => "burned_buyback",
                    Some("slash") => "burned_slash",
                    _ => "burned_other",
                };
                let mut row = head(e);
                row.extend([s(p, "reason"), s(p, "authority"), s(p, "from"), n(p, "amount")]);
                self.append("burns", BURN_COLS, row);
                self.patch(
                    "supply",
                    vec![t("io")],
                    true,
                    slot,
                    vec![
                        (reason, n(p, "reason_burned_after")),
                        ("total_burned", n(p, "total_burned_after")),
                        ("total_minted", n(p, "total_minted")),
                        ("supply", n(p, "supply_after")),
                    ],
                );
            }
            (Program::Token, "RewardsWithdrawn") => self.patch(
                "supply",
                vec![t("io")],
                true,
                slot,
                vec![("rewards_withdrawn", n(p, "withdrawn_after"))],
            ),
            (Program::Escrow, "OfferPosted") => self.patch(
                "offers",
                vec![s(p, "device")],
                true,
                slot,
                vec![
                    ("address", s(p, "offer")),
                    ("operator", s(p, "operator")),
                    ("price_usdc_per_hour", n(p, "price_usdc_per_hour")),
                    ("price_io_per_hour", n(p, "price_io_per_hour")),
                    ("min_hours", n(p, "min_hours")),
                    ("max_hours", n(p, "max_hours")),
                    ("active", Val::B(true)),
                ],
            ),
            (Program::Escrow, "OfferWithdrawn") => {
                self.patch("offers", vec![s(p, "device")], false, slot, vec![("active", Val::B(false))])
            }
            (Program::Escrow, "LeaseOpened") => {
                self.patch(
                    "leases",
                    vec![s(p, "lease")],
                    true,
                    slot,
                    vec![
                        ("renter", s(p, "renter")),
                        ("payment_mint", s(p, "payment_mint")),
                        ("fee_bps", n(p, "fee_bps")),
                        ("hours", n(p, "hours")),
                        ("start_ts", n(p, "start_ts")),
                        ("end_ts", n(p, "end_ts")),
                        ("deposit", n(p, "deposit")),
                        (
                            "device_count",
                            Val::I(p.get("devices").and_then(Value::as_array).map_or(0, |d| d.len() as i64)),
                        ),
                        ("status", t("open")),
                    ],
                );
                let devices = p.get("devices").and_then(Value::as_array).cloned().unwrap_or_default();
                let rates = p.get("rates_per_hour").and_then(Value::as_array).cloned().unwrap_or_default();
                for (i, d) in devices.iter().enumerate() {
                    let Some(device) = d.as_str() else { continue };
                    let rate = rates.get(i).and_then(Value::as_u64).map_or(Val::NullI, |r| Val::I(i64_of(r)));
                    self.patch(
                        "lease_devices",
                        vec![s(p, "lease"), t(device)],
                        true,
                        slot,
                        vec![("device_index", Val::I(i as i64)), ("rate_per_hour", rate)],
                    );
                    self.patch(
                        "offers",
                        vec![t(device)],
                        false,
                        slot,
                        vec![("lease", s(p, "lease")), ("leased_until", n(p, "end_ts"))],
                    );
                }
            }
            (Program::Escrow, "LeaseToppedUp") => {
                self.patch(
                    "leases",
                    vec![s(p, "lease")],
                    false,
                    slot,
                    vec![("deposit", n(p, "deposit_after")), ("end_ts", n(p, "end_after"))],
                );
                if let (Val::T(lease), Val::I(until)) = (s(p, "lease"), n(p, "end_after")) {
                    self.specials.push(Special::OffersLeasedUntil { lease, until, slot });
                }
            }
            (Program::Escrow, "LeaseSettled") => {
                let mut row = head(e);
                row.extend([
                    s(p, "lease"),
                    s(p, "device"),
                    n(p, "device_index"),
                    n(p, "attested_before"),
                    n(p, "attested_after"),
                    n(p, "paid"),
                    n(p, "fee"),
                ]);
                self.append("settlements", SETTLEMENT_COLS, row);
                if matches!(n(p, "fee"), Val::I(f) if f > 0) {
                    let mut row = head(e);
                    row.extend([s(p, "lease"), n(p, "fee")]);
                    self.append("fees", FEE_COLS, row);
                }
                self.patch(
                    "leases",
                    vec![s(p, "lease")],
                    false,
                    slot,
                    vec![("paid", n(p, "lease_paid_after")), ("fees", n(p, "lease_fees_after"))],
                );
                self.patch(
                    "lease_devices",
                    vec![s(p, "lease"), s(p, "device")],
                    false,
                    slot,
                    vec![("attested_seconds", n(p, "attested_after"))],
                );
            }
            (Program::Escrow, "LeaseEnded") => {
                self.patch(
                    "leases",
                    vec![s(p, "lease")],
                    false,
                    slot,
                    vec![("end_ts", n(p, "end_after")), ("status", t("ended"))],
                );
                if let (Val::T(lease), Val::I(until)) = (s(p, "lease"), n(p, "end_after")) {
                    self.specials.push(Special::OffersLeasedUntil { lease, until, slot });
                }
            }
            (Program::Escrow, "LeaseClosed") => self.patch(
                "leases",
                vec![s(p, "lease")],
                false,
                slot,
                vec![
                    ("status", t("closed")),
                    ("deposit", n(p, "deposit")),
                    ("paid", n(p, "paid")),
                    ("fees", n(p, "fees")),
                    ("refunded", n(p, "refunded")),
                ],
            ),
            (Program::Escrow, "BuybackBurned") => {
                let mut row = head(e);
                row.extend([n(p, "usdc_spent"), n(p, "io_burned"), n(p, "usdc_per_io"), n(p, "min_io")]);
                self.append("buybacks", BUYBACK_COLS, row);
            }
            (Program::Oracle, "SetRotated") => self.patch(
                "oracle_set",
                vec![n(p, "epoch")],
                true,
                slot,
                vec![
                    ("members", json_text(p, "members")),
                    ("threshold", n(p, "threshold")),
                    ("by_quorum", b(p, "by_quorum")),
                ],
            ),
            (Program::Oracle, "OracleBondChanged") => self.patch(
                "oracles",
                vec![s(p, "oracle")],
                true,
                slot,
                vec![
                    ("bond", n(p, "bond_after")),
                    ("withdrawing", n(p, "withdrawing_after")),
                    ("unlock_ts", n(p, "unlock_ts")),
                ],
            ),
            (Program::Oracle, "OracleSlashed") => {
                self.patch("oracles", vec![s(p, "oracle")], true, slot, vec![("slashed", Val::B(true))])
            }
            (Program::Oracle, "ReportPosted") => {
                let body = p.get("body").cloned().unwrap_or(Value::Null);
                self.patch(
                    "reports",
                    vec![s(p, "report")],
                    true,
                    slot,
                    vec![
                        ("digest", s(p, "digest")),
                        ("period", n(&body, "period")),
                        ("set_epoch", n(&body, "set_epoch")),
                        ("rewards_root", s(&body, "rewards_root")),
                        ("usage_root", s(&body, "usage_root")),
                        ("devices_root", s(&body, "devices_root")),
                        ("slashes_root", s(&body, "slashes_root")),
                        ("usdc_per_io", n(&body, "usdc_per_io")),
                        ("emission_distributed", n(&body, "emission_distributed")),
                        ("device_seconds", n(&body, "device_seconds")),
                        ("devices_attested", n(&body, "devices_attested")),
                        ("expiry_slot", n(&body, "expiry_slot")),
                        ("status", t("posted")),
                    ],
                );
            }
            _ => {}
        }
    }

    /// Adds what one account snapshot says about its entity row (the generic `accounts` table
    /// is written for every snapshot by the store itself).
    pub fn add_account(
        &mut self,
        address: &str,
        program: Program,
        account_type: &str,
        slot: i64,
        st: &Value,
    ) {
        let key = || vec![t(address)];
        match (program, account_type) {
            (Program::Staking, "Operator") => self.patch(
                "operators",
                key(),
                true,
                slot,
                vec![
                    ("authority", s(st, "authority")),
                    ("name", s(st, "name")),
                    ("region", s(st, "region")),
                    ("metadata_url", s(st, "metadata_url")),
                    ("commission_bps", n(st, "commission_bps")),
                    ("pending_commission_bps", n(st, "pending_commission_bps")),
                    ("commission_effective_ts", n(st, "commission_effective_ts")),
                    ("bond", n(st, "bond")),
                    ("bond_withdrawing", n(st, "bond_withdrawing")),
                    ("bond_unlock_ts", n(st, "bond_unlock_ts")),
                    ("required_bond", n(st, "required_bond")),
                    ("devices_active", n(st, "devices_active")),
                    ("stake_shares", n(st, "stake_shares")),
                    ("stake_tokens", n(st, "stake_tokens")),
                    ("unbonding_tokens", n(st, "unbonding_tokens")),
                    ("reward_per_share", s(st, "reward_per_share")),
                    ("commission_claimable", n(st, "commission_claimable")),
                    ("delegator_count", n(st, "delegator_count")),
                    ("slash_count", n(st, "slash_count")),
                    ("total_slashed", n(st, "total_slashed")),
                    ("registered_ts", n(st, "registered_ts")),
                    ("rewards_period", n(st, "rewards_period")),
                    ("activating_shares", n(st, "activating_shares")),
                ],
            ),
            (Program::Staking, "Device") => self.patch(
                "devices",
                key(),
                true,
                slot,
                vec![
                    ("operator", s(st, "operator")),
                    ("id_hash", s(st, "id_hash")),
                    ("gpu_model", s(st, "gpu_model")),
                    ("gpu_count", n(st, "gpu_count")),
                    ("vram_gb", n(st, "vram_gb")),
                    ("region", s(st, "region")),
                    ("green", b(st, "green")),
                    ("class", s(st, "class")),
                    ("status", s(st, "status")),
                    ("registered_ts", n(st, "registered_ts")),
                    ("status_ts", n(st, "status_ts")),
                ],
            ),
            (Program::Staking, "Position") => self.patch(
                "positions",
                vec![s(st, "operator"), s(st, "staker")],
                true,
                slot,
                vec![
                    ("address", t(address)),
                    ("shares", n(st, "shares")),
                    ("reward_per_share_paid", s(st, "reward_per_share_paid")),
                    ("rewards_owed", n(st, "rewards_owed")),
                    ("activating_shares", n(st, "activating_shares")),
                    ("activation_period", n(st, "activation_period")),
                ],
            ),
            (Program::Staking, "Slash") => self.patch(
                "slashes",
                key(),
                true,
                slot,
                vec![
                    ("operator", s(st, "operator")),
                    ("idx", n(st, "index")),
                    ("amount", n(st, "amount")),
                    ("evidence_hash", s(st, "evidence_hash")),
                    ("executable_ts", n(st, "executable_ts")),
                    ("status", s(st, "status")),
                    ("from_bond", n(st, "from_bond")),
                    ("from_stake", n(st, "from_stake")),
                    ("from_unbonding", n(st, "from_unbonding")),
                ],
            ),
            (Program::Escrow, "Offer") => self.patch(
                "offers",
                vec![s(st, "device")],
                true,
                slot,
                vec![
                    ("address", t(address)),
                    ("operator", s(st, "operator")),
                    ("price_usdc_per_hour", n(st, "price_usdc_per_hour")),
                    ("price_io_per_hour", n(st, "price_io_per_hour")),
                    ("min_hours", n(st, "min_hours")),
                    ("max_hours", n(st, "max_hours")),
                    ("active", b(st, "active")),
                    ("lease", s(st, "lease")),
                    ("leased_until", n(st, "leased_until")),
                ],
            ),
            (Program::Escrow, "Lease") => {
                let devices = st.get("devices").and_then(Value::as_array).cloned().unwrap_or_default();
                self.patch(
                    "leases",
                    key(),
                    true,
                    slot,
                    vec![
                        ("renter", s(st, "renter")),
                        ("payment_mint", s(st, "payment_mint")),
                        ("fee_bps", n(st, "fee_bps")),
                        ("hours", n(st, "hours")),
                        ("start_ts", n(st, "start_ts")),
                        ("end_ts", n(st, "end_ts")),
                        ("deposit", n(st, "deposit")),
                        ("paid", n(st, "paid")),
                        ("fees", n(st, "fees")),
                        ("refunded", n(st, "refunded")),
                        ("device_count", Val::I(devices.len() as i64)),
                        ("status", s(st, "status")),
                    ],
                );
                for (i, d) in devices.iter().enumerate() {
                    self.patch(
                        "lease_devices",
                        vec![t(address), s(d, "device")],
                        true,
                        slot,
                        vec![
                            ("device_index", Val::I(i as i64)),
                            ("rate_per_hour", n(d, "rate_per_hour")),
                            ("attested_seconds", n(d, "attested_seconds")),
                        ],
                    );
                }
            }
            (Program::Oracle, "Report") => {
                let body = st.get("body").cloned().unwrap_or(Value::Null);
                self.patch(
                    "reports",
                    key(),
                    true,
                    slot,
                    vec![
                        ("digest", s(st, "digest")),
                        ("period", n(&body, "period")),
                        ("set_epoch", n(&body, "set_epoch")),
                        ("rewards_root", s(&body, "rewards_root")),
                        ("usage_root", s(&body, "usage_root")),
                        ("devices_root", s(&body, "devices_root")),
                        ("slashes_root", s(&body, "slashes_root")),
                        ("usdc_per_io", n(&body, "usdc_per_io")),
                        ("emission_distributed", n(&body, "emission_distributed")),
                        ("device_seconds", n(&body, "device_seconds")),
                        ("devices_attested", n(&body, "devices_attested")),
                        ("expiry_slot", n(&body, "expiry_slot")),
                        ("status", s(st, "status")),
                        ("signers", n(st, "signers")),
                        ("posted_by", s(st, "posted_by")),
                        ("certified_slot", n(st, "certified_slot")),
                    ],
                );
            }
            (Program::Oracle, "OracleConfig") => {
                let set = st.get("set").cloned().unwrap_or(Value::Null);
                self.patch(
                    "oracle_set",
                    vec![n(&set, "epoch")],
                    true,
                    slot,
                    vec![("members", json_text(&set, "members")), ("threshold", n(&set, "threshold"))],
                );
            }
            (Program::Oracle, "OracleBond") => self.patch(
                "oracles",
                vec![s(st, "oracle")],
                true,
                slot,
                vec![
                    ("bond", n(st, "amount")),
                    ("withdrawing", n(st, "withdrawing")),
                    ("unlock_ts", n(st, "unlock_ts")),
                    ("slashed", b(st, "slashed")),
                ],
            ),
            (Program::Token, "TokenConfig") => {
                let burned: Vec<i64> = st
                    .get("burned")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(|v| v.as_u64().map_or(0, i64_of)).collect())
                    .unwrap_or_default();
                let at = |i: usize| Val::I(burned.get(i).copied().unwrap_or(0));
                let minted = st.get("total_minted").and_then(Value::as_u64).unwrap_or(0);
                let total_burned = st.get("total_burned").and_then(Value::as_u64).unwrap_or(0);
                let emission = st.get("emission").cloned().unwrap_or(Value::Null);
                self.patch(
                    "supply",
                    vec![t("io")],
                    true,
                    slot,
                    vec![
                        ("decimals", n(st, "decimals")),
                        ("max_supply", n(st, "max_supply")),
                        ("total_minted", Val::I(i64_of(minted))),
                        ("total_burned", Val::I(i64_of(total_burned))),
                        ("supply", Val::I(i64_of(minted.saturating_sub(total_burned)))),
                        ("burned_lease_fee", at(0)),
                        ("burned_buyback", at(1)),
                        ("burned_slash", at(2)),
                        ("burned_other", at(3)),
                        ("emitted", n(&emission, "emitted")),
                        ("rewards_withdrawn", n(st, "rewards_withdrawn")),
                    ],
                );
            }
            _ => {}
        }
    }
}

/// Columns of the log tables (the first four are the event's id, signature, slot, block time).
pub const TICKET_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "operator",
    "staker",
    "amount",
    "unbonding_shares",
    "unlock_ts",
];
pub const CLAIM_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "kind", "operator", "staker", "amount", "period"];
pub const EMISSION_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "from_hour",
    "to_hour",
    "scheduled",
    "minted",
    "emitted_after",
];
pub const BURN_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "reason", "authority", "source", "amount"];
pub const SETTLEMENT_COLS: &[&str] = &[
    "event_id",
    "signature",
    "slot",
    "block_time",
    "lease",
    "device",
    "device_index",
    "attested_before",
    "attested_after",
    "paid",
    "fee",
];
pub const FEE_COLS: &[&str] = &["event_id", "signature", "slot", "block_time", "lease", "amount"];
pub const BUYBACK_COLS: &[&str] =
    &["event_id", "signature", "slot", "block_time", "usdc_spent", "io_burned", "usdc_per_io", "min_io"];
