import { describe, expect, it } from 'vitest';
import { checkStake, checkUnstake, withdrawBlocker, type StakingParams } from './stakingRules';

const IO = 1_000_000_000n;
const p: StakingParams = { minStake: 100n * IO, cooldownSecs: 14 * 86400, decimals: 9 };

describe('stake checks', () => {
  it('refuses 99.5 $IO as a first stake with the minimum message', () => {
    const r = checkStake('99.5', p, 1000n * IO, 0n);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^Minimum stake is 100 IO/);
  });
  it('accepts 100 $IO, and any top-up of a position at the minimum', () => {
    expect(checkStake('100', p, 1000n * IO, 0n)).toEqual({ ok: true, amount: 100n * IO });
    expect(checkStake('0.5', p, 1000n * IO, 100n * IO)).toEqual({ ok: true, amount: IO / 2n });
  });
  it('says how much more a position below the minimum needs', () => {
    const r = checkStake('10', p, 1000n * IO, 50n * IO);
    expect(!r.ok && r.error).toMatch(/stake at least 50 IO more/);
  });
  it('refuses more than the balance, naming it', () => {
    const r = checkStake('200', p, 150n * IO, 0n);
    expect(!r.ok && r.error).toBe('Not enough $IO: you have 150 IO.');
  });
});

describe('unstake checks', () => {
  it('allows all or leaving at least the minimum', () => {
    expect(checkUnstake('150', p, 150n * IO, 0)).toEqual({ ok: true, amount: 150n * IO });
    expect(checkUnstake('50', p, 150n * IO, 0)).toEqual({ ok: true, amount: 50n * IO });
    const r = checkUnstake('60', p, 150n * IO, 0);
    expect(!r.ok && r.error).toMatch(/at most 50 IO/);
  });
  it('refuses more than staked and a fifth pending unstake', () => {
    expect(checkUnstake('151', p, 150n * IO, 0).ok).toBe(false);
    expect(checkUnstake('150', p, 150n * IO, 4).ok).toBe(false);
  });
});

describe('withdraw', () => {
  it('is possible once a ticket matured at chain time, with the time left otherwise', () => {
    expect(withdrawBlocker([1000], 1000)).toBeNull();
    expect(withdrawBlocker([1000 + 3 * 86400 + 4 * 3600], 1000)).toMatch(/^Available in 3 d 4 h \(1970-01-04 04:16 UTC\)/);
    expect(withdrawBlocker([], 1000)).toMatch(/Nothing to withdraw/);
    expect(withdrawBlocker([5], null)).toMatch(/chain time/);
  });
});
