import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Series, SeriesPoint } from './SeriesChart';

// The recharts part of SeriesChart, in its own chunk. Values reach it as numbers converted from
// base units by each series' toNumber; the table view shows the exact figures.

const COLORS = ['#7cc4ff', '#5fd49a', '#ffc561', '#ff8a8a', '#c9a7ff'];

export default function LineChartView({ title, series, points }: { title: string; series: Series[]; points: SeriesPoint[] }) {
  const data = points.map((p) => {
    const row: Record<string, number | null> = { t: p.t };
    for (const s of series) {
      const v = p.values[s.key];
      row[s.key] = v === null || v === undefined ? null : s.toNumber(v);
    }
    return row;
  });
  return (
    <div className="chart" role="img" aria-label={`${title} chart; use "View as table" for the figures`}>
      <LineChart data={data} responsive style={{ width: '100%', height: '100%' }} accessibilityLayer>
        <CartesianGrid stroke="#2c313c" />
        <XAxis dataKey="t" tickFormatter={(t: number) => new Date(t * 1000).toISOString().slice(5, 16).replace('T', ' ')} stroke="#a3aab8" />
        <YAxis stroke="#a3aab8" width={70} />
        <Tooltip labelFormatter={(t) => new Date(Number(t) * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'} contentStyle={{ background: '#181b22', border: '1px solid #2c313c' }} />
        <Legend />
        {series.map((s, i) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </div>
  );
}
