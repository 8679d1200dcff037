import { describe, expect, it } from 'vitest';
import { fromFirstActivity, historyPoints } from './history';

describe('historyPoints', () => {
  it('reads each series by its first present name, oldest first, exact', () => {
    const pts = historyPoints(
      { bucket: 'day', points: [{ t: 172800, total_staked: 1_500_000_000_000, operators: 3 }, { t: 86400, stake: '90071992547409930', operators: 2 }] },
      [
        { key: 'stake', names: ['total_staked', 'stake'] },
        { key: 'operators', names: ['operators'] },
      ],
    );
    expect(pts).toEqual([
      { t: 86400, values: { stake: 90071992547409930n, operators: 2n } },
      { t: 172800, values: { stake: 1_500_000_000_000n, operators: 3n } },
    ]);
  });
  it('leaves a missing series null rather than zero', () => {
    expect(historyPoints({ points: [{ t: 0 }] }, [{ key: 'burned', names: ['burned'] }])[0].values.burned).toBeNull();
  });
});

describe('fromFirstActivity', () => {
  const p = (t: number, v: bigint | null) => ({ t, values: { a: v } });
  it('drops the empty buckets before the first activity', () => {
    expect(fromFirstActivity([p(0, 0n), p(1, null), p(2, 5n), p(3, 0n)])).toEqual([p(2, 5n), p(3, 0n)]);
  });
  it('keeps the last point of an all-zero series', () => {
    expect(fromFirstActivity([p(0, 0n), p(1, 0n)])).toEqual([p(1, 0n)]);
    expect(fromFirstActivity([])).toEqual([]);
  });
});
