import { describe, expect, it } from 'vitest';
import { historyPoints } from './history';

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
