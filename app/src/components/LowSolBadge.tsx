import { useSolBalance } from '../api/chain';
import { formatSol } from '../lib/amount';
import { useWallet } from '../wallet/WalletProvider';

/// Below this a wallet cannot pay for a few transactions plus a new account's rent (a position
/// or token account costs about 0.002 SOL): warn before a write fails for it.
const LOW_LAMPORTS = 10_000_000n;

/// "Low SOL" beside the wallet when the connected account may not cover fees and rent.
export function LowSolBadge() {
  const { account } = useWallet();
  const sol = useSolBalance(account?.address);
  if (!account || sol.data === undefined || sol.data >= LOW_LAMPORTS) return null;
  return (
    <span className="badge warn" title="Transactions pay network fees and account rent in SOL">
      Low SOL: {formatSol(sol.data)}
    </span>
  );
}
