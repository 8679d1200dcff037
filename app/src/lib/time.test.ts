import { describe, expect, it } from 'vitest';
import { countdown, formatDate, formatDuration } from './time';

describe('countdown from chain time', () => {
  const day = 86400;
  it('counts down to the unlock and reports progress through the cooldown', () => {
    const c = countdown(1_000_000 + 14 * day, 1_000_000 + 4 * day, 14 * day);
    expect(c.left).toBe(10 * day);
    expect(c.matured).toBe(false);
    expect(c.progress).toBeCloseTo(4 / 14);
  });
  it('is matured at and after the unlock time', () => {
    expect(countdown(500, 500, 100)).toEqual({ left: 0, matured: true, progress: 1 });
    expect(countdown(500, 900, 100).matured).toBe(true);
  });
  it('formats durations with the two largest units', () => {
    expect(formatDuration(3 * day + 4 * 3600 + 5)).toBe('3 d 4 h');
    expect(formatDuration(5 * 3600 + 12 * 60)).toBe('5 h 12 min');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(-5)).toBe('0 s');
  });
  it('formats dates in UTC', () => {
    expect(formatDate(0)).toBe('1970-01-01 00:00 UTC');
  });
});
