import {
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  getBase58Decoder,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  type Base64EncodedWireTransaction,
  type Instruction,
  type Rpc,
  type Signature,
  type SolanaRpcApi,
  type TransactionSigner,
} from '@solana/kit';
import { formatSol } from '../lib/amount';
import type { WalletSigner } from '../wallet/signer';
import { CANCELLED, EXPIRED, NETWORK, errorText, explainTxError, isExpiry, isNetwork, isRejection, type Explain } from './classify';
import { advance, type TxState } from './machine';

// runTx: one write, start to end. Validate locally (no wallet prompt on bad input), build with
// the generated client, simulate (program errors in plain words, still no prompt), take a fresh
// blockhash, let the wallet sign, send through the app's RPC, confirm by polling until confirmed
// or the blockhash's last valid block height passes, then wait for the indexer to reach the
// transaction's slot so the views show the new state.

/// A fee payer's SOL must cover the base fee of one signature; rent for accounts a transaction
/// creates is added by the request (`rentLamports`).
export const FEE_LAMPORTS = 5000n;

export type TxRequest = {
  /// What the button says ("Stake").
  label: string;
  /// A message when the request cannot go ahead (checked before anything is built), else null.
  validate: () => Promise<string | null>;
  /// The instructions, with the wallet as a no-op signer (the wallet signs the bytes).
  build: (payer: TransactionSigner) => Promise<Instruction[]>;
  /// Lamports of rent the transaction may pay for accounts it creates (position, token account).
  rentLamports?: bigint;
};

export type TxDeps = {
  rpc: Rpc<SolanaRpcApi>;
  signer: WalletSigner;
  explain: Explain;
  /// Resolves once the indexer has the transaction (or has indexed past `slot`).
  waitIndexed: (signature: string, slot: number) => Promise<void>;
  onState: (s: TxState) => void;
  pollMs?: number;
  /// Gives up confirming after this long even if the node keeps answering "not yet".
  timeoutMs?: number;
};

export type TxResult = TxState;

