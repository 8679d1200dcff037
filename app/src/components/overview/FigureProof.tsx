// The proof line beside a headline figure: "period N · leaves · report" for a figure that follows
// from a certified oracle report (leaves: the first oracle node's page of the report's leaves;
// report: the indexer's record of the report account), or "on chain · account" for a figure read
// from program accounts. `io verify` recomputes either; this line tells a reader where to look.
import type { Cluster } from '../../config';
import { explorerAddressUrl } from '../../lib/explorer';
import type { Proof } from './proof';
import './proof.css';

export type ProofLinks = {
  /// Indexer REST base as the app reaches it ("/api").
  indexerUrl: string;
  cluster: Cluster;
  /// The RPC the explorer should read (local network).
  explorerRpc: string;
};

export default function FigureProof({ figure, proof, links }: { figure: string; proof: Proof | null | undefined; links: ProofLinks }) {
  if (!proof) return null;
  if (proof.kind === 'report') {
    const p = proof.period;
    const leaves = proof.leaves[0];
    return (
      <small className="figure-proof" role="note" aria-label={`Proof of ${figure}: period ${p}`}>
        period {p} ·{' '}
        {leaves ? (
          <a href={leaves} target="_blank" rel="noreferrer" aria-label={`Leaves of period ${p} (oracle node)`}>
            leaves
          </a>
        ) : (
          <span title={proof.leavesNote ?? undefined}>leaves unlinked</span>
        )}{' '}
        ·{' '}
        <a
          href={`${links.indexerUrl.replace(/\/$/, '')}${proof.report}`}
          target="_blank"
          rel="noreferrer"
          aria-label={`Certified report of period ${p}${proof.reportAddress ? ` (account ${proof.reportAddress})` : ''}`}
        >
          report
        </a>
      </small>
    );
  }
  const account = proof.accounts[0];
  return (
    <small className="figure-proof" role="note" aria-label={`Proof of ${figure}: on chain at slot ${proof.slot}`}>
      on chain ·{' '}
      <a
        href={explorerAddressUrl(account, links.cluster, links.explorerRpc)}
        target="_blank"
        rel="noreferrer"
        aria-label={`Account ${account} on the explorer`}
      >
        account
      </a>
    </small>
  );
}
