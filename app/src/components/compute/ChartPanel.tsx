// A chart with its table: every chart has a "View as table" toggle (screen readers, tests, exact
// figures). The chart itself (recharts) is loaded lazily so that it stays out of the first
// page's critical path: the figures paint first.
import { lazy, Suspense, useId, useState } from 'react';
import type { Series } from './LineChartView';
import TableScroll from './TableScroll';

const LineChartView = lazy(() => import('./LineChartView'));

export interface ChartRow {
  /// Unix seconds (chain time) of the bucket's start.
  t: number;
  [key: string]: number | null;
}

function bucketLabel(t: number, bucket: 'hour' | 'day'): string {
  const iso = new Date(t * 1000).toISOString();
  return bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

export default function ChartPanel(props: {
  title: string;
  rows: ChartRow[];
  series: Series[];
  bucket: 'hour' | 'day';
  /// Table cells: the exact figure as text (the chart plots an approximation).
  cell: (row: ChartRow, key: string) => string;
}) {
  const { title, rows, series, bucket, cell } = props;
  const [asTable, setAsTable] = useState(false);
  const headingId = useId();
  return (
    <section className="chart-panel" aria-labelledby={headingId}>
      <div className="chart-head">
        <h3 id={headingId}>{title}</h3>
        <button type="button" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
          {asTable ? 'View as chart' : 'View as table'}
        </button>
      </div>
      {rows.length === 0 ? (
        <p role="status">No history recorded yet.</p>
      ) : asTable ? (
        <TableScroll label={title}>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{bucket === 'day' ? 'Day (UTC)' : 'Hour (UTC)'}</th>
                {series.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.t}>
                  <th scope="row">{bucketLabel(r.t, bucket)}</th>
                  {series.map((s) => (
                    <td key={s.key}>{cell(r, s.key)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : (
        <Suspense fallback={<div className="chart-placeholder" aria-hidden="true" />}>
          <LineChartView rows={rows} series={series} label={(t) => bucketLabel(t, bucket)} title={title} />
        </Suspense>
      )}
    </section>
  );
}
