// The overview's history: stake, devices and supply per day from `/v1/network/history`, and
// burns per day from the burn rows of `/v1/burns`. Each chart has its table view (SeriesChart).
import { SeriesChart, type Series } from '../../components/SeriesChart';
import { useIndexer } from '../../components/compute/api';
import { dailySums, historyPoints, type HistoryData, type SeriesSpec } from '../../components/compute/history';
import { Loading, Problem } from '../../components/compute/Problem';
import type { Num } from '../../components/compute/types';
import { toBase } from '../../components/compute/units';
import { formatAmount, toChartNumber } from '../../lib/amount';

interface BurnRow {
  block_time: number | null;
  reason: string | null;
  amount: Num;
}

const tokens = (key: string, label: string, decimals: number): Series => ({
  key,
  label,
  toNumber: (v) => toChartNumber(v, decimals),
  format: (v) => formatAmount(v, decimals, { maxFraction: 2 }),
});
const count = (key: string, label: string): Series => ({
  key,
  label,
  toNumber: (v) => Number(v),
  format: (v) => formatAmount(v, 0),
});

// The series' field names in `/v1/network/history` points.
const STAKE: SeriesSpec[] = [{ key: 'stake', names: ['total_staked', 'staked', 'stake'] }];
const DEVICES: SeriesSpec[] = [
  { key: 'devices', names: ['devices_active', 'attested_devices', 'devices'] },
  { key: 'gpus', names: ['gpus_active', 'attested_gpus', 'gpus'] },
  { key: 'operators', names: ['operators'] },
];
const SUPPLY: SeriesSpec[] = [
  { key: 'supply', names: ['supply'] },
  { key: 'burned', names: ['burned', 'total_burned'] },
  { key: 'emitted', names: ['emitted', 'total_emitted'] },
];
const REASONS: [string, string][] = [
  ['lease_fee', 'Lease fees'],
  ['buyback', 'Buybacks'],
  ['slash', 'Slashes'],
  ['other', 'Other'],
];

export default function NetworkCharts({ decimals }: { decimals: number }) {
  const history = useIndexer<HistoryData>('/v1/network/history?bucket=day');
  const burns = useIndexer<BurnRow[]>('/v1/burns?limit=1000');
  const h = history.data?.data;
  return (
    <>
      <h2>History</h2>
      {history.isPending ? (
        <Loading what="network history" />
      ) : history.isError ? (
        <Problem error={history.error} what="network history" />
      ) : (
        <>
          <SeriesChart title="Total staked (IO)" series={[tokens('stake', 'Staked', decimals)]} points={historyPoints(h!, STAKE)} />
          <SeriesChart
            title="Attested devices, GPUs and operators"
            series={[count('devices', 'Devices'), count('gpus', 'GPUs'), count('operators', 'Operators')]}
            points={historyPoints(h!, DEVICES)}
          />
          <SeriesChart
            title="Supply, burned and emitted (IO)"
            series={[tokens('supply', 'Supply', decimals), tokens('burned', 'Burned', decimals), tokens('emitted', 'Emitted', decimals)]}
            points={historyPoints(h!, SUPPLY)}
          />
        </>
      )}
      {burns.isPending ? (
        <Loading what="burns" />
      ) : burns.isError ? (
        <Problem error={burns.error} what="burns" />
      ) : (
        <SeriesChart
          title="Burned per day (IO)"
          series={REASONS.map(([k, l]) => tokens(k, l, decimals))}
          points={dailySums(
            burns.data.data,
            (b) => b.block_time,
            (b) => toBase(b.amount),
            (b) => b.reason ?? 'other',
            REASONS.map(([k]) => k),
          )}
          empty="No $IO burned yet."
        />
      )}
    </>
  );
}
