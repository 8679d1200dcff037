// The overview's history per day from `/v1/network/history` (stake, devices, supply, burns at
// the end of each bucket, recorded by the indexer from the events it ingests). Each chart has its
// table view (SeriesChart).
import { SeriesChart, type Series } from '../../components/SeriesChart';
import { useIndexer } from '../../components/compute/api';
import { fromFirstActivity, historyPoints, type HistoryData, type SeriesSpec } from '../../components/compute/history';
import { Loading, Problem } from '../../components/compute/Problem';
import { formatAmount, toChartNumber } from '../../lib/amount';

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
// A point's fields, as indexer/src/store/history.rs `NetworkPoint` names them.
const spec = (...keys: string[]): SeriesSpec[] => keys.map((k) => ({ key: k, names: [k] }));

export default function NetworkCharts({ decimals }: { decimals: number }) {
  const history = useIndexer<HistoryData>('/v1/network/history?bucket=day');
  if (history.isPending) return <Loading what="network history" />;
  if (history.isError) return <Problem error={history.error} what="network history" />;
  const h = history.data.data;
  // Every chart starts at the network's first recorded activity (one time axis for all).
  const start = fromFirstActivity(historyPoints(h, spec('staked', 'devices_active', 'operators', 'supply', 'burned')))[0]?.t ?? 0;
  return (
    <>
      <SeriesChart
        title="Total staked (IO)"
        series={[tokens('staked', 'Staked', decimals)]}
        points={historyPoints(h, spec('staked')).filter((p) => p.t >= start)}
      />
      <SeriesChart
        title="Attested devices, GPUs and operators"
        series={[count('devices_active', 'Devices'), count('gpus_active', 'GPUs'), count('operators', 'Operators')]}
        points={historyPoints(h, spec('devices_active', 'gpus_active', 'operators')).filter((p) => p.t >= start)}
      />
      <SeriesChart
        title="Burned (IO)"
        series={[tokens('burned_in_bucket', 'Burned that day', decimals), tokens('burned', 'Burned in total', decimals)]}
        points={historyPoints(h, spec('burned_in_bucket', 'burned')).filter((p) => p.t >= start)}
      />
      <SeriesChart
        title="Supply and minted (IO)"
        series={[tokens('supply', 'Supply', decimals), tokens('minted', 'Minted in total', decimals)]}
        points={historyPoints(h, spec('supply', 'minted')).filter((p) => p.t >= start)}
      />
    </>
  );
}
