//! io_staking events: operators, devices, positions, slashes, unstake tickets, reward claims.
use super::{name_of, v, EventCtx};
use crate::decode::events::StakingEvent as E;
use crate::store::history::{DEVICE_STATUS_HISTORY_COLS, OPERATOR_REWARD_COLS, STAKE_HISTORY_COLS};
use crate::store::plan::{Plan, Special, Val, CLAIM_COLS, TICKET_COLS};
use io_sdk::Pubkey;

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
            let mut row = cx.head();
            row.extend([v(&x.device), v(&x.operator), name_of(&x.before), name_of(&x.after)]);
            plan.append("device_status_history", DEVICE_STATUS_HISTORY_COLS, row);
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
            let (before, after) = (x.pool_tokens_before, x.pool_tokens_after);
            let row = stake_row(cx, &x.operator, Some(&x.staker), "staked", x.amount, before, after);
            plan.append("stake_history", STAKE_HISTORY_COLS, with_delegators(row, x.delegator_count_after));
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
            let (before, after) = (x.pool_tokens_before, x.pool_tokens_after);
            let row = stake_row(cx, &x.operator, Some(&x.staker), "unstaked", x.amount, before, after);
            plan.append("stake_history", STAKE_HISTORY_COLS, with_delegators(row, x.delegator_count_after));
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
        E::ActivatingUnstaked(x) => {
            let (before, after) = (x.pool_tokens_before, x.pool_tokens_after);
            let row =
                stake_row(cx, &x.operator, Some(&x.staker), "activating_unstaked", x.amount, before, after);
            plan.append("stake_history", STAKE_HISTORY_COLS, with_delegators(row, x.delegator_count_after));
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
            )
        }
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
        E::RewardsFunded(x) => {
            let mut row = cx.head();
            row.extend([
                v(&x.operator),
                v("funded"),
                Val::NullU,
                v(x.amount),
                v(x.commission),
                v(x.to_delegators),
            ]);
            plan.append("operator_rewards", OPERATOR_REWARD_COLS, row);
            plan.patch(
                "operators",
                vec![v(&x.operator)],
                false,
                slot,
                vec![("reward_per_share", v(x.reward_per_share_after))],
            )
        }
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
            let mut row = cx.head();
            row.extend([
                v(&x.operator),
                v("report"),
                v(x.period),
                v(x.amount),
                v(x.commission),
                v(x.to_delegators),
            ]);
            plan.append("operator_rewards", OPERATOR_REWARD_COLS, row);
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
            // The stake part of the slash: the pool held `from_stake` more before it.
            let before = x.stake_tokens_after.saturating_add(x.from_stake);
            let row = stake_row(cx, &x.operator, None, "slash", x.from_stake, before, x.stake_tokens_after);
            plan.append("stake_history", STAKE_HISTORY_COLS, with_delegators_unknown(row));
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

/// A `stake_history` row without its last column (the delegator count): the pool's stake before
/// and after the event and their difference (signed: the network total is the sum of them).
fn stake_row(
    cx: &EventCtx<'_>,
    operator: &Pubkey,
    staker: Option<&Pubkey>,
    kind: &str,
    amount: u64,
    before: u64,
    after: u64,
) -> Vec<Val> {
    let delta = i128::from(after) - i128::from(before);
    let delta = i64::try_from(delta).unwrap_or(if delta < 0 { i64::MIN } else { i64::MAX });
    let mut row = cx.head();
    row.extend([
        v(operator),
        staker.map_or(Val::NullT, v),
        v(kind),
        v(amount),
        v(before),
        v(after),
        Val::I(delta),
    ]);
    row
}

/// A stake-history row completed with the delegator count after the event.
fn with_delegators(mut row: Vec<Val>, delegators_after: u32) -> Vec<Val> {
    row.push(v(delegators_after));
    row
}

/// A stake-history row of an event that does not carry the delegator count (a slash does not
/// change it; readers carry the previous count forward).
fn with_delegators_unknown(mut row: Vec<Val>) -> Vec<Val> {
    row.push(Val::NullI);
    row
}
