import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { PROGRAM_ADDRESSES } from './generated/programAddresses';

const base = 'http://127.0.0.1:5173/';
const good = () => ({
  cluster: 'localnet',
  rpcUrl: '/rpc',
  indexerUrl: '/api',
  mints: { io: { address: 'HKsNmvSEWmJmWkGpzniQpjcTaFLVRXkZEoNr8MUtqFtL', decimals: 9 }, usdc: { address: '7SodgZ8JpNg479sWAY34KTwXub6cuEgWYK4YvEgfX24K', decimals: 6 } },
  programs: { ...PROGRAM_ADDRESSES } as Record<string, string>,
});

describe('parseConfig', () => {
  it('accepts the manifest-built config and makes the proxy paths absolute', () => {
    const c = parseConfig(good(), base);
    expect(c.rpcUrl).toBe('http://127.0.0.1:5173/rpc');
    expect(c.indexerUrl).toBe('http://127.0.0.1:5173/api');
  });
  it('names a missing field', () => {
    const { rpcUrl: _, ...rest } = good();
    expect(() => parseConfig(rest, base)).toThrow('config.json: rpcUrl must be a non-empty string');
  });
  it('refuses program ids other than those the client was generated for', () => {
    const c = good();
    c.programs.io_staking = c.programs.io_token;
    expect(() => parseConfig(c, base)).toThrow(/programs io_staking differ/);
  });
});
