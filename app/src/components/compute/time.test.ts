import { describe, expect, it } from 'vitest';
import { showDuration, showHours, showTimestamp } from './time';

describe('compute time display', () => {
  it('says now at or past zero', () => {
    expect(showDuration(0)).toBe('now');
    expect(showDuration(-5)).toBe('now');
    expect(showDuration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
  });
  it('shows unset timestamps as a dash', () => {
    expect(showTimestamp(0)).toBe('—');
    expect(showTimestamp(null)).toBe('—');
    expect(showTimestamp(1795954701)).toMatch(/^2026-11-2\d \d\d:\d\d UTC$/);
  });
  it('cuts attested seconds to tenths of hours', () => {
    expect(showHours(4471)).toBe('1.2 h');
    expect(showHours(3599)).toBe('0.9 h');
    expect(showHours(null)).toBe('—');
  });
});
