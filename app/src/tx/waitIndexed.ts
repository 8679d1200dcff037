import { indexer } from '../api/indexer';

// After a confirmation, wait until the indexer has indexed the transaction's slot: from then on
// the positions and balances it serves include it. Polls /status (always 200), not
// /v1/transactions/{sig}: a 404 there until the transaction lands would be logged by the browser
// as an error on every poll.

export async function waitIndexed(
  base: string,
  slot: number,
  opts: { pollMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const poll = opts.pollMs ?? 400;
  for (;;) {
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
