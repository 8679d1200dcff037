// The lease quote as the app shows it and signs for. The figures come from the indexer's
// `/v1/quote` (io-sdk's `quote_deposit`, the program's own `deposit_for`): nothing here computes
// a price; it reads the quote, names its lines and checks the wallet can pay it.
import { toBase } from './units';

export type Currency = 'usdc' | 'io';

export interface QuoteLine {
  device: string;
  ratePerHour: bigint;
  amount: bigint;
}

export interface Quote {
  currency: Currency;
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

function pick(o: Raw, ...names: string[]): unknown {
  for (const n of names) if (o[n] !== undefined) return o[n];
  return undefined;
}

/// The quote from `/v1/quote`'s `data`; null when it lacks a figure the app must show (escrow,
/// fee or total): a quote the app cannot explain is not signed for.
export function parseQuote(data: unknown): Quote | null {
  if (!data || typeof data !== 'object') return null;
  const o = data as Raw;
  const escrow = toBase(pick(o, 'escrow', 'base', 'escrow_amount'));
  const fee = toBase(pick(o, 'fee', 'protocol_fee', 'fee_reserve'));
  const total = toBase(pick(o, 'total', 'deposit', 'max_deposit'));
  const currency = pick(o, 'currency');
  if (escrow === null || fee === null || total === null) return null;
  if (currency !== 'usdc' && currency !== 'io') return null;
  if (escrow + fee !== total) return null;
  const rows = Array.isArray(o.devices) ? (o.devices as Raw[]) : [];
  return {
    currency,
    hours: Number(pick(o, 'hours') ?? 0),
    feeBps: Number(pick(o, 'fee_bps') ?? 0),
    devices: rows.map((d) => ({
      device: String(pick(d, 'device', 'address') ?? ''),
      ratePerHour: toBase(pick(d, 'rate_per_hour', 'price_per_hour', 'hourly_price')) ?? 0n,
      amount: toBase(pick(d, 'amount', 'escrow', 'base')) ?? 0n,
    })),
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
