// The payment mints (address, decimals) from the run-time config, and their symbols.
import { useConfig, type MintConfig } from '../../config';
import type { Currency } from './quote';

export type Mints = { io: MintConfig; usdc: MintConfig };

export const SYMBOL: Record<Currency, string> = { usdc: 'USDC', io: 'IO' };

export function useMints(): Mints {
  return useConfig().mints;
}

/// Which currency a lease's payment mint is, or null for another mint.
export function currencyOf(mints: Mints, mint: string | null): Currency | null {
  if (mint === mints.usdc.address) return 'usdc';
  if (mint === mints.io.address) return 'io';
  return null;
}
