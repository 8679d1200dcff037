import { describe, expect, it } from 'vitest';
import { customError, explainTxError, isExpiry, isRejection } from './classify';

describe('wallet rejection', () => {
  it('recognises the Wallet Standard code, code 4001 and rejection wording', () => {
    expect(isRejection({ code: 4001, message: 'User rejected the request.' })).toBe(true);
    expect(isRejection({ context: { __code: 4001000 }, message: 'x' })).toBe(true);
    expect(isRejection(new Error('Transaction was denied'))).toBe(true);
    expect(isRejection(new Error('wrapped', { cause: { code: 4001 } }))).toBe(true);
  });
  it('does not read other failures as a rejection', () => {
    expect(isRejection(new Error('Blockhash not found'))).toBe(false);
    expect(isRejection({ code: -32002, message: 'Transaction simulation failed' })).toBe(false);
    expect(isRejection(null)).toBe(false);
  });
});

describe('expiry', () => {
  it('recognises an expired blockhash', () => {
    expect(isExpiry(new Error('Blockhash not found'))).toBe(true);
    expect(isExpiry('BlockhashNotFound')).toBe(true);
    expect(isExpiry(new Error('custom program error: 0x1770'))).toBe(false);
  });
});

describe('program errors', () => {
  const staking = 'StakingProgram1111111111111111111111111111';
  const explain = (p: string, code: number) =>
    p === staking && code === 6003 ? { name: 'BelowMinimumStake', message: 'The minimum stake is 100 IO.' } : undefined;
  it('reads the failing instruction and custom code (numbers or bigints)', () => {
    expect(customError({ InstructionError: [1, { Custom: 6003 }] })).toEqual({ index: 1, code: 6003 });
    expect(customError({ InstructionError: [1n, { Custom: 6003n }] })).toEqual({ index: 1, code: 6003 });
    expect(customError('AccountNotFound')).toBeNull();
  });
  it("explains a program error with the program's own text", () => {
    expect(explainTxError({ InstructionError: [1, { Custom: 6003 }] }, ['ComputeBudget', staking], explain)).toBe(
      'The minimum stake is 100 IO.',
    );
  });
  it('names an unknown code in decimal and hex', () => {
    expect(explainTxError({ InstructionError: [0, { Custom: 6000 }] }, ['Other'], explain)).toMatch(/6000 \(0x1770\)/);
  });
  it('says "try again" for an expired blockhash and explains SOL shortfalls', () => {
    expect(explainTxError('BlockhashNotFound', [], explain)).toMatch(/try again/);
    expect(explainTxError('InsufficientFundsForFee', [], explain)).toMatch(/SOL/);
  });
});
