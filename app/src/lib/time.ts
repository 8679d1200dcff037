// Durations and dates for countdowns. "Now" is always passed in: it is chain time (the indexer's
// chain_time or the Clock sysvar), never the browser's clock, so a moved local clock shows.

/// "3 d 4 h", "5 h 12 min", "42 s" — the two largest units.
export function formatDuration(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return r > 0 ? `${m} min ${r} s` : `${m} min`;
  return `${r} s`;
}

/// A unix time (seconds) as a date and time in UTC, unambiguous whatever the viewer's zone.
export function formatDate(unixSecs: number): string {
  const iso = new Date(unixSecs * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export type Countdown = {
  /// Seconds left (0 when matured).
  left: number;
  matured: boolean;
  /// 0..1 of the cooldown elapsed (for a progress bar).
  progress: number;
};

/// Where a cooldown stands at chain time `now`, for a ticket unlocking at `unlockTs` after a
/// cooldown of `cooldownSecs`.
export function countdown(unlockTs: number, now: number, cooldownSecs: number): Countdown {
  const left = Math.max(0, unlockTs - now);
  const total = cooldownSecs > 0 ? cooldownSecs : Math.max(left, 1);
  const progress = Math.min(1, Math.max(0, 1 - left / total));
  return { left, matured: left === 0, progress };
}
