// Countdowns and dates for the compute pages over the app's time formatters (lib/time.ts).
// "Now" is always chain time passed in by the caller, never the browser's clock.
import { formatDate, formatDuration } from '../../lib/time';

/// "3 d 4 h", "2 h 5 min"; "now" at or below zero.
export function showDuration(seconds: number): string {
  return seconds <= 0 ? 'now' : formatDuration(seconds);
}

/// A unix timestamp as a UTC date and time, or a dash when unset (0 or null).
export function showTimestamp(ts: number | null | undefined): string {
  return ts === null || ts === undefined || !Number.isFinite(ts) || ts <= 0 ? '—' : formatDate(ts);
}

/// Attested seconds as hours with one decimal ("1.5 h"), cut not rounded.
export function showHours(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const tenths = Math.floor((seconds * 10) / 3600);
  return `${Math.floor(tenths / 10)}.${tenths % 10} h`;
}
