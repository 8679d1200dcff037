// The proofs `/v1/network` serves beside each headline figure (`data.overview.proofs`, keyed by
// the figure's name): a certified report's period with the links to its leaves and record, or
// the program accounts a chain figure is read from. Read defensively: an older indexer serves
// none, and a figure without a proof shows none.

export type ReportProof = {
  kind: 'report';
  period: string;
  /// This indexer's record of the report: `/v1/reports/<p>` (relative to the indexer).
  report: string;
  reportAddress: string;
  /// `<node>/v1/reports/<p>` on every oracle node the indexer knows; may be empty.
  leaves: string[];
  leavesNote: string | null;
};

export type ChainProof = {
  kind: 'chain';
  program: string;
  accounts: string[];
  /// The indexer list naming every account the figure sums.
  list: string;
  slot: string;
};

export type Proof = ReportProof | ChainProof;

const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : null;
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/// One figure's proof, or null when it has none (or it is not a shape this app knows).
export function parseProof(raw: unknown): Proof | null {
  if (!raw || typeof raw !== 'object') return null;
  const o = raw as Record<string, unknown>;
  if (o.kind === 'report') {
    const period = str(o.period);
    const report = str(o.report);
    if (period === null || report === null) return null;
    return {
      kind: 'report',
      period,
      report,
      reportAddress: str(o.report_address) ?? '',
      leaves: strs(o.leaves),
      leavesNote: str(o.leaves_note),
    };
  }
  if (o.kind === 'chain') {
    const accounts = strs(o.accounts);
    if (accounts.length === 0) return null;
    return { kind: 'chain', program: str(o.program) ?? '', accounts, list: str(o.list) ?? '', slot: str(o.slot) ?? '' };
  }
  return null;
}

/// The proofs of a `/v1/network` response's data, by figure name.
export function parseProofs(network: unknown): Record<string, Proof | null> {
  const overview = (network as { overview?: { proofs?: unknown } } | null | undefined)?.overview;
  const raw = overview?.proofs;
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, parseProof(v)]));
}
