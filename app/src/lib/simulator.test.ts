import { describe, expect, it } from 'vitest';
import { estimateRewards } from './simulator';

describe('rewards simulator', () => {
  it('estimates simple rewards at the net APY, rounded down', () => {
    const io = 1_000_000_000n;
    const e = estimateRewards(1000n * io, 1230); // 12.3 %
    expect(e.perYear).toBe(123n * io);
    expect(e.perMonth).toBe((123n * io) / 12n);
    expect(e.perDay).toBe((123n * io) / 365n);
  });
  it('is zero without an amount or an APY', () => {
    expect(estimateRewards(0n, 1000)).toEqual({ perDay: 0n, perMonth: 0n, perYear: 0n });
    expect(estimateRewards(10n, 0)).toEqual({ perDay: 0n, perMonth: 0n, perYear: 0n });
  });
});
