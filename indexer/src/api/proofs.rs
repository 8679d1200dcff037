//! The proof beside each headline figure of `/v1/network` (`data.overview.proofs`): where a
//! reader goes to recompute it instead of taking the indexer's word (`io verify` does both).
//!
//! Two kinds:
//! - `report`: the figure follows from a certified io_oracle report (attested devices, GPUs by
//!   class, green share, rewards): the period, the indexer's record of the report account
//!   (`/v1/reports/<p>`), the account itself and its digest, and the oracle nodes' pages that
//!   publish the report's leaves (`<node>/v1/reports/<p>`), whose Merkle roots the account holds.
//! - `chain`: the figure is read from program accounts (stake, operators, leases, burns): the
//!   program, its fixed accounts (config, vault, mint), the indexer list naming every other
//!   account it sums, and the slot it was read at.
use super::params::ApiError;
use super::AppState;
use crate::store::rows::oracle::ReportRow;
use crate::store::SyncState;
use io_oracle::ReportStatus;
use io_sdk::names::Name;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// The overview figures backed by the latest certified report, and what of it backs each.
pub const REPORT_FIGURES: &[(&str, &str)] = &[
    ("devices_attested", "the devices tree's leaves: the devices the report attests (and their green flag)"),
    ("gpus_attested", "the devices tree's leaves: each attested device's GPUs"),
    ("by_class", "the devices tree's leaves: attested devices and GPUs per hardware class"),
    (
        "median_net_apy_bps",
        "the rewards tree's leaves: each operator's reward, less its commission, over its stake (io_sdk estimated_net_apy_bps)",
    ),
];

/// A chain-read figure: the program, its fixed accounts, and the indexer list of the rest.
struct ChainSource {
    figure: &'static str,
    program: String,
    accounts: Vec<String>,
    list: &'static str,
    what: &'static str,
}

/// The accounts are program-derived addresses: derived once, not per request.
static CHAIN_FIGURES: LazyLock<Vec<ChainSource>> = LazyLock::new(|| {
    use io_sdk::{escrow, staking, token};
    let staking_accounts = || vec![staking::config().to_string(), staking::stake_vault().to_string()];
    vec![
        ChainSource {
            figure: "staked",
            program: staking::PROGRAM_ID.to_string(),
            accounts: staking_accounts(),
            list: "/v1/operators",
            what: "the sum of the Operator accounts' stake; the stake vault holds at least it",
        },
        ChainSource {
            figure: "operators",
            program: staking::PROGRAM_ID.to_string(),
            accounts: vec![staking::config().to_string()],
            list: "/v1/operators",
            what: "the io_staking Operator accounts",
        },
        ChainSource {
            figure: "operators_active",
            program: staking::PROGRAM_ID.to_string(),
            accounts: vec![staking::config().to_string()],
            list: "/v1/operators",
            what: "the Operator accounts with an active device",
        },
        ChainSource {
            figure: "active_leases",
            program: escrow::PROGRAM_ID.to_string(),
            accounts: vec![escrow::config().to_string()],
            list: "/v1/leases?status=open",
            what: "the io_escrow Lease accounts whose status is open",
        },
        ChainSource {
            figure: "burned_30d",
            program: token::PROGRAM_ID.to_string(),
            accounts: vec![token::config().to_string(), token::mint().to_string()],
            list: "/v1/burns",
            what: "the io_token burns of the window; each lowers the mint's supply",
        },
    ]
});

/// Every proof, keyed by the overview figure it backs. `latest`: the latest certified report
/// (none yet: its figures' proofs are null). `oracle_urls`: the nodes publishing its leaves.
pub fn proofs(latest: Option<&ReportRow>, oracle_urls: &[String], slot: i64, as_of: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for c in CHAIN_FIGURES.iter() {
        out.insert(
            c.figure.to_owned(),
            json!({
                "kind": "chain",
                "program": c.program,
                "accounts": c.accounts,
                "list": c.list,
                "slot": slot,
                "as_of": as_of,
                "what": c.what,
            }),
        );
    }
    let report = latest.and_then(|r| Some((r, r.period?.0)));
    for (figure, what) in REPORT_FIGURES {
        let proof = match report {
            Some((r, period)) => report_proof(r, period, oracle_urls, what),
            None => Value::Null,
        };
        out.insert((*figure).to_owned(), proof);
    }
    Value::Object(out)
}

