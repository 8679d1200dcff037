// The overview's history: stake, devices and supply per day from `/v1/network/history`, and
// burns per day from the burn rows of `/v1/burns`. Each chart has its table view.
import ChartPanel from '../../components/compute/ChartPanel';
import { useIndexer } from '../../components/compute/api';
import { dailySums, historyRows, type HistoryData, type SeriesSpec } from '../../components/compute/history';
import { Loading, Problem } from '../../components/compute/Problem';
import { toBase, chartNumber, formatUnits } from '../../components/compute/units';
import type { Num } from '../../components/compute/types';

const STAKE: SeriesSpec[] = [{ key: 'stake', names: ['total_staked', 'staked', 'stake'], decimals: 9 }];
const DEVICES: SeriesSpec[] = [
  { key: 'devices', names: ['devices_active', 'attested_devices', 'devices'], decimals: null },
  { key: 'gpus', names: ['gpus_active', 'attested_gpus', 'gpus'], decimals: null },
  { key: 'operators', names: ['operators'], decimals: null },
];
const SUPPLY: SeriesSpec[] = [
  { key: 'supply', names: ['supply'], decimals: 9 },
  { key: 'burned', names: ['burned', 'total_burned'], decimals: 9 },
  { key: 'emitted', names: ['emitted', 'total_emitted'], decimals: 9 },
];

interface BurnRow {
  block_time: number | null;
  reason: string | null;
  amount: Num;
}

function withDecimals(specs: SeriesSpec[], decimals: number): SeriesSpec[] {
  return specs.map((s) => (s.decimals === null ? s : { ...s, decimals }));
}

export default function NetworkCharts({ decimals }: { decimals: number }) {
  const history = useIndexer<HistoryData>('/v1/network/history?bucket=day');
  const burns = useIndexer<BurnRow[]>('/v1/burns?limit=1000');
  return (
    <>
      <h2>History</h2>
      {history.isPending ? (
        <Loading what="network history" />
      ) : history.isError ? (
        <Problem error={history.error} what="network history" />
      ) : (
        <HistoryCharts data={history.data.data} decimals={decimals} />
      )}
      {burns.isPending ? (
        <Loading what="burns" />
      ) : burns.isError ? (
        <Problem error={burns.error} what="burns" />
      ) : (
        <BurnChart rows={burns.data.data} decimals={decimals} />
      )}
    </>
  );
}

function HistoryCharts({ data, decimals }: { data: HistoryData; decimals: number }) {
  const bucket = data.bucket ?? 'day';
  const charts: { title: string; specs: SeriesSpec[]; labels: Record<string, [string, string]> }[] = [
    { title: 'Total staked (IO)', specs: STAKE, labels: { stake: ['Staked', '#2563eb'] } },
    {
      title: 'Attested devices, GPUs and operators',
      specs: DEVICES,
      labels: { devices: ['Devices', '#059669'], gpus: ['GPUs', '#d97706'], operators: ['Operators', '#7c3aed'] },
    },
    {
      title: 'Supply, burned and emitted (IO)',
      specs: SUPPLY,
      labels: { supply: ['Supply', '#2563eb'], burned: ['Burned', '#dc2626'], emitted: ['Emitted', '#059669'] },
    },
  ];
  return (
    <>
      {charts.map((c) => {
        const { rows, exact } = historyRows(data, withDecimals(c.specs, decimals));
        return (
          <ChartPanel
            key={c.title}
            title={c.title}
            rows={rows}
            bucket={bucket}
            series={c.specs.map((s) => ({ key: s.key, label: c.labels[s.key][0], color: c.labels[s.key][1] }))}
            cell={(r, k) => exact.get(`${r.t}:${k}`) ?? '—'}
          />
        );
      })}
    </>
  );
}

const REASONS: [string, string, string][] = [
  ['lease_fee', 'Lease fees', '#2563eb'],
  ['buyback', 'Buybacks', '#059669'],
  ['slash', 'Slashes', '#dc2626'],
  ['other', 'Other', '#6b7280'],
];

function BurnChart({ rows, decimals }: { rows: BurnRow[]; decimals: number }) {
  const days = dailySums(
    rows,
    (b) => b.block_time,
    (b) => toBase(b.amount),
    (b) => b.reason ?? 'other',
  );
  const chartRows = days.map((d) => {
    const r: { t: number; [k: string]: number | null } = { t: d.t };
    for (const [k] of REASONS) r[k] = chartNumber(d.sums.get(k) ?? 0n, decimals);
    return r;
  });
  const exact = new Map(days.map((d) => [d.t, d.sums]));
  return (
    <ChartPanel
      title="Burned per day (IO)"
      rows={chartRows}
      bucket="day"
      series={REASONS.map(([key, label, color]) => ({ key, label, color }))}
      cell={(r, k) => formatUnits(exact.get(r.t)?.get(k) ?? 0n, decimals, 2)}
    />
  );
}
