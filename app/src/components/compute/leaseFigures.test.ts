import { describe, expect, it } from 'vitest';
import { deviceUsage, ledger, renterActions, secondsLeft, topUpCost } from './leaseFigures';
import type { LeaseDetail } from './types';

// The demo lease as the indexer served it on the local network, after one settlement.
const lease: LeaseDetail = {
  address: 'A4HSCw5HkZZNSqcdxDLixkZkrvoSrfYT7uuuuUu3x3Az',
  renter: 'FopwBKLFQovHLbNvRNmdPQEHxZV2T8WetSWnV7VH1q5N',
  payment_mint: 'usdc',
  fee_bps: 200,
  hours: 2,
  start_ts: 1_000,
  end_ts: 8_200,
  deposit: 11_424_000,
  paid: 5_600_000,
  fees: 112_000,
  refunded: 0,
  device_count: 2,
  status: 'open',
  slot: 50,
  devices: [
    { device: 'D1', operator: 'O1', device_index: 0, rate_per_hour: 4_800_000, attested_seconds: 3_600, paid: 4_800_000 },
    { device: 'D2', operator: 'O2', device_index: 1, rate_per_hour: 800_000, attested_seconds: 3_600, paid: 800_000 },
  ],
  settlements: [],
};

describe('lease ledger', () => {
  it('holds deposit − paid − fees − refunded', () => {
    expect(ledger(lease)).toEqual({
      deposit: 11_424_000n,
      paid: 5_600_000n,
      fees: 112_000n,
      refunded: 0n,
      held: 5_712_000n,
    });
  });
  it('counts time left from chain time, zero when not open', () => {
    expect(secondsLeft(lease, 5_000)).toBe(3_200);
    expect(secondsLeft(lease, 9_000)).toBe(0);
    expect(secondsLeft({ ...lease, status: 'ended' }, 5_000)).toBe(0);
  });
  it('splits elapsed time into attested and unattested per device', () => {
    const u = deviceUsage(lease, 5_600);
    expect(u.map((d) => [d.device, d.attestedSeconds, d.unattestedSeconds, d.paid])).toEqual([
      ['D1', 3_600, 1_000, 4_800_000n],
      ['D2', 3_600, 1_000, 800_000n],
    ]);
  });
});

describe('renter actions', () => {
  it('allows top up and close while open, finalize only after end + grace', () => {
    const a = renterActions(lease, 5_000, 14_400);
    expect(a.topUp).toBeNull();
    expect(a.close).toBeNull();
    expect(a.finalize).toMatch(/Settlements may still arrive until/);
    const late = renterActions(lease, 8_200 + 14_400, 14_400);
    expect(late.topUp).toBe('The lease time is over.');
    expect(late.close).toBeNull();
    expect(late.finalize).toBeNull();
  });
  it('refuses everything on a closed lease', () => {
    const a = renterActions({ ...lease, status: 'closed' }, 99_999, 14_400);
    expect(a.topUp).toMatch(/closed/);
    expect(a.close).toMatch(/closed/);
    expect(a.finalize).toMatch(/already finalized/);
  });
});

describe('topUpCost', () => {
  it('is the deposit io_escrow takes: the demo lease opened for 11.424 USDC over 2 h at 4.8 + 0.8 USDC/h', () => {
    expect(topUpCost([4_800_000n, 800_000n], 2, 200)).toBe(11_424_000n);
  });
  it('rounds the fee reserve up, and takes none at 0 bps ($IO)', () => {
    expect(topUpCost([1n], 1, 200)).toBe(2n);
    expect(topUpCost([320_000_000n], 3, 0)).toBe(960_000_000n);
  });
});
