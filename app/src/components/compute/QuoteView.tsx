// The lease quote, line by line: what goes to escrow for the providers, the protocol fee (2 % for
// USDC, none for $IO) and the total the renter signs for (the transaction's `max_deposit`).
import { shortAddress } from './classes';
import type { Quote } from './quote';
import { formatUnits, showBps } from './units';
import { TableWrap } from '../TableWrap';

export default function QuoteView({ quote, decimals, symbol }: { quote: Quote; decimals: number; symbol: string }) {
  const f = (v: bigint) => `${formatUnits(v, decimals)} ${symbol}`;
  return (
    <section aria-label="Quote">
      <TableWrap label={`${quote.devices.length} device${quote.devices.length === 1 ? '' : 's'} for ${quote.hours} h`}>
        <table>
          <caption>
            {quote.devices.length} device{quote.devices.length === 1 ? '' : 's'} for {quote.hours} h
          </caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Rate / h</th>
              <th scope="col">For {quote.hours} h</th>
            </tr>
          </thead>
          <tbody>
            {quote.devices.map((d) => (
              <tr key={d.device}>
                <th scope="row" className="mono" title={d.device}>
                  {shortAddress(d.device)}
                </th>
                <td>{f(d.ratePerHour)}</td>
                <td>{f(d.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <dl className="quote">
        <dt>Escrow</dt>
        <dd>{f(quote.escrow)}</dd>
        <dt>{quote.fee > 0n || quote.feeBps > 0 ? `Protocol fee (${showBps(quote.feeBps)})` : 'Protocol fee'}</dt>
        <dd>{quote.fee > 0n || quote.feeBps > 0 ? f(quote.fee) : `none for ${symbol}`}</dd>
        <dt>Total</dt>
        <dd>{f(quote.total)}</dd>
      </dl>
      <p>
        {quote.fee > 0n
          ? 'The fee is reserved with the escrow and charged only on what providers are actually paid; the unused part comes back with the refund. '
          : ''}
        Downtime is never paid: usage the oracle does not attest is refunded when the lease ends. The transaction
        may take at most the total shown.
      </p>
    </section>
  );
}
