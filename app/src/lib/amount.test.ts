import { describe, expect, it } from 'vitest';
import { formatAmount, formatBps, formatToken, parseAmount } from './amount';

describe('parseAmount', () => {
  it('reads whole and fractional amounts at 9 decimals ($IO)', () => {
    expect(parseAmount('100', 9)).toEqual({ ok: true, value: 100_000_000_000n });
    expect(parseAmount('99.5', 9)).toEqual({ ok: true, value: 99_500_000_000n });
    expect(parseAmount('.25', 9)).toEqual({ ok: true, value: 250_000_000n });
    expect(parseAmount(' 1,000.5 ', 9)).toEqual({ ok: true, value: 1_000_500_000_000n });
    expect(parseAmount('1,234,567', 6)).toEqual({ ok: true, value: 1_234_567_000_000n });
    // A decimal comma is refused, never read as a thousands separator (99,5 is not 995).
    expect(parseAmount('99,5', 9)).toEqual({ ok: false, error: 'Use a dot for decimals, like 99.5.' });
    expect(parseAmount('1,5', 9).ok).toBe(false);
    expect(parseAmount('10,00', 9).ok).toBe(false);
    expect(parseAmount('0.000000001', 9)).toEqual({ ok: true, value: 1n });
  });
  it('reads amounts at 6 decimals (USDC)', () => {
    expect(parseAmount('12.345678', 6)).toEqual({ ok: true, value: 12_345_678n });
    expect(parseAmount('1', 6)).toEqual({ ok: true, value: 1_000_000n });
  });
  it('refuses dust below the smallest unit instead of rounding it away', () => {
    const r = parseAmount('0.0000000001', 9);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/At most 9 decimal places/);
    expect(parseAmount('1.0000001', 6).ok).toBe(false);
  });
  it('refuses empty, zero and non-numbers with a message', () => {
    expect(parseAmount('', 9)).toEqual({ ok: false, error: 'Enter an amount.' });
    expect(parseAmount('0', 9)).toEqual({ ok: false, error: 'Enter an amount above 0.' });
    expect(parseAmount('abc', 9).ok).toBe(false);
    expect(parseAmount('-5', 9).ok).toBe(false);
    expect(parseAmount('1e3', 9).ok).toBe(false);
    expect(parseAmount('.', 9).ok).toBe(false);
  });
  it('keeps amounts beyond 2^53 base units exact', () => {
    expect(parseAmount('123456789.123456789', 9)).toEqual({ ok: true, value: 123_456_789_123_456_789n });
  });
});

describe('formatAmount', () => {
  it('formats base units with separators and no trailing zeros', () => {
    expect(formatAmount(1_234_500_000_000n, 9)).toBe('1,234.5');
    expect(formatAmount(1n, 9)).toBe('0.000000001');
    expect(formatAmount(0n, 6)).toBe('0');
    expect(formatAmount(12_345_678n, 6)).toBe('12.345678');
  });
  it('Max round-trips: the formatted balance parses back to the same base units', () => {
    for (const [v, d] of [
      [123_456_789_123_456_789n, 9],
      [1n, 9],
      [99_999_999n, 6],
      [100_000_000_000n, 9],
    ] as const) {
      const text = formatAmount(v, d, { group: false });
      expect(parseAmount(text, d)).toEqual({ ok: true, value: v });
    }
  });
  it('rounds down to the shown precision', () => {
    expect(formatAmount(1_999_999_999n, 9, { maxFraction: 2 })).toBe('1.99');
    expect(formatToken(1n, 9, 'IO')).toBe('< 0.0001 IO');
    expect(formatToken(100_000_000_000n, 9, 'IO')).toBe('100 IO');
  });
  it('formats basis points as percent', () => {
    expect(formatBps(850)).toBe('8.5%');
    expect(formatBps(1000)).toBe('10%');
    expect(formatBps(5)).toBe('0.05%');
  });
});
