//! Stake: each operator's pools (active stake, unbonding stake), bond and delegators against the
//! indexer's `/v1/operators/<address>`; the positions against their operator's pool (their
//! values from [`PositionView`], as the program rounds them); io_staking's and io_oracle's
//! config totals against the sums of the accounts they total; and every vault holding at least
//! what its ledger says: `vault.stake`, `vault.bond`, `vault.rewards`, `vault.oracle_bond`.
//!
//! Figures (`<op>` an operator account):
//! - `stake.<op>.{total,shares,unbonding,bond,bond_withdrawing,delegators,slashed}` against
//!   `/v1/operators/<op>` (`total`: the active pool's tokens, `stake_tokens`);
//! - `stake.<op>.{position_shares,positions,unbonding_shares,unbonding_positions,
//!   delegators_counted}`: the positions against the pools;
//! - `stake.{total_staked,total_bonded,total_slashed}` (config against Σ operators),
//!   `stake.slashes_burned` (against io_token's `slash` burns), `stake.oracle_bonded` (io_oracle's
//!   total against Σ bonds);
//! - `stake.network.{operators,stake,bond,delegators}` against `/v1/network`, `stake.operators`
//!   against the length of `/v1/operators` (and every listed operator must be on chain);
//! - `vault.{stake,bond,rewards,oracle_bond}`: balance ≥ ledger.
//!
//! Work: O(operators + positions + oracle bonds) plus one pass over the indexer's operator list.
use super::supply::{as_u128, broken, indexer_answer, sum, vault_covers, vs_indexer};
use super::{Area, Row, Rows, Snapshot, Verdict};
use crate::{views::PositionView, Pubkey};
use io_staking::{Operator, Position};
use io_token::BurnReason;
use serde_json::Value;
use std::collections::BTreeMap;

const OPERATORS: &str = "/v1/operators";
const NETWORK: &str = "/v1/network";

pub fn check(s: &Snapshot, rows: &mut Rows) {
    let mut positions: BTreeMap<&Pubkey, Vec<&Position>> = BTreeMap::new();
    for p in s.chain.positions.values() {
        positions.entry(&p.operator).or_default().push(p);
    }
    for (address, op) in &s.chain.operators {
        operator_rows(s, rows, address, op);
        pool_rows(rows, address, op, positions.get(address).map(Vec::as_slice).unwrap_or_default());
    }
    for operator in positions.keys().filter(|k| !s.chain.operators.contains_key(**k)) {
        let figure = format!("stake.{operator}.positions");
        rows.push(broken(Area::Stake, &figure, "positions name an operator that is not on chain"));
    }
    config_totals(s, rows);
    listed(s, rows);
    vaults(s, rows);
}

/// One operator's counters against the indexer's copy of them.
fn operator_rows(s: &Snapshot, rows: &mut Rows, address: &Pubkey, o: &Operator) {
    let path = format!("{OPERATORS}/{address}");
    let figures: [(&str, &str, u64); 7] = [
        ("total", "stake_tokens", o.stake_tokens),
        ("shares", "stake_shares", o.stake_shares),
        ("unbonding", "unbonding_tokens", o.unbonding_tokens),
        ("bond", "bond", o.bond),
        ("bond_withdrawing", "bond_withdrawing", o.bond_withdrawing),
        ("delegators", "delegator_count", u64::from(o.delegator_count)),
        ("slashed", "total_slashed", o.total_slashed),
    ];
    for (what, field, value) in figures {
        let figure = format!("stake.{address}.{what}");
        vs_indexer(s, rows, Area::Stake, &figure, value, &path, &format!("/{field}"), "indexer");
    }
}

