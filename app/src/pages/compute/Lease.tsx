// One lease: its devices with the usage the oracle attested and settled, settlements, refunds,
// and the renter's actions (top up, close, finalize).
import { Link, useParams } from 'react-router';
import { useChainNow, useIndexer } from '../../components/compute/api';
import { shortAddress } from '../../components/compute/classes';
import Figures from '../../components/compute/Figures';
import { deviceUsage, ledger, secondsLeft } from '../../components/compute/leaseFigures';
import { currencyOf, SYMBOL, useMints } from '../../components/compute/mints';
import { Loading, Problem } from '../../components/compute/Problem';
import { showDuration, showHours, showTimestamp } from '../../components/compute/time';
import type { LeaseDetail } from '../../components/compute/types';
import { formatUnits, showBps, toBase } from '../../components/compute/units';
import LeaseActions from './LeaseActions';
import '../../components/compute/compute.css';
import { TableWrap } from '../../components/TableWrap';

export default function Lease() {
  const { address = '' } = useParams();
  const q = useIndexer<LeaseDetail>(`/v1/leases/${address}`);
  const mints = useMints();
  const now = useChainNow();
  if (q.isPending)
    return (
      <section className="compute-page">
        <h1>Lease</h1>
        <Loading what="the lease" />
      </section>
    );
  if (q.isError)
    return (
      <section className="compute-page">
        <h1>Lease</h1>
        <Problem error={q.error} what="the lease" />
      </section>
    );
  const l = q.data.data;
  const cur = mints ? currencyOf(mints, l.payment_mint) : null;
  const dec = cur && mints ? mints[cur].decimals : null;
  const sym = cur ? SYMBOL[cur] : '';
  const money = (v: unknown) => {
    const b = toBase(v);
    return b === null || dec === null ? '—' : `${formatUnits(b, dec, 6)} ${sym}`;
  };
  const g = ledger(l);
  const usage = now === null ? null : deviceUsage(l, now);
  return (
    <section className="compute-page">
      <h1>Lease {shortAddress(l.address)}</h1>
      <p className="mono">{l.address}</p>
      <Figures
        label="Lease"
        items={[
          { label: 'Status', value: l.status ?? '—' },
          { label: 'Currency', value: sym || '—', hint: l.fee_bps ? `fee ${showBps(l.fee_bps)} on what providers are paid` : 'no fee' },
          { label: 'Hours paid for', value: l.hours ?? '—' },
          { label: 'Started', value: showTimestamp(l.start_ts) },
          {
            label: 'Ends',
            value: showTimestamp(l.end_ts),
            hint:
              l.status === 'open' && now !== null
                ? secondsLeft(l, now) > 0
                  ? `${showDuration(secondsLeft(l, now))} left`
                  : 'lease time over'
                : undefined,
          },
          { label: 'Funded', value: money(g.deposit) },
          { label: 'Paid to providers', value: money(g.paid) },
          { label: 'Fees', value: money(g.fees) },
          { label: 'Refunded', value: money(g.refunded) },
          { label: 'Remaining in escrow', value: money(g.held) },
        ]}
      />
      <h2>Devices and attested usage</h2>
      <TableWrap label="Usage attested by the oracle and settled, per device">
        <table>
          <caption>Usage attested by the oracle and settled, per device</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Provider</th>
              <th scope="col">Rate / h</th>
              <th scope="col">Attested usage</th>
              <th scope="col">Not attested (yet)</th>
              <th scope="col">Paid</th>
            </tr>
          </thead>
          <tbody>
            {l.devices.map((d, i) => (
              <tr key={d.device}>
                <th scope="row" className="mono" title={d.device}>
                  {shortAddress(d.device)}
                </th>
                <td>
                  {d.operator ? (
                    <Link to={`/providers/${d.operator}`}>
                      {shortAddress(d.operator)}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{money(d.rate_per_hour)}</td>
                <td>{showHours(d.attested_seconds)}</td>
                <td>{usage ? showHours(usage[i].unattestedSeconds) : '…'}</td>
                <td>{money(d.paid)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>Settlements</h2>
      {l.settlements.length === 0 ? (
        <p role="status">No usage settled yet: the oracle settles each certified hourly report.</p>
      ) : (
        <TableWrap label="Each settlement pays a device for newly attested seconds (fee on top)">
          <table>
            <caption>Each settlement pays a device for newly attested seconds (fee on top)</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Device</th>
                <th scope="col">Attested (cumulative)</th>
                <th scope="col">Paid</th>
                <th scope="col">Fee</th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {l.settlements.map((s) => (
                <tr key={s.event_id}>
                  <td>{showTimestamp(s.block_time)}</td>
                  <td className="mono">{shortAddress(s.device)}</td>
                  <td>
                    {showHours(s.attested_before)} → {showHours(s.attested_after)}
                  </td>
                  <td>{money(s.paid)}</td>
                  <td>{money(s.fee)}</td>
                  <td className="mono" title={s.signature}>
                    {shortAddress(s.signature)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <LeaseActions lease={l} now={now} currency={cur} decimals={dec} symbol={sym} />
    </section>
  );
}
