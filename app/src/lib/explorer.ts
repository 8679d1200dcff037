import type { Cluster } from '../config';

/// The Solana explorer's page for a transaction. On a local network the explorer reads the
/// node the app uses (its absolute address: the explorer runs in another origin).
export function explorerTxUrl(signature: string, cluster: Cluster, rpcUrl: string, base = 'https://explorer.solana.com'): string {
  const url = new URL(`/tx/${signature}`, base);
  if (cluster === 'localnet') {
    url.searchParams.set('cluster', 'custom');
    url.searchParams.set('customUrl', rpcUrl);
  } else if (cluster === 'devnet') {
    url.searchParams.set('cluster', 'devnet');
  }
  return url.toString();
}

/// The Solana explorer's page for an account (same cluster rules as a transaction's).
export function explorerAddressUrl(address: string, cluster: Cluster, rpcUrl: string, base = 'https://explorer.solana.com'): string {
  const url = new URL(explorerTxUrl('x', cluster, rpcUrl, base));
  url.pathname = `/address/${address}`;
  return url.toString();
}