/// The positions against their operator's pools, with the program's own rounding:
/// - `stake.<op>.position_shares`: the positions' pool shares (earning and warming up) add up to
///   the pool's shares exactly (every share is minted to a position, burned from one);
/// - `stake.<op>.positions`: Σ of the positions' values ≤ the pool's tokens. Each value is
///   `⌊shares × tokens / pool shares⌋`, so the sum falls short of the pool by less than one base
///   unit per position, never over it;
/// - `stake.<op>.unbonding_shares` / `stake.<op>.unbonding_positions`: the same for the
///   unbonding pool and the unstake tickets of its current era (older eras are worth nothing);
/// - `stake.<op>.delegators_counted`: positions holding shares == the operator's delegator count.
fn pool_rows(rows: &mut Rows, address: &Pubkey, o: &Operator, positions: &[&Position]) {
    let a = Area::Stake;
    let name = |what: &str| format!("stake.{address}.{what}");
    let mut values = Some(0u128);
    let mut tickets = Some(0u128);
    for p in positions {
        match PositionView::new(p, o) {
            Ok(v) => {
                values = values.and_then(|acc| acc.checked_add(u128::from(v.value)));
                let pending = sum(v.pending.iter().map(|t| t.amount));
                tickets = tickets.zip(pending).and_then(|(acc, t)| acc.checked_add(t));
            }
            Err(e) => {
                rows.push(broken(a, &name("positions"), format!("position of {}: {e}", p.staker)));
                return;
            }
        }
    }
    let shares = sum(positions.iter().flat_map(|p| [p.shares, p.activating_shares]));
    let ticket_shares = sum(positions
        .iter()
        .flat_map(|p| p.tickets.iter())
        .filter(|t| t.era == o.unbonding_era)
        .map(|t| t.shares));
    let (Some(values), Some(tickets), Some(shares), Some(ticket_shares)) =
        (values, tickets, shares, ticket_shares)
    else {
        rows.push(broken(a, &name("positions"), "the positions' sums overflow"));
        return;
    };
    let n = positions.len();
    let why =
        format!("{n} positions hold {shares} shares of the pool; the operator counts {}", o.stake_shares);
    let holds = shares == u128::from(o.stake_shares);
    rows.invariant(a, name("position_shares"), shares, o.stake_shares, "ledger", holds, why);
    let why = format!("{n} positions are worth {values}, more than the pool's {} tokens", o.stake_tokens);
    let holds = values <= u128::from(o.stake_tokens);
    rows.invariant(a, name("positions"), values, o.stake_tokens, "ledger", holds, why);
    let why = format!(
        "the current unstake tickets hold {ticket_shares} shares; the unbonding pool counts {}",
        o.unbonding_shares
    );
    let holds = ticket_shares == u128::from(o.unbonding_shares);
    rows.invariant(a, name("unbonding_shares"), ticket_shares, o.unbonding_shares, "ledger", holds, why);
    let why = format!(
        "the unstake tickets are worth {tickets}, more than the unbonding pool's {}",
        o.unbonding_tokens
    );
    let holds = tickets <= u128::from(o.unbonding_tokens);
    rows.invariant(a, name("unbonding_positions"), tickets, o.unbonding_tokens, "ledger", holds, why);
    let holding = positions.iter().filter(|p| p.shares > 0 || p.activating_shares > 0).count();
    let why =
        format!("{holding} positions hold shares; the operator counts {} delegators", o.delegator_count);
    let holds = u64::try_from(holding).is_ok_and(|h| h == u64::from(o.delegator_count));
    rows.invariant(a, name("delegators_counted"), holding, o.delegator_count, "ledger", holds, why);
}

