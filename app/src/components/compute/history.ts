// Chart rows from the indexer's history series (`/v1/network/history`: `{points: [{t, …}],
// bucket}`): each plotted value in whole tokens or as a count, and the exact base-unit figure kept
// beside it for the table view.
import type { ChartRow } from './ChartPanel';
import { chartNumber, formatUnits, toBase } from './units';

export interface HistoryData {
  bucket?: 'hour' | 'day';
  points: Record<string, unknown>[];
}

/// The first of `names` a point carries (the series' field names as the indexer spells them).
function field(p: Record<string, unknown>, names: string[]): unknown {
  for (const n of names) if (p[n] !== undefined && p[n] !== null) return p[n];
  return null;
}

export interface SeriesSpec {
  key: string;
  names: string[];
  /// Token decimals, or null for a count.
  decimals: number | null;
}

/// One chart row per point, and an exact-figure lookup for the table.
export function historyRows(h: HistoryData, specs: SeriesSpec[]): { rows: ChartRow[]; exact: Map<string, string> } {
  const exact = new Map<string, string>();
  const rows = h.points
    .map((p) => {
      const t = Number(p.t);
      const row: ChartRow = { t };
      for (const s of specs) {
        const raw = field(p, s.names);
        const b = toBase(raw);
        row[s.key] = s.decimals === null ? (b === null ? null : Number(b)) : chartNumber(raw, s.decimals);
        exact.set(`${t}:${s.key}`, b === null ? '—' : formatUnits(b, s.decimals ?? 0, s.decimals === null ? 0 : 2));
      }
      return row;
    })
    .filter((r) => Number.isFinite(r.t))
    .sort((a, b) => a.t - b.t);
  return { rows, exact };
}

/// Day buckets of amounts from dated rows (e.g. `/v1/burns` rows): `{t, total, …by key}` in base
/// units, oldest first.
export function dailySums<T>(
  items: T[],
  time: (x: T) => number | null,
  amount: (x: T) => bigint | null,
  key: (x: T) => string,
): { t: number; sums: Map<string, bigint> }[] {
  const days = new Map<number, Map<string, bigint>>();
  for (const x of items) {
    const ts = time(x);
    const a = amount(x);
    if (ts === null || a === null) continue;
    const day = Math.floor(ts / 86400) * 86400;
    const m = days.get(day) ?? new Map<string, bigint>();
    m.set(key(x), (m.get(key(x)) ?? 0n) + a);
    m.set('total', (m.get('total') ?? 0n) + a);
    days.set(day, m);
  }
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([t, sums]) => ({ t, sums }));
}
