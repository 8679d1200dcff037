import { describe, expect, it } from 'vitest';
import { dailySums, historyRows } from './history';

describe('historyRows', () => {
  it('plots whole tokens and keeps the exact figure for the table', () => {
    const { rows, exact } = historyRows(
      { bucket: 'day', points: [{ t: 172800, total_staked: 1_500_000_000_000, operators: 3 }, { t: 86400, total_staked: '1000000000', operators: 2 }] },
      [
        { key: 'stake', names: ['total_staked', 'stake'], decimals: 9 },
        { key: 'operators', names: ['operators'], decimals: null },
      ],
    );
    expect(rows).toEqual([
      { t: 86400, stake: 1, operators: 2 },
      { t: 172800, stake: 1500, operators: 3 },
    ]);
    expect(exact.get('172800:stake')).toBe('1,500');
    expect(exact.get('86400:operators')).toBe('2');
  });
  it('leaves a missing series empty rather than zero', () => {
    const { rows, exact } = historyRows({ points: [{ t: 0 }] }, [{ key: 'burned', names: ['burned'], decimals: 9 }]);
    expect(rows[0].burned).toBeNull();
    expect(exact.get('0:burned')).toBe('—');
  });
});

describe('dailySums', () => {
  it('sums amounts per UTC day and per key', () => {
    const burns = [
      { ts: 86400 + 5, amount: 10n, reason: 'lease_fee' },
      { ts: 86400 + 50, amount: 5n, reason: 'slash' },
      { ts: 10, amount: 1n, reason: 'slash' },
      { ts: null, amount: 99n, reason: 'slash' },
    ];
    const d = dailySums(burns, (b) => b.ts, (b) => b.amount, (b) => b.reason);
    expect(d.map((x) => [x.t, x.sums.get('total'), x.sums.get('slash')])).toEqual([
      [0, 1n, 1n],
      [86400, 15n, 5n],
    ]);
  });
});