/// io_staking's totals against the operators they total, its slashes against io_token's burn
/// ledger, and io_oracle's bonded total against the oracle bonds.
fn config_totals(s: &Snapshot, rows: &mut Rows) {
    let a = Area::Stake;
    let c = &s.chain.staking;
    let ops = || s.chain.operators.values();
    let checks: [(&str, Option<u128>, u64, &str); 3] = [
        (
            "stake.total_staked",
            sum(ops().flat_map(|o| [o.stake_tokens, o.unbonding_tokens])),
            c.total_staked,
            "Σ operators' active and unbonding stake",
        ),
        (
            "stake.total_bonded",
            sum(ops().flat_map(|o| [o.bond, o.bond_withdrawing])),
            c.total_bonded,
            "Σ operators' bonds, withdrawing included",
        ),
        ("stake.total_slashed", sum(ops().map(|o| o.total_slashed)), c.total_slashed, "Σ operators' slashed"),
    ];
    for (figure, total, counter, what) in checks {
        match total {
            Some(total) => {
                let why = format!("{what} is {total}; io_staking's config says {counter}");
                rows.invariant(a, figure, total, counter, "ledger", total == u128::from(counter), why);
            }
            None => rows.push(broken(a, figure, format!("{what} overflows"))),
        }
    }
    // Executed slashes burn through io_token under the `slash` reason, and nothing else may.
    let burned = s.chain.token.burned[BurnReason::Slash.index()];
    let why = format!(
        "io_staking burned {} in slashes; io_token counts {burned} burned for slashes",
        c.total_slashed
    );
    rows.invariant(
        a,
        "stake.slashes_burned",
        c.total_slashed,
        burned,
        "io_token ledger",
        c.total_slashed == burned,
        why,
    );
    let oracle = &s.chain.oracle;
    match sum(s.chain.oracle_bonds.values().flat_map(|b| [b.amount, b.withdrawing])) {
        Some(total) => {
            let why = format!(
                "the oracle bonds add up to {total}; io_oracle's config says {}",
                oracle.total_bonded
            );
            let holds = total == u128::from(oracle.total_bonded);
            rows.invariant(a, "stake.oracle_bonded", total, oracle.total_bonded, "ledger", holds, why);
        }
        None => rows.push(broken(a, "stake.oracle_bonded", "the oracle bonds' sum overflows")),
    }
}

/// The indexer's operator list and network totals: an operator it invents or drops shows here,
/// and so do its network-wide stake, bond and delegator figures.
fn listed(s: &Snapshot, rows: &mut Rows) {
    let a = Area::Stake;
    let ops = || s.chain.operators.values();
    let n = s.chain.operators.len();
    let network: [(&str, &str, Option<u128>); 4] = [
        ("stake.network.operators", "total", Some(n as u128)),
        ("stake.network.stake", "stake", sum(ops().map(|o| o.stake_tokens))),
        ("stake.network.bond", "bond", sum(ops().map(|o| o.bond))),
        ("stake.network.delegators", "delegators", sum(ops().map(|o| u64::from(o.delegator_count)))),
    ];
    for (figure, field, total) in network {
        match total {
            Some(total) => vs_indexer(
                s,
                rows,
                a,
                figure,
                total,
                NETWORK,
                &format!("/operators/{field}"),
                "indexer /v1/network",
            ),
            None => rows.push(broken(a, figure, "the operators' sum overflows")),
        }
    }
    let Some(list) = indexer_answer(s, rows, a, "stake.operators", OPERATORS) else { return };
    let Some(items) = list.as_array() else {
        rows.push(broken(a, "stake.operators", format!("the indexer's {OPERATORS} is not a list")));
        return;
    };
    rows.compare(a, "stake.operators", n, Some(items.len()), "indexer /v1/operators");
    for item in items {
        let address = item.get("address").and_then(Value::as_str).unwrap_or("(no address)");
        if !address.parse::<Pubkey>().is_ok_and(|k| s.chain.operators.contains_key(&k)) {
            rows.push(Row {
                area: a,
                figure: format!("stake.{address}.total"),
                recomputed: None,
                served: item.get("stake_tokens").and_then(as_u128).map(|v| v.to_string()),
                served_by: Some("indexer /v1/operators".into()),
                verdict: Verdict::Mismatch,
                note: Some("the indexer lists this operator; no such operator account is on chain".into()),
            });
        }
    }
}

