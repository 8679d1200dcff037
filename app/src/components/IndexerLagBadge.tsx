import { useHealth } from '../api/hooks';
import { lagSeconds } from '../lib/lag';

/// "Indexer delayed N s" when the indexer's slot trails the node's (figures may be stale), or
/// "Indexer unavailable" when its health check fails. Nothing when it is current.
export function IndexerLagBadge() {
  const h = useHealth();
  if (h.isError) {
    return (
      <span role="status" className="badge warn">
        Indexer unavailable
      </span>
    );
  }
  const d = h.data;
  if (!d) return null;
  const lag = lagSeconds(d.chainSlot, d.indexedSlot);
  if (!d.ok) {
    return (
      <span role="status" className="badge warn" title={d.reasons.join('; ')}>
        Indexer unhealthy
      </span>
    );
  }
  if (lag === null || lag < LAG_SHOWN_FROM_SECS) return null;
  return (
    <span role="status" className="badge warn">
      Indexer delayed {lag} s
    </span>
  );
}

const LAG_SHOWN_FROM_SECS = 5;
