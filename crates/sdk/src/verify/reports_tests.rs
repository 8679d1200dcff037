//! Each reports check, caught on a forged figure of the consistent fixture.
use super::*;
use crate::verify::{
    fixtures::{
        self, key, oracle_key, oracle_pubkey, published, set_copy, snapshot, CLUSTER_ID, NODE_A, NODE_B, P1,
        P2,
    },
    PeriodRange,
};
use ed25519_dalek::Signer;

pub(crate) fn rows_of(s: &Snapshot) -> Vec<Row> {
    let mut rows = Rows::default();
    check(s, &mut rows);
    rows.into_vec()
}

/// The one row named `figure` served by `by` (`None`: any).
pub(crate) fn row<'a>(rows: &'a [Row], figure: &str, by: Option<&str>) -> &'a Row {
    let found: Vec<&Row> = rows
        .iter()
        .filter(|r| r.figure == figure && by.is_none_or(|b| r.served_by.as_deref() == Some(b)))
        .collect();
    assert_eq!(found.len(), 1, "rows named {figure} by {by:?}: {found:#?}\nall: {rows:#?}");
    found[0]
}

/// The one row named `figure` that nobody serves (a recomputed value, or a figure not checked).
pub(crate) fn unserved<'a>(rows: &'a [Row], figure: &str) -> &'a Row {
    let found: Vec<&Row> = rows.iter().filter(|r| r.figure == figure && r.served_by.is_none()).collect();
    assert_eq!(found.len(), 1, "unserved rows named {figure}: {found:#?}\nall: {rows:#?}");
    found[0]
}

pub(crate) fn failing(rows: &[Row]) -> Vec<&Row> {
    rows.iter().filter(|r| r.verdict.fails()).collect()
}

/// Changes the certified body of `period` everywhere (as if a quorum had certified it): the
/// chain's account (re-addressed, new digest) and every node's copy.
pub(crate) fn forge_body(s: &mut Snapshot, period: u64, forge: impl Fn(&mut PeriodReport)) {
    let (&address, _) = s.chain.reports.iter().find(|(_, r)| r.body.period == period).unwrap();
    let mut account = s.chain.reports.remove(&address).unwrap();
    let mut honest = s.leaves_of(period).cloned().unwrap_or_else(|| fixtures_report(period));
    forge(&mut honest);
    account.body = honest.body;
    account.digest = honest.digest(&CLUSTER_ID);
    s.chain.reports.insert(crate::oracle::report(&CLUSTER_ID, &honest.body), account);
    for node in [NODE_A, NODE_B] {
        set_copy(s, period, node, Ok(published(&honest)));
    }
}

fn fixtures_report(period: u64) -> PeriodReport {
    let (r1, r2) = fixtures::reports();
    if period == P1 {
        r1
    } else {
        r2
    }
}

#[test]
fn the_clean_fixture_passes_every_report_check() {
    let rows = rows_of(&snapshot());
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    for p in [P1, P2] {
        for f in [
            "digest",
            "address",
            "signers",
            "devices_attested",
            "device_seconds",
            "emission_distributed",
            "rewards",
        ] {
            assert!(
                rows.iter().any(|r| r.figure == format!("report.{p}.{f}") && r.verdict == Verdict::Ok),
                "{p} {f}"
            );
        }
        assert_eq!(
            row(&rows, &format!("report.{p}.signatures_verified"), None).recomputed.as_deref(),
            Some("2 signers")
        );
        assert_eq!(
            row(&rows, &format!("report.{p}.leaves"), None).recomputed.as_deref(),
            Some("published by 2 of 2 nodes")
        );
    }
}

#[test]
fn a_rewards_leaf_changed_in_one_node_names_that_node() {
    let mut s = snapshot();
    let mut forged = s.leaves_of(P2).unwrap().clone();
    forged.rewards[0].cumulative += 1;
    // The node publishes the certified body beside the changed leaf (no reroot).
    let certified_root = hex(&forged.body.rewards_root);
    let forged_root = hex(&MerkleTree::new(forged.leaf_hashes(Tree::Rewards)).root());
    set_copy(&mut s, P2, NODE_A, Ok(published(&forged)));
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.rewards_root"), Some(&format!("node {NODE_A}")));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(r.recomputed.as_deref(), Some(forged_root.as_str()));
    assert_eq!(r.served.as_deref(), Some(certified_root.as_str()));
    // Node B still publishes the certified leaves: the report's leaves are published.
    assert_eq!(failing(&rows).len(), 1, "{:#?}", failing(&rows));
    assert_eq!(row(&rows, &format!("report.{P2}.leaves"), None).verdict, Verdict::Recomputed);
}

