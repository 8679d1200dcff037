//! Each devices check, caught on a forged figure of the consistent fixture.
use super::*;
use crate::verify::{
    fixtures::{dev, snapshot, P1, P2},
    reports::tests::{failing, row},
    Row, Verdict,
};

fn rows_of(s: &Snapshot) -> Vec<Row> {
    let mut rows = Rows::default();
    check(s, &mut rows);
    rows.into_vec()
}

#[test]
fn the_clean_fixture_attests_what_the_indexer_serves() {
    let rows = rows_of(&snapshot());
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    // P2: devices 1 (consumer GPU ×2, green) and 3 (flagship ×8, green); device 2 dropped out.
    let value = |f: &str| row(&rows, f, None).recomputed.clone().unwrap();
    assert_eq!(value("devices.attested"), "2");
    assert_eq!(value("devices.gpus"), "10");
    assert_eq!(value("devices.gpus.flagship_gpu"), "8");
    assert_eq!(value("devices.gpus.cpu"), "0");
    assert_eq!(value("devices.green_share_bps"), "10000");
    assert_eq!(value(&format!("devices.{P1}.attested")), "3");
    assert_eq!(value(&format!("devices.{P1}.green_share_bps")), "6666");
    assert_eq!(value("devices.period"), P2.to_string());
    assert_eq!(value("devices.chain_status"), "0 of 3 unlike report 493001");
}

#[test]
fn a_chain_status_behind_the_report_is_said_and_the_indexers_count_then_fails() {
    let mut s = snapshot();
    // Device 3 is attested in P2 but the chain has not activated it (and the indexer follows).
    s.chain.devices.get_mut(&dev(3)).unwrap().status = DeviceStatus::Pending;
    s.served = crate::verify::fixtures::served(&s);
    let rows = rows_of(&s);
    let r = row(&rows, "devices.chain_status", None);
    assert_eq!(
        (r.verdict, r.recomputed.as_deref()),
        (Verdict::Recomputed, Some("1 of 3 unlike report 493001"))
    );
    assert!(r.note.as_deref().unwrap().contains(&dev(3).to_string()));
    let r = row(&rows, "devices.attested", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("2"), Some("1"))
    );
}

#[test]
fn a_chain_the_cranks_have_not_caught_up_with_is_not_judged_but_a_phantom_still_is() {
    let mut s = snapshot();
    // Report P2 attests device 3; the chain has not applied P2 to it yet (its last applied
    // report is P1 and its status not active), and the indexer serves the chain's figures.
    let d = s.chain.devices.get_mut(&dev(3)).unwrap();
    d.status = DeviceStatus::Pending;
    d.attested_period = P1;
    s.served = crate::verify::fixtures::served(&s);
    let rows = rows_of(&s);
    assert!(failing(&rows).is_empty(), "{:#?}", failing(&rows));
    let r = row(&rows, "devices.attested", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Recomputed, Some("2"), Some("1"))
    );
    assert!(r.note.as_deref().unwrap().contains("not judged yet"));
    // An indexer counting a device the chain does not have is caught all the same.
    s.served.answers.get_mut("/v1/network").unwrap()["overview"]["devices_attested"] = 3.into();
    let rows = rows_of(&s);
    let r = row(&rows, "devices.attested", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("2"), Some("3"))
    );
}

#[test]
fn a_device_count_raised_in_the_indexer_is_caught() {
    let mut s = snapshot();
    let net = s.served.answers.get_mut("/v1/network").unwrap();
    net["overview"]["devices_attested"] = 3.into();
    net["overview"]["by_class"][0]["gpus"] = 9.into();
    let rows = rows_of(&s);
    let r = row(&rows, "devices.attested", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("2"), Some("3"))
    );
    // by_class is sorted by name: consumer_gpu first.
    let r = row(&rows, "devices.gpus.consumer_gpu", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("2"), Some("9"))
    );
    // The share the indexer's counts imply changes too (2 green of 3).
    let r = row(&rows, "devices.green_share_bps", Some("indexer"));
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("6666")));
}

#[test]
fn a_class_the_indexer_adds_or_drops_is_caught() {
    let mut s = snapshot();
    let net = s.served.answers.get_mut("/v1/network").unwrap();
    net["overview"]["by_class"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"class": "cpu", "devices": 1, "gpus": 0}));
    let rows = rows_of(&s);
    let r = row(&rows, "devices.attested.cpu", Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("0"), Some("1"))
    );
    let mut s = snapshot();
    s.served.answers.get_mut("/v1/network").unwrap()["overview"]["by_class"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    let r = row(&rows_of(&s), "devices.attested.consumer_gpu", Some("indexer")).clone();
    assert_eq!((r.verdict, r.served.as_deref()), (Verdict::Mismatch, Some("0")));
}

#[test]
fn the_indexers_report_count_and_device_list_are_compared() {
    let mut s = snapshot();
    s.served.answers.get_mut(&format!("/v1/reports/{P1}")).unwrap()[0]["devices_attested"] = 4.into();
    s.served.answers.get_mut("/v1/devices").unwrap()[2]["gpu_count"] = 16.into();
    let rows = rows_of(&s);
    let r = row(&rows, &format!("devices.{P1}.attested"), Some("indexer"));
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("3"), Some("4"))
    );
    let r = row(&rows, "devices.records", Some("indexer"));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains(&dev(3).to_string()));

    s.served.answers.get_mut("/v1/devices").unwrap().as_array_mut().unwrap().pop();
    let r = row(&rows_of(&s), "devices.listed", Some("indexer")).clone();
    assert_eq!(
        (r.verdict, r.recomputed.as_deref(), r.served.as_deref()),
        (Verdict::Mismatch, Some("3"), Some("2"))
    );
}

#[test]
fn a_leaf_whose_class_is_not_the_chains_is_caught() {
    let mut s = snapshot();
    // The chain says device 3 is a CPU machine: the certified leaves attest a flagship GPU.
    s.chain.devices.get_mut(&dev(3)).unwrap().class = HardwareClass::Cpu;
    let rows = rows_of(&s);
    let r = row(&rows, &format!("devices.{P2}.classes"), Some("chain"));
    assert_eq!(r.verdict, Verdict::Mismatch);
    assert!(r.note.as_deref().unwrap().contains(&dev(3).to_string()));
}

#[test]
fn without_leaves_or_indexer_nothing_is_claimed() {
    let mut s = snapshot();
    s.served.url = None;
    let rows = rows_of(&s);
    assert!(failing(&rows).is_empty());
    assert_eq!(row(&rows, "devices.attested", None).verdict, Verdict::Recomputed);
    s.copies.get_mut(&P2).unwrap().iter_mut().for_each(|c| c.result = Err("404".into()));
    let rows = rows_of(&s);
    let r = row(&rows, "devices.attested", None);
    assert_eq!((r.verdict, r.recomputed.as_ref()), (Verdict::Recomputed, None));
    assert_eq!(green_share_bps(0, 0), 0);
    assert_eq!(green_share_bps(1, 3), 3_333);
}
