// Token amounts: bigint base units everywhere; text only at the edges (what the user types, what
// the page shows). No floats touch a balance.

export type ParsedAmount = { ok: true; value: bigint } | { ok: false; error: string };

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;
const THOUSANDS = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

/// Parses what a user typed ("100", "99.5", ".25", "1,000.5") into base units of a mint with
/// `decimals` decimals. More fractional digits than the mint has is refused rather than rounded:
/// silently dropping dust would sign for a different amount than the one typed.
export function parseAmount(text: string, decimals: number): ParsedAmount {
  const trimmed = text.trim().replace(/[_\s]/g, '');
  if (trimmed === '') return { ok: false, error: 'Enter an amount.' };
  // A comma is taken only as a thousands separator in whole groups of three ("1,000.5"). Any other
  // comma ("99,5" from a comma-decimal keyboard) is refused: read as a separator it would sign for
  // ten times the amount meant.
  if (trimmed.includes(',') && !THOUSANDS.test(trimmed)) {
    return { ok: false, error: 'Use a dot for decimals, like 99.5.' };
  }
  const t = trimmed.replace(/,/g, '');
  const m = DECIMAL.exec(t);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return { ok: false, error: 'Enter a number, like 100 or 99.5.' };
  const whole = m[1] || '0';
  const frac = m[2] ?? '';
  if (frac.length > decimals) {
    return {
      ok: false,
      error:
        decimals === 0
          ? 'This token has no decimal places.'
          : `At most ${decimals} decimal places (the smallest unit is ${formatAmount(1n, decimals)}).`,
    };
  }
  const value = BigInt(whole) * 10n ** BigInt(decimals) + BigInt((frac || '0').padEnd(decimals, '0'));
  if (value === 0n) return { ok: false, error: 'Enter an amount above 0.' };
  return { ok: true, value };
}

export type FormatOptions = {
  /// Most fractional digits shown (rounded down: never show more than is there). Default: all.
  maxFraction?: number;
  /// Thousands separators (default true). Off for text put back into an input (Max).
  group?: boolean;
};

/// Base units as a decimal string: trailing zeros of the fraction dropped, rounded down to
/// `maxFraction` digits.
export function formatAmount(value: bigint, decimals: number, opts: FormatOptions = {}): string {
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  let frac = decimals > 0 ? (abs % scale).toString().padStart(decimals, '0') : '';
  if (opts.maxFraction !== undefined) frac = frac.slice(0, opts.maxFraction);
  frac = frac.replace(/0+$/, '');
  const w = opts.group === false ? whole.toString() : groupThousands(whole.toString());
  return `${neg ? '-' : ''}${w}${frac ? `.${frac}` : ''}`;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/// Display form with the token symbol, 4 fractional digits at most ("1,234.5 IO").
export function formatToken(value: bigint, decimals: number, symbol: string, maxFraction = 4): string {
  const s = formatAmount(value, decimals, { maxFraction });
  // A positive amount below the shown precision is not zero: say so.
  if (s === '0' && value > 0n) return `< ${formatAmount(1n, maxFraction)} ${symbol}`;
  return `${s} ${symbol}`;
}

/// A base-unit amount as a plain number of tokens, for chart axes only (charts need numbers;
/// precision beyond 15 digits does not matter to a pixel). Never used for a balance or a check.
export function toChartNumber(value: bigint, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  return Number(value / scale) + Number(value % scale) / Number(scale);
}

/// Basis points as a percentage string ("8.5%").
export function formatBps(bps: number | bigint): string {
  const b = BigInt(bps);
  const whole = b / 100n;
  const frac = (b % 100n).toString().padStart(2, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}%`;
}

/// Lamports as SOL, up to 6 decimals (rounded down), for fee and rent messages.
export function formatSol(lamports: bigint): string {
  return formatAmount(lamports, 9, { maxFraction: 6, group: false });
}
