import { describe, expect, it } from 'vitest';
import { stakeTotals } from './MyStake';
import type { PositionRow } from '../../components/compute/types';

const row = (p: Partial<PositionRow>): PositionRow => ({
  operator: 'O',
  staker: 'S',
  address: 'P',
  operator_name: null,
  value: 0,
  activating_value: 0,
  pending_unstakes: [],
  claimable_rewards: 0,
  ...p,
});

describe('stakeTotals', () => {
  it('adds staked (active + activating), claimable, unbonding and finds the next unlock', () => {
    const t = stakeTotals([
      row({ value: 1_000_000_000_000, activating_value: 100_000_000_000, claimable_rewards: '5' }),
      row({
        value: 0,
        claimable_rewards: null,
        pending_unstakes: [
          { amount: 50, unbonding_shares: 50, unlock_ts: 900, signature: 'a', slot: 1 },
          { amount: 25, unbonding_shares: 25, unlock_ts: 300, signature: 'b', slot: 2 },
        ],
      }),
    ]);
    expect(t).toEqual({ staked: 1_100_000_000_000n, claimable: 5n, unbonding: 75n, nextUnlock: 300 });
  });
  it('is all zero with no unlock for no positions', () => {
    expect(stakeTotals([])).toEqual({ staked: 0n, claimable: 0n, unbonding: 0n, nextUnlock: null });
  });
});
