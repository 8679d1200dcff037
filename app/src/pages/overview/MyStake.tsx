// The connected wallet's staking at a glance: staked, claimable, unbonding and the next unlock
// (from `/v1/wallets/{address}/positions`, figures computed by io-sdk in the indexer).
import { Link } from 'react-router';
import { useIndexer } from '../../components/compute/api';
import Figures from '../../components/compute/Figures';
import { Loading, Problem } from '../../components/compute/Problem';
import { showDuration, showTimestamp } from '../../components/compute/time';
import type { PositionRow } from '../../components/compute/types';
import { formatUnits, toBase } from '../../components/compute/units';

export interface StakeTotals {
  staked: bigint;
  claimable: bigint;
  unbonding: bigint;
  nextUnlock: number | null;
}

export function stakeTotals(rows: PositionRow[]): StakeTotals {
  let staked = 0n;
  let claimable = 0n;
  let unbonding = 0n;
  let nextUnlock: number | null = null;
  for (const p of rows) {
    staked += (toBase(p.value) ?? 0n) + (toBase(p.activating_value) ?? 0n);
    claimable += toBase(p.claimable_rewards) ?? 0n;
    for (const u of p.pending_unstakes) {
      unbonding += toBase(u.amount) ?? 0n;
      if (u.unlock_ts !== null && (nextUnlock === null || u.unlock_ts < nextUnlock)) nextUnlock = u.unlock_ts;
    }
  }
  return { staked, claimable, unbonding, nextUnlock };
}

export default function MyStake({ address, decimals, now }: { address: string; decimals: number; now: number | null }) {
  const q = useIndexer<PositionRow[]>(`/v1/wallets/${address}/positions`);
  if (q.isPending) return <Loading what="your positions" />;
  if (q.isError) return <Problem error={q.error} what="your positions" />;
  const t = stakeTotals(q.data.data);
  const io = (v: bigint) => `${formatUnits(v, decimals, 2)} IO`;
  const unlock =
    t.nextUnlock === null
      ? 'none pending'
      : now !== null && t.nextUnlock <= now
        ? `ready to withdraw (since ${showTimestamp(t.nextUnlock)})`
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
        <Link to="/portfolio">Manage positions in your portfolio</Link>
      </p>
    </>
  );
}
