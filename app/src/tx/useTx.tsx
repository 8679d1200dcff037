import { useCallback, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { useConfig } from '../config';
import { explorerTxUrl } from '../lib/explorer';
import { useWallet } from '../wallet/WalletProvider';
import { INDEXER_KEY } from '../api/hooks';
import { explain } from './explain';
import { describe, isBusy, type TxState } from './machine';
import { runTx, type TxRequest } from './runTx';
import { useRpc } from './rpc';
import { waitIndexed } from './waitIndexed';

// The hook pages use: run a TxRequest through runTx with the connected wallet, mirror its state
// into one toast (phase, then the signature with an explorer link), and refresh every indexer
// query once the indexer has the transaction.

let seq = 0;

export function useTx() {
  const config = useConfig();
  const rpc = useRpc();
  const { signer } = useWallet();
  const qc = useQueryClient();
  const [state, setState] = useState<TxState>({ phase: 'idle' });
  const running = useRef(false);

  const run = useCallback(
    async (req: TxRequest): Promise<TxState> => {
      if (!signer) {
        const s: TxState = { phase: 'failed', stage: 'validating', message: 'Connect a wallet first.' };
        setState(s);
        return s;
      }
      if (running.current) return state;
      running.current = true;
      // The toast opens once the request passed local validation: a validation message shows
      // inline beside the form, not as a toast.
      const id = `tx-${++seq}`;
      try {
        return await runTx(req, {
          rpc,
          signer,
          explain,
          waitIndexed: (_sig, slot) => waitIndexed(config.indexerUrl, slot),
          onState: (s) => {
            setState(s);
            if (s.phase !== 'validating' && !(s.phase === 'failed' && s.stage === 'validating')) showToast(id, s, req.label, config);
            if (s.phase === 'confirmed' && !s.indexing) void qc.invalidateQueries({ queryKey: [INDEXER_KEY] });
            if (s.phase === 'confirmed') void qc.invalidateQueries({ queryKey: ['rpc'] });
          },
        });
      } finally {
        running.current = false;
      }
    },
    [signer, rpc, config, qc, state],
  );

  const reset = useCallback(() => setState({ phase: 'idle' }), []);
  return { state, run, reset, busy: isBusy(state) };
}

function showToast(id: string | number, s: TxState, label: string, config: ReturnType<typeof useConfig>) {
  const text = describe(s, label);
  const sig = 'signature' in s ? s.signature : undefined;
  const link = sig ? (
    <a href={explorerTxUrl(sig, config.cluster, config.explorerRpc ?? config.rpcUrl)} target="_blank" rel="noreferrer">
      View {sig.slice(0, 8)}… in the explorer
    </a>
  ) : undefined;
  const opts = { id, description: link };
  switch (s.phase) {
    case 'confirmed':
      if (s.indexing) toast.loading(`${label}: confirmed · indexing…`, { ...opts, duration: Infinity });
      else toast.success(`${label}: confirmed`, { ...opts, duration: 8000 });
      return;
    case 'rejected':
      toast.info(text, { ...opts, duration: 5000 });
      return;
    case 'expired':
      toast.warning(text, { ...opts, duration: 8000 });
      return;
    case 'failed':
      toast.error(`${label}: ${text}`, { ...opts, duration: 10000 });
      return;
    default:
      toast.loading(`${label}: ${text}`, { ...opts, duration: Infinity });
  }
}
