import { formatBps } from '../lib/amount';
import type { OperatorRow } from '../api/rows';

/// The operator's status as the chain defines it (active / jailed / exiting / inactive).
export function OperatorStatusBadge({ status }: { status: string | null }) {
  if (!status) return <span className="muted">—</span>;
  return <span className={`badge status-${status}`}>{status}</span>;
}

/// "changed" beside a commission that changed (or has a change pending) within 7 days: delegators
/// should notice before their rewards do.
export function CommissionChangeBadge({ op }: { op: Pick<OperatorRow, 'commissionChanged' | 'pendingCommissionBps' | 'commissionBps'> }) {
  if (!op.commissionChanged) return null;
  const pending = op.pendingCommissionBps !== null && op.pendingCommissionBps !== op.commissionBps;
  const up = pending && op.commissionBps !== null && op.pendingCommissionBps! > op.commissionBps;
  return (
    <span className="badge warn" title={pending ? `Changing to ${formatBps(op.pendingCommissionBps!)}` : 'Changed in the last 7 days'}>
      {pending ? `${up ? '↑' : '↓'} to ${formatBps(op.pendingCommissionBps!)}` : 'changed'}
    </span>
  );
}
