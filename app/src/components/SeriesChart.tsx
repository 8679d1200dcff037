import { lazy, Suspense, useId, useState } from 'react';
import { formatDate } from '../lib/time';
import { TableWrap } from './TableWrap';

// A history chart with its table: every chart in the app can be read as a table ("View as
// table"), for screen readers, for checking figures, and for copying. The chart itself
// (recharts) loads on demand, outside the first page's JavaScript.

const LineChartView = lazy(() => import('./LineChartView'));

export type Series = {
  key: string;
  label: string;
  /// Value → number for the axis (charts only; the table shows `format`).
  toNumber: (v: bigint) => number;
  format: (v: bigint) => string;
};

export type SeriesPoint = { t: number; values: Record<string, bigint | null> };

export function SeriesChart({ title, series, points, empty }: { title: string; series: Series[]; points: SeriesPoint[]; empty?: string }) {
  const [table, setTable] = useState(false);
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3 id={headingId}>{title}</h3>
        <button type="button" aria-pressed={table} onClick={() => setTable((t) => !t)}>
          {table ? 'View as chart' : 'View as table'}
        </button>
      </div>
      {points.length === 0 ? (
        <p className="muted">{empty ?? 'No data yet.'}</p>
      ) : table ? (
        <TableWrap label={`${title} table`}>
          <table>
            <caption className="muted">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.t}>
                  <td>{formatDate(p.t)}</td>
                  {series.map((s) => {
                    const v = p.values[s.key];
                    return (
                      <td key={s.key} className="num">
                        {v === null || v === undefined ? '—' : s.format(v)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <LineChartView title={title} series={series} points={points} />
        </Suspense>
      )}
    </section>
  );
}
