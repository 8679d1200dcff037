import { describe, expect, it } from 'vitest';
import { chartNumber, formatUnits, parseUnits, showAmount, showBps, toBase } from './units';

describe('toBase', () => {
  it('reads strings, integer numbers and null', () => {
    expect(toBase('340282366920938463463374607431768211455')).toBe(340282366920938463463374607431768211455n);
    expect(toBase(11424000)).toBe(11424000n);
    expect(toBase(5e17)).toBe(500000000000000000n);
    expect(toBase(null)).toBeNull();
    expect(toBase('1.5')).toBeNull();
    expect(toBase({})).toBeNull();
  });
});

describe('formatUnits', () => {
  it('formats decimals 6 and 9, groups, cuts without rounding up', () => {
    expect(formatUnits(11424000n, 6)).toBe('11.424');
    expect(formatUnits(1_000_000_000_000n, 9)).toBe('1,000');
    expect(formatUnits(1_999_999n, 6, 2)).toBe('1.99');
    expect(formatUnits(1n, 9)).toBe('0.000000001');
    expect(formatUnits(1n, 9, 2)).toBe('0');
    expect(formatUnits(-2_500_000n, 6)).toBe('-2.5');
  });
  it('shows unknown as a dash, bps as percent', () => {
    expect(showAmount(null, 6, 'USDC')).toBe('—');
    expect(showAmount(4_800_000, 6, 'USDC')).toBe('4.8 USDC');
    expect(showBps(200)).toBe('2 %');
    expect(showBps(1250)).toBe('12.5 %');
  });
});

describe('parseUnits', () => {
  it('parses user decimals into base units', () => {
    expect(parseUnits('100', 9)).toBe(100_000_000_000n);
    expect(parseUnits('99.5', 9)).toBe(99_500_000_000n);
    expect(parseUnits('0.000001', 6)).toBe(1n);
    expect(parseUnits('1,000.5', 6)).toBe(1_000_500_000n);
    expect(parseUnits('.5', 6)).toBe(500_000n);
  });
  it('refuses dust below the mint precision and garbage', () => {
    expect(parseUnits('0.0000001', 6)).toBeNull();
    expect(parseUnits('', 6)).toBeNull();
    expect(parseUnits('.', 6)).toBeNull();
    expect(parseUnits('-1', 6)).toBeNull();
    expect(parseUnits('1e3', 6)).toBeNull();
  });
});

describe('chartNumber', () => {
  it('gives whole tokens with three decimals for plotting', () => {
    expect(chartNumber(1_500_000_000_000, 9)).toBe(1500);
    expect(chartNumber('1234567', 6)).toBe(1.234);
    expect(chartNumber(null, 6)).toBeNull();
  });
});