#[test]
fn a_node_serving_a_rerooted_other_report_is_named_and_a_lone_liar_leaves_the_report_unpublished() {
    let mut s = snapshot();
    let mut forged = s.leaves_of(P2).unwrap().clone();
    forged.usage[0].seconds += 600;
    forged.reroot();
    set_copy(&mut s, P2, NODE_A, Ok(published(&forged)));
    set_copy(&mut s, P2, NODE_B, Err("404 Not Found: no report".into()));
    let rows = rows_of(&s);
    let by = format!("node {NODE_A}");
    assert_eq!(row(&rows, &format!("report.{P2}.usage_root"), Some(&by)).verdict, Verdict::Mismatch);
    assert_eq!(row(&rows, &format!("report.{P2}.body"), Some(&by)).verdict, Verdict::Mismatch);
    let leaves = row(&rows, &format!("report.{P2}.leaves"), None);
    assert_eq!(leaves.verdict, Verdict::Missing);
    let note = leaves.note.as_deref().unwrap();
    assert!(note.contains("404") && note.contains("publishes other leaves"), "{note}");
}

#[test]
fn the_same_content_re_signed_with_a_later_expiry_is_not_another_report() {
    let mut s = snapshot();
    let mut later = s.leaves_of(P1).unwrap().clone();
    later.body.expiry_slot += 100;
    set_copy(&mut s, P1, NODE_A, Ok(published(&later)));
    assert!(failing(&rows_of(&s)).is_empty());
    // Another content is.
    later.body.usdc_per_io += 1;
    set_copy(&mut s, P1, NODE_A, Ok(published(&later)));
    let rows = rows_of(&s);
    assert_eq!(
        row(&rows, &format!("report.{P1}.body"), Some(&format!("node {NODE_A}"))).verdict,
        Verdict::Mismatch
    );
}

#[test]
fn withheld_leaves_are_a_finding_and_a_404_beside_a_good_copy_is_not() {
    let mut s = snapshot();
    set_copy(&mut s, P1, NODE_A, Err("404 Not Found".into()));
    assert!(failing(&rows_of(&s)).is_empty());
    set_copy(&mut s, P1, NODE_B, Err("connection refused".into()));
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P1}.leaves"), None);
    assert_eq!(r.verdict, Verdict::Missing);
    assert!(r.note.as_deref().unwrap().contains("connection refused"));
    // Without leaves, the body's claims are not recomputed (and not passed either).
    assert!(!rows
        .iter()
        .any(|r| r.figure == format!("report.{P1}.devices_attested")
            && r.served_by.as_deref() != Some("indexer")));
}

#[test]
fn a_digest_that_is_not_the_bodys_is_caught() {
    let mut s = snapshot();
    let (_, account) = s.chain.reports.iter_mut().find(|(_, r)| r.body.period == P1).unwrap();
    let honest = hex(&account.digest);
    account.digest[0] ^= 1;
    let forged = hex(&account.digest);
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P1}.digest"), Some(&format!("report {P1}")));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some(&*honest), Some(&*forged))
    );
    // The indexer still serves the honest digest: it disagrees with the chain's account too.
    assert_eq!(row(&rows, &format!("report.{P1}.digest"), Some("indexer")).verdict, Verdict::Mismatch);
}

#[test]
fn a_node_claiming_another_digest_is_named() {
    let mut s = snapshot();
    let mut p = published(&s.leaves_of(P1).unwrap().clone());
    p.digest = "00".repeat(32);
    set_copy(&mut s, P1, NODE_B, Ok(p));
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P1}.digest"), Some(&format!("node {NODE_B}")));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(r.served.as_deref(), Some("00".repeat(32).as_str()));
}

#[test]
fn an_account_away_from_its_address_is_caught() {
    let mut s = snapshot();
    let (&address, _) = s.chain.reports.iter().find(|(_, r)| r.body.period == P1).unwrap();
    let account = s.chain.reports.remove(&address).unwrap();
    s.chain.reports.insert(key(99), account);
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P1}.address"), None);
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(r.recomputed, Some(address.to_string()));
    assert_eq!(r.served, Some(key(99).to_string()));
}

