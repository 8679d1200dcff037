import { describe, expect, it } from 'vitest';
import { parsePositions } from '../../api/rows';
import { stakeTotals } from './MyStake';

describe('stakeTotals', () => {
  it('adds value (activating is part of it), claimable, unbonding; finds the next unlock', () => {
    const rows = parsePositions([
      { operator: 'O1', value: 1_100_000_000_000, activating_value: 100_000_000_000, claimable_rewards: 5, pending_unstakes: [] },
      {
        operator: 'O2',
        value: 0,
        activating_value: 0,
        claimable_rewards: null,
        pending_unstakes: [
          { amount: 50, unlock_ts: 900, signature: 'a', slot: 1 },
          { amount: 25, unlock_ts: 300, signature: 'b', slot: 2 },
        ],
      },
    ]);
    expect(stakeTotals(rows)).toEqual({ staked: 1_100_000_000_000n, claimable: 5n, unbonding: 75n, nextUnlock: 300 });
  });
  it('is all zero with no unlock for no positions', () => {
    expect(stakeTotals([])).toEqual({ staked: 0n, claimable: 0n, unbonding: 0n, nextUnlock: null });
  });
});
