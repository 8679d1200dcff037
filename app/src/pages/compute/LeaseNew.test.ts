import { describe, expect, it } from 'vitest';
import { hoursProblem } from './LeaseNew';
import { bondState } from './Provider';

describe('hoursProblem', () => {
  it('accepts whole hours from 1', () => {
    expect(hoursProblem('1')).toBeNull();
    expect(hoursProblem(' 24 ')).toBeNull();
  });
  it('names what is wrong', () => {
    expect(hoursProblem('0')).toBe('A lease lasts at least 1 hour.');
    expect(hoursProblem('1.5')).toMatch(/whole number/);
    expect(hoursProblem('')).toMatch(/whole number/);
    expect(hoursProblem('9000')).toMatch(/at most/);
  });
});

describe('bondState', () => {
  it('is sufficient at or above the requirement, else the shortfall', () => {
    expect(bondState(25n, 20n)).toBe('sufficient');
    expect(bondState(20n, 20n)).toBe('sufficient');
    expect(bondState(15n, 20n)).toBe(5n);
    expect(bondState(null, 20n)).toBe('unknown');
  });
});