#[test]
fn signers_below_threshold_or_outside_the_set_are_caught_and_an_old_epoch_is_said() {
    let set_signers = |bits: u8| {
        let mut s = snapshot();
        s.chain.reports.values_mut().find(|r| r.body.period == P2).unwrap().signers = bits;
        rows_of(&s)
    };
    let rows = set_signers(0b001);
    let r = row(&rows, &format!("report.{P2}.signers"), Some("chain"));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(
        (r.recomputed.as_deref(), r.served.as_deref()),
        (Some("1 of 3"), Some("threshold 2 of set 1"))
    );
    let rows = set_signers(0b1000_0011);
    let r = row(&rows, &format!("report.{P2}.signers"), Some("chain"));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains("past the set's 3 members"));

    let mut s = snapshot();
    s.chain.oracle.set.epoch = 5;
    let rows = rows_of(&s);
    let r = unserved(&rows, &format!("report.{P2}.signers"));
    assert_eq!(r.verdict, Verdict::Recomputed);
    assert!(r.note.as_deref().unwrap().contains("set epoch 1"));
}

#[test]
fn a_published_signature_that_does_not_verify_is_named_and_an_outsiders_is_not_counted() {
    let mut s = snapshot();
    let r = s.leaves_of(P2).unwrap().clone();
    let mut p = published(&r);
    // A member's signature over another message, and an outsider's over the digest (base58).
    let wrong = oracle_key(2).sign(b"something else").to_bytes();
    p.signatures.push((oracle_pubkey(2).to_string(), wrong.iter().map(|b| format!("{b:02x}")).collect()));
    let outsider = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let digest = r.digest(&CLUSTER_ID);
    let sig = solana_keypair::Signature::from(outsider.sign(&digest).to_bytes());
    let outsider_key = Pubkey::new_from_array(outsider.verifying_key().to_bytes());
    p.signatures.push((outsider_key.to_string(), sig.to_string()));
    set_copy(&mut s, P2, NODE_A, Ok(p));
    let rows = rows_of(&s);
    let bad = failing(&rows);
    assert_eq!(bad.len(), 1, "{bad:#?}");
    let r = bad[0];
    assert_eq!((r.figure.as_str(), r.verdict), (&*format!("report.{P2}.signature"), Verdict::Mismatch));
    assert_eq!(r.served_by.as_deref(), Some(&*format!("node {NODE_A}")));
    assert!(r.note.as_deref().unwrap().contains("does not verify"));
    let outsider_row = rows
        .iter()
        .find(|r| r.figure == format!("report.{P2}.signature") && r.verdict == Verdict::Recomputed)
        .unwrap();
    assert!(outsider_row
        .note
        .as_deref()
        .unwrap()
        .contains(&format!("{outsider_key} (published by {NODE_A})")));
    // Base58 signatures by a member verify too; the two members of the fixture still count.
    let member = solana_keypair::Signature::from(oracle_key(2).sign(&digest).to_bytes());
    assert_eq!(
        verify_signature(&s.chain.oracle.set, &oracle_pubkey(2).to_string(), &member.to_string(), &digest),
        Ok(true)
    );
    assert_eq!(
        unserved(&rows, &format!("report.{P2}.signatures_verified")).recomputed.as_deref(),
        Some("2 signers")
    );
}

#[test]
fn a_certified_body_claiming_more_devices_than_its_leaves_is_caught() {
    let mut s = snapshot();
    forge_body(&mut s, P2, |r| r.body.devices_attested += 1);
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.devices_attested"), Some(&format!("report {P2}")));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("2"), Some("3"))
    );
}

#[test]
fn device_seconds_outside_what_the_uptimes_allow_are_caught() {
    let mut s = snapshot();
    let honest = s.leaves_of(P2).unwrap().body.device_seconds;
    assert_eq!(honest, 3_600 + 1_200 + 3_600);
    // The leaves' uptimes allow a little rounding either way, not a minute more.
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.device_seconds"), Some(&format!("report {P2}")));
    assert_eq!(r.recomputed.as_deref(), Some("8400..=8400"));
    forge_body(&mut s, P2, |r| r.body.device_seconds += 60);
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.device_seconds"), Some(&format!("report {P2}")));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("8460")));
    assert_eq!(live_bounds(2), (1, 1));
    assert_eq!(live_bounds(9_997), (3_599, 3_599));
    assert_eq!(live_bounds(10_000), (3_600, 3_600));
    assert_eq!(live_bounds(5_000), (1_800, 1_800));
    assert_eq!(live_bounds(4_997), (1_799, 1_799));
    // No live time floors to 4,999 bps: such a leaf allows nothing (its lower bound passes its
    // upper one), so a sum over it cannot hold.
    assert_eq!(live_bounds(4_999), (1_800, 1_799));
}

