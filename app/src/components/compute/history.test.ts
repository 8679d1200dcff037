import { describe, expect, it } from 'vitest';
import { dailySums, historyPoints } from './history';

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

describe('dailySums', () => {
  it('sums amounts per UTC day and per key, zero for keys without rows', () => {
    const burns = [
      { ts: 86400 + 5, amount: 10n, reason: 'lease_fee' },
      { ts: 86400 + 50, amount: 5n, reason: 'slash' },
      { ts: 10, amount: 1n, reason: 'slash' },
      { ts: null, amount: 99n, reason: 'slash' },
    ];
    const d = dailySums(burns, (b) => b.ts, (b) => b.amount, (b) => b.reason, ['lease_fee', 'slash']);
    expect(d).toEqual([
      { t: 0, values: { lease_fee: 0n, slash: 1n, total: 1n } },
      { t: 86400, values: { lease_fee: 10n, slash: 5n, total: 15n } },
    ]);
  });
});
