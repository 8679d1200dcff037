// A provider (operator): bond required vs posted, devices with status, commission and any
// pending change, earnings, slashes and delegators, from `/v1/operators/{address}`.
import { Link, useParams } from 'react-router';
import { useChainNow, useIndexer } from '../../components/compute/api';
import { shortAddress } from '../../components/compute/classes';
import DeviceTable from '../../components/compute/DeviceTable';
import Figures from '../../components/compute/Figures';
import { useMints } from '../../components/compute/mints';
import { Loading, Problem } from '../../components/compute/Problem';
import { showDuration, showTimestamp } from '../../components/compute/time';
import type { OperatorDetail } from '../../components/compute/types';
import { formatUnits, showBps, showCount, toBase } from '../../components/compute/units';
import '../../components/compute/compute.css';
import { TableWrap } from '../../components/TableWrap';

/// "sufficient" or how much is missing: the bond the devices require against what is posted.
export function bondState(bond: bigint | null, required: bigint | null): 'unknown' | 'sufficient' | bigint {
  if (bond === null || required === null) return 'unknown';
  return bond >= required ? 'sufficient' : required - bond;
}

export default function Provider() {
  const { address = '' } = useParams();
  const q = useIndexer<OperatorDetail>(`/v1/operators/${address}`);
  const mints = useMints();
  const now = useChainNow();
  if (q.isPending || q.isError)
    return (
      <section className="compute-page">
        <h1>Provider</h1>
        {q.isPending ? <Loading what="the provider" /> : <Problem error={q.error} what="the provider" />}
      </section>
    );
  const o = q.data.data;
  const dec = mints?.io.decimals ?? null;
  const io = (v: unknown) => {
    const b = toBase(v);
    return b === null || dec === null ? '—' : `${formatUnits(b, dec, 2)} IO`;
  };
  // The indexer's bond status (io_staking's rule: Σ class bond × units of the active devices)
  // when it serves one, else the operator row's own two figures.
  const bond = toBase(o.bond_status?.posted ?? o.bond);
  const required = toBase(o.bond_status?.required ?? o.required_bond);
  const state = bondState(bond, required);
  const pending =
    o.pending_commission_bps !== null &&
    o.pending_commission_bps !== o.commission_bps &&
    o.commission_effective_ts !== null &&
    (now === null || o.commission_effective_ts > now);
  return (
    <section className="compute-page">
      <h1>Provider {o.name ?? shortAddress(o.address)}</h1>
      <p className="mono">{o.address}</p>
      {o.status ? (
        <p>
          Status: <span className={`badge status-${o.status}`}>{o.status}</span>
          {o.uptime_bps !== undefined && o.uptime_bps !== null ? ` · uptime ${showBps(o.uptime_bps)}` : ''}
        </p>
      ) : null}
      <p>
        <Link to={`/operators/${o.address}`}>Stake with this operator</Link>
      </p>
      <h2>Bond</h2>
      <Figures
        label="Bond"
        items={[
          { label: 'Bond posted', value: io(bond) },
          { label: 'Bond required', value: io(required), hint: 'for its active devices' },
          {
            label: 'Bond status',
            value: state === 'unknown' ? '—' : state === 'sufficient' ? 'Sufficient' : `Short by ${io(state)}`,
            hint: o.bond_status ? `${io(o.bond_status.free)} free to withdraw` : undefined,
          },
          {
            label: 'Bond withdrawing',
            value: io(o.bond_withdrawing),
            hint:
              (toBase(o.bond_withdrawing) ?? 0n) > 0n && o.bond_unlock_ts
                ? `unlocks ${showTimestamp(o.bond_unlock_ts)}`
                : undefined,
          },
        ]}
      />
      <h2>Commission and earnings</h2>
      <Figures
        label="Commission and earnings"
        items={[
          {
            label: 'Commission',
            value: showBps(o.commission_bps),
            hint: pending
              ? `changes to ${showBps(o.pending_commission_bps)} on ${showTimestamp(o.commission_effective_ts)}${
                  now !== null ? ` (in ${showDuration(o.commission_effective_ts! - now)})` : ''
                }`
              : 'no change pending',
          },
          { label: 'Commission claimable', value: io(o.commission_claimable) },
          {
            label: 'Rewards earned',
            value: io(o.earnings?.rewards_allotted),
            hint: 'claimed against certified reports, commission and delegators’ parts',
          },
          { label: 'Commission claimed', value: io(o.earnings?.commission_claimed) },
          { label: 'Delegators’ rewards claimed', value: io(o.earnings?.delegator_rewards_claimed) },
          { label: 'Delegated stake', value: io(o.stake_tokens) },
          { label: 'Delegators', value: showCount(o.delegator_count) },
          { label: 'Slashes', value: showCount(o.slash_count), hint: `${io(o.total_slashed)} in all` },
        ]}
      />
      <h2>Devices</h2>
      <p>
        {showCount(o.devices_active)} active of {showCount(o.devices_registered)} registered, {showCount(o.gpus_active)}{' '}
        GPUs active.
      </p>
      {o.devices.length === 0 ? (
        <p role="status">No devices registered.</p>
      ) : (
        <DeviceTable rows={o.devices} mints={mints} caption="This provider's devices" now={now} />
      )}
      <h2>Commission history</h2>
      <TableWrap label="Commission changes, as requested and when they apply">
        <table>
          <caption>Commission changes, as requested and when they apply</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Rate then</th>
              <th scope="col">Requested</th>
              <th scope="col">Applies from</th>
            </tr>
          </thead>
          <tbody>
            {o.commission_history.map((c) => (
              <tr key={`${c.signature}-${c.event}`}>
                <td>{showTimestamp(c.block_time)}</td>
                <td>{c.event}</td>
                <td>{showBps(c.commission_bps)}</td>
                <td>{showBps(c.requested_bps)}</td>
                <td>{showTimestamp(c.effective_ts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>Slashes</h2>
      {o.slashes.length === 0 ? (
        <p role="status">Never slashed.</p>
      ) : (
        <TableWrap label="Slashes proposed or executed against this provider">
          <table>
            <caption>Slashes proposed or executed against this provider</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">From bond</th>
                <th scope="col">From stake</th>
                <th scope="col">Executable</th>
              </tr>
            </thead>
            <tbody>
              {o.slashes.map((s, i) => (
                <tr key={String(s.address ?? i)}>
                  <td>{String(s.status ?? '—')}</td>
                  <td>{io(s.amount)}</td>
                  <td>{io(s.from_bond)}</td>
                  <td>{io(s.from_stake)}</td>
                  <td>{showTimestamp(typeof s.executable_ts === 'number' ? s.executable_ts : null)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
