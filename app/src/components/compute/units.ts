// Money in base units: the indexer serves token amounts as JSON numbers (exact up to 2^53; the
// $IO supply figures above that arrive already rounded by JSON) or as decimal strings (u128
// figures). Everything here stays bigint; only `formatUnits` makes a display string.

/// A base-unit amount from an indexer field: a decimal string, an integer JSON number, or null.
/// Returns null for a missing figure, so "not known" is never shown as zero.
export function toBase(v: unknown): bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return /^-?[0-9]+$/.test(v) ? BigInt(v) : null;
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  return null;
}

/// `value` base units of a mint with `decimals` as a grouped decimal string, at most
/// `maxFraction` fraction digits (cut, not rounded: a balance is never shown larger than it is),
/// trailing zeros dropped.
export function formatUnits(value: bigint, decimals: number, maxFraction = decimals): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  let frac = (abs % scale).toString().padStart(decimals, '0').slice(0, Math.min(maxFraction, decimals));
  frac = frac.replace(/0+$/, '');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

/// A figure with its unit, or an em dash when the indexer does not know it.
export function showAmount(v: unknown, decimals: number, symbol: string, maxFraction = 2): string {
  const b = toBase(v);
  return b === null ? '—' : `${formatUnits(b, decimals, maxFraction)} ${symbol}`;
}

/// A plain count with thousands separators, or an em dash.
export function showCount(v: unknown): string {
  const b = toBase(v);
  return b === null ? '—' : formatUnits(b, 0);
}

/// Basis points as a percentage ("2 %", "12.5 %").
export function showBps(v: unknown): string {
  const b = toBase(v);
  return b === null ? '—' : `${formatUnits(b, 2)} %`;
}

/// A decimal amount typed by the user, in base units: null when it is not a plain non-negative
/// decimal or carries more fraction digits than the mint has.
export function parseUnits(text: string, decimals: number): bigint | null {
  const t = text.trim().replace(/,/g, '');
  const m = /^([0-9]*)(?:\.([0-9]*))?$/.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const frac = m[2] ?? '';
  if (frac.length > decimals) return null;
  return BigInt(m[1] || '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/// For charts only (recharts plots numbers): a base-unit amount in whole tokens. Never used for
/// a figure that is shown as text or compared.
export function chartNumber(v: unknown, decimals: number): number | null {
  const b = toBase(v);
  if (b === null) return null;
  const scale = 10n ** BigInt(decimals);
  // Whole part and three decimals exactly, then to a number: enough for a plotted line.
  return Number(b / scale) + Number(((b % scale) * 1000n) / scale) / 1000;
}
