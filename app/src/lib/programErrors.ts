// The app's one source of plain-language program error text. The table is generated
// (src/generated/programErrors.ts) from idl/errors.json, which io-sdk's error table writes, so
// the app, the CLI and the indexer say the same sentence for the same code. The Codama clients'
// own messages cannot serve: they are stripped from production builds.
import { isSolanaError, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM } from '@solana/kit';
import { PROGRAM_ERRORS } from '../generated/programErrors';

export type ProgramErrorText = { name: string; message: string };

/** What custom error `code` means when the program at `programAddress` raised it. */
export function explainProgramError(programAddress: string, code: number): ProgramErrorText | undefined {
  const row = PROGRAM_ERRORS.get(programAddress)?.get(code);
  return row && { name: row[0], message: row[1] };
}

/** A custom program error and the index of the instruction that raised it. */
export type CustomError = { index: number; code: number };

/**
 * The custom error inside `err`: a kit `SolanaError` (its cause chain is searched, since kit wraps
 * a preflight failure around the instruction error) or a transaction error as JSON-RPC returns it
 * (`{"InstructionError":[1,{"Custom":6010}]}`, e.g. `simulateTransaction`'s `value.err`).
 */
export function customErrorOf(err: unknown): CustomError | undefined {
  for (let e: unknown = err, depth = 0; e != null && depth < 8; depth++) {
    if (isSolanaError(e, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) {
      return { index: e.context.index, code: e.context.code };
    }
    const pair = (e as { InstructionError?: unknown }).InstructionError;
    if (Array.isArray(pair) && typeof pair[0] === 'number') {
      const custom = (pair[1] as { Custom?: unknown } | undefined)?.Custom;
      if (typeof custom === 'number' || typeof custom === 'bigint') return { index: pair[0], code: Number(custom) };
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The plain-language reason a transaction failed, when a program refused it with a custom code:
 * `programs[i]` is the program address of the transaction's instruction `i` (the same instruction
 * list the app sent), which picks the table.
 */
export function explainTransactionError(err: unknown, programs: readonly string[]): ProgramErrorText | undefined {
  const custom = customErrorOf(err);
  const program = custom && programs[custom.index];
  return program === undefined ? undefined : explainProgramError(program, custom!.code);
}
