//! io_token events: the supply ledger, burns and emissions.
use super::{name_of, supply_key, v, EventCtx};
use crate::decode::events::TokenEvent as E;
use crate::store::history::SUPPLY_HISTORY_COLS;
use crate::store::plan::{Plan, BURN_COLS, EMISSION_COLS};
use io_token::state::BurnReason;

pub(super) fn project(plan: &mut Plan, cx: &EventCtx<'_>, e: &E) {
    let slot = cx.slot;
    match e {
        // Administration, vesting and airdrops: the events table alone records them (vesting and
        // airdrop balances are account state, read from snapshots).
        E::AdminProposed(_)
        | E::AdminAccepted(_)
        | E::PausedSet(_)
        | E::BurnAuthoritySet(_)
        | E::RewardsDistributorSet(_)
        | E::GenesisCompleted(_)
        | E::VestingCreated(_)
        | E::VestingClaimed(_)
        | E::AirdropCreated(_)
        | E::AirdropClaimed(_)
        | E::AirdropClosed(_) => {}
        E::TokenInitialized(x) => plan.patch(
            "supply",
            supply_key(),
            true,
            slot,
            vec![("decimals", v(x.decimals)), ("max_supply", v(x.max_supply))],
        ),
        E::Minted(x) => {
            let mut row = cx.head();
            row.extend([v(x.supply_after), v(x.total_minted_after)]);
            plan.append("supply_history", SUPPLY_HISTORY_COLS, row);
            plan.patch(
                "supply",
                supply_key(),
                true,
                slot,
                vec![("total_minted", v(x.total_minted_after)), ("supply", v(x.supply_after))],
            )
        }
        E::Emitted(x) => {
            let mut row = cx.head();
            row.extend([v(x.from_hour), v(x.to_hour), v(x.scheduled), v(x.minted), v(x.emitted_after)]);
            plan.append("emissions", EMISSION_COLS, row);
            plan.patch("supply", supply_key(), true, slot, vec![("emitted", v(x.emitted_after))]);
        }
        E::Burned(x) => {
            let per_reason = match x.reason {
                BurnReason::LeaseFee => "burned_lease_fee",
                BurnReason::Buyback => "burned_buyback",
                BurnReason::Slash => "burned_slash",
                BurnReason::Other => "burned_other",
            };
            let mut row = cx.head();
            row.extend([name_of(&x.reason), v(&x.authority), v(&x.from), v(x.amount)]);
            plan.append("burns", BURN_COLS, row);
            let mut row = cx.head();
            row.extend([v(x.supply_after), v(x.total_minted)]);
            plan.append("supply_history", SUPPLY_HISTORY_COLS, row);
            plan.patch(
                "supply",
                supply_key(),
                true,
                slot,
                vec![
                    (per_reason, v(x.reason_burned_after)),
                    ("total_burned", v(x.total_burned_after)),
                    ("total_minted", v(x.total_minted)),
                    ("supply", v(x.supply_after)),
                ],
            );
        }
        E::RewardsWithdrawn(x) => {
            plan.patch("supply", supply_key(), true, slot, vec![("rewards_withdrawn", v(x.withdrawn_after))])
        }
    }
}
