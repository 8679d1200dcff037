// Reads from the indexer for the overview and compute pages, through the app's indexer client
// (api/client.ts: lossless amounts, IndexerError) and its config's indexer URL; every key starts
// with 'indexer' so a confirmed, indexed transaction refreshes these views too.
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { getJson, IndexerError, type Envelope } from '../../api/client';
import { INDEXER_KEY, useChainTime } from '../../api/hooks';
import { useConfig } from '../../config';

export { IndexerError };
export type { Envelope };

/// GET a path of the indexer (its query string included) without reshaping the data: the rows
/// these pages read are typed in ./types.ts and read through ./units.ts.
export function indexerGet<T>(base: string, path: string, signal?: AbortSignal): Promise<Envelope<T>> {
  return getJson<T>(base, path, {}, (d) => d as T, signal);
}

/// One indexer read keyed by its path; `null` waits (nothing to ask yet).
/// `opts.refreshAfterWrites: false` keeps the read out of the refresh every confirmed write
/// triggers (a quote: after the lease opens, its devices are leased and the same quote is a 400).
export function useIndexer<T>(
  path: string | null,
  opts: { refetchInterval?: number; refreshAfterWrites?: boolean } = {},
): UseQueryResult<Envelope<T>, Error> {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: opts.refreshAfterWrites === false ? ['pre-action', path] : [INDEXER_KEY, 'compute', path],
    queryFn: ({ signal }) => indexerGet<T>(indexerUrl, path!, signal),
    enabled: path !== null,
    refetchInterval: opts.refetchInterval,
    // A 4xx is the request's fault: asking again gives the same answer.
    retry: (n, e) => !(e instanceof IndexerError && e.status >= 400 && e.status < 500) && n < 1,
  });
}

/// Chain time ("now" for countdowns): the shell's `/health` chain time; while an indexer does
/// not serve it there, the block time of its indexed slot from `/status`.
export function useChainNow(): number | null {
  const health = useChainTime();
  const status = useIndexer<{ indexed_block_time: number | null }>(health === null ? '/status' : null, {
    refetchInterval: 3_000,
  });
  return health ?? status.data?.data.indexed_block_time ?? null;
}
