import { describe, expect, it } from 'vitest';
import {
  address,
  generateKeyPair,
  getAddressFromPublicKey,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
  type Instruction,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import { runTx, type TxRequest } from './runTx';
import type { TxState } from './machine';
import type { WalletSigner } from '../wallet/signer';

// runTx's control flow against a scripted node: which calls it makes in which state, and above
// all which it does NOT make (no wallet prompt on a bad request, nothing sent on a rejection).
// The real node, indexer and wallet are exercised by the browser tests (app/e2e).

const PROGRAM = address('9E8ZWAjooRqfBznKzwWoirqPAcCevsRLK8yXz4yDyMTK');
const BLOCKHASH = '4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi';

type Script = {
  balance?: bigint;
  simErr?: unknown;
  statuses?: Array<{ confirmationStatus: string; slot: bigint; err: unknown } | null>;
  blockHeight?: bigint;
  sendErr?: Error;
};

function fakeRpc(script: Script, calls: string[]): Rpc<SolanaRpcApi> {
  let statusIdx = 0;
  const reply = (name: string, value: unknown) => ({ send: async () => (calls.push(name), value) });
  return {
    getBalance: () => reply('getBalance', { value: script.balance ?? 10_000_000n }),
    getLatestBlockhash: () => reply('getLatestBlockhash', { value: { blockhash: BLOCKHASH, lastValidBlockHeight: 100n } }),
    simulateTransaction: () => reply('simulateTransaction', { value: { err: script.simErr ?? null, logs: [] } }),
    sendTransaction: () =>
      script.sendErr
        ? { send: async () => (calls.push('sendTransaction'), Promise.reject(script.sendErr)) }
        : reply('sendTransaction', 'sig'),
    getSignatureStatuses: () => {
      const s = script.statuses?.[Math.min(statusIdx++, (script.statuses?.length ?? 1) - 1)] ?? null;
      return reply('getSignatureStatuses', { value: [s] });
    },
    getBlockHeight: () => reply('getBlockHeight', script.blockHeight ?? 50n),
  } as unknown as Rpc<SolanaRpcApi>;
}

async function wallet(mode: 'sign' | 'reject', calls: string[]): Promise<WalletSigner> {
  const kp = await generateKeyPair();
  const addr = await getAddressFromPublicKey(kp.publicKey);
  return {
    address: addr,
    signTransaction: async (bytes) => {
      calls.push('wallet.sign');
      if (mode === 'reject') throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
      const tx = getTransactionDecoder().decode(bytes);
      const signed = await partiallySignTransaction([kp], tx);
      return new Uint8Array(getTransactionEncoder().encode(signed));
    },
  };
}

const request = (problem: string | null = null): TxRequest => ({
  label: 'Stake',
  validate: async () => problem,
  build: async (payer) => [
    { programAddress: PROGRAM, accounts: [{ address: payer.address, role: 3 }], data: new Uint8Array([1, 2, 3]) } as Instruction,
  ],
});

async function run(req: TxRequest, script: Script, mode: 'sign' | 'reject' = 'sign') {
  const calls: string[] = [];
  const phases: string[] = [];
  const explain = (p: string, code: number) => (p === PROGRAM && code === 6003 ? { name: 'BelowMinimumStake', message: 'Minimum stake is 100 IO.' } : undefined);
  const result = await runTx(req, {
    rpc: fakeRpc(script, calls),
    signer: await wallet(mode, calls),
    explain,
    waitIndexed: async () => void calls.push('waitIndexed'),
    onState: (s: TxState) => phases.push(s.phase + ('indexing' in s && s.indexing ? '+indexing' : '')),
    pollMs: 1,
  });
  return { result, calls, phases };
}

describe('runTx', () => {
  it('confirms, then waits for the indexer', async () => {
    const { result, calls, phases } = await run(request(), {
      statuses: [null, { confirmationStatus: 'confirmed', slot: 77n, err: null }],
    });
    expect(phases).toEqual([
      'validating',
      'simulating',
      'awaiting-signature',
      'sending',
      'confirming',
      'confirmed+indexing',
      'confirmed',
    ]);
    expect(result).toMatchObject({ phase: 'confirmed', slot: 77, indexing: false });
    expect(calls.indexOf('wallet.sign')).toBeGreaterThan(calls.indexOf('simulateTransaction'));
    expect(calls).toContain('sendTransaction');
    expect(calls.at(-1)).toBe('waitIndexed');
  });
  it('stops at validation: no simulation, no wallet prompt', async () => {
    const { result, calls } = await run(request('Minimum stake is 100 IO.'), {});
    expect(result).toEqual({ phase: 'failed', stage: 'validating', message: 'Minimum stake is 100 IO.' });
    expect(calls).toEqual([]);
  });
  it('stops when SOL cannot pay the fee, saying how much to add', async () => {
    const { result, calls } = await run(request(), { balance: 1000n });
    expect(result.phase).toBe('failed');
    expect((result as { message: string }).message).toMatch(/add about 0\.000004 SOL/);
    expect(calls).not.toContain('wallet.sign');
  });
  it('explains a simulated program error without opening the wallet', async () => {
    const { result, calls } = await run(request(), { simErr: { InstructionError: [0, { Custom: 6003n }] } });
    expect(result).toMatchObject({ phase: 'failed', stage: 'simulating', message: 'Minimum stake is 100 IO.' });
    expect(calls).not.toContain('wallet.sign');
  });
  it('a wallet rejection is "cancelled" and sends nothing', async () => {
    const { result, calls } = await run(request(), {}, 'reject');
    expect(result).toMatchObject({ phase: 'rejected' });
    expect((result as { message: string }).message).toMatch(/cancelled/);
    expect(calls).toContain('wallet.sign');
    expect(calls).not.toContain('sendTransaction');
  });
  it('expires when the block height passes the last valid height', async () => {
    const { result } = await run(request(), { statuses: [null], blockHeight: 101n });
    expect(result).toMatchObject({ phase: 'expired' });
    expect((result as { message: string }).message).toMatch(/try again/);
  });
  it('does not call a transaction the node has seen expired: it may still confirm', async () => {
    const { result } = await run(request(), {
      statuses: [
        { confirmationStatus: 'processed', slot: 9n, err: null },
        { confirmationStatus: 'confirmed', slot: 9n, err: null },
      ],
      blockHeight: 101n,
    });
    expect(result).toMatchObject({ phase: 'confirmed', slot: 9 });
  });
  it('polls the signature after a network error on send instead of asking to try again', async () => {
    const { result, calls } = await run(request(), {
      sendErr: new TypeError('fetch failed'),
      statuses: [{ confirmationStatus: 'confirmed', slot: 12n, err: null }],
    });
    expect(result).toMatchObject({ phase: 'confirmed', slot: 12 });
    expect(calls.filter((c) => c === 'wallet.sign')).toHaveLength(1);
  });
  it('a send error that mentions "denied" is a failed send, not a wallet cancellation', async () => {
    const { result } = await run(request(), { sendErr: new Error('Program access denied') });
    expect(result).toMatchObject({ phase: 'failed', stage: 'sending' });
  });
  it('reports a transaction that landed but failed with its program error', async () => {
    const { result } = await run(request(), {
      statuses: [{ confirmationStatus: 'confirmed', slot: 9n, err: { InstructionError: [0, { Custom: 6003 }] } }],
    });
    expect(result).toMatchObject({ phase: 'failed', stage: 'confirming', message: 'Minimum stake is 100 IO.' });
  });
});
