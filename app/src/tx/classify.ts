// What went wrong with a transaction, in the user's words. Three failures are not errors of the
// user's request: a wallet rejection (neutral "cancelled"), an expired blockhash ("try again"),
// and a network problem ("retry"); a program error is explained from the IDLs' error table.

export type ProgramErrorText = { name: string; message: string };
export type Explain = (programAddress: string, code: number) => ProgramErrorText | undefined;

/// WalletStandardError 4001000, EIP-1193-style code 4001, or wording that says the user said no.
export function isRejection(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return typeof e === 'string' && REJECT.test(e);
  const x = e as { code?: unknown; context?: { __code?: unknown }; message?: unknown; name?: unknown; cause?: unknown };
  if (x.code === 4001 || x.code === 4001000 || x.context?.__code === 4001000) return true;
  if (typeof x.message === 'string' && REJECT.test(x.message)) return true;
  if (typeof x.name === 'string' && /UserRejected/i.test(x.name)) return true;
  return x.cause !== undefined && x.cause !== e && isRejection(x.cause);
}
const REJECT = /reject|denied|declined|cancell?ed by (the )?user/i;

/// The blockhash the transaction carries is no longer valid (too slow to sign or to land).
export function isExpiry(e: unknown): boolean {
  const text = errorText(e);
  return /BlockhashNotFound|blockhash not found|block height exceeded|BLOCK_HEIGHT_EXCEEDED/i.test(text);
}

/// Network or node trouble (fetch failed, HTTP 5xx, timeouts): retrying may work.
export function isNetwork(e: unknown): boolean {
  return /Failed to fetch|NetworkError|fetch failed|ECONNREFUSED|HTTP error \(5\d\d\)|timed? ?out/i.test(errorText(e));
}

export function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (typeof e !== 'object' || e === null) return String(e);
  const x = e as { message?: unknown; context?: unknown; cause?: unknown };
  let s = typeof x.message === 'string' ? x.message : '';
  try {
    if (x.context) s += ` ${JSON.stringify(x.context, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
  } catch {
    // A context that does not serialize adds nothing.
  }
  if (x.cause && x.cause !== e) s += ` ${errorText(x.cause)}`;
  return s;
}

/// A transaction error as the node reports it (`{InstructionError: [index, {Custom: code}]}`;
/// numbers may arrive as bigints from kit) → the failing instruction and custom code.
export function customError(err: unknown): { index: number; code: number } | null {
  if (typeof err !== 'object' || err === null) return null;
  const ie = (err as { InstructionError?: unknown }).InstructionError;
  if (!Array.isArray(ie) || ie.length < 2) return null;
  const custom = (ie[1] as { Custom?: unknown } | null)?.Custom;
  if (custom === undefined || custom === null) return null;
  return { index: Number(ie[0]), code: Number(custom) };
}

/// The message for a failed simulation or transaction: the program's own text when the failing
/// instruction is one of ours, else the node's error with the last log lines.
export function explainTxError(err: unknown, programs: readonly string[], explain: Explain, logs: readonly string[] = []): string {
  const c = customError(err);
  if (c) {
    const program = programs[c.index];
    const text = program ? explain(program, c.code) : undefined;
    if (text) return text.message;
    return `The transaction failed with program error ${c.code} (0x${c.code.toString(16)}).`;
  }
  if (isExpiry(err)) return EXPIRED;
  const name = typeof err === 'string' ? err : JSON.stringify(err, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  if (/InsufficientFundsForFee|InsufficientFundsForRent/.test(name)) return 'Not enough SOL for the network fee and account rent.';
  const tail = logs.filter((l) => /failed|error/i.test(l)).slice(-1)[0];
  return `The transaction would fail: ${name}${tail ? ` (${tail})` : ''}.`;
}

export const EXPIRED = 'Signing took too long and the transaction expired — try again.';
export const CANCELLED = 'Request cancelled in the wallet. Nothing was sent.';
export const NETWORK = 'Network problem — check the connection and retry.';
