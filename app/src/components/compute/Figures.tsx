// A strip of labelled figures (a description list: each value is named for screen readers).
import type { ReactNode } from 'react';

export interface FigureItem {
  label: string;
  value: ReactNode;
  hint?: string;
}

export default function Figures({ items, label }: { items: FigureItem[]; label: string }) {
  return (
    <dl className="stats" aria-label={label}>
      {items.map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd>
            {f.value}
            {f.hint ? <small className="figure-hint">{f.hint}</small> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
