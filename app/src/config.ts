import { createContext, useContext } from 'react';
import { PROGRAM_ADDRESSES, programIdMismatches } from './generated/programAddresses';

// The run-time configuration the app fetches from /config.json (written by scripts/serve.mjs
// from the local network's manifest, or by whoever deploys the app): one build serves any
// cluster.

export type Cluster = 'localnet' | 'devnet' | 'mainnet';

export type MintConfig = { address: string; decimals: number };

export type AppConfig = {
  cluster: Cluster;
  /// JSON-RPC address; relative ("/rpc") means same-origin through the serve proxy.
  rpcUrl: string;
  wsUrl?: string;
  /// Indexer REST base ("/api").
  indexerUrl: string;
  /// The node the explorer should read (localnet); defaults to the absolute rpcUrl.
  explorerRpc?: string;
  mints: { io: MintConfig; usdc: MintConfig };
  programs: { io_token: string; io_staking: string; io_escrow: string; io_oracle: string };
};

const CLUSTERS: readonly Cluster[] = ['localnet', 'devnet', 'mainnet'];

/// Checks the shape of a parsed config.json; a missing or mistyped field names itself.
export function parseConfig(raw: unknown, base: string): AppConfig {
  const o = obj(raw, 'config');
  const cluster = o.cluster;
  if (typeof cluster !== 'string' || !CLUSTERS.includes(cluster as Cluster)) {
    throw new Error(`config.json: cluster must be one of ${CLUSTERS.join(', ')}`);
  }
  const mints = obj(o.mints, 'mints');
  const programs = obj(o.programs, 'programs');
  const mint = (name: string): MintConfig => {
    const m = obj(mints[name], `mints.${name}`);
    return { address: text(m.address, `mints.${name}.address`), decimals: num(m.decimals, `mints.${name}.decimals`) };
  };
  const rpcUrl = absolute(text(o.rpcUrl, 'rpcUrl'), base);
  // The generated client derives PDAs from the ids it was generated for: a network running other
  // program ids would get transactions for the wrong accounts, so such a config is refused.
  const mismatched = programIdMismatches(programs as Record<string, string>);
  if (mismatched.length > 0) {
    throw new Error(
      `config.json: programs ${mismatched.join(', ')} differ from the ids this app was built for (${mismatched
        .map((n) => PROGRAM_ADDRESSES[n])
        .join(', ')}); regenerate the client (npm run gen) for that network`,
    );
  }
  return {
    cluster: cluster as Cluster,
    rpcUrl,
    wsUrl: o.wsUrl === undefined || o.wsUrl === null ? undefined : text(o.wsUrl, 'wsUrl'),
    indexerUrl: absolute(text(o.indexerUrl, 'indexerUrl'), base).replace(/\/$/, ''),
    explorerRpc: o.explorerRpc ? text(o.explorerRpc, 'explorerRpc') : rpcUrl,
    mints: { io: mint('io'), usdc: mint('usdc') },
    programs: {
      io_token: text(programs.io_token, 'programs.io_token'),
      io_staking: text(programs.io_staking, 'programs.io_staking'),
      io_escrow: text(programs.io_escrow, 'programs.io_escrow'),
      io_oracle: text(programs.io_oracle, 'programs.io_oracle'),
    },
  };
}

function obj(v: unknown, name: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null) throw new Error(`config.json: ${name} must be an object`);
  return v as Record<string, unknown>;
}
function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v === '') throw new Error(`config.json: ${name} must be a non-empty string`);
  return v;
}
function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`config.json: ${name} must be an integer`);
  return v;
}
/// "/rpc" → "http://host/rpc": kit's transport and the explorer link need absolute addresses.
function absolute(url: string, base: string): string {
  return new URL(url, base).toString().replace(/\/$/, '');
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  return parseConfig(await res.json(), window.location.href);
}

export const ConfigContext = createContext<AppConfig | null>(null);

export function useConfig(): AppConfig {
  const c = useContext(ConfigContext);
  if (!c) throw new Error('useConfig outside ConfigContext');
  return c;
}
