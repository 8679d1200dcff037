import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useConfig } from '../config';
import { indexer, type HistoryParams, type OperatorsParams } from './indexer';

// TanStack Query hooks over the indexer. Every key starts with 'indexer' so one invalidation
// after a confirmed, indexed transaction refreshes every view.

export const INDEXER_KEY = 'indexer';

/// Health with the indexed slot and chain time; polled, as countdowns and the lag badge run on it.
export function useHealth() {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'health'],
    queryFn: ({ signal }) => indexer.health(indexerUrl, signal),
    refetchInterval: 3000,
    staleTime: 2000,
  });
}

/// Chain time (unix seconds) at the indexed slot, or null until known.
export function useChainTime(): number | null {
  return useHealth().data?.chainTime ?? null;
}

export function useOperators(p: OperatorsParams) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'operators', p],
    queryFn: ({ signal }) => indexer.operators(indexerUrl, p, signal),
    placeholderData: keepPreviousData,
  });
}

export function useOperator(address: string | undefined) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'operator', address],
    queryFn: ({ signal }) => indexer.operator(indexerUrl, address!, signal),
    enabled: !!address,
  });
}

export function useOperatorHistory(address: string | undefined, p: HistoryParams) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'operator-history', address, p],
    queryFn: ({ signal }) => indexer.operatorHistory(indexerUrl, address!, p, signal),
    enabled: !!address,
    retry: false,
  });
}

export function usePositions(wallet: string | undefined) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'positions', wallet],
    queryFn: ({ signal }) => indexer.positions(indexerUrl, wallet!, signal),
    enabled: !!wallet,
  });
}

export function useRewards(wallet: string | undefined, p: HistoryParams = {}) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: [INDEXER_KEY, 'rewards', wallet, p],
    queryFn: ({ signal }) => indexer.rewards(indexerUrl, wallet!, p, signal),
    enabled: !!wallet,
    retry: false,
  });
}
