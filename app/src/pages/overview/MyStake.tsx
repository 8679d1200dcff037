// The connected wallet's staking at a glance: staked, claimable, unbonding and the next unlock,
// from `/v1/wallets/{address}/positions` (figures computed by io-sdk in the indexer).
import { Link } from 'react-router';
import { usePositions } from '../../api/hooks';
import type { Position } from '../../api/rows';
import Figures from '../../components/compute/Figures';
import { Loading, Problem } from '../../components/compute/Problem';
import { showDuration, showTimestamp } from '../../components/compute/time';
import { formatUnits } from '../../components/compute/units';

export interface StakeTotals {
  staked: bigint;
  claimable: bigint;
  unbonding: bigint;
  nextUnlock: number | null;
}

/// Sums over a wallet's positions. `value` already includes the warming-up part
/// (io-sdk PositionView: `activating` is a part of `value`), so it is not added again.
export function stakeTotals(rows: Position[]): StakeTotals {
  let staked = 0n;
  let claimable = 0n;
  let unbonding = 0n;
  let nextUnlock: number | null = null;
  for (const p of rows) {
    staked += p.value;
    claimable += p.claimable ?? 0n;
    for (const u of p.pendingUnstakes) {
      unbonding += u.amount;
      if (u.unlockTs > 0 && (nextUnlock === null || u.unlockTs < nextUnlock)) nextUnlock = u.unlockTs;
    }
  }
  return { staked, claimable, unbonding, nextUnlock };
}

export default function MyStake({ address, decimals, now }: { address: string; decimals: number; now: number | null }) {
  const q = usePositions(address);
  if (q.isPending) return <Loading what="your positions" />;
  if (q.isError) return <Problem error={q.error} what="your positions" />;
  const t = stakeTotals(q.data.data);
  const io = (v: bigint) => `${formatUnits(v, decimals, 2)} IO`;
  const unlock =
    t.nextUnlock === null
      ? 'none pending'
      : now !== null && t.nextUnlock <= now
        ? 'ready to withdraw'
        : `${showTimestamp(t.nextUnlock)}${now !== null ? ` (in ${showDuration(t.nextUnlock - now)})` : ''}`;
  return (
    <>
      <Figures
        label="My stake"
        items={[
          { label: 'My staked', value: io(t.staked) },
          { label: 'Claimable rewards', value: io(t.claimable) },
          { label: 'Unbonding', value: io(t.unbonding) },
          { label: 'Next unlock', value: unlock },
        ]}
      />
      <p>
        <Link to="/portfolio">Manage your positions in the portfolio</Link>
      </p>
    </>
  );
}
