import {
  getSolanaErrorFromTransactionError,
  SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM,
  SolanaError,
} from '@solana/kit';
import { describe, expect, test } from 'vitest';
import { PROGRAM_ADDRESSES } from '../generated/programAddresses';
import { IDLS } from './idls.test-helper';
import { customErrorOf, explainProgramError, explainTransactionError } from './programErrors';

const staking = PROGRAM_ADDRESSES.io_staking;
const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

describe('explainProgramError', () => {
  test("io_staking's below-minimum error has its name and the program's sentence", () => {
    expect(explainProgramError(staking, 6010)).toEqual({
      name: 'BelowMinimumStake',
      message: 'a stake position must be at least the minimum stake',
    });
  });

  test('the same code means something else in another program', () => {
    expect(explainProgramError(PROGRAM_ADDRESSES.io_escrow, 6010)?.name).not.toBe('BelowMinimumStake');
  });

  test("Anchor's account checks and SPL Token errors in io-sdk's plain words", () => {
    expect(explainProgramError(staking, 2006)).toEqual({
      name: 'ConstraintSeeds',
      message: "an account is not the one expected here (another wallet's operator, position or lease?)",
    });
    expect(explainProgramError(TOKEN_PROGRAM, 1)).toEqual({
      name: 'InsufficientFunds',
      message: 'not enough tokens in the account',
    });
  });

  test('unknown codes and programs have no text (the caller shows its generic message)', () => {
    expect(explainProgramError(staking, 6999)).toBeUndefined();
    expect(explainProgramError('11111111111111111111111111111111', 6010)).toBeUndefined();
  });

  test("every error in every IDL is in the table with the IDL's name and #[msg]", () => {
    expect(Object.keys(IDLS).sort()).toEqual(['io_escrow', 'io_oracle', 'io_staking', 'io_token']);
    for (const idl of Object.values(IDLS)) {
      expect(idl.errors?.length).toBeGreaterThan(0);
      for (const e of idl.errors ?? []) {
        expect(explainProgramError(idl.address, e.code), `${idl.metadata.name} ${e.code}`).toEqual({
          name: e.name,
          message: e.msg,
        });
      }
    }
  });
});

describe('customErrorOf / explainTransactionError', () => {
  const programs = [PROGRAM_ADDRESSES.io_token, staking];

  test('a transaction error as JSON-RPC returns it', () => {
    const err = { InstructionError: [1, { Custom: 6010 }] };
    expect(customErrorOf(err)).toEqual({ index: 1, code: 6010 });
    expect(explainTransactionError(err, programs)?.name).toBe('BelowMinimumStake');
  });

  test("kit's SolanaError, also when wrapped as the cause of another error", () => {
    const err = getSolanaErrorFromTransactionError({ InstructionError: [1, { Custom: 6010 }] });
    expect(customErrorOf(err)).toEqual({ index: 1, code: 6010 });
    const direct = new SolanaError(SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, { code: 6014, index: 1 });
    const wrapped = new Error('simulation failed', { cause: direct });
    expect(explainTransactionError(wrapped, programs)).toEqual({
      name: 'CooldownNotElapsed',
      message: explainProgramError(staking, 6014)!.message,
    });
  });

  test('the failing instruction picks the program: index 0 is io_token here', () => {
    const err = { InstructionError: [0, { Custom: 6000 }] };
    expect(explainTransactionError(err, programs)).toEqual(explainProgramError(PROGRAM_ADDRESSES.io_token, 6000));
    expect(explainTransactionError(err, programs)).not.toEqual(explainProgramError(staking, 6000));
  });

  test('other failures are not program errors', () => {
    expect(customErrorOf({ InstructionError: [0, 'InvalidArgument'] })).toBeUndefined();
    expect(customErrorOf('AccountNotFound')).toBeUndefined();
    expect(customErrorOf(new Error('User rejected the request'))).toBeUndefined();
    expect(explainTransactionError({ InstructionError: [5, { Custom: 6010 }] }, programs)).toBeUndefined();
  });
});