/// Every staking and oracle vault holds at least its ledger: a vault drained outside the
/// programs fails here, naming the balance and the ledger's figure.
fn vaults(s: &Snapshot, rows: &mut Rows) {
    let c = &s.chain.staking;
    let a = Area::Stake;
    vault_covers(s, rows, a, "vault.stake", &c.stake_vault, Some(c.total_staked), "total_staked");
    vault_covers(s, rows, a, "vault.bond", &c.bond_vault, Some(c.total_bonded), "total_bonded");
    let owed = c.rewards_funded.checked_sub(c.rewards_paid);
    vault_covers(s, rows, a, "vault.rewards", &c.reward_vault, owed, "rewards funded − paid");
    let o = &s.chain.oracle;
    vault_covers(
        s,
        rows,
        a,
        "vault.oracle_bond",
        &o.bond_vault,
        Some(o.total_bonded),
        "io_oracle total_bonded",
    );
}

#[cfg(test)]
mod tests {
    use super::super::supply::ledger_net::{self, *};
    use super::*;
    use serde_json::json;

    fn run(s: &Snapshot) -> Vec<Row> {
        rows_of(check, s)
    }

    #[test]
    fn balanced_stake_passes_and_names_every_figure() {
        let rows = run(&snapshot());
        assert_eq!(failing(&rows), vec![]);
        let (o1, o2) = (op1(), op2());
        for figure in [
            format!("stake.{o1}.total"),
            format!("stake.{o1}.unbonding"),
            format!("stake.{o2}.bond_withdrawing"),
            format!("stake.{o1}.delegators"),
            format!("stake.{o1}.positions"),
            format!("stake.{o1}.position_shares"),
            format!("stake.{o1}.unbonding_positions"),
            format!("stake.{o1}.delegators_counted"),
            "stake.total_staked".into(),
            "stake.total_bonded".into(),
            "stake.slashes_burned".into(),
            "stake.oracle_bonded".into(),
            "stake.network.stake".into(),
            "stake.operators".into(),
            "vault.stake".into(),
            "vault.bond".into(),
            "vault.rewards".into(),
            "vault.oracle_bond".into(),
        ] {
            assert!(rows.iter().any(|r| r.figure == figure && r.verdict == Verdict::Ok), "{figure}");
        }
        // The positions are worth 601 + 401: one base unit short of the pool, by rounding.
        let p = rows.iter().find(|r| r.figure == format!("stake.{o1}.positions")).unwrap();
        assert_eq!((p.recomputed.as_deref(), p.served.as_deref()), (Some("1002"), Some("1003")));
    }

    /// The forgery: tokens moved out of a vault outside the programs.
    #[test]
    fn a_drained_vault_fails_naming_both_values() {
        for (figure, vault) in [
            ("vault.stake", snapshot().chain.staking.stake_vault),
            ("vault.bond", snapshot().chain.staking.bond_vault),
            ("vault.rewards", snapshot().chain.staking.reward_vault),
            ("vault.oracle_bond", snapshot().chain.oracle.bond_vault),
        ] {
            let mut s = snapshot();
            let owed = s.chain.balances[&vault];
            s.chain.balances.insert(vault, owed - 1);
            let rows = run(&s);
            assert_eq!(
                failing(&rows),
                vec![(
                    figure.into(),
                    Some((owed - 1).to_string()),
                    Some(owed.to_string()),
                    Verdict::Mismatch
                )],
                "{figure}"
            );
            let note = rows.iter().find(|r| r.verdict.fails()).unwrap().note.clone().unwrap();
            assert!(note.contains(&format!("holds {}, 1 less than the ledger's {owed}", owed - 1)), "{note}");
        }
        // More than the ledger (a donation) is fine.
        let mut s = snapshot();
        s.chain.balances.insert(s.chain.staking.stake_vault, 5_000);
        assert_eq!(failing(&run(&s)), vec![]);
    }

