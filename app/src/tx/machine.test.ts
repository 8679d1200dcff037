import { describe, expect, it } from 'vitest';
import { advance, describe as say, isBusy, isFinal, type TxState } from './machine';

describe('transaction state machine', () => {
  it('walks the happy path', () => {
    let s: TxState = { phase: 'idle' };
    for (const next of [
      { phase: 'validating' },
      { phase: 'simulating' },
      { phase: 'awaiting-signature' },
      { phase: 'sending', signature: 'S' },
      { phase: 'confirming', signature: 'S' },
      { phase: 'confirmed', signature: 'S', slot: 5, indexing: true },
      { phase: 'confirmed', signature: 'S', slot: 5, indexing: false },
    ] as TxState[]) {
      s = advance(s, next);
    }
    expect(isFinal(s)).toBe(true);
    expect(say(s, 'Stake')).toBe('Confirmed');
  });
  it('ends in failed, rejected or expired from the stages that can', () => {
    expect(advance({ phase: 'validating' }, { phase: 'failed', message: 'm', stage: 'validating' }).phase).toBe('failed');
    expect(advance({ phase: 'awaiting-signature' }, { phase: 'rejected', message: 'c' }).phase).toBe('rejected');
    expect(advance({ phase: 'confirming', signature: 'S' }, { phase: 'expired', message: 'e' }).phase).toBe('expired');
  });
  it('refuses transitions the machine does not have', () => {
    expect(() => advance({ phase: 'idle' }, { phase: 'awaiting-signature' })).toThrow(/illegal/);
    expect(() => advance({ phase: 'validating' }, { phase: 'rejected', message: 'c' })).toThrow(/illegal/);
    expect(() => advance({ phase: 'simulating' }, { phase: 'confirmed', signature: 'S', slot: 1, indexing: false })).toThrow();
  });
  it('is busy until indexed', () => {
    expect(isBusy({ phase: 'confirmed', signature: 'S', slot: 1, indexing: true })).toBe(true);
    expect(isBusy({ phase: 'confirmed', signature: 'S', slot: 1, indexing: false })).toBe(false);
    expect(say({ phase: 'confirmed', signature: 'S', slot: 1, indexing: true }, 'x')).toBe('Confirmed · indexing…');
  });
});
