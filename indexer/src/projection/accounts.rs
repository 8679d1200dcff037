//! Account snapshots onto the entity tables. Snapshots arrive in the account decoder's JSON form
//! (`decode::accounts`), so fields are read by name here; each reader names the field's type in
//! the program struct (`u` for `u64`, `i` for the signed and narrower integers), which decides
//! the column's representation exactly as the typed event projection does.
use crate::decode::Program;
use crate::store::plan::{Plan, Val};
use serde_json::Value;

/// A `u64` field.
fn u(p: &Value, k: &str) -> Val {
    Val::opt_u(p.get(k).and_then(Value::as_u64))
}

/// A signed or narrower integer field (`i64`, `u32`, `u16`, `u8`).
fn i(p: &Value, k: &str) -> Val {
    Val::opt_i(p.get(k).and_then(Value::as_i64))
}

/// A text field (keys, names, hex hashes, enum names, `u128` decimal strings).
fn s(p: &Value, k: &str) -> Val {
    match p.get(k) {
        Some(Value::String(v)) => Val::T(v.clone()),
        _ => Val::NullT,
    }
}

fn b(p: &Value, k: &str) -> Val {
    Val::B(p.get(k).and_then(Value::as_bool).unwrap_or(false))
}

fn t(v: &str) -> Val {
    Val::T(v.to_owned())
}

