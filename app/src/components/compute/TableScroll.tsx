// A wide table's horizontal scroller: on a phone the table scrolls sideways, so the region is
// focusable (keyboard users can scroll it) and named after the table.
import type { ReactNode } from 'react';

export default function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
