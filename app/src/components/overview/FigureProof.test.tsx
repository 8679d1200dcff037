import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import FigureProof from './FigureProof';
import { parseProof, parseProofs } from './proof';

const links = { indexerUrl: '/api', cluster: 'localnet' as const, explorerRpc: 'http://127.0.0.1:8899' };

// The shapes `/v1/network` serves under data.overview.proofs (indexer/src/api/proofs.rs).
const reportProof = {
  kind: 'report',
  period: 493,
  report: '/v1/reports/493',
  report_address: 'Rep1111111111111111111111111111111111111111',
  digest: 'ab'.repeat(32),
  set_epoch: 2,
  certified_slot: 9000,
  leaves: ['http://127.0.0.1:7901/v1/reports/493', 'http://127.0.0.1:7902/v1/reports/493'],
  leaves_note: null,
  what: 'the devices tree',
};
const chainProof = {
  kind: 'chain',
  program: 'Stak1111111111111111111111111111111111111111',
  accounts: ['Conf1111111111111111111111111111111111111111', 'Vaul1111111111111111111111111111111111111111'],
  list: '/v1/operators',
  slot: 12345,
  as_of: 1700000000,
  what: 'stake',
};

const html = (figure: string, raw: unknown) =>
  renderToStaticMarkup(<FigureProof figure={figure} proof={parseProof(raw)} links={links} />);

describe('FigureProof', () => {
  it('a report figure: period N · leaves (the first node) · report (the indexer through /api), named for readers', () => {
    const h = html('attested devices', reportProof);
    expect(h).toContain('aria-label="Proof of attested devices: period 493"');
    expect(h).toContain('period 493');
    expect(h).toContain('href="http://127.0.0.1:7901/v1/reports/493"');
    expect(h).not.toContain('7902');
    expect(h).toContain('href="/api/v1/reports/493"');
    expect(h).toContain(`Certified report of period 493 (account ${reportProof.report_address})`);
    expect(h.indexOf('>leaves<')).toBeLessThan(h.indexOf('>report<'));
  });

  it('a report figure without an oracle node: leaves unlinked, the note as its title', () => {
    const h = html('GPUs', { ...reportProof, leaves: [], leaves_note: 'this indexer knows no oracle node' });
    expect(h).toContain('leaves unlinked');
    expect(h).toContain('title="this indexer knows no oracle node"');
    expect(h).not.toContain('7901');
    expect(h).toContain('href="/api/v1/reports/493"');
  });

  it('a chain figure: on chain · account (the explorer page of its first account on the local network)', () => {
    const h = html('total staked', chainProof);
    expect(h).toContain('aria-label="Proof of total staked: on chain at slot 12345"');
    expect(h).toContain('on chain');
    expect(h).toContain('https://explorer.solana.com/address/Conf1111111111111111111111111111111111111111?cluster=custom');
    expect(h).toContain(`customUrl=${encodeURIComponent('http://127.0.0.1:8899')}`);
  });

  it('no proof (none served, null before the first certified report, an unknown kind): nothing', () => {
    expect(html('GPUs', null)).toBe('');
    expect(html('GPUs', { kind: 'rumour' })).toBe('');
    expect(html('GPUs', { kind: 'report' })).toBe('');
  });
});

describe('parseProofs', () => {
  it('reads data.overview.proofs by figure; an older indexer without them gives none', () => {
    const p = parseProofs({ overview: { proofs: { staked: chainProof, devices_attested: reportProof, gpus_attested: null } } });
    expect(p.staked?.kind).toBe('chain');
    expect(p.devices_attested).toMatchObject({ kind: 'report', period: '493', leaves: reportProof.leaves });
    expect(p.gpus_attested).toBeNull();
    expect(parseProofs({ overview: {} })).toEqual({});
    expect(parseProofs(undefined)).toEqual({});
  });
});
