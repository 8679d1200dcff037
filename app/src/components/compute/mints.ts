// The payment mints (address, decimals) from the run-time config (`/config.json`, written by
// scripts/serve.mjs from the local network's manifest). Read here until the shell's config
// context (app/src/config.ts) is merged; then this becomes a call to it.
import { useQuery } from '@tanstack/react-query';
import type { Currency } from './quote';

export interface Mint {
  address: string;
  decimals: number;
}
export interface Mints {
  io: Mint;
  usdc: Mint;
}

export const SYMBOL: Record<Currency, string> = { usdc: 'USDC', io: 'IO' };

export function useMints(): Mints | null {
  const q = useQuery({
    queryKey: ['config.json'],
    queryFn: async () => {
      const res = await fetch('/config.json');
      if (!res.ok) throw new Error(`config.json: ${res.status}`);
      return (await res.json()) as { mints: Mints };
    },
    staleTime: Infinity,
  });
  return q.data?.mints ?? null;
}

/// Which currency a lease's payment mint is, or null for another mint.
export function currencyOf(mints: Mints, mint: string | null): Currency | null {
  if (mint === mints.usdc.address) return 'usdc';
  if (mint === mints.io.address) return 'io';
  return null;
}
