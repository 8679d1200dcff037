// What a renter's lease holds and has used, from the indexer's lease row (which mirrors the
// io_escrow Lease account). Only sums and differences of the program's own ledgers: the program's
// invariant `held = deposit − paid − fees − refunded` (Lease::held), nothing re-derived.
import type { LeaseDetail, LeaseDeviceRow, LeaseRow } from './types';
import { showTimestamp } from './time';
import { toBase } from './units';

export interface LeaseLedger {
  deposit: bigint;
  paid: bigint;
  fees: bigint;
  refunded: bigint;
  /// Still in the lease's vault: what future settlements may pay, the rest refunded at the end.
  held: bigint;
}

export function ledger(l: LeaseRow): LeaseLedger {
  const deposit = toBase(l.deposit) ?? 0n;
  const paid = toBase(l.paid) ?? 0n;
  const fees = toBase(l.fees) ?? 0n;
  const refunded = toBase(l.refunded) ?? 0n;
  return { deposit, paid, fees, refunded, held: deposit - paid - fees - refunded };
}

/// Seconds left of an open lease at chain time `now`; 0 once ended.
export function secondsLeft(l: LeaseRow, now: number): number {
  if (l.status !== 'open' || l.end_ts === null) return 0;
  return Math.max(0, l.end_ts - now);
}

/// Seconds a device has been leased for at `now` (from start to min(now, end)).
export function secondsElapsed(l: LeaseRow, now: number): number {
  if (l.start_ts === null || l.end_ts === null) return 0;
  return Math.max(0, Math.min(now, l.end_ts) - l.start_ts);
}

export interface DeviceUsage {
  device: string;
  attestedSeconds: number;
  /// Seconds of the lease elapsed that no attestation covers (yet): downtime is never paid.
  unattestedSeconds: number;
  paid: bigint;
  ratePerHour: bigint;
}

/// Attested usage per device against the elapsed lease time at chain time `now`.
export function deviceUsage(l: LeaseDetail, now: number): DeviceUsage[] {
  const elapsed = secondsElapsed(l, now);
  return l.devices.map((d: LeaseDeviceRow) => {
    const attested = d.attested_seconds ?? 0;
    return {
      device: d.device,
      attestedSeconds: attested,
      unattestedSeconds: Math.max(0, elapsed - attested),
      paid: toBase(d.paid) ?? 0n,
      ratePerHour: toBase(d.rate_per_hour) ?? 0n,
    };
  });
}

/// Why each renter action is not possible at chain time `now` (null: allowed), by io_escrow's
/// rules: `top_up_lease` needs an open lease before its end; `close_lease` an open lease;
/// `finalize_lease` (anyone) a lease not yet closed, once its end plus the settlement grace
/// period has passed.
export function renterActions(
  l: LeaseRow,
  now: number,
  graceSecs: number | null,
): { topUp: string | null; close: string | null; finalize: string | null } {
  const ended = l.end_ts !== null && now >= l.end_ts;
  const topUp =
    l.status !== 'open' ? `The lease is ${l.status ?? 'not open'}.` : ended ? 'The lease time is over.' : null;
  const close = l.status !== 'open' ? `The lease is ${l.status ?? 'not open'}.` : null;
  let finalize: string | null = null;
  if (l.status === 'closed') finalize = 'The lease is already finalized.';
  else if (l.end_ts === null || graceSecs === null) finalize = 'The settlement grace period is not known.';
  else if (now < l.end_ts + graceSecs)
    finalize = `Settlements may still arrive until ${showTimestamp(l.end_ts + graceSecs)}.`;
  return { topUp, close, finalize };
}

/// What a top-up of `hours` deposits, for the balance check before the wallet opens: io_escrow's
/// `math::deposit_total` — `Σ rate × hours` plus the fee reserve `⌈that × fee_bps / 10,000⌉`.
/// (The opening's figure comes from the indexer's quote; a top-up has no quote endpoint, and the
/// program, not this figure, decides what is charged.)
export function topUpCost(ratesPerHour: bigint[], hours: number, feeBps: number): bigint {
  const base = ratesPerHour.reduce((a, r) => a + r, 0n) * BigInt(hours);
  const fee = (base * BigInt(feeBps) + 9_999n) / 10_000n;
  return base + fee;
}
