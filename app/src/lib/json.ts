// The indexer serves u64 amounts as JSON numbers; an $IO amount in base units passes 2^53 at
// about 9 million $IO, where JSON.parse would silently round it. This parser keeps every
// integer literal too long to be exact as a string, and readers turn them into bigints.

/// Integers with more digits than this may not be exact as a double (2^53 has 16 digits).
const SAFE_DIGITS = 15;

/// JSON.parse, except integers longer than 15 digits come back as strings.
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      // Copy the string literal verbatim, honouring escapes.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < n && /[0-9eE.+-]/.test(text[j])) j++;
      const num = text.slice(i, j);
      const digits = num.replace(/^-/, '');
      out += /^\d+$/.test(digits) && digits.length > SAFE_DIGITS ? `"${num}"` : num;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}

/// A u64/i64 field of an indexer row (number, digit string, or null) as a bigint.
export function big(v: unknown): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`expected an integer, got ${v}`);
    return BigInt(v);
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new Error(`expected an integer, got ${JSON.stringify(v)}`);
}

/// `big`, with null read as 0 where the figure is a sum that starts at nothing.
export function big0(v: unknown): bigint {
  return big(v) ?? 0n;
}

/// A small integer field (counts, bps, timestamps) as a number, or null.
export function int(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const b = big(v)!;
  return Number(b);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
