import { useQuery } from '@tanstack/react-query';
import { address, getBase64Encoder, type Rpc, type SolanaRpcApi } from '@solana/kit';
import { useRpc } from '../tx/rpc';

// Values read straight from the node before an action (balances, chain time): buttons never act
// on the indexer's possibly older view. Keys start with 'rpc' (useTx refreshes them on confirm).

export const RPC_KEY = 'rpc';
const CLOCK_SYSVAR = address('SysvarC1ock11111111111111111111111111111111');

export async function solBalance(rpc: Rpc<SolanaRpcApi>, owner: string): Promise<bigint> {
  const { value } = await rpc.getBalance(address(owner), { commitment: 'confirmed' }).send();
  return value;
}

/// The owner's balance of `mint` over all its token accounts, in base units.
export async function tokenBalance(rpc: Rpc<SolanaRpcApi>, owner: string, mint: string): Promise<bigint> {
  const { value } = await rpc
    .getTokenAccountsByOwner(address(owner), { mint: address(mint) }, { encoding: 'jsonParsed', commitment: 'confirmed' })
    .send();
  let total = 0n;
  for (const a of value) {
    const amount = (a.account.data as { parsed?: { info?: { tokenAmount?: { amount?: string } } } }).parsed?.info?.tokenAmount?.amount;
    if (amount) total += BigInt(amount);
  }
  return total;
}

/// The Clock sysvar's unix_timestamp (bytes 32..40, little-endian i64): the chain's "now".
export async function chainNow(rpc: Rpc<SolanaRpcApi>): Promise<number> {
  const { value } = await rpc.getAccountInfo(CLOCK_SYSVAR, { encoding: 'base64', commitment: 'confirmed' }).send();
  if (!value) throw new Error('the node has no Clock sysvar');
  const bytes = new Uint8Array(getBase64Encoder().encode(value.data[0]));
  return Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigInt64(32, true));
}

export function useSolBalance(owner: string | undefined) {
  const rpc = useRpc();
  return useQuery({ queryKey: [RPC_KEY, 'sol', owner], queryFn: () => solBalance(rpc, owner!), enabled: !!owner });
}

export function useTokenBalance(owner: string | undefined, mint: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: [RPC_KEY, 'token', owner, mint], queryFn: () => tokenBalance(rpc, owner!, mint), enabled: !!owner });
}
