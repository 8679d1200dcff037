// What the compute pages need to write to io_escrow: the RPC, the program address from the
// run-time config, and the connected renter; plus the chain reads an action depends on.
import { useQuery } from '@tanstack/react-query';
import { address } from '@solana/kit';
import { RPC_KEY } from '../../api/chain';
import { useConfig } from '../../config';
import { useRpc } from '../../tx/rpc';
import { useWallet } from '../../wallet/WalletProvider';
import { openLeaseRent, readEscrowTerms, readLease, type EscrowEnv } from './escrowTx';

/// The write environment, or null while no wallet is connected.
export function useEscrowEnv(): EscrowEnv | null {
  const rpc = useRpc();
  const { programs } = useConfig();
  const { account } = useWallet();
  return account ? { rpc, program: address(programs.io_escrow), renter: account.address } : null;
}

export function useOpenLeaseRent() {
  const rpc = useRpc();
  return useQuery({ queryKey: [RPC_KEY, 'lease-rent'], queryFn: () => openLeaseRent(rpc), staleTime: Infinity });
}

/// io_escrow's fee rates and grace period, from its config account.
export function useEscrowTerms() {
  const rpc = useRpc();
  const { programs } = useConfig();
  return useQuery({
    queryKey: [RPC_KEY, 'escrow-terms', programs.io_escrow],
    queryFn: () => readEscrowTerms(rpc, address(programs.io_escrow)),
    staleTime: 60_000,
  });
}

/// The lease account on chain (its offers, max hours), refreshed after every confirmed write.
export function useChainLease(lease: string) {
  const rpc = useRpc();
  return useQuery({ queryKey: [RPC_KEY, 'lease', lease], queryFn: () => readLease(rpc, lease) });
}
