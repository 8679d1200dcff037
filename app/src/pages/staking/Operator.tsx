import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useChainTime, useOperator, useOperatorHistory } from '../../api/hooks';
import { IndexerError } from '../../api/client';
import { CommissionChangeBadge, OperatorStatusBadge } from '../../components/OperatorBadges';
import { SeriesChart } from '../../components/SeriesChart';
import { useConfig } from '../../config';
import { formatAmount, formatBps } from '../../lib/amount';
import { shortAddress } from '../../lib/address';
import { formatDate } from '../../lib/time';
import { RANGES, bpsSeries, countSeries, ioSeries, pointsWith } from './history';
import { StakePanel } from './StakePanel';
import { TableWrap } from '../../components/TableWrap';

// One operator: header figures, the stake panel, history charts (each with a table view),
// the commission log, devices and slashes.

export default function Operator() {
  const { address } = useParams();
  const { hash } = useLocation();
  const { mints } = useConfig();
  const d = mints.io.decimals;
  const res = useOperator(address);
  const op = res.data?.data;

  // The per-row "Stake" link lands on the panel.
  useEffect(() => {
    if (hash === '#stake' && op) document.getElementById('stake')?.scrollIntoView();
  }, [hash, op]);

  if (res.isPending) {
    return (
      <section>
        <h1>Operator</h1>
        <p role="status">Loading operator…</p>
      </section>
    );
  }
  if (res.isError || !op) {
    const notFound = res.error instanceof IndexerError && res.error.status === 404;
    return (
      <section>
        <h1>Operator</h1>
        <p role="alert" className="error">
          {notFound ? `No operator at ${address}.` : `Could not load the operator: ${(res.error as Error)?.message}`}
        </p>
        <Link to="/operators">All operators</Link>
      </section>
    );
  }
  const io = (v: bigint | null) => (v === null ? '—' : `${formatAmount(v, d, { maxFraction: 2 })} IO`);

  return (
    <section>
      <p>
        <Link to="/operators">← Operators</Link>
      </p>
      <h1>{op.name ?? shortAddress(op.address)}</h1>
      <p className="muted mono">{op.address}</p>
      <dl className="stats">
        <div>
          <dt>Status</dt>
          <dd>
            <OperatorStatusBadge status={op.status} />
          </dd>
        </div>
        <div>
          <dt>Total stake</dt>
          <dd>{io(op.stake)}</dd>
        </div>
        <div>
          <dt>Delegators</dt>
          <dd>{op.delegatorCount ?? '—'}</dd>
        </div>
        <div>
          <dt>Commission</dt>
          <dd>
            {op.commissionBps === null ? '—' : formatBps(op.commissionBps)} <CommissionChangeBadge op={op} />
            {op.pendingCommissionBps !== null && op.pendingCommissionBps !== op.commissionBps && op.commissionEffectiveTs && (
              <div className="muted">from {formatDate(op.commissionEffectiveTs)}</div>
            )}
          </dd>
        </div>
        <div>
          <dt>Est. net APY</dt>
          <dd>{op.estNetApyBps === null ? '—' : `≈ ${formatBps(op.estNetApyBps)}`}</dd>
        </div>
        <div>
          <dt>Uptime</dt>
          <dd>{op.uptimeBps === null ? '—' : formatBps(op.uptimeBps)}</dd>
        </div>
        <div>
          <dt>Self-bond (required)</dt>
          <dd>
            {io(op.bond)}
            <div className="muted">required {io(op.requiredBond)}</div>
          </dd>
        </div>
        <div>
          <dt>Devices · GPUs</dt>
          <dd>
            {op.devicesActive ?? '—'} / {op.devicesRegistered ?? '—'} · {op.gpusActive ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Slashes</dt>
          <dd>{op.slashCount ?? 0}</dd>
        </div>
      </dl>

      <StakePanel op={op} />

      <OperatorHistory address={op.address} decimals={d} />

      <h2>Commission changes</h2>
      {op.commissionHistory.length === 0 ? (
        <p className="muted">No commission change recorded.</p>
      ) : (
        <TableWrap label="Commission changes table">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col">Effective</th>
              </tr>
            </thead>
            <tbody>
              {op.commissionHistory.map((h) => (
                <tr key={`${h.signature}-${h.event}`}>
                  <td>{h.blockTime ? formatDate(h.blockTime) : `slot ${h.slot}`}</td>
                  <td>{h.event === 'OperatorRegistered' ? 'Registered' : 'Change requested'}</td>
                  <td className="num">{h.requestedBps === null ? '—' : formatBps(h.requestedBps)}</td>
                  <td>{h.effectiveTs ? formatDate(h.effectiveTs) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h2>Devices</h2>
      {op.devices.length === 0 ? (
        <p className="muted">No device registered.</p>
      ) : (
        <TableWrap label="Devices table">
          <table>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">GPUs</th>
                <th scope="col">Class</th>
                <th scope="col">Region</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {op.devices.map((dv) => (
                <tr key={dv.address}>
                  <td className="mono">{shortAddress(dv.address)}</td>
                  <td>
                    {dv.gpuCount ?? '—'} × {dv.gpuModel ?? '—'}
                    {dv.vramGb ? ` (${dv.vramGb} GB)` : ''}
                    {dv.green ? ' · green' : ''}
                  </td>
                  <td>{dv.class ?? '—'}</td>
                  <td>{dv.region ?? '—'}</td>
                  <td>
                    <span className={`badge status-${dv.status ?? 'inactive'}`}>{dv.status ?? '—'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <h2>Slashes</h2>
      {op.slashes.length === 0 ? (
        <p className="muted">Never slashed.</p>
      ) : (
        <TableWrap label="Slashes table">
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Status</th>
                <th scope="col">Executable from</th>
              </tr>
            </thead>
            <tbody>
              {op.slashes.map((s) => (
                <tr key={s.address}>
                  <td>{s.idx ?? '—'}</td>
                  <td className="num">{io(s.amount)}</td>
                  <td>{s.status ?? '—'}</td>
                  <td>{s.executableTs ? formatDate(s.executableTs) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function OperatorHistory({ address, decimals }: { address: string; decimals: number }) {
  const now = useChainTime();
  const [range, setRange] = useState(RANGES[1]);
  // The window ends at chain time (the local network's clock may run ahead of the wall clock).
  const from = now === null ? undefined : now - range.days * 86400;
  const h = useOperatorHistory(address, { bucket: range.bucket, from, to: now ?? undefined });
  const history = h.data?.data;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <fieldset className="row">
        <legend>Range</legend>
        {RANGES.map((r) => (
          <label key={r.label} style={{ flexDirection: 'row', alignItems: 'center' }}>
            <input type="radio" name="range" checked={r === range} onChange={() => setRange(r)} /> {r.label}
          </label>
        ))}
      </fieldset>
      {h.isError && (
        <p role="alert" className="error">
          Could not load the history: {(h.error as Error).message}
        </p>
      )}
      {h.isPending && now !== null && <p role="status">Loading history…</p>}
      <div className="grid">
        <SeriesChart
          title="Delegated stake"
          series={[ioSeries('stake', 'Stake', decimals)]}
          points={pointsWith(history, ['stake'])}
        />
        <SeriesChart
          title="Rewards per period"
          series={[ioSeries('rewards', 'Pool rewards', decimals), ioSeries('rewards_to_delegators', 'To delegators', decimals)]}
          points={pointsWith(history, ['rewards'])}
        />
        {history?.points.some((p) => p.values.uptime_bps !== undefined) ? (
          <SeriesChart title="Uptime" series={[bpsSeries('uptime_bps', 'Uptime')]} points={pointsWith(history, ['uptime_bps'])} />
        ) : (
          <SeriesChart
            title="Active devices and GPUs"
            series={[countSeries('devices_active', 'Devices'), countSeries('gpus_active', 'GPUs')]}
            points={pointsWith(history, ['devices_active', 'gpus_active'])}
          />
        )}
        <SeriesChart
          title="Commission and slashes"
          series={[bpsSeries('commission_bps', 'Commission'), countSeries('slashes', 'Slashes')]}
          points={pointsWith(history, ['commission_bps', 'slashes'])}
        />
      </div>
    </section>
  );
}
