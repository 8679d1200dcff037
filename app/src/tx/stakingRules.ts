import { formatAmount, parseAmount } from '../lib/amount';
import { formatDate, formatDuration } from '../lib/time';

// The staking program's rules, checked in the browser before anything is built or signed, with
// the figures (minimum, cooldown) read from the program's Config account: a request the program
// would refuse gets its reason here, without a wallet prompt. The program stays the authority
// (the simulation runs next and catches anything these miss).

export type StakingParams = { minStake: bigint; cooldownSecs: number; decimals: number };

export const minimumMessage = (p: StakingParams): string =>
  `Minimum stake is ${formatAmount(p.minStake, p.decimals)} IO: a position must hold at least that much.`;

export type Check = { ok: true; amount: bigint } | { ok: false; error: string };

/// A stake of `text` $IO onto a position now worth `positionValue`, from a wallet holding `balance`.
export function checkStake(text: string, p: StakingParams, balance: bigint | null, positionValue: bigint): Check {
  const a = parseAmount(text, p.decimals);
  if (!a.ok) return { ok: false, error: a.error };
  if (positionValue + a.value < p.minStake) {
    return {
      ok: false,
      error:
        positionValue === 0n
          ? minimumMessage(p)
          : `${minimumMessage(p)} You have ${formatAmount(positionValue, p.decimals)} IO staked; stake at least ${formatAmount(p.minStake - positionValue, p.decimals)} IO more.`,
    };
  }
  if (balance !== null && a.value > balance) {
    return { ok: false, error: `Not enough $IO: you have ${formatAmount(balance, p.decimals)} IO.` };
  }
  return { ok: true, amount: a.value };
}

/// An unstake of `text` $IO from a position worth `positionValue` holding `openTickets` of the
/// program's `maxTickets` pending unstakes.
export function checkUnstake(text: string, p: StakingParams, positionValue: bigint, openTickets: number, maxTickets = 4): Check {
  const a = parseAmount(text, p.decimals);
  if (!a.ok) return { ok: false, error: a.error };
  if (a.value > positionValue) return { ok: false, error: `You have ${formatAmount(positionValue, p.decimals)} IO staked here.` };
  const rest = positionValue - a.value;
  if (rest !== 0n && rest < p.minStake) {
    return {
      ok: false,
      error: `What stays staked must be 0 or at least ${formatAmount(p.minStake, p.decimals)} IO: unstake all ${formatAmount(positionValue, p.decimals)} IO, or at most ${formatAmount(positionValue - p.minStake, p.decimals)} IO.`,
    };
  }
  if (openTickets >= maxTickets) {
    return { ok: false, error: `This position already has ${maxTickets} pending unstakes: withdraw a matured one first.` };
  }
  return { ok: true, amount: a.value };
}

/// Why Withdraw is not possible yet at chain time `now`, or null when a pending unstake has matured.
export function withdrawBlocker(unlockTimes: number[], now: number | null): string | null {
  if (unlockTimes.length === 0) return 'Nothing to withdraw: no pending unstake.';
  if (now === null) return 'Waiting for chain time…';
  const next = Math.min(...unlockTimes);
  if (next <= now) return null;
  return `Available in ${formatDuration(next - now)} (${formatDate(next)}).`;
}

/// The notice shown before staking or unstaking.
export const cooldownNotice = (p: StakingParams): string =>
  `Unstaking takes ${formatDuration(p.cooldownSecs)}: unstaked $IO earns no rewards during the cooldown and can still be slashed, then you withdraw it. Stake added now earns from the next reward period; unstaking it before then returns it at once.`;
