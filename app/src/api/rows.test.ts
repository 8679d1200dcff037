import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseJsonLossless } from '../lib/json';
import { parseHealth, parseOperatorDetail, parseOperators, parsePositions } from './rows';

// The row parsers against responses recorded from the real indexer on the local network
// (fixtures/*.json: /v1/operators, /v1/operators/{address}, /v1/wallets/{alice}/positions, /health).

const load = (name: string) => parseJsonLossless(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: unknown; slot: number };

describe('indexer rows', () => {
  it('reads operators with amounts as bigints', () => {
    const ops = parseOperators(load('operators').data);
    expect(ops.length).toBeGreaterThan(0);
    const atlas = ops.find((o) => o.name === 'atlas-compute')!;
    expect(atlas.stake).toBe(1_000_000_000_000n);
    expect(atlas.bond).toBe(25_000_000_000_000n);
    expect(atlas.commissionBps).toBe(500);
    expect(atlas.commissionChanged).toBe(false);
    expect(atlas.status).toBe('active');
    expect(atlas.gpusActive).toBe(12);
  });
  it('reads an operator with devices and its commission log', () => {
    const op = parseOperatorDetail(load('operator').data);
    expect(op.devices.length).toBeGreaterThan(0);
    expect(op.devices[0].gpuModel).toEqual(expect.any(String));
    expect(op.commissionHistory[0]?.event).toBe('OperatorRegistered');
  });
  it("reads a wallet's positions with value and claimable rewards", () => {
    const [p] = parsePositions(load('positions').data);
    expect(p.operatorName).toBe('atlas-compute');
    expect(p.value).toBe(1_000_000_000_000n);
    expect(typeof p.claimable).toBe('bigint');
    expect(p.pendingUnstakes).toEqual([]);
  });
  it('reads health, falling back to the envelope slot for the indexed slot', () => {
    const env = load('health');
    const h = parseHealth(env.data, env.slot);
    expect(h.ok).toBe(true);
    expect(h.indexedSlot).toBe(env.slot);
  });
});
