import { useRef } from 'react';
import { Link } from 'react-router';
import { useChainTime, usePositions, useRewards } from '../../api/hooks';
import { indexer } from '../../api/indexer';
import type { Position } from '../../api/rows';
import { SeriesChart } from '../../components/SeriesChart';
import { useConfig } from '../../config';
import { formatAmount } from '../../lib/amount';
import { shortAddress } from '../../lib/address';
import { formatDate, formatDuration } from '../../lib/time';
import { useStakingConfig } from '../../tx/staking';
import { useWallet } from '../../wallet/WalletProvider';
import { WalletButton } from '../../wallet/WalletButton';
import { ioSeries } from './history';
import { PositionCard } from './PositionCard';
import { TableWrap } from '../../components/TableWrap';

// The connected wallet's staking: totals, a "Ready to withdraw" banner when a cooldown has
// ended, one card per position (claim, unstake, pending unstakes with countdowns from chain
// time, withdraw), and the rewards history with its table and CSV export.

export default function Portfolio() {
  const { account } = useWallet();
  const { mints, indexerUrl } = useConfig();
  const d = mints.io.decimals;
  const owner = account?.address;
  const positions = usePositions(owner);
  const now = useChainTime();
  const staking = useStakingConfig();
  const cooldown = staking.data?.params.cooldownSecs ?? 0;
  const shown = useRef(new Set<string>());

  if (!owner) {
    return (
      <section>
        <h1>Portfolio</h1>
        <p>Connect a wallet to see your stake, rewards and pending unstakes.</p>
        <WalletButton />
      </section>
    );
  }
  // A position fully unstaked and withdrawn stays on chain as an empty account: not shown,
  // unless it was shown earlier in this visit (its card, and an open dialog in it, stay put
  // while the user watches the result of their own action).
  const list = (positions.data?.data ?? []).filter((p) => {
    if (p.value > 0n || p.pendingUnstakes.length > 0 || (p.claimable ?? 0n) > 0n) shown.current.add(p.operator);
    return shown.current.has(p.operator);
  });
  const sum = (f: (p: Position) => bigint) => list.reduce((a, p) => a + f(p), 0n);
  const tickets = list.flatMap((p) => p.pendingUnstakes.map((t) => ({ ...t, operator: p.operator, name: p.operatorName })));
  const matured = now === null ? [] : tickets.filter((t) => t.unlockTs <= now);
  const nextUnlock = tickets.filter((t) => now === null || t.unlockTs > now).sort((a, b) => a.unlockTs - b.unlockTs)[0];
  const io = (v: bigint) => `${formatAmount(v, d, { maxFraction: 4 })} IO`;

  return (
    <section>
      <h1>Portfolio</h1>
      {positions.isError && (
        <p role="alert" className="error">
          Could not load your positions: {(positions.error as Error).message}
        </p>
      )}
      {matured.length > 0 && (
        <div className="banner" role="status">
          <strong>Ready to withdraw:</strong> {io(matured.reduce((a, t) => a + t.amount, 0n))} from{' '}
          {[...new Set(matured.map((t) => t.name ?? shortAddress(t.operator)))].join(', ')} — use Withdraw below.
        </div>
      )}
      <dl className="stats">
        <div>
          <dt>Staked</dt>
          <dd>{io(sum((p) => p.value))}</dd>
        </div>
        <div>
          <dt>Activating</dt>
          <dd>{io(sum((p) => p.activatingValue))}</dd>
        </div>
        <div>
          <dt>Claimable rewards</dt>
          <dd>{io(sum((p) => p.claimable ?? 0n))}</dd>
        </div>
        <div>
          <dt>Unstaking</dt>
          <dd>
            {io(tickets.reduce((a, t) => a + t.amount, 0n))}
            {nextUnlock && now !== null && (
              <div className="muted">
                next in {formatDuration(nextUnlock.unlockTs - now)} ({formatDate(nextUnlock.unlockTs)})
              </div>
            )}
          </dd>
        </div>
      </dl>

      <h2>Positions</h2>
      {positions.isPending && <p role="status">Loading positions…</p>}
      {positions.isSuccess && list.length === 0 && (
        <p>
          No stake yet. <Link to="/operators">Choose an operator</Link> to stake with.
        </p>
      )}
      <div className="grid">
        {list.map((p) => (
          <PositionCard key={p.operator} position={p} now={now} cooldownSecs={cooldown} />
        ))}
      </div>

      <RewardsHistory owner={owner} decimals={d} csvUrl={indexer.rewardsCsvUrl(indexerUrl, owner)} />
      {tickets.length > 0 && now !== null && (
        <p className="muted">
          Countdowns use chain time ({formatDate(now)}), as the program does.
        </p>
      )}
    </section>
  );
}

function RewardsHistory({ owner, decimals, csvUrl }: { owner: string; decimals: number; csvUrl: string }) {
  const rewards = useRewards(owner);
  const data = rewards.data?.data;
  const io = (v: bigint) => `${formatAmount(v, decimals, { maxFraction: 4 })} IO`;
  return (
    <section aria-labelledby="rewards-title">
      <h2 id="rewards-title">Rewards history</h2>
      <p>
        <a className="button" href={csvUrl} download={`io-rewards-${owner}.csv`}>
          Export CSV
        </a>
      </p>
      {rewards.isError && (
        <p role="alert" className="error">
          Could not load the rewards history: {(rewards.error as Error).message}{' '}
          <button type="button" onClick={() => void rewards.refetch()}>
            Retry
          </button>
        </p>
      )}
      <SeriesChart
        title="Rewards claimed"
        series={[ioSeries('claimed', 'Claimed', decimals), ioSeries('cumulative_claimed', 'Claimed in all', decimals)]}
        points={data?.points ?? []}
        empty="No rewards claimed yet."
      />
      {data && data.claims.length > 0 && (
        <TableWrap label="Claims table">
          <table>
            <caption>Claims</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Operator</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {data.claims.map((c) => (
                <tr key={c.signature + c.operator}>
                  <td>{c.t ? formatDate(c.t) : `slot ${c.slot}`}</td>
                  <td>
                    <Link to={`/operators/${c.operator}`}>{shortAddress(c.operator)}</Link>
                  </td>
                  <td className="num">{io(c.amount)}</td>
                  <td className="mono">{shortAddress(c.signature)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
