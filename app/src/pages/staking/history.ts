import type { History } from '../../api/rows';
import { toChartNumber, formatAmount, formatBps } from '../../lib/amount';
import type { Series, SeriesPoint } from '../../components/SeriesChart';

// The history series the staking pages chart: which value of a point holds which figure, and
// how each is shown. Keys are the indexer's (part B1's /history endpoints).

export const RANGES = [
  { label: '7 days', days: 7, bucket: 'hour' as const },
  { label: '30 days', days: 30, bucket: 'day' as const },
  { label: '90 days', days: 90, bucket: 'day' as const },
];

export function ioSeries(key: string, label: string, decimals: number): Series {
  return {
    key,
    label,
    toNumber: (v) => toChartNumber(v, decimals),
    format: (v) => `${formatAmount(v, decimals, { maxFraction: 2 })} IO`,
  };
}

export function bpsSeries(key: string, label: string): Series {
  return { key, label, toNumber: (v) => Number(v) / 100, format: (v) => formatBps(v) };
}

export function countSeries(key: string, label: string): Series {
  return { key, label, toNumber: (v) => Number(v), format: (v) => v.toString() };
}

/// The points of `h` that carry at least one of `keys` (series a page charts together).
export function pointsWith(h: History | undefined, keys: string[]): SeriesPoint[] {
  if (!h) return [];
  return h.points.filter((p) => keys.some((k) => p.values[k] !== undefined));
}
