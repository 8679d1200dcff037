//! io_escrow events: offers, leases and their devices, settlements, fees, buybacks.
use super::{name_of, v, EventCtx};
use crate::decode::events::EscrowEvent as E;
use crate::store::plan::{Plan, Special, Val, BUYBACK_COLS, FEE_COLS, SETTLEMENT_COLS};
use io_escrow::state::LeaseStatus;

pub(super) fn project(plan: &mut Plan, cx: &EventCtx<'_>, e: &E) {
    let slot = cx.slot;
    match e {
        // Configuration, administration and the price feed: the events table alone records them.
        E::EscrowInitialized(_)
        | E::AdminProposed(_)
        | E::AdminAccepted(_)
        | E::PausedSet(_)
        | E::ParamsUpdated(_)
        | E::AuthoritiesSet(_)
        | E::PriceSet(_) => {}
        E::OfferPosted(x) => plan.patch(
            "offers",
            vec![v(&x.device)],
            true,
            slot,
            vec![
                ("address", v(&x.offer)),
                ("operator", v(&x.operator)),
                ("price_usdc_per_hour", v(x.price_usdc_per_hour)),
                ("price_io_per_hour", v(x.price_io_per_hour)),
                ("min_hours", v(x.min_hours)),
                ("max_hours", v(x.max_hours)),
                ("active", v(true)),
            ],
        ),
        E::OfferWithdrawn(x) => {
            plan.patch("offers", vec![v(&x.device)], false, slot, vec![("active", v(false))])
        }
        E::LeaseOpened(x) => {
            plan.patch(
                "leases",
                vec![v(&x.lease)],
                true,
                slot,
                vec![
                    ("renter", v(&x.renter)),
                    ("payment_mint", v(&x.payment_mint)),
                    ("fee_bps", v(x.fee_bps)),
                    ("hours", v(x.hours)),
                    ("start_ts", v(x.start_ts)),
                    ("end_ts", v(x.end_ts)),
                    ("deposit", v(x.deposit)),
                    ("device_count", Val::I(i64::try_from(x.devices.len()).unwrap_or(i64::MAX))),
                    ("status", name_of(&LeaseStatus::Open)),
                ],
            );
            for (i, device) in x.devices.iter().enumerate() {
                plan.patch(
                    "lease_devices",
                    vec![v(&x.lease), v(device)],
                    true,
                    slot,
                    vec![
                        ("device_index", Val::I(i64::try_from(i).unwrap_or(i64::MAX))),
                        ("rate_per_hour", Val::opt_u(x.rates_per_hour.get(i).copied())),
                    ],
                );
                plan.patch(
                    "offers",
                    vec![v(device)],
                    false,
                    slot,
                    vec![("lease", v(&x.lease)), ("leased_until", v(x.end_ts))],
                );
            }
        }
        E::LeaseToppedUp(x) => {
            plan.patch(
                "leases",
                vec![v(&x.lease)],
                false,
                slot,
                vec![("deposit", v(x.deposit_after)), ("end_ts", v(x.end_after))],
            );
            plan.specials.push(Special::OffersLeasedUntil {
                lease: x.lease.to_string(),
                until: x.end_after,
                slot,
            });
        }
        E::LeaseSettled(x) => {
            let mut row = cx.head();
            row.extend([
                v(&x.lease),
                v(&x.device),
                v(x.device_index),
                v(x.attested_before),
                v(x.attested_after),
                v(x.paid),
                v(x.fee),
            ]);
            plan.append("settlements", SETTLEMENT_COLS, row);
            if x.fee > 0 {
                let mut row = cx.head();
                row.extend([v(&x.lease), v(x.fee)]);
                plan.append("fees", FEE_COLS, row);
            }
            plan.patch(
                "leases",
                vec![v(&x.lease)],
                false,
                slot,
                vec![("paid", v(x.lease_paid_after)), ("fees", v(x.lease_fees_after))],
            );
            plan.patch(
                "lease_devices",
                vec![v(&x.lease), v(&x.device)],
                false,
                slot,
                vec![("attested_seconds", v(x.attested_after))],
            );
        }
        E::LeaseEnded(x) => {
            plan.patch(
                "leases",
                vec![v(&x.lease)],
                false,
                slot,
                vec![("end_ts", v(x.end_after)), ("status", name_of(&LeaseStatus::Ended))],
            );
            plan.specials.push(Special::OffersLeasedUntil {
                lease: x.lease.to_string(),
                until: x.end_after,
                slot,
            });
        }
        E::LeaseClosed(x) => plan.patch(
            "leases",
            vec![v(&x.lease)],
            false,
            slot,
            vec![
                ("status", name_of(&LeaseStatus::Closed)),
                ("deposit", v(x.deposit)),
                ("paid", v(x.paid)),
                ("fees", v(x.fees)),
                ("refunded", v(x.refunded)),
            ],
        ),
        E::BuybackBurned(x) => {
            let mut row = cx.head();
            row.extend([v(x.usdc_spent), v(x.io_burned), v(x.usdc_per_io), v(x.min_io)]);
            plan.append("buybacks", BUYBACK_COLS, row);
        }
    }
}
