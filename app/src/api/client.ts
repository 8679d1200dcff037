import { parseJsonLossless } from '../lib/json';

// The indexer's REST API: every response is `{slot, finalized_slot, data, [next_cursor]}`;
// errors are `{error: {parameter, message}}`. Amounts are read losslessly (lib/json.ts).

export type Envelope<T> = { slot: number; finalizedSlot: number; data: T; nextCursor: string | null; raw: Record<string, unknown> };

export class IndexerError extends Error {
  readonly status: number;
  readonly parameter: string | null;
  constructor(status: number, message: string, parameter: string | null) {
    super(message);
    this.name = 'IndexerError';
    this.status = status;
    this.parameter = parameter;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function buildUrl(base: string, path: string, query: Query = {}): string {
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  return url.toString();
}

/// GET `path` from the indexer at `base`, parsing the data with `parse` (the one place each
/// row shape is read: api/rows.ts).
export async function getJson<T>(
  base: string,
  path: string,
  query: Query,
  parse: (data: unknown) => T,
  signal?: AbortSignal,
): Promise<Envelope<T>> {
  let res: Response;
  try {
    res = await fetch(buildUrl(base, path, query), { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new IndexerError(0, 'The indexer cannot be reached — check your connection and retry.', null);
  }
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = parseJsonLossless(text) as Record<string, unknown>;
  } catch {
    throw new IndexerError(res.status, `The indexer answered HTTP ${res.status} with something that is not JSON.`, null);
  }
  if (!res.ok) {
    const err = (body?.error ?? {}) as { message?: string; parameter?: string | null };
    throw new IndexerError(res.status, err.message ?? `HTTP ${res.status}`, err.parameter ?? null);
  }
  return {
    slot: Number(body.slot ?? 0),
    finalizedSlot: Number(body.finalized_slot ?? 0),
    data: parse(body.data),
    nextCursor: typeof body.next_cursor === 'string' ? body.next_cursor : null,
    raw: body,
  };
}
