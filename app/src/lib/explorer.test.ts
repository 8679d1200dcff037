import { describe, expect, it } from 'vitest';
import { explorerTxUrl } from './explorer';

describe('explorer links', () => {
  it('points a local network at its own node', () => {
    const u = new URL(explorerTxUrl('SIG', 'localnet', 'http://127.0.0.1:5173/rpc'));
    expect(u.pathname).toBe('/tx/SIG');
    expect(u.searchParams.get('cluster')).toBe('custom');
    expect(u.searchParams.get('customUrl')).toBe('http://127.0.0.1:5173/rpc');
  });
  it('names devnet and leaves mainnet plain', () => {
    expect(explorerTxUrl('S', 'devnet', 'x')).toBe('https://explorer.solana.com/tx/S?cluster=devnet');
    expect(explorerTxUrl('S', 'mainnet', 'x')).toBe('https://explorer.solana.com/tx/S');
  });
});
