import type { UiWallet } from '@wallet-standard/react';
import type { Cluster } from '../config';

// The Wallet Standard feature names the app uses, and which wallets it lists.

export const CONNECT = 'standard:connect';
export const DISCONNECT = 'standard:disconnect';
export const SIGN_TRANSACTION = 'solana:signTransaction';
export const SIGN_AND_SEND = 'solana:signAndSendTransaction';

/// Wallets that can sign Solana transactions. Not filtered by chain: real wallets list
/// solana:mainnet/devnet/testnet only, yet sign a local network's transactions fine, because
/// the app sends them through its own RPC (signTransaction).
export function isSolanaWallet(w: UiWallet): boolean {
  return w.features.includes(SIGN_TRANSACTION) || w.features.includes(SIGN_AND_SEND);
}

/// The Wallet Standard chain id of a cluster.
export function chainId(cluster: Cluster): `solana:${string}` {
  return `solana:${cluster}`;
}