fn report_proof(r: &ReportRow, period: u64, oracle_urls: &[String], what: &str) -> Value {
    let leaves: Vec<String> =
        oracle_urls.iter().map(|u| format!("{}/v1/reports/{period}", u.trim_end_matches('/'))).collect();
    // Without a node to point at the figure is still checkable against the report's totals,
    // but not leaf by leaf: say so rather than serve an empty list silently.
    let leaves_note = leaves.is_empty().then_some(
        "this indexer knows no oracle node (--oracle-url): fetch the leaves from any node's /v1/reports/<period>",
    );
    json!({
        "kind": "report",
        "period": period,
        "report": format!("/v1/reports/{period}"),
        "report_address": r.address,
        "digest": r.digest,
        "set_epoch": r.set_epoch.map(|e| e.0),
        "certified_slot": r.certified_slot.map(|s| s.0),
        "leaves": leaves,
        "leaves_note": leaves_note,
        "what": what,
    })
}

/// The certified report of the period `/v1/network` names as the latest certified one. A
/// certified report never changes, so reading it apart from the figures' read is consistent.
async fn latest_certified(st: &AppState, network: &Value) -> Result<Option<ReportRow>, ApiError> {
    let Some(period) = network["reports"]["last_certified_period"].as_i64() else { return Ok(None) };
    let (_, rows) = st.store.reports(period).await?;
    let certified = ReportStatus::Certified.name();
    Ok(rows.into_iter().find(|r| r.status.as_deref() == Some(certified)))
}

/// Adds `overview.proofs` to the `/v1/network` figures.
pub async fn attach(st: &AppState, sync: &SyncState, network: &mut Value) -> Result<(), ApiError> {
    let latest = latest_certified(st, network).await?;
    let as_of = network["overview"]["chain_time"].clone();
    let p = proofs(latest.as_ref(), &st.oracle_urls, sync.indexed_slot, &as_of);
    if let Some(o) = network.get_mut("overview").and_then(Value::as_object_mut) {
        o.insert("proofs".into(), p);
    }
    Ok(())
}

