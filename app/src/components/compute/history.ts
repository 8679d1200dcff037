// Series points for the app's SeriesChart from the indexer's history (`/v1/network/history`:
// `{points: [{t, …}], bucket}`) and from dated rows (burns per day).
import type { SeriesPoint } from '../SeriesChart';
import { toBase } from './units';

export interface HistoryData {
  bucket?: 'hour' | 'day';
  points: Record<string, unknown>[];
}

export interface SeriesSpec {
  key: string;
  /// The field names the series may carry in a point (the first present is read).
  names: string[];
}

/// One chart point per history point, values in base units (or counts), oldest first; a series
/// a point lacks is null (shown as a gap and "—"), never zero.
export function historyPoints(h: HistoryData, specs: SeriesSpec[]): SeriesPoint[] {
  return h.points
    .map((p) => {
      const values: Record<string, bigint | null> = {};
      for (const s of specs) {
        const name = s.names.find((n) => p[n] !== undefined && p[n] !== null);
        values[s.key] = name === undefined ? null : toBase(p[name]);
      }
      return { t: Number(p.t), values };
    })
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t);
}

/// Day buckets (UTC) of amounts from dated rows (e.g. `/v1/burns`): a point per day with the sum
/// per key and `total`, oldest first. Rows without a time or amount are left out.
export function dailySums<T>(
  items: T[],
  time: (x: T) => number | null,
  amount: (x: T) => bigint | null,
  key: (x: T) => string,
  keys: string[],
): SeriesPoint[] {
  const days = new Map<number, Record<string, bigint | null>>();
  for (const x of items) {
    const ts = time(x);
    const a = amount(x);
    if (ts === null || a === null) continue;
    const day = Math.floor(ts / 86400) * 86400;
    const v = days.get(day) ?? Object.fromEntries([...keys, 'total'].map((k) => [k, 0n]));
    v[key(x)] = (v[key(x)] ?? 0n) + a;
    v.total = (v.total ?? 0n) + a;
    days.set(day, v);
  }
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([t, values]) => ({ t, values }));
}
