import { describe, expect, it } from 'vitest';
import { big, parseJsonLossless } from './json';

describe('parseJsonLossless', () => {
  it('keeps integers beyond 2^53 exact', () => {
    const v = parseJsonLossless('{"a": 1000000000000000001, "b": 42, "c": -12345678901234567, "d": 1.5}') as Record<string, unknown>;
    expect(v.a).toBe('1000000000000000001');
    expect(big(v.a)).toBe(1_000_000_000_000_000_001n);
    expect(v.b).toBe(42);
    expect(v.c).toBe('-12345678901234567');
    expect(v.d).toBe(1.5);
  });
  it('leaves numbers inside strings alone, escapes included', () => {
    const v = parseJsonLossless('{"s": "x\\" 12345678901234567890", "n": [1, 2]}') as Record<string, unknown>;
    expect(v.s).toBe('x" 12345678901234567890');
    expect(v.n).toEqual([1, 2]);
  });
  it('big refuses what is not an integer', () => {
    expect(() => big(1.5)).toThrow();
    expect(() => big('abc')).toThrow();
    expect(big(null)).toBeNull();
  });
});