/// The OpenAPI schemas of the proofs: `ChainProof`, `ReportProof`, and `OverviewProofs` (one per
/// figure; a report figure's is null before the first certified report).
pub fn schemas() -> Vec<(&'static str, Value)> {
    let text = json!({ "type": "string" });
    let ntext = json!({ "type": ["string", "null"] });
    let nint = json!({ "type": ["integer", "null"] });
    let object = |description: &str, fields: Vec<(&str, Value)>| {
        let required: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
        let props: serde_json::Map<String, Value> =
            fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        json!({ "type": "object", "description": description, "required": required, "properties": props })
    };
    let chain = object(
        "A figure read from program accounts: `io verify` re-reads them over RPC and recomputes it.",
        vec![
            ("kind", json!({ "type": "string", "enum": ["chain"] })),
            ("program", text.clone()),
            (
                "accounts",
                json!({ "type": "array", "items": text, "description": "the program's fixed accounts the figure rests on (config, vault, mint)" }),
            ),
            (
                "list",
                json!({ "type": "string", "description": "the indexer list naming every other account (or burn) the figure sums" }),
            ),
            ("slot", json!({ "type": "integer", "description": "the indexed slot the figure was read at" })),
            (
                "as_of",
                json!({ "type": ["integer", "null"], "description": "chain time (unix seconds) at that slot" }),
            ),
            ("what", text.clone()),
        ],
    );
    let report = object(
        "A figure that follows from a certified io_oracle report: `io verify` checks the report's digest, signers and \
         roots against the leaves the oracle nodes publish, and recomputes the figure from those leaves.",
        vec![
            ("kind", json!({ "type": "string", "enum": ["report"] })),
            ("period", json!({ "type": "integer", "description": "the latest certified report's period (hours since the emission start)" })),
            ("report", json!({ "type": "string", "description": "this indexer's record of the report account: /v1/reports/<period>" })),
            ("report_address", json!({ "type": "string", "description": "the io_oracle Report account" })),
            ("digest", ntext.clone()),
            ("set_epoch", nint.clone()),
            ("certified_slot", nint),
            ("leaves", json!({ "type": "array", "items": text, "description": "<node>/v1/reports/<period> on every configured oracle node: the report's published leaves" })),
            ("leaves_note", json!({ "type": ["string", "null"], "description": "why leaves is empty (no oracle node configured); null otherwise" })),
            ("what", text.clone()),
        ],
    );
    let mut fields: Vec<(&str, Value)> = CHAIN_FIGURES
        .iter()
        .map(|c| (c.figure, json!({ "$ref": "#/components/schemas/ChainProof" })))
        .collect();
    fields.extend(REPORT_FIGURES.iter().map(|(f, _)| {
        (*f, json!({ "oneOf": [{ "$ref": "#/components/schemas/ReportProof" }, { "type": "null" }] }))
    }));
    let all = object(
        "The proof of each headline figure of the overview, keyed by the figure's name: where to recompute it.",
        fields,
    );
    vec![("ChainProof", chain), ("ReportProof", report), ("OverviewProofs", all)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::rows::U64;

    fn report(period: Option<u64>) -> ReportRow {
        ReportRow {
            address: "Rep111".into(),
            period: period.map(U64),
            digest: Some("ab".repeat(32)),
            set_epoch: Some(U64(2)),
            rewards_root: None,
            usage_root: None,
            devices_root: None,
            slashes_root: None,
            usdc_per_io: None,
            emission_distributed: None,
            device_seconds: None,
            devices_attested: Some(3),
            expiry_slot: None,
            status: Some("certified".into()),
            signers: Some(3),
            posted_by: None,
            certified_slot: Some(U64(90)),
            slot: 90,
        }
    }

    #[test]
    fn report_figures_link_the_period_the_report_and_every_nodes_leaves() {
        let urls = vec!["http://n1:7901/".to_owned(), "http://n2:7902".to_owned()];
        let p = proofs(Some(&report(Some(493))), &urls, 120, &json!(1_700_000_000));
        for (figure, _) in REPORT_FIGURES {
            let f = &p[*figure];
            assert_eq!(f["kind"], "report", "{figure}");
            assert_eq!(f["period"], 493, "{figure}");
            assert_eq!(f["report"], "/v1/reports/493");
            assert_eq!(f["report_address"], "Rep111");
            assert_eq!(f["digest"], json!("ab".repeat(32)));
            assert_eq!(
                f["leaves"],
                json!(["http://n1:7901/v1/reports/493", "http://n2:7902/v1/reports/493"])
            );
            assert_eq!(f["leaves_note"], Value::Null);
        }
    }

    #[test]
    fn chain_figures_name_the_program_accounts_and_the_slot() {
        let p = proofs(None, &[], 120, &json!(1_700_000_000));
        let staked = &p["staked"];
        assert_eq!(staked["kind"], "chain");
        assert_eq!(staked["program"], json!(io_sdk::staking::PROGRAM_ID.to_string()));
        assert_eq!(
            staked["accounts"],
            json!([io_sdk::staking::config().to_string(), io_sdk::staking::stake_vault().to_string()])
        );
        assert_eq!((&staked["slot"], &staked["as_of"]), (&json!(120), &json!(1_700_000_000)));
        assert_eq!(p["burned_30d"]["accounts"][1], json!(io_sdk::token::mint().to_string()));
        assert_eq!(p["active_leases"]["list"], "/v1/leases?status=open");
        for figure in ["staked", "operators", "operators_active", "active_leases", "burned_30d"] {
            assert_eq!(p[figure]["kind"], "chain", "{figure}");
        }
    }

    #[test]
    fn no_certified_report_no_report_proof_and_no_node_a_note() {
        let p = proofs(None, &["http://n1:7901".into()], 5, &Value::Null);
        assert_eq!(p["devices_attested"], Value::Null);
        let p = proofs(Some(&report(None)), &[], 5, &Value::Null);
        assert_eq!(p["gpus_attested"], Value::Null, "a report row without a period backs nothing");
        let p = proofs(Some(&report(Some(7))), &[], 5, &Value::Null);
        assert_eq!(p["by_class"]["leaves"], json!([]));
        assert!(p["by_class"]["leaves_note"].as_str().unwrap().contains("--oracle-url"));
    }
}
