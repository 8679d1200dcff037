//! Each rewards check, caught on a forged figure of the consistent fixture.
use super::*;
use crate::verify::{
    fixtures::{self, op_a, op_b, published, set_copy, snapshot, NODE_A, P1, P2},
    reports::tests::{failing, row, unserved},
    Row, Verdict,
};

fn rows_of(s: &Snapshot) -> Vec<Row> {
    let mut rows = Rows::default();
    check(s, &mut rows);
    rows.into_vec()
}

fn cumulative(r: &PeriodReport, op: &Pubkey) -> u64 {
    r.rewards.iter().find(|l| l.operator == *op).map_or(0, |l| l.cumulative)
}

#[test]
fn the_clean_fixture_promises_what_was_emitted_and_splits_by_commission() {
    let s = snapshot();
    let rows = rows_of(&s);
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    let (r1, r2) = fixtures::reports();
    let value = |f: String| unserved(&rows, &f).recomputed.clone().unwrap();
    assert_eq!(value(format!("rewards.{}.cumulative", op_b())), cumulative(&r2, &op_b()).to_string());
    // Operator A (10% commission) earned in P2 its P2 cumulative less its P1 one.
    let earned = cumulative(&r2, &op_a()) - cumulative(&r1, &op_a());
    let commission = (earned * 1_000).div_ceil(10_000);
    assert_eq!(value(format!("rewards.{}.{P2}.commission", op_a())), commission.to_string());
    assert_eq!(value(format!("rewards.{}.{P2}.delegators", op_a())), (earned - commission).to_string());
    let r = row(&rows, &format!("rewards.{P2}.distributed"), Some("indexer"));
    assert_eq!(r.recomputed, Some(r2.body.emission_distributed.to_string()));
    let r = row(&rows, "rewards.promised_vs_emitted", None);
    assert_eq!(r.verdict, Verdict::Ok);
    assert_eq!(r.served, Some(s.chain.token.emission.emitted.to_string()));
    for op in [op_a(), op_b()] {
        for f in ["claimed", "commission_bps"] {
            assert_eq!(row(&rows, &format!("rewards.{op}.{f}"), Some("indexer")).verdict, Verdict::Ok);
        }
        assert_eq!(row(&rows, &format!("rewards.{op}.claimed_vs_cumulative"), None).verdict, Verdict::Ok);
    }
}

#[test]
fn the_indexers_distributed_amount_is_compared() {
    let mut s = snapshot();
    s.served.answers.get_mut(&format!("/v1/reports/{P1}")).unwrap()[0]["emission_distributed"] = "1".into();
    let rows = rows_of(&s);
    let r = row(&rows, &format!("rewards.{P1}.distributed"), Some("indexer"));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("1")));
    assert_eq!(r.recomputed, Some(fixtures::reports().0.body.emission_distributed.to_string()));
}

#[test]
fn promising_more_than_io_token_emitted_is_caught_over_the_whole_history_only() {
    let mut s = snapshot();
    let (_, r2) = fixtures::reports();
    let promised: u64 = r2.rewards.iter().map(|l| l.cumulative).sum();
    s.chain.token.emission.emitted = promised - 1;
    let rows = rows_of(&s);
    let r = row(&rows, "rewards.promised_vs_emitted", None);
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(
        (r.recomputed.clone(), r.served.clone()),
        (Some(promised.to_string()), Some((promised - 1).to_string()))
    );
    s.range = "493000..".parse().unwrap();
    assert!(!rows_of(&s).iter().any(|r| r.figure == "rewards.promised_vs_emitted"));
}

#[test]
fn an_operator_claiming_beyond_its_leaf_is_caught() {
    let mut s = snapshot();
    let (_, r2) = fixtures::reports();
    let cum = cumulative(&r2, &op_b());
    s.chain.operators.get_mut(&op_b()).unwrap().rewards_claimed_cumulative = cum + 1;
    let rows = rows_of(&s);
    let r = row(&rows, &format!("rewards.{}.claimed_vs_cumulative", op_b()), Some(&format!("report {P2}")));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(
        (r.recomputed.clone(), r.served.clone()),
        (Some((cum + 1).to_string()), Some(cum.to_string()))
    );
    // The indexer saw no such claim.
    let r = row(&rows, &format!("rewards.{}.claimed", op_b()), Some("indexer"));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("0")));
    // Bounded by a report before the newest, a claim is not checked (it may be a later one's).
    s.range = format!("..{P1}").parse().unwrap();
    let rows = rows_of(&s);
    let r = unserved(&rows, &format!("rewards.{}.claimed_vs_cumulative", op_b()));
    assert_eq!(r.verdict, Verdict::Recomputed);
    assert!(r.note.as_deref().unwrap().contains(&format!("after {P1}")));
}

#[test]
fn the_indexers_commission_and_claims_are_compared() {
    let mut s = snapshot();
    let path = format!("/v1/operators/{}", op_a());
    s.served.answers.get_mut(&path).unwrap()["commission_bps"] = 500.into();
    s.served.answers.get_mut(&path).unwrap()["earnings"]["rewards_allotted"] = 0.into();
    let rows = rows_of(&s);
    let r = row(&rows, &format!("rewards.{}.commission_bps", op_a()), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("1000"), Some("500"))
    );
    let r = row(&rows, &format!("rewards.{}.claimed", op_a()), Some("indexer"));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("0")));
    s.served.answers.remove(&path);
    let rows = rows_of(&s);
    assert_eq!(unserved(&rows, &format!("rewards.{}.claimed", op_a())).verdict, Verdict::Missing);
}

#[test]
fn a_node_changing_a_rewards_leaf_does_not_change_the_figures_the_good_copy_proves() {
    let clean = rows_of(&snapshot());
    let mut s = snapshot();
    let mut forged = s.leaves_of(P2).unwrap().clone();
    forged.rewards[0].cumulative += 5;
    set_copy(&mut s, P2, NODE_A, Ok(published(&forged)));
    assert_eq!(rows_of(&s), clean);
}