export async function runTx(req: TxRequest, deps: TxDeps): Promise<TxResult> {
  let state: TxState = { phase: 'idle' };
  const go = (next: TxState): TxState => {
    state = advance(state, next);
    deps.onState(state);
    return state;
  };
  const { rpc, signer, explain } = deps;
  const poll = deps.pollMs ?? 500;

  // 1. Validate locally.
  go({ phase: 'validating' });
  try {
    const problem = await req.validate();
    if (problem) return go({ phase: 'failed', message: problem, stage: 'validating' });
    const payerAddr = address(signer.address);
    const { value: balance } = await rpc.getBalance(payerAddr, { commitment: 'confirmed' }).send();
    const need = FEE_LAMPORTS + (req.rentLamports ?? 0n);
    if (balance < need) {
      return go({
        phase: 'failed',
        stage: 'validating',
        message: `Not enough SOL for the network fee${req.rentLamports ? ' and account rent' : ''}: add about ${formatSol(need - balance)} SOL (you have ${formatSol(balance)}).`,
      });
    }
  } catch (e) {
    return go({ phase: 'failed', stage: 'validating', message: isNetwork(e) ? NETWORK : `Could not check the request: ${errorText(e)}` });
  }

  // 2. Build and simulate.
  go({ phase: 'simulating' });
  const payer = createNoopSigner(address(signer.address));
  let instructions: Instruction[];
  try {
    instructions = await req.build(payer);
  } catch (e) {
    return go({ phase: 'failed', stage: 'simulating', message: `Could not build the transaction: ${errorText(e)}` });
  }
  const programs = instructions.map((ix) => ix.programAddress as string);
  const compile = async () => {
    const { value: bh } = await rpc.getLatestBlockhash({ commitment: 'confirmed' }).send();
    const msg = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(bh, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
    );
    return { tx: compileTransaction(msg), lastValidBlockHeight: bh.lastValidBlockHeight };
  };
  try {
    const { tx } = await compile();
    const sim = await rpc
      .simulateTransaction(getBase64EncodedWireTransaction(tx), {
        encoding: 'base64',
        sigVerify: false,
        replaceRecentBlockhash: true,
        commitment: 'confirmed',
      })
      .send();
    if (sim.value.err) {
      return go({ phase: 'failed', stage: 'simulating', message: explainTxError(sim.value.err, programs, explain, sim.value.logs ?? []) });
    }
  } catch (e) {
    return go({ phase: 'failed', stage: 'simulating', message: isNetwork(e) ? NETWORK : `Simulation failed: ${errorText(e)}` });
  }

  // 3. Sign, with a blockhash taken right before the wallet opens.
  go({ phase: 'awaiting-signature' });
  // Set before `signed` turns true; read after the try only on paths where it did.
  let signature = '';
  let lastValidBlockHeight = 0n;
  // Whether the wallet has handed back a signed transaction (an error after that is a send error).
  let signed = false;
  try {
    const built = await compile();
    lastValidBlockHeight = built.lastValidBlockHeight;
    const bytes = new Uint8Array(getTransactionEncoder().encode(built.tx));
    if (signer.signTransaction) {
      const signedBytes = await signer.signTransaction(bytes);
      signed = true;
      const tx = getTransactionDecoder().decode(signedBytes);
      signature = getSignatureFromTransaction(tx);
      // 4. Send through the app's RPC (works on a local network whatever chains the wallet knows).
      go({ phase: 'sending', signature });
      await rpc
        .sendTransaction(getBase64EncodedWireTransaction(tx) as Base64EncodedWireTransaction, {
          encoding: 'base64',
          preflightCommitment: 'confirmed',
        })
        .send();
    } else if (signer.signAndSendTransaction) {
      const sigBytes = await signer.signAndSendTransaction(bytes);
      signed = true;
      signature = getBase58Decoder().decode(sigBytes);
      go({ phase: 'sending', signature });
    } else {
      return go({ phase: 'failed', stage: 'awaiting-signature', message: 'This wallet cannot sign Solana transactions for this network.' });
    }
  } catch (e) {
    // A rejection can only come from the wallet, before it hands back a signed transaction; a
    // send error that happens to say "denied" is a send error.
    if (!signed && isRejection(e)) return go({ phase: 'rejected', message: CANCELLED });
    if (isExpiry(e)) return go({ phase: 'expired', message: EXPIRED });
    if (!signed) {
      return go({ phase: 'failed', stage: 'awaiting-signature', message: `The wallet could not sign: ${errorText(e)}` });
    }
    // A network error after signing does not mean nothing was sent: the node may have the
    // transaction. "Try again" would sign a second one, so the signature is polled like any other.
    if (!isNetwork(e)) {
      return go({ phase: 'failed', stage: 'sending', message: explainSendError(e, programs, explain) });
    }
  }

  // 5. Confirm by polling; expiry is the block height passing the blockhash's last valid height.
  go({ phase: 'confirming', signature });
  const deadline = Date.now() + (deps.timeoutMs ?? 120_000);
  let slot: number | null = null;
  while (slot === null) {
    try {
      const { value } = await rpc.getSignatureStatuses([signature as Signature]).send();
      const st = value[0];
      if (st?.err) return go({ phase: 'failed', stage: 'confirming', signature, message: explainTxError(st.err, programs, explain) });
      if (st && (st.confirmationStatus === 'confirmed' || st.confirmationStatus === 'finalized')) {
        slot = Number(st.slot);
        break;
      }
      // Once the node has seen it (processed), it can still confirm whatever the block height.
      if (!st) {
        const height = await rpc.getBlockHeight({ commitment: 'confirmed' }).send();
        if (height > lastValidBlockHeight) {
          // Expired only if the node never saw it: it may have landed between the two reads.
          const { value: last } = await rpc
            .getSignatureStatuses([signature as Signature], { searchTransactionHistory: true })
            .send();
          if (last[0] === null) return go({ phase: 'expired', signature, message: EXPIRED });
        }
      }
    } catch (e) {
      if (Date.now() > deadline) return go({ phase: 'failed', stage: 'confirming', signature, message: NETWORK });
      // A failed poll is retried: the transaction may well land.
      void e;
    }
    if (Date.now() > deadline) {
      return go({ phase: 'failed', stage: 'confirming', signature, message: 'No confirmation yet — check the explorer before trying again.' });
    }
    await sleep(poll);
  }

  // 6. Indexing: the views change once the indexer has the transaction's slot.
  go({ phase: 'confirmed', signature, slot, indexing: true });
  try {
    await deps.waitIndexed(signature, slot);
  } catch {
    // The transaction is confirmed whatever the indexer does; the views refresh on their own.
  }
  return go({ phase: 'confirmed', signature, slot, indexing: false });
}

/// A send-time failure: the node's preflight carries the same error a simulation would.
function explainSendError(e: unknown, programs: readonly string[], explain: Explain): string {
  const ctx = (e as { context?: { err?: unknown; logs?: string[] }; cause?: { context?: { err?: unknown; logs?: string[] } } } | null) ?? {};
  const inner = ctx.context?.err ?? ctx.cause?.context?.err;
  if (inner) return explainTxError(inner, programs, explain, ctx.context?.logs ?? ctx.cause?.context?.logs ?? []);
  return `Sending failed: ${errorText(e)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
