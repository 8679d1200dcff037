// The stake panel's rewards simulator: what `amount` would earn at an estimated net APY (after
// the operator's commission, as the indexer computes it with io-sdk). The APY is an estimate
// from past periods, so the result is one too; the page says so beside it.

export type RewardsEstimate = { perDay: bigint; perMonth: bigint; perYear: bigint };

const BPS = 10_000n;

/// Simple (not compounded) rewards in base units, rounded down: claims are manual, so rewards
/// do not compound unless the staker restakes them.
export function estimateRewards(amount: bigint, netApyBps: number): RewardsEstimate {
  if (amount <= 0n || netApyBps <= 0) return { perDay: 0n, perMonth: 0n, perYear: 0n };
  const perYear = (amount * BigInt(Math.round(netApyBps))) / BPS;
  return { perDay: perYear / 365n, perMonth: perYear / 12n, perYear };
}