/// Adds what one account snapshot says about its entity row (the generic `accounts` table is
/// written for every snapshot by the store itself).
pub fn account(plan: &mut Plan, address: &str, program: Program, account_type: &str, slot: i64, st: &Value) {
    let key = || vec![t(address)];
    match (program, account_type) {
        (Program::Staking, "Operator") => plan.patch(
            "operators",
            key(),
            true,
            slot,
            vec![
                ("authority", s(st, "authority")),
                ("name", s(st, "name")),
                ("region", s(st, "region")),
                ("metadata_url", s(st, "metadata_url")),
                ("commission_bps", i(st, "commission_bps")),
                ("pending_commission_bps", i(st, "pending_commission_bps")),
                ("commission_effective_ts", i(st, "commission_effective_ts")),
                ("bond", u(st, "bond")),
                ("bond_withdrawing", u(st, "bond_withdrawing")),
                ("bond_unlock_ts", i(st, "bond_unlock_ts")),
                ("required_bond", u(st, "required_bond")),
                ("devices_active", i(st, "devices_active")),
                ("stake_shares", u(st, "stake_shares")),
                ("stake_tokens", u(st, "stake_tokens")),
                ("unbonding_tokens", u(st, "unbonding_tokens")),
                ("reward_per_share", s(st, "reward_per_share")),
                ("commission_claimable", u(st, "commission_claimable")),
                ("delegator_count", i(st, "delegator_count")),
                ("slash_count", i(st, "slash_count")),
                ("total_slashed", u(st, "total_slashed")),
                ("registered_ts", i(st, "registered_ts")),
                ("rewards_period", u(st, "rewards_period")),
                ("activating_shares", u(st, "activating_shares")),
            ],
        ),
        (Program::Staking, "Device") => plan.patch(
            "devices",
            key(),
            true,
            slot,
            vec![
                ("operator", s(st, "operator")),
                ("id_hash", s(st, "id_hash")),
                ("worker_key", s(st, "worker_key")),
                ("gpu_model", s(st, "gpu_model")),
                ("gpu_count", i(st, "gpu_count")),
                ("vram_gb", i(st, "vram_gb")),
                ("region", s(st, "region")),
                ("green", b(st, "green")),
                ("class", s(st, "class")),
                ("status", s(st, "status")),
                ("registered_ts", i(st, "registered_ts")),
                ("status_ts", i(st, "status_ts")),
            ],
        ),
        (Program::Staking, "Position") => plan.patch(
            "positions",
            vec![s(st, "operator"), s(st, "staker")],
            true,
            slot,
            vec![
                ("address", t(address)),
                ("shares", u(st, "shares")),
                ("reward_per_share_paid", s(st, "reward_per_share_paid")),
                ("rewards_owed", u(st, "rewards_owed")),
                ("activating_shares", u(st, "activating_shares")),
                ("activation_period", u(st, "activation_period")),
            ],
        ),
        (Program::Staking, "Slash") => plan.patch(
            "slashes",
            key(),
            true,
            slot,
            vec![
                ("operator", s(st, "operator")),
                ("idx", i(st, "index")),
                ("amount", u(st, "amount")),
                ("evidence_hash", s(st, "evidence_hash")),
                ("executable_ts", i(st, "executable_ts")),
                ("status", s(st, "status")),
                ("from_bond", u(st, "from_bond")),
                ("from_stake", u(st, "from_stake")),
                ("from_unbonding", u(st, "from_unbonding")),
            ],
        ),
        (Program::Escrow, "Offer") => plan.patch(
            "offers",
            vec![s(st, "device")],
            true,
            slot,
            vec![
                ("address", t(address)),
                ("operator", s(st, "operator")),
                ("price_usdc_per_hour", u(st, "price_usdc_per_hour")),
                ("price_io_per_hour", u(st, "price_io_per_hour")),
                ("min_hours", i(st, "min_hours")),
                ("max_hours", i(st, "max_hours")),
                ("active", b(st, "active")),
                ("lease", s(st, "lease")),
                ("leased_until", i(st, "leased_until")),
            ],
        ),
        (Program::Escrow, "Lease") => {
            let devices = st.get("devices").and_then(Value::as_array).cloned().unwrap_or_default();
            plan.patch(
                "leases",
                key(),
                true,
                slot,
                vec![
                    ("renter", s(st, "renter")),
                    ("payment_mint", s(st, "payment_mint")),
                    ("fee_bps", i(st, "fee_bps")),
                    ("hours", i(st, "hours")),
                    ("start_ts", i(st, "start_ts")),
                    ("end_ts", i(st, "end_ts")),
                    ("deposit", u(st, "deposit")),
                    ("paid", u(st, "paid")),
                    ("fees", u(st, "fees")),
                    ("refunded", u(st, "refunded")),
                    ("device_count", Val::I(i64::try_from(devices.len()).unwrap_or(i64::MAX))),
                    ("status", s(st, "status")),
                ],
            );
            for (n, d) in devices.iter().enumerate() {
                plan.patch(
                    "lease_devices",
                    vec![t(address), s(d, "device")],
                    true,
                    slot,
                    vec![
                        ("device_index", Val::I(i64::try_from(n).unwrap_or(i64::MAX))),
                        ("rate_per_hour", u(d, "rate_per_hour")),
                        ("attested_seconds", u(d, "attested_seconds")),
                    ],
                );
            }
        }
        (Program::Oracle, "Report") => {
            let body = st.get("body").cloned().unwrap_or(Value::Null);
            plan.patch(
                "reports",
                key(),
                true,
                slot,
                vec![
                    ("digest", s(st, "digest")),
                    ("period", u(&body, "period")),
                    ("set_epoch", u(&body, "set_epoch")),
                    ("rewards_root", s(&body, "rewards_root")),
                    ("usage_root", s(&body, "usage_root")),
                    ("devices_root", s(&body, "devices_root")),
                    ("slashes_root", s(&body, "slashes_root")),
                    ("usdc_per_io", u(&body, "usdc_per_io")),
                    ("emission_distributed", u(&body, "emission_distributed")),
                    ("device_seconds", u(&body, "device_seconds")),
                    ("devices_attested", i(&body, "devices_attested")),
                    ("expiry_slot", u(&body, "expiry_slot")),
                    ("status", s(st, "status")),
                    ("signers", i(st, "signers")),
                    ("posted_by", s(st, "posted_by")),
                    ("certified_slot", u(st, "certified_slot")),
                ],
            );
        }
        (Program::Oracle, "OracleConfig") => {
            let set = st.get("set").cloned().unwrap_or(Value::Null);
            plan.patch(
                "oracle_set",
                vec![u(&set, "epoch")],
                true,
                slot,
                vec![
                    ("members", set.get("members").map_or(Val::NullT, |m| Val::T(m.to_string()))),
                    ("threshold", i(&set, "threshold")),
                ],
            );
        }
        (Program::Oracle, "OracleBond") => plan.patch(
            "oracles",
            vec![s(st, "oracle")],
            true,
            slot,
            vec![
                ("bond", u(st, "amount")),
                ("withdrawing", u(st, "withdrawing")),
                ("unlock_ts", i(st, "unlock_ts")),
                ("slashed", b(st, "slashed")),
            ],
        ),
        (Program::Token, "TokenConfig") => {
            let burned: Vec<u64> = st
                .get("burned")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0)).collect())
                .unwrap_or_default();
            let at = |n: usize| Val::U(burned.get(n).copied().unwrap_or(0));
            let minted = st.get("total_minted").and_then(Value::as_u64).unwrap_or(0);
            let total_burned = st.get("total_burned").and_then(Value::as_u64).unwrap_or(0);
            let emission = st.get("emission").cloned().unwrap_or(Value::Null);
            plan.patch(
                "supply",
                super::supply_key(),
                true,
                slot,
                vec![
                    ("decimals", i(st, "decimals")),
                    ("max_supply", u(st, "max_supply")),
                    ("total_minted", Val::U(minted)),
                    ("total_burned", Val::U(total_burned)),
                    ("supply", Val::U(minted.saturating_sub(total_burned))),
                    ("burned_lease_fee", at(0)),
                    ("burned_buyback", at(1)),
                    ("burned_slash", at(2)),
                    ("burned_other", at(3)),
                    ("emitted", u(&emission, "emitted")),
                    ("rewards_withdrawn", u(st, "rewards_withdrawn")),
                ],
            );
        }
        _ => {}
    }
}
