//! The proofs the indexer serves beside the headline figures of `/v1/network`
//! (`overview.proofs`): a figure backed by a certified report must point at the latest certified
//! report — its period, its io_oracle account and its digest as the chain has them — or a reader
//! following the link would check the figure against the wrong leaves.
//!
//! Figures: `proof.<figure>.period`, `proof.<figure>.report_address`, `proof.<figure>.digest` for
//! each proof of kind `report` (checked only when the range reaches the latest certified period);
//! `proof.<figure>` is missing when a certified report exists and the indexer serves no proof.
//! Work: O(headline figures).
use super::{reports::text_of, Area, Rows, Snapshot};
use serde_json::Value;

const AREA: Area = Area::Reports;

pub fn check(s: &Snapshot, rows: &mut Rows) {
    // Without an indexer there is nothing served; with an upper bound the latest report may be
    // out of range.
    if s.served.url.is_none() || s.range.to.is_some() {
        return;
    }
    let certified = s.certified();
    let Some((&period, &(address, report))) = certified.last_key_value() else { return };
    let Some(network) = s.served.get("/v1/network") else { return };
    let Some(proofs) = network.pointer("/overview/proofs").and_then(Value::as_object) else {
        rows.missing(AREA, "proof", "the indexer's /v1/network serves no overview.proofs");
        return;
    };
    for (figure, proof) in proofs {
        let name = |what: &str| format!("proof.{figure}.{what}");
        match proof.get("kind").and_then(Value::as_str) {
            Some("report") => {
                rows.compare(AREA, name("period"), period, text_of(proof.get("period")), "indexer");
                rows.compare(
                    AREA,
                    name("report_address"),
                    address,
                    text_of(proof.get("report_address")),
                    "indexer",
                );
                let digest = crate::report::json::hex(&report.digest);
                rows.compare(AREA, name("digest"), digest, text_of(proof.get("digest")), "indexer");
            }
            Some(_) => {}
            // A null proof: the indexer knows no certified report, while the chain has one.
            None => rows.missing(
                AREA,
                format!("proof.{figure}"),
                format!("the indexer serves no proof for {figure} while period {period} is certified"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{fixtures, Verdict};
    use serde_json::json;

    fn run(s: &Snapshot) -> Vec<super::super::Row> {
        let mut rows = Rows::default();
        check(s, &mut rows);
        rows.into_vec()
    }

    fn proof_mut<'a>(s: &'a mut Snapshot, figure: &str) -> &'a mut Value {
        s.served
            .answers
            .get_mut("/v1/network")
            .unwrap()
            .pointer_mut(&format!("/overview/proofs/{figure}"))
            .unwrap()
    }

    #[test]
    fn an_honest_indexers_proofs_name_the_latest_certified_report() {
        let rows = run(&fixtures::snapshot());
        assert_eq!(rows.len(), 6, "two report proofs × period, address, digest: {rows:#?}");
        assert!(rows.iter().all(|r| r.verdict == Verdict::Ok), "{rows:#?}");
        assert!(rows.iter().any(|r| r.figure == "proof.devices_attested.period"));
    }

    #[test]
    fn a_proof_pointing_at_an_older_report_is_named() {
        let mut s = fixtures::snapshot();
        let (older, (older_address, _)) =
            s.certified().into_iter().next().map(|(p, (a, r))| (p, (*a, r.clone()))).unwrap();
        let proof = proof_mut(&mut s, "devices_attested");
        proof["period"] = json!(older);
        proof["report_address"] = json!(older_address.to_string());
        let rows = run(&s);
        let bad: Vec<_> = rows.iter().filter(|r| r.verdict.fails()).map(|r| r.figure.as_str()).collect();
        assert_eq!(bad, ["proof.devices_attested.period", "proof.devices_attested.report_address"]);
        let row = rows.iter().find(|r| r.figure == "proof.devices_attested.period").unwrap();
        assert_eq!(row.served.as_deref(), Some(older.to_string().as_str()));
        assert_ne!(row.recomputed, row.served);
    }

    #[test]
    fn a_forged_digest_and_a_missing_proof_fail() {
        let mut s = fixtures::snapshot();
        proof_mut(&mut s, "gpus_attested")["digest"] = json!("00".repeat(32));
        *proof_mut(&mut s, "devices_attested") = Value::Null;
        let rows = run(&s);
        let bad: Vec<_> =
            rows.iter().filter(|r| r.verdict.fails()).map(|r| (r.figure.as_str(), r.verdict)).collect();
        assert_eq!(
            bad,
            [("proof.devices_attested", Verdict::Missing), ("proof.gpus_attested.digest", Verdict::Mismatch)]
        );
    }

    #[test]
    fn an_indexer_without_proofs_is_a_finding_and_a_bounded_range_skips() {
        let mut s = fixtures::snapshot();
        s.served.answers.get_mut("/v1/network").unwrap()["overview"]
            .as_object_mut()
            .unwrap()
            .remove("proofs");
        let rows = run(&s);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].figure.as_str(), rows[0].verdict), ("proof", Verdict::Missing));
        s.range.to = Some(u64::MAX);
        assert!(run(&s).is_empty());
    }
}
