// Pages of `/v1/devices` for a filter, appended by "Load more" (the indexer pages by cursor).
import { useInfiniteQuery } from '@tanstack/react-query';
import { INDEXER_KEY } from '../../api/hooks';
import { useConfig } from '../../config';
import { indexerGet } from './api';
import type { DeviceRow } from './types';

export interface DeviceFilter {
  near: string;
  green: boolean;
  class: string;
  gpuModel: string;
  availability: string;
}

export function devicesPath(f: DeviceFilter, cursor: string | null, limit = 50): string {
  const p = new URLSearchParams();
  if (f.near) p.set('near', f.near);
  if (f.green) p.set('green', 'true');
  if (f.class) p.set('class', f.class);
  if (f.gpuModel.trim()) p.set('gpu_model', f.gpuModel.trim());
  if (f.availability) p.set('availability', f.availability);
  p.set('limit', String(limit));
  if (cursor) p.set('cursor', cursor);
  return `/v1/devices?${p.toString()}`;
}

export function useDevicePages(f: DeviceFilter) {
  const { indexerUrl } = useConfig();
  return useInfiniteQuery({
    queryKey: [INDEXER_KEY, 'compute', 'devices', f],
    queryFn: ({ pageParam, signal }) => indexerGet<DeviceRow[]>(indexerUrl, devicesPath(f, pageParam), signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 15_000,
  });
}
