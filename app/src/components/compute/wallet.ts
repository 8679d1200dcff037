// The connected wallet's address for the compute pages (the shell's wallet context).
import { useWallet } from '../../wallet/WalletProvider';

export function useConnectedAddress(): string | null {
  return useWallet().account?.address ?? null;
}
