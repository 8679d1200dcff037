// Display of indexer figures for the overview and compute pages, over the app's one amount
// formatter (lib/amount.ts) and integer reader (lib/json.ts). Rows are read losslessly, so an
// amount is a number (exact below 2^53), a digit string (beyond it) or null; "not known" is
// shown as a dash, never as zero.
import { formatAmount, formatBps, toChartNumber } from '../../lib/amount';
import { big } from '../../lib/json';

/// A base-unit amount from an indexer field, or null when missing or not an integer.
export function toBase(v: unknown): bigint | null {
  try {
    return big(v);
  } catch {
    return null;
  }
}

/// `value` base units as a grouped decimal string, at most `maxFraction` fraction digits (cut,
/// never rounded up).
export function formatUnits(value: bigint, decimals: number, maxFraction = decimals): string {
  return formatAmount(value, decimals, { maxFraction });
}

/// A figure with its unit, or an em dash when the indexer does not know it.
export function showAmount(v: unknown, decimals: number, symbol: string, maxFraction = 2): string {
  const b = toBase(v);
  return b === null ? '—' : `${formatUnits(b, decimals, maxFraction)} ${symbol}`;
}

/// A plain count with thousands separators, or an em dash.
export function showCount(v: unknown): string {
  const b = toBase(v);
  return b === null ? '—' : formatAmount(b, 0);
}

/// Basis points as a percentage ("2%", "12.5%"), or an em dash.
export function showBps(v: unknown): string {
  const b = toBase(v);
  return b === null ? '—' : formatBps(b);
}

/// For charts only: a base-unit amount in whole tokens.
export function chartNumber(v: unknown, decimals: number): number | null {
  const b = toBase(v);
  return b === null ? null : toChartNumber(b, decimals);
}
