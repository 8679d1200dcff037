//! Each usage check, caught on a forged figure of the consistent fixture.
use super::*;
use crate::verify::{
    fixtures::{dev, lease, snapshot, P1, P2},
    reports::tests::{failing, forge_body, row, unserved},
    Row, Verdict,
};

fn rows_of(s: &Snapshot) -> Vec<Row> {
    let mut rows = Rows::default();
    check(s, &mut rows);
    rows.into_vec()
}

fn lease_figure() -> String {
    format!("lease.{}.attested_seconds", lease())
}

#[test]
fn the_clean_fixture_settles_what_the_leaves_prove() {
    let rows = rows_of(&snapshot());
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    let value = |f: &str| unserved(&rows, f).recomputed.clone().unwrap();
    // P1: the lease starts mid-period: device 1 serves 1,800 s, device 2 (live 3,000 s) 1,200 s.
    assert_eq!(value(&format!("usage.{P1}.leased_seconds")), "3000");
    // P2: device 1 the whole hour, device 2 its 1,200 live seconds.
    assert_eq!(value(&format!("usage.{P2}.leased_seconds")), "4800");
    assert_eq!(value("usage.leased_seconds"), "7800");
    assert_eq!(value("usage.total_seconds"), (3_600 + 3_000 + 3_600 + 3_600 + 1_200 + 3_600).to_string());
    let r = row(&rows, &lease_figure(), Some(&format!("report {P2}")));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Ok, Some("7800"), Some("7800"))
    );
    assert_eq!(row(&rows, &lease_figure(), Some("indexer")).verdict, Verdict::Ok);
    assert_eq!(row(&rows, "usage.settled_seconds", Some("indexer")).verdict, Verdict::Ok);
}

#[test]
fn attested_seconds_raised_in_the_certified_leaves_are_impossible() {
    let mut s = snapshot();
    // A quorum certifies 600 more seconds for device 1 than it was live in P2.
    forge_body(&mut s, P2, |r| {
        let i = r.usage_index(&lease(), &dev(1)).unwrap();
        r.usage[i].seconds += 600;
        r.reroot();
    });
    let rows = rows_of(&s);
    let r = row(&rows, &format!("usage.{P2}.leaves"), Some(&format!("report {P2}")));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("1 impossible")));
    let note = r.note.as_deref().unwrap();
    assert!(
        note.contains(&format!("{}:{}", lease(), dev(1)))
            && note.contains("grew 4200 s, more than the 3600 s"),
        "{note}"
    );
}

#[test]
fn usage_that_goes_down_or_vanishes_is_impossible() {
    let mut s = snapshot();
    forge_body(&mut s, P2, |r| {
        let i = r.usage_index(&lease(), &dev(2)).unwrap();
        r.usage[i].seconds = 1;
        r.reroot();
    });
    let r = row(&rows_of(&s), &format!("usage.{P2}.leaves"), None).clone();
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.unwrap().contains("went down from 1200 to 1"));

    let mut s = snapshot();
    forge_body(&mut s, P2, |r| {
        let i = r.usage_index(&lease(), &dev(2)).unwrap();
        r.usage.remove(i);
        r.reroot();
    });
    let rows = rows_of(&s);
    let r = row(&rows, &format!("usage.{P2}.leaves"), None);
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains("vanished while its lease is not finalized"));
    // Device 2 settled 2,400 s; the newest leaf holding it (P1) proves 1,200.
    let r = row(&rows, &lease_figure(), Some(&format!("report {P2}")));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains("settled 2400 s, leaf proves 1200 s"));
}

#[test]
fn a_lease_settling_more_than_its_leaves_prove_is_caught() {
    let mut s = snapshot();
    s.chain.leases.get_mut(&lease()).unwrap().devices[0].attested_seconds += 60;
    let rows = rows_of(&s);
    let r = row(&rows, &lease_figure(), Some(&format!("report {P2}")));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("7860"), Some("7800"))
    );
    // The indexer still serves the settled seconds it saw.
    let r = row(&rows, &lease_figure(), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("7860"), Some("7800"))
    );
    assert_eq!(row(&rows, "usage.settled_seconds", Some("indexer")).verdict, Verdict::Mismatch);
}

#[test]
fn the_indexers_lease_seconds_are_compared() {
    let mut s = snapshot();
    let path = format!("/v1/leases/{}", lease());
    s.served.answers.get_mut(&path).unwrap()["devices"][1]["attested_seconds"] = 9_999.into();
    let rows = rows_of(&s);
    let r = row(&rows, &lease_figure(), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("7800"), Some("15399"))
    );
    s.served.answers.remove(&path);
    let r = unserved(&rows_of(&s), &lease_figure()).clone();
    assert_eq!(r.verdict, Verdict::Missing);
    assert!(r.note.unwrap().contains(&path));
}

#[test]
fn without_the_leaves_nothing_is_claimed_and_it_says_why() {
    let mut s = snapshot();
    s.range = "493001".parse().unwrap();
    s.copies.remove(&P1);
    s.copies.get_mut(&P2).unwrap().iter_mut().for_each(|c| c.result = Err("404".into()));
    s.served.url = None;
    let rows = rows_of(&s);
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    let r = unserved(&rows, &lease_figure());
    assert_eq!(r.verdict, Verdict::Recomputed);
    assert!(r.note.as_deref().unwrap().contains("no gathered report holds their usage leaf"));
    assert_eq!(unserved(&rows, "usage.leased_seconds").verdict, Verdict::Recomputed);
}
