// The lease quote as the app shows it and signs for. The figures come from the indexer's
// `/v1/quote` (io-sdk's `quote_deposit`, the program's own `deposit_for`): nothing here computes
// a price; it reads the quote, names its lines and checks the wallet can pay it.
import { toBase } from './units';

export type Currency = 'usdc' | 'io';

export interface QuoteLine {
  device: string;
  /// The device's offer account (a writable remaining account of `open_lease`).
  offer: string | null;
  ratePerHour: bigint;
  /// `ratePerHour × hours`: this device's part of the escrow.
  amount: bigint;
}

export interface Quote {
  currency: Currency;
  /// The payment mint `open_lease` takes.
  paymentMint: string | null;
  hours: number;
  feeBps: number;
  devices: QuoteLine[];
  /// Σ rate × hours: what the escrow pays providers at most.
  escrow: bigint;
  /// The protocol fee reserved with it (2 % rounded up for USDC, none for $IO).
  fee: bigint;
  /// What the renter deposits: escrow + fee; the transaction's `max_deposit`.
  total: bigint;
}

type Raw = Record<string, unknown>;

/// The quote from `/v1/quote`'s `data` (`{currency, payment_mint, hours, fee_bps, devices:
/// [{device, offer, price_per_hour, escrow}], escrow, fee, total, …}`); null when it lacks a
/// figure the app must show or its lines do not add up: a quote the app cannot explain is not
/// signed for.
export function parseQuote(data: unknown): Quote | null {
  if (!data || typeof data !== 'object') return null;
  const o = data as Raw;
  const escrow = toBase(o.escrow);
  const fee = toBase(o.fee);
  const total = toBase(o.total);
  const currency = o.currency;
  if (escrow === null || fee === null || total === null) return null;
  if (currency !== 'usdc' && currency !== 'io') return null;
  const rows = Array.isArray(o.devices) ? (o.devices as Raw[]) : [];
  const devices = rows.map((d) => ({
    device: String(d.device ?? ''),
    offer: typeof d.offer === 'string' ? d.offer : null,
    ratePerHour: toBase(d.price_per_hour) ?? 0n,
    amount: toBase(d.escrow) ?? 0n,
  }));
  if (escrow + fee !== total || devices.reduce((a, d) => a + d.amount, 0n) !== escrow) return null;
  return {
    currency,
    paymentMint: typeof o.payment_mint === 'string' ? o.payment_mint : null,
    hours: Number(o.hours ?? 0),
    feeBps: Number(o.fee_bps ?? 0),
    devices,
    escrow,
    fee,
    total,
  };
}

/// Local checks before the wallet is asked (no prompt on failure): the chosen currency covers the
/// total, and the wallet has SOL for the fee and the lease's rent. Returns the first problem.
export function leaseShortfall(args: {
  quote: Quote;
  balance: bigint | null;
  decimals: number;
  symbol: string;
  lamports: bigint | null;
  lamportsNeeded: bigint;
  format: (v: bigint, decimals: number) => string;
}): string | null {
  const { quote, balance, decimals, symbol, lamports, lamportsNeeded, format } = args;
  if (balance === null) return `You have no ${symbol} account; the lease needs ${format(quote.total, decimals)} ${symbol}.`;
  if (balance < quote.total)
    return `The lease needs ${format(quote.total, decimals)} ${symbol}; you have ${format(balance, decimals)} ${symbol}.`;
  if (lamports !== null && lamports < lamportsNeeded)
    return `Add ≈${format(lamportsNeeded - lamports, 9)} SOL for the transaction fee and the lease account's rent.`;
  return null;
}
