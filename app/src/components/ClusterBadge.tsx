import { useConfig } from '../config';

/// Which network the app talks to, always visible: a signature on the wrong cluster is the
/// costliest mistake a staking UI can invite.
export function ClusterBadge() {
  const { cluster } = useConfig();
  return (
    <span className={`badge cluster-${cluster}`} title={`Network: ${cluster}`}>
      {cluster}
    </span>
  );
}
