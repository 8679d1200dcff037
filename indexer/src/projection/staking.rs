//! io_staking events: operators, devices, positions, slashes, unstake tickets, reward claims.
use super::{name_of, v, EventCtx};
use crate::decode::events::StakingEvent as E;
use crate::store::plan::{Plan, Special, Val, CLAIM_COLS, TICKET_COLS};

pub(super) fn project(plan: &mut Plan, cx: &EventCtx<'_>, e: &E) {
    let slot = cx.slot;
    match e {
        // Configuration and administration: the events table alone records them.
        E::ConfigInitialized(_)
        | E::AdminProposed(_)
        | E::AdminAccepted(_)
        | E::PausedSet(_)
        | E::ParamsUpdated(_)
        | E::AuthoritiesUpdated(_) => {}
        E::OperatorRegistered(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            true,
            slot,
            vec![
                ("authority", v(&x.authority)),
                ("name", v(&x.name)),
                ("region", v(&x.region)),
                ("metadata_url", v(&x.metadata_url)),
                ("commission_bps", v(x.commission_bps)),
                ("registered_ts", v(x.ts)),
            ],
        ),
        E::OperatorUpdated(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            false,
            slot,
            vec![("name", v(&x.name)), ("region", v(&x.region)), ("metadata_url", v(&x.metadata_url))],
        ),
        E::CommissionChangeRequested(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            false,
            slot,
            vec![
                ("commission_bps", v(x.commission_bps)),
                ("pending_commission_bps", v(x.requested_bps)),
                ("commission_effective_ts", v(x.effective_ts)),
                // Kept apart for the operators table's "changed within 7 days".
                ("commission_requested_ts", Val::opt_i(cx.block_time)),
                ("commission_change_effective_ts", v(x.effective_ts)),
            ],
        ),
        E::BondChanged(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            false,
            slot,
            vec![
                ("bond", v(x.bond_after)),
                ("bond_withdrawing", v(x.withdrawing_after)),
                ("bond_unlock_ts", v(x.unlock_ts)),
                ("required_bond", v(x.required_bond)),
            ],
        ),
        E::DeviceRegistered(x) => plan.patch(
            "devices",
            vec![v(&x.device)],
            true,
            slot,
            vec![
                ("operator", v(&x.operator)),
                ("id_hash", v(&x.id_hash)),
                ("gpu_model", v(&x.gpu_model)),
                ("gpu_count", v(x.gpu_count)),
                ("vram_gb", v(x.vram_gb)),
                ("region", v(&x.region)),
                ("green", v(x.green)),
                ("class", name_of(&x.class)),
                ("status", name_of(&io_staking::state::DeviceStatus::Pending)),
                ("registered_ts", v(x.ts)),
                ("status_ts", v(x.ts)),
            ],
        ),
        // Emitted at registration (before = the default address) and by every rebind.
        E::WorkerBound(x) => plan.patch(
            "devices",
            vec![v(&x.device)],
            true,
            slot,
            vec![("operator", v(&x.operator)), ("worker_key", v(&x.after))],
        ),
        E::DeviceStatusChanged(x) => {
            plan.patch(
                "devices",
                vec![v(&x.device)],
                false,
                slot,
                vec![("status", name_of(&x.after)), ("status_ts", v(x.ts))],
            );
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![
                    ("required_bond", v(x.required_bond_after)),
                    ("devices_active", v(x.devices_active_after)),
                ],
            );
        }
        E::Staked(x) => {
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![
                    ("stake_shares", v(x.pool_shares_after)),
                    ("stake_tokens", v(x.pool_tokens_after)),
                    ("delegator_count", v(x.delegator_count_after)),
                ],
            );
            plan.patch(
                "positions",
                vec![v(&x.operator), v(&x.staker)],
                true,
                slot,
                vec![("shares", v(x.position_shares_after))],
            );
        }
        E::Unstaked(x) => {
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![
                    ("stake_shares", v(x.pool_shares_after)),
                    ("stake_tokens", v(x.pool_tokens_after)),
                    ("unbonding_tokens", v(x.unbonding_tokens_after)),
                    ("delegator_count", v(x.delegator_count_after)),
                ],
            );
            plan.patch(
                "positions",
                vec![v(&x.operator), v(&x.staker)],
                true,
                slot,
                vec![("shares", v(x.position_shares_after))],
            );
            let mut row = cx.head();
            row.extend([
                v(&x.operator),
                v(&x.staker),
                v(x.amount),
                v(x.unbonding_shares_minted),
                v(x.unlock_ts),
            ]);
            plan.append("unstake_tickets", TICKET_COLS, row);
        }
        E::ActivatingUnstaked(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            false,
            slot,
            vec![
                ("stake_shares", v(x.pool_shares_after)),
                ("stake_tokens", v(x.pool_tokens_after)),
                ("delegator_count", v(x.delegator_count_after)),
            ],
        ),
        E::Withdrawn(x) => {
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![("unbonding_tokens", v(x.unbonding_tokens_after))],
            );
            // Which tickets matured is a question of time: without a block time, none is marked.
            if let Some(block_time) = cx.block_time {
                plan.specials.push(Special::TicketsWithdrawn {
                    operator: x.operator.to_string(),
                    staker: x.staker.to_string(),
                    slot,
                    block_time,
                });
            }
        }
        E::RewardsFunded(x) => plan.patch(
            "operators",
            vec![v(&x.operator)],
            false,
            slot,
            vec![("reward_per_share", v(x.reward_per_share_after))],
        ),
        E::RewardsClaimed(x) => {
            let mut row = cx.head();
            row.extend([v("delegator"), v(&x.operator), v(&x.staker), v(x.amount), Val::NullU]);
            plan.append("reward_claims", CLAIM_COLS, row);
        }
        E::CommissionClaimed(x) => {
            let mut row = cx.head();
            row.extend([v("commission"), v(&x.operator), Val::NullT, v(x.amount), Val::NullU]);
            plan.append("reward_claims", CLAIM_COLS, row);
        }
        E::OperatorRewardsClaimed(x) => {
            let mut row = cx.head();
            row.extend([v("operator_report"), v(&x.operator), Val::NullT, v(x.amount), v(x.period)]);
            plan.append("reward_claims", CLAIM_COLS, row);
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![("reward_per_share", v(x.reward_per_share_after))],
            );
        }
        E::SlashProposed(x) => plan.patch(
            "slashes",
            vec![v(&x.slash)],
            true,
            slot,
            vec![
                ("operator", v(&x.operator)),
                ("idx", v(x.index)),
                ("amount", v(x.amount)),
                ("evidence_hash", v(&x.evidence_hash)),
                ("executable_ts", v(x.executable_ts)),
                ("status", name_of(&io_staking::state::SlashStatus::Pending)),
            ],
        ),
        E::SlashCancelled(x) => plan.patch(
            "slashes",
            vec![v(&x.slash)],
            false,
            slot,
            vec![("status", name_of(&io_staking::state::SlashStatus::Cancelled))],
        ),
        E::SlashExecuted(x) => {
            plan.patch(
                "slashes",
                vec![v(&x.slash)],
                false,
                slot,
                vec![
                    ("status", name_of(&io_staking::state::SlashStatus::Executed)),
                    ("from_bond", v(x.from_bond)),
                    ("from_stake", v(x.from_stake)),
                    ("from_unbonding", v(x.from_unbonding)),
                ],
            );
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![
                    ("bond", v(x.bond_after)),
                    ("bond_withdrawing", v(x.bond_withdrawing_after)),
                    ("stake_tokens", v(x.stake_tokens_after)),
                    ("unbonding_tokens", v(x.unbonding_tokens_after)),
                ],
            );
        }
    }
}