#[test]
fn distributed_emission_and_the_rewards_tree_are_recomputed() {
    let mut s = snapshot();
    // A quorum certifies a rewards tree giving operator A more than the devices earned, and a
    // body claiming the extra as distributed.
    forge_body(&mut s, P2, |r| {
        r.rewards[0].cumulative += 1_000;
        r.body.emission_distributed += 1_000;
        r.reroot();
    });
    let rows = rows_of(&s);
    let by = format!("report {P2}");
    let r = row(&rows, &format!("report.{P2}.rewards"), Some(&by));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains("1 leaves differ"));
    assert_eq!(row(&rows, &format!("report.{P2}.emission_distributed"), Some(&by)).verdict, Verdict::Ok);

    let mut s = snapshot();
    forge_body(&mut s, P2, |r| r.body.emission_distributed -= 1);
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.emission_distributed"), Some(&by));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(
        r.recomputed.as_deref().unwrap().parse::<u64>().unwrap(),
        r.served.as_deref().unwrap().parse::<u64>().unwrap() + 1
    );
}

#[test]
fn a_pool_beyond_emission_is_caught() {
    let mut s = snapshot();
    let (_, r2) = fixtures::reports();
    // io_token says less was emitted than the pool the report shared.
    s.chain.token.emission.emitted = r2.pool;
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P2}.pool"), None);
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert_eq!(r.recomputed, Some(r2.pool.to_string()));
    forge_body(&mut s, P2, |r| r.pool = r.body.emission_distributed - 1);
    let rows = rows_of(&s);
    assert_eq!(row(&rows, &format!("report.{P2}.distributed_vs_pool"), None).verdict, Verdict::Mismatch);
}

#[test]
fn without_the_previous_reports_leaves_emission_is_not_recomputed_and_says_why() {
    let mut s = snapshot();
    s.range = PeriodRange { from: Some(P2), to: None };
    // The previous report's leaves, when gathered, still serve as the base.
    assert_eq!(
        row(&rows_of(&s), &format!("report.{P2}.emission_distributed"), Some(&format!("report {P2}")))
            .verdict,
        Verdict::Ok
    );
    s.copies.remove(&P1);
    let rows = rows_of(&s);
    let r = unserved(&rows, &format!("report.{P2}.emission_distributed"));
    assert_eq!(r.verdict, Verdict::Recomputed);
    assert!(r.note.as_deref().unwrap().contains(&format!("({P1})")));
    assert!(!rows.iter().any(|r| r.figure.starts_with(&format!("report.{P1}."))));
}

#[test]
fn the_indexers_report_is_compared_with_the_chains() {
    let mut s = snapshot();
    let path = format!("/v1/reports/{P1}");
    s.served.answers.get_mut(&path).unwrap()[0]["devices_attested"] = 7.into();
    s.served.answers.get_mut(&format!("/v1/reports/{P2}")).unwrap()[0]["status"] = "posted".into();
    let rows = rows_of(&s);
    let r = row(&rows, &format!("report.{P1}.devices_attested"), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("3"), Some("7"))
    );
    let r = row(&rows, &format!("report.{P2}.status"), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("certified"), Some("posted"))
    );
    assert_eq!(failing(&rows).len(), 2);

    s.served.answers.remove(&path);
    s.served.errors.insert(path.clone(), "500 Internal Server Error".into());
    let r = row(&rows_of(&s), &format!("report.{P1}.indexed"), None).clone();
    assert_eq!(r.verdict, Verdict::Missing);
    assert!(r.note.unwrap().contains("500"));

    // No indexer: nothing compared with it, nothing missing.
    s.served.url = None;
    let rows = rows_of(&s);
    assert!(rows.iter().all(|r| r.served_by.as_deref() != Some("indexer")) && failing(&rows).is_empty());
}
