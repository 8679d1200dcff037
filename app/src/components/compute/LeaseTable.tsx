// A renter's leases: status, funded, used and refunded amounts in the lease's currency.
import { Link } from 'react-router';
import { ledger, secondsLeft } from './leaseFigures';
import { currencyOf, SYMBOL, type Mints } from './mints';
import { showDuration } from './time';
import type { LeaseRow } from './types';
import { formatUnits } from './units';
import { TableWrap } from '../TableWrap';

export default function LeaseTable({ rows, mints, now }: { rows: LeaseRow[]; mints: Mints | null; now: number | null }) {
  return (
    <TableWrap label="Leases, newest first; amounts in the lease's currency">
      <table>
        <caption>Leases, newest first; amounts in the lease's currency</caption>
        <thead>
          <tr>
            <th scope="col">Lease</th>
            <th scope="col">Status</th>
            <th scope="col">Devices</th>
            <th scope="col">Hours</th>
            <th scope="col">Time left</th>
            <th scope="col">Funded</th>
            <th scope="col">Paid to providers</th>
            <th scope="col">Fees</th>
            <th scope="col">Refunded</th>
            <th scope="col">Remaining</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => {
            const cur = mints ? currencyOf(mints, l.payment_mint) : null;
            const dec = cur && mints ? mints[cur].decimals : null;
            const f = (v: bigint) => (dec === null ? '—' : `${formatUnits(v, dec, 2)} ${SYMBOL[cur!]}`);
            const g = ledger(l);
            return (
              <tr key={l.address}>
                <th scope="row">
                  <Link to={`/leases/${l.address}`} className="mono">
                    {l.address.slice(0, 4)}…{l.address.slice(-4)}
                  </Link>
                </th>
                <td>{l.status ?? '—'}</td>
                <td>{l.device_count ?? '—'}</td>
                <td>{l.hours ?? '—'}</td>
                <td>{l.status !== 'open' ? '—' : now === null ? '…' : showDuration(secondsLeft(l, now))}</td>
                <td>{f(g.deposit)}</td>
                <td>{f(g.paid)}</td>
                <td>{f(g.fees)}</td>
                <td>{f(g.refunded)}</td>
                <td>{f(g.held)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