    #[test]
    fn an_operator_figure_forged_in_the_api_is_caught() {
        let mut s = snapshot();
        let o1 = op1();
        forge(&mut s, &format!("/v1/operators/{o1}"), "/stake_tokens", json!("2003"));
        assert_eq!(
            failing(&run(&s)),
            vec![(format!("stake.{o1}.total"), Some("1003".into()), Some("2003".into()), Verdict::Mismatch)]
        );
        let mut s = snapshot();
        forge(&mut s, "/v1/network", "/operators/bond", json!(1));
        assert_eq!(
            failing(&run(&s)),
            vec![("stake.network.bond".into(), Some("7000".into()), Some("1".into()), Verdict::Mismatch)]
        );
        // An operator the indexer invents.
        let mut s = snapshot();
        let fake = Pubkey::new_unique();
        let list = s.served.answers.get_mut("/v1/operators").unwrap().as_array_mut().unwrap();
        list.push(json!({ "address": fake.to_string(), "stake_tokens": 10 }));
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![
                ("stake.operators".into(), Some("2".into()), Some("3".into()), Verdict::Mismatch),
                (format!("stake.{fake}.total"), None, Some("10".into()), Verdict::Mismatch),
            ]
        );
    }

    #[test]
    fn positions_worth_more_than_their_pool_are_caught() {
        // The pool's shares lowered under what the positions hold: the positions are now worth
        // more than the pool's tokens, and hold more shares than it counts.
        let mut s = snapshot();
        let o1 = op1();
        let op = s.chain.operators.get_mut(&o1).unwrap();
        op.stake_shares = 900;
        op.delegator_count = 3;
        s.served = ledger_net::served(&s.chain);
        let f = failing(&run(&s));
        // 1,000 shares held against a pool of 900: values ⌊600×1003/900⌋ + ⌊400×1003/900⌋ = 1113.
        assert_eq!(
            f,
            vec![
                (
                    format!("stake.{o1}.position_shares"),
                    Some("1000".into()),
                    Some("900".into()),
                    Verdict::Mismatch
                ),
                (
                    format!("stake.{o1}.positions"),
                    Some("1113".into()),
                    Some("1003".into()),
                    Verdict::Mismatch
                ),
                (
                    format!("stake.{o1}.delegators_counted"),
                    Some("2".into()),
                    Some("3".into()),
                    Verdict::Mismatch
                ),
            ]
        );
    }

    #[test]
    fn config_totals_off_their_accounts_are_caught() {
        let mut s = snapshot();
        s.chain.staking.total_staked += 7;
        s.chain.balances.insert(s.chain.staking.stake_vault, 10_000);
        s.chain.staking.total_slashed = 51;
        s.chain.oracle_bonds.values_mut().next().unwrap().amount += 1;
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![
                ("stake.total_staked".into(), Some("1103".into()), Some("1110".into()), Verdict::Mismatch),
                ("stake.total_slashed".into(), Some("50".into()), Some("51".into()), Verdict::Mismatch),
                ("stake.slashes_burned".into(), Some("51".into()), Some("50".into()), Verdict::Mismatch),
                ("stake.oracle_bonded".into(), Some("3001".into()), Some("3000".into()), Verdict::Mismatch),
            ]
        );
    }

    #[test]
    fn an_unstake_ticket_worth_more_than_the_unbonding_pool_is_caught() {
        let mut s = snapshot();
        let o1 = op1();
        s.chain.positions.values_mut().next().unwrap().tickets[1] =
            io_staking::UnstakeTicket { shares: 50, unlock_ts: 0, era: 0 };
        let f = failing(&run(&s));
        assert_eq!(
            f,
            vec![
                (
                    format!("stake.{o1}.unbonding_shares"),
                    Some("150".into()),
                    Some("100".into()),
                    Verdict::Mismatch
                ),
                (
                    format!("stake.{o1}.unbonding_positions"),
                    Some("150".into()),
                    Some("100".into()),
                    Verdict::Mismatch
                ),
            ]
        );
        // A ticket of an earlier era is worth nothing and not counted.
        s.chain.positions.values_mut().next().unwrap().tickets[1].era = 7;
        s.chain.operators.get_mut(&o1).unwrap().unbonding_era = 0;
        assert_eq!(failing(&run(&s)), vec![]);
    }
}
