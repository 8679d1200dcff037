import { buildUrl, getJson, type Envelope, type Query } from './client';
import {
  parseHealth,
  parseHistory,
  parseOperatorDetail,
  parseOperators,
  parsePositions,
  parseRewards,
  parseTransaction,
  type Health,
  type History,
  type IndexedTx,
  type OperatorDetail,
  type OperatorRow,
  type Position,
  type RewardEntry,
} from './rows';

// One function per indexer endpoint the app reads. Parameters not given are not sent: the
// indexer refuses parameters it does not know (a 400 naming it), which is what we want to see.

export type OperatorsParams = {
  sort?: 'stake' | 'commission' | 'gpus' | 'uptime' | 'apy';
  order?: 'asc' | 'desc';
  gpu_model?: string;
  min_uptime?: number;
  max_commission?: number;
  status?: string;
  q?: string;
  cursor?: string;
  limit?: number;
};

export type HistoryParams = { bucket?: 'hour' | 'day'; from?: number; to?: number };

export const indexer = {
  health: async (base: string, signal?: AbortSignal): Promise<Health & { slot: number }> => {
    // /health answers 503 with the same envelope when unhealthy: read it rather than throw.
    const res = await fetch(buildUrl(base, '/health'), { signal });
    const env = (await res.json()) as { slot?: number; data?: unknown };
    const h = parseHealth(env.data, Number(env.slot ?? 0));
    if (h.chainSlot === null || h.chainTime === null) {
      // An indexer whose /health does not carry the chain's slot and time yet has them on /status.
      const st = await getJson(base, '/status', {}, (d) => parseHealth(d, h.indexedSlot), signal);
      return { ...h, chainSlot: h.chainSlot ?? st.data.chainSlot, chainTime: h.chainTime ?? st.data.chainTime, slot: Number(env.slot ?? 0) };
    }
    return { ...h, slot: Number(env.slot ?? 0) };
  },
  operators: (base: string, p: OperatorsParams, signal?: AbortSignal): Promise<Envelope<OperatorRow[]>> =>
    getJson(base, '/v1/operators', p as Query, parseOperators, signal),
  operator: (base: string, address: string, signal?: AbortSignal): Promise<Envelope<OperatorDetail>> =>
    getJson(base, `/v1/operators/${encodeURIComponent(address)}`, {}, parseOperatorDetail, signal),
  operatorHistory: (base: string, address: string, p: HistoryParams, signal?: AbortSignal): Promise<Envelope<History>> =>
    getJson(base, `/v1/operators/${encodeURIComponent(address)}/history`, p as Query, parseHistory, signal),
  positions: (base: string, wallet: string, signal?: AbortSignal): Promise<Envelope<Position[]>> =>
    getJson(base, `/v1/wallets/${encodeURIComponent(wallet)}/positions`, {}, parsePositions, signal),
  rewards: (base: string, wallet: string, p: HistoryParams, signal?: AbortSignal): Promise<Envelope<RewardEntry[]>> =>
    getJson(base, `/v1/wallets/${encodeURIComponent(wallet)}/rewards`, p as Query, parseRewards, signal),
  /// The CSV export's address (the browser downloads it directly).
  rewardsCsvUrl: (base: string, wallet: string): string =>
    buildUrl(base, `/v1/wallets/${encodeURIComponent(wallet)}/rewards`, { format: 'csv' }),
  transaction: (base: string, signature: string, signal?: AbortSignal): Promise<Envelope<IndexedTx>> =>
    getJson(base, `/v1/transactions/${encodeURIComponent(signature)}`, {}, parseTransaction, signal),
};
