import { describe, expect, it } from 'vitest';
import { leaseShortfall, parseQuote } from './quote';
import { formatUnits } from './units';

// Two devices, 2 hours, USDC at 4.8 + 0.8 USDC/h: 11.2 USDC escrow, 2 % fee 0.224 (the demo lease).
// The shape of indexer/src/api/quote.rs `Quote`.
const usdc = {
  currency: 'usdc',
  payment_mint: 'USDC',
  hours: 2,
  fee_bps: 200,
  devices: [
    { device: 'D1', operator: 'O1', offer: 'F1', price_per_hour: 4_800_000, escrow: 9_600_000 },
    { device: 'D2', operator: 'O2', offer: 'F2', price_per_hour: 800_000, escrow: 1_600_000 },
  ],
  rate_per_hour: 5_600_000,
  escrow: 11_200_000,
  fee: 224_000,
  total: 11_424_000,
};

describe('parseQuote', () => {
  it('reads escrow, fee and total', () => {
    const q = parseQuote(usdc)!;
    expect(q.total).toBe(11_424_000n);
    expect(q.fee).toBe(224_000n);
    expect(q.devices[1].ratePerHour).toBe(800_000n);
    expect(q.devices[1].offer).toBe('F2');
    expect(q.paymentMint).toBe('USDC');
  });
  it('accepts an $IO quote with no fee', () => {
    const q = parseQuote({
      currency: 'io',
      hours: 1,
      fee_bps: 0,
      devices: [{ device: 'D1', offer: 'F1', price_per_hour: 1_920_000_000, escrow: 1_920_000_000 }],
      escrow: 1_920_000_000,
      fee: 0,
      total: 1_920_000_000,
    })!;
    expect(q.fee).toBe(0n);
    expect(q.total).toBe(1_920_000_000n);
  });
  it('refuses a quote whose lines do not add up, or that lacks a figure', () => {
    expect(parseQuote({ ...usdc, total: 11_424_001 })).toBeNull();
    expect(parseQuote({ ...usdc, fee: undefined })).toBeNull();
    expect(parseQuote({ ...usdc, devices: usdc.devices.slice(0, 1) })).toBeNull();
    expect(parseQuote({ ...usdc, currency: 'eur' })).toBeNull();
    expect(parseQuote(null)).toBeNull();
  });
});

describe('leaseShortfall', () => {
  const quote = parseQuote(usdc)!;
  const base = { quote, decimals: 6, symbol: 'USDC', lamportsNeeded: 3_000_000n, format: formatUnits };
  it('names the missing currency amount before SOL', () => {
    expect(leaseShortfall({ ...base, balance: 10_000_000n, lamports: 0n })).toBe(
      'The lease needs 11.424 USDC; you have 10 USDC.',
    );
    expect(leaseShortfall({ ...base, balance: null, lamports: 0n })).toMatch(/no USDC account/);
  });
  it('then SOL for fees and rent', () => {
    expect(leaseShortfall({ ...base, balance: 20_000_000n, lamports: 1_000_000n })).toBe(
      'Add ≈0.002 SOL for the transaction fee and the lease account\'s rent.',
    );
    expect(leaseShortfall({ ...base, balance: 20_000_000n, lamports: 5_000_000n })).toBeNull();
  });
});
