// The recharts part of ChartPanel, in its own module so it is a separate chunk loaded after the
// page's figures have painted.
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow } from './ChartPanel';

export interface Series {
  key: string;
  label: string;
  color: string;
}

export default function LineChartView(props: {
  rows: ChartRow[];
  series: Series[];
  label: (t: number) => string;
  title: string;
}) {
  const { rows, series, label, title } = props;
  return (
    <div className="chart-box" role="img" aria-label={`${title} (chart; use "View as table" for the figures)`}>
      <LineChart responsive data={rows} style={{ width: '100%', height: 240 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="t" tickFormatter={label} minTickGap={24} />
        <YAxis width={72} />
        <Tooltip labelFormatter={(t) => label(Number(t))} />
        <Legend />
        {series.map((s) => (
          <Line key={s.key} type="monotone" dataKey={s.key} name={s.label} stroke={s.color} dot={false} connectNulls />
        ))}
      </LineChart>
    </div>
  );
}
