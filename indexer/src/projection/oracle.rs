//! io_oracle events: the oracle set, oracle bonds, reports.
use super::{name_of, v, EventCtx};
use crate::decode::events::OracleEvent as E;
use crate::decode::json::{Cx, ToJson};
use crate::store::plan::{Plan, Val};
use io_oracle::state::ReportStatus;

pub(super) fn project(plan: &mut Plan, cx: &EventCtx<'_>, e: &E) {
    let slot = cx.slot;
    match e {
        // Administration and pending rotations: the events table alone records them (the set
        // changes when `SetRotated` says so).
        E::AdminProposed(_)
        | E::AdminAccepted(_)
        | E::PausedSet(_)
        | E::ParamsUpdated(_)
        | E::RotationProposed(_)
        | E::RotationCancelled(_) => {}
        E::SetRotated(x) => plan.patch(
            "oracle_set",
            vec![v(x.epoch)],
            true,
            slot,
            vec![
                // The members as the JSON array of the event's form.
                ("members", Val::T(x.members.to_json(&mut Cx::default()).to_string())),
                ("threshold", v(x.threshold)),
                ("by_quorum", v(x.by_quorum)),
            ],
        ),
        E::OracleBondChanged(x) => plan.patch(
            "oracles",
            vec![v(&x.oracle)],
            true,
            slot,
            vec![
                ("bond", v(x.bond_after)),
                ("withdrawing", v(x.withdrawing_after)),
                ("unlock_ts", v(x.unlock_ts)),
            ],
        ),
        E::OracleSlashed(x) => {
            plan.patch("oracles", vec![v(&x.oracle)], true, slot, vec![("slashed", v(true))])
        }
        E::ReportPosted(x) => {
            let b = &x.body;
            plan.patch(
                "reports",
                vec![v(&x.report)],
                true,
                slot,
                vec![
                    ("digest", v(&x.digest)),
                    ("period", v(b.period)),
                    ("set_epoch", v(b.set_epoch)),
                    ("rewards_root", v(&b.rewards_root)),
                    ("usage_root", v(&b.usage_root)),
                    ("devices_root", v(&b.devices_root)),
                    ("slashes_root", v(&b.slashes_root)),
                    ("usdc_per_io", v(b.usdc_per_io)),
                    ("emission_distributed", v(b.emission_distributed)),
                    ("device_seconds", v(b.device_seconds)),
                    ("devices_attested", v(b.devices_attested)),
                    ("expiry_slot", v(b.expiry_slot)),
                    ("status", name_of(&ReportStatus::Posted)),
                ],
            );
        }
    }
}
