import { createContext, useContext } from 'react';
import { createSolanaRpc, type Rpc, type SolanaRpcApi } from '@solana/kit';

// The JSON-RPC client over the config's rpcUrl (same-origin /rpc through the serve proxy).

export const RpcContext = createContext<Rpc<SolanaRpcApi> | null>(null);

export function makeRpc(url: string): Rpc<SolanaRpcApi> {
  return createSolanaRpc(url);
}

export function useRpc(): Rpc<SolanaRpcApi> {
  const r = useContext(RpcContext);
  if (!r) throw new Error('useRpc outside RpcContext');
  return r;
}
