// Reads from the indexer for the overview and compute pages. The browser talks to the indexer
// same-origin through the `/api` proxy (scripts/serve.mjs, vite.config.ts). Kept in one place so
// that switching to the shell's indexer client (app/src/api/) is one edit.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Envelope } from './types';

export const INDEXER_BASE = '/api';

/// An indexer error response: `{ error: { parameter, message } }` with its HTTP status.
export class IndexerError extends Error {
  readonly status: number;
  readonly parameter: string | null;
  constructor(status: number, message: string, parameter: string | null) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }
}

export async function indexerGet<T>(path: string, signal?: AbortSignal): Promise<Envelope<T>> {
  let res: Response;
  try {
    res = await fetch(`${INDEXER_BASE}${path}`, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new IndexerError(0, 'The indexer cannot be reached.', null);
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (body as { error?: { message?: string; parameter?: string | null } } | null)?.error;
    throw new IndexerError(res.status, err?.message ?? `The indexer answered ${res.status}.`, err?.parameter ?? null);
  }
  return body as Envelope<T>;
}

/// One indexer read through TanStack Query, keyed by its path; `null` waits (nothing to ask yet).
export function useIndexer<T>(
  path: string | null,
  opts: { refetchInterval?: number } = {},
): UseQueryResult<Envelope<T>, Error> {
  return useQuery({
    queryKey: ['indexer', path],
    queryFn: ({ signal }) => indexerGet<T>(path!, signal),
    enabled: path !== null,
    staleTime: 15_000,
    refetchInterval: opts.refetchInterval,
    // A 4xx is the request's fault: asking again gives the same answer.
    retry: (n, e) => !(e instanceof IndexerError && e.status >= 400 && e.status < 500) && n < 2,
  });
}

interface StatusData {
  indexed_block_time: number | null;
  chain_time?: number | null;
}

/// Chain time ("now" for countdowns), from the indexer: the block time of the slot it has
/// indexed (never the browser's clock: the tests move the chain's clock). Null until known.
export function useChainNow(): number | null {
  const q = useIndexer<StatusData>('/status', { refetchInterval: 5_000 });
  const d = q.data?.data;
  return d?.chain_time ?? d?.indexed_block_time ?? null;
}
