import { describe, expect, it } from 'vitest';
import { formatUnits, showAmount, showBps, showCount, toBase } from './units';

describe('toBase', () => {
  it('reads digit strings (lossless parse), integer numbers and null', () => {
    expect(toBase('340282366920938463463374607431768211455')).toBe(340282366920938463463374607431768211455n);
    expect(toBase(11424000)).toBe(11424000n);
    expect(toBase(null)).toBeNull();
    expect(toBase('1.5')).toBeNull();
    expect(toBase(1.5)).toBeNull();
    expect(toBase({})).toBeNull();
  });
});

describe('display', () => {
  it('formats decimals 6 and 9, cut not rounded up', () => {
    expect(formatUnits(11424000n, 6)).toBe('11.424');
    expect(formatUnits(1_000_000_000_000n, 9)).toBe('1,000');
    expect(formatUnits(1_999_999n, 6, 2)).toBe('1.99');
  });
  it('shows unknown as a dash, counts grouped, bps as percent', () => {
    expect(showAmount(null, 6, 'USDC')).toBe('—');
    expect(showAmount(4_800_000, 6, 'USDC')).toBe('4.8 USDC');
    expect(showCount('1234567')).toBe('1,234,567');
    expect(showBps(200)).toBe('2%');
    expect(showBps(1250)).toBe('12.5%');
    expect(showBps(null)).toBe('—');
  });
});
