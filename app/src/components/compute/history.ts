// Series points for the app's SeriesChart from the indexer's history (`/v1/network/history`:
// `{bucket, from, to, points: [{t, …}]}`).
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

/// The points from the first bucket with any activity on: a young network's default 90-day
/// window is otherwise mostly a flat line at zero. A series that is all zero keeps its last point.
export function fromFirstActivity(points: SeriesPoint[]): SeriesPoint[] {
  const first = points.findIndex((p) => Object.values(p.values).some((v) => v !== null && v !== 0n));
  return first === -1 ? points.slice(-1) : points.slice(first);
}
