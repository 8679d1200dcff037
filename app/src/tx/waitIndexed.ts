import { IndexerError } from '../api/client';
import { indexer } from '../api/indexer';

// After a confirmation, wait until the indexer has the transaction: then the positions and
// balances it serves include it. A transaction of our programs appears at
// /v1/transactions/{sig}; any other is covered once /health's indexed slot reaches its slot.

export async function waitIndexed(
  base: string,
  signature: string,
  slot: number,
  opts: { pollMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const poll = opts.pollMs ?? 400;
  for (;;) {
    try {
      await indexer.transaction(base, signature, opts.signal);
      return;
    } catch (e) {
      if (!(e instanceof IndexerError) || e.status !== 404) {
        // Not a "not yet": fall back to the indexed slot.
      }
    }
    try {
      const h = await indexer.health(base, opts.signal);
      if (h.indexedSlot >= slot) return;
    } catch {
      // The indexer is down: keep trying until the deadline.
    }
    if (Date.now() > deadline) throw new Error('the indexer has not reached the transaction yet');
    await new Promise((r) => setTimeout(r, poll));
  }
}
