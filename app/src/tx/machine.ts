// The one state machine every write goes through (button and toast show it):
// idle → validating → simulating → awaiting-signature → sending → confirming →
// confirmed | failed | rejected | expired. "confirmed" carries whether the indexer has reached
// the transaction's slot yet ("indexing…").

export type Phase =
  | 'idle'
  | 'validating'
  | 'simulating'
  | 'awaiting-signature'
  | 'sending'
  | 'confirming'
  | 'confirmed'
  | 'failed'
  | 'rejected'
  | 'expired';

export type TxState =
  | { phase: 'idle' }
  | { phase: 'validating' }
  | { phase: 'simulating' }
  | { phase: 'awaiting-signature' }
  | { phase: 'sending'; signature?: string }
  | { phase: 'confirming'; signature: string }
  | { phase: 'confirmed'; signature: string; slot: number; indexing: boolean }
  | { phase: 'failed'; message: string; signature?: string; stage: Phase }
  | { phase: 'rejected'; message: string }
  | { phase: 'expired'; message: string; signature?: string };

const NEXT: Record<Phase, readonly Phase[]> = {
  idle: ['validating'],
  validating: ['simulating', 'failed'],
  simulating: ['awaiting-signature', 'failed', 'expired'],
  'awaiting-signature': ['sending', 'failed', 'rejected', 'expired'],
  sending: ['sending', 'confirming', 'failed', 'expired'],
  confirming: ['confirmed', 'failed', 'expired'],
  confirmed: ['confirmed', 'idle', 'validating'],
  failed: ['idle', 'validating'],
  rejected: ['idle', 'validating'],
  expired: ['idle', 'validating'],
};

/// The next state, refusing a transition the machine does not have (a bug, never user input).
export function advance(from: TxState, to: TxState): TxState {
  if (!NEXT[from.phase].includes(to.phase)) throw new Error(`illegal transaction transition ${from.phase} → ${to.phase}`);
  return to;
}

export const isBusy = (s: TxState): boolean =>
  s.phase === 'validating' ||
  s.phase === 'simulating' ||
  s.phase === 'awaiting-signature' ||
  s.phase === 'sending' ||
  s.phase === 'confirming' ||
  (s.phase === 'confirmed' && s.indexing);

export const isFinal = (s: TxState): boolean =>
  s.phase === 'failed' || s.phase === 'rejected' || s.phase === 'expired' || (s.phase === 'confirmed' && !s.indexing);

/// What the button and the toast say in each state.
export function describe(s: TxState, label: string): string {
  switch (s.phase) {
    case 'idle':
      return label;
    case 'validating':
      return 'Checking…';
    case 'simulating':
      return 'Simulating…';
    case 'awaiting-signature':
      return 'Approve in your wallet…';
    case 'sending':
      return 'Sending…';
    case 'confirming':
      return 'Confirming…';
    case 'confirmed':
      return s.indexing ? 'Confirmed · indexing…' : 'Confirmed';
    case 'failed':
    case 'rejected':
    case 'expired':
      return s.message;
  }
}
