// Durations and dates for countdowns. "Now" is always chain time passed in by the caller (the
// indexer's indexed block time), never the browser's clock: the tests move the chain's clock.

/// "3 d 4 h", "2 h 5 min", "45 s"; "now" at or below zero.
export function showDuration(seconds: number): string {
  if (seconds <= 0) return 'now';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/// A unix timestamp (seconds) as a UTC date and time, "2026-11-29 14:00 UTC".
export function showTimestamp(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts) || ts <= 0) return '—';
  const iso = new Date(ts * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/// Attested seconds as hours with one decimal ("1.5 h").
export function showHours(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const tenths = Math.floor((seconds * 10) / 3600);
  return `${Math.floor(tenths / 10)}.${tenths % 10} h`;
}
