import { buildUrl, getJson, type Envelope, type Query } from './client';
import {
  parseStatus,
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
  type WalletRewards,
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
  /// Offset paging (page numbers, every sort); the response carries the filtered `total`.
  offset?: number;
  limit?: number;
};

export type HistoryParams = { bucket?: 'hour' | 'day'; from?: number; to?: number };

export const indexer = {
  /// The indexer's state from /status (always 200, unlike /health's 503 when unhealthy, which a
  /// browser logs as a console error on every poll): indexed and chain slots, chain time at the
  /// indexed slot, and the ingest side's health with its reasons.
  health: async (base: string, signal?: AbortSignal): Promise<Health & { slot: number }> => {
    const env = await getJson(base, '/status', {}, (d) => d, signal);
    return { ...parseStatus(env.data, env.slot), slot: env.slot };
  },
  operators: (base: string, p: OperatorsParams, signal?: AbortSignal): Promise<Envelope<OperatorRow[]>> =>
    getJson(base, '/v1/operators', p as Query, parseOperators, signal),
  operator: (base: string, address: string, signal?: AbortSignal): Promise<Envelope<OperatorDetail>> =>
    getJson(base, `/v1/operators/${encodeURIComponent(address)}`, {}, parseOperatorDetail, signal),
  operatorHistory: (base: string, address: string, p: HistoryParams, signal?: AbortSignal): Promise<Envelope<History>> =>
    getJson(base, `/v1/operators/${encodeURIComponent(address)}/history`, p as Query, parseHistory, signal),
  positions: (base: string, wallet: string, signal?: AbortSignal): Promise<Envelope<Position[]>> =>
    getJson(base, `/v1/wallets/${encodeURIComponent(wallet)}/positions`, {}, parsePositions, signal),
  rewards: (base: string, wallet: string, p: HistoryParams, signal?: AbortSignal): Promise<Envelope<WalletRewards>> =>
    getJson(base, `/v1/wallets/${encodeURIComponent(wallet)}/rewards`, p as Query, parseRewards, signal),
  /// The CSV export's address (the browser downloads it directly).
  rewardsCsvUrl: (base: string, wallet: string): string =>
    buildUrl(base, `/v1/wallets/${encodeURIComponent(wallet)}/rewards`, { format: 'csv' }),
  transaction: (base: string, signature: string, signal?: AbortSignal): Promise<Envelope<IndexedTx>> =>
    getJson(base, `/v1/transactions/${encodeURIComponent(signature)}`, {}, parseTransaction, signal),
};
