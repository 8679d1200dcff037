// Opening a lease: choose devices (from the devices page's selection or the picker below), the
// duration and the currency; the indexer's quote shows the escrow, the fee and the total, and the
// total bounds the transaction (`max_deposit`).
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { address } from '@solana/kit';
import { findLeasePda } from '../../generated/io_escrow';
import { TxButton } from '../../components/TxButton';
import { useTx } from '../../tx/useTx';
import { newNonce, openLeaseRequest } from '../../components/compute/escrowTx';
import { useEscrowEnv, useEscrowTerms, useOpenLeaseRent } from '../../components/compute/useEscrow';
import { formatBps } from '../../lib/amount';
import { useChainNow, useIndexer } from '../../components/compute/api';
import DeviceTable from '../../components/compute/DeviceTable';
import { SYMBOL, useMints } from '../../components/compute/mints';
import { Loading, Problem } from '../../components/compute/Problem';
import { parseQuote, type Currency } from '../../components/compute/quote';
import QuoteView from '../../components/compute/QuoteView';
import { browserRegion } from '../../components/compute/region';
import { useDevicePages } from '../../components/compute/useDevicePages';
import '../../components/compute/compute.css';

// io_escrow MAX_LEASE_DEVICES and MAX_LEASE_HOURS (programs/io_escrow/src/constants.rs).
export const MAX_LEASE_DEVICES = 8;
const MAX_LEASE_HOURS = 8760;

/// The duration field: a whole number of hours, at least 1, else the message shown under it.
export function hoursProblem(text: string): string | null {
  if (!/^[0-9]+$/.test(text.trim())) return 'Enter the duration as a whole number of hours.';
  const h = Number(text);
  if (h < 1) return 'A lease lasts at least 1 hour.';
  if (h > MAX_LEASE_HOURS) return 'A lease lasts at most 8,760 hours (a year); top it up later for more.';
  return null;
}

/// `value` once it has stayed the same for `ms` (the quote is asked for what the renter settled
/// on, not for every keystroke).
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/// A currency's choice with its fee rate from io_escrow's config ("USDC (2% fee)", "$IO (no fee)").
function feeLabel(symbol: string, bps: number | undefined): string {
  if (bps === undefined) return symbol;
  return bps === 0 ? `${symbol} (no fee)` : `${symbol} (${formatBps(bps)} fee)`;
}

export default function LeaseNew() {
  const [params] = useSearchParams();
  const [devices, setDevices] = useState<Set<string>>(
    () => new Set((params.get('devices') ?? '').split(',').filter((d) => d.length > 0).slice(0, MAX_LEASE_DEVICES)),
  );
  const [hours, setHours] = useState('1');
  const [currency, setCurrency] = useState<Currency>('usdc');
  const mints = useMints();
  const now = useChainNow();
  const env = useEscrowEnv();
  const rent = useOpenLeaseRent();
  const terms = useEscrowTerms().data;
  const tx = useTx();
  const navigate = useNavigate();
  // One nonce per lease this page opens: the lease's address is ["lease", renter, nonce].
  const [nonce, setNonce] = useState(newNonce);
  const picker = useDevicePages({ near: browserRegion(), green: false, class: '', gpuModel: '', availability: 'available' });
  const pickerRows = picker.data?.pages.flatMap((p) => p.data) ?? [];
  const hoursError = hoursProblem(hours);
  const list = useMemo(() => [...devices], [devices]);
  const wanted =
    hoursError === null && list.length > 0
      ? `/v1/quote?devices=${list.join(',')}&hours=${Number(hours)}&currency=${currency}`
      : null;
  const settled = useSettled(wanted, 300);
  const quotePath = wanted === null ? null : settled;
  const q = useIndexer<unknown>(quotePath, { refreshAfterWrites: false });
  const quote = q.data ? parseQuote(q.data.data) : null;
  const toggle = (a: string) =>
    setDevices((s) => {
      const n = new Set(s);
      if (n.has(a)) n.delete(a);
      else if (n.size < MAX_LEASE_DEVICES) n.add(a);
      return n;
    });
  const dec = mints ? mints[currency].decimals : null;
  return (
    <section className="compute-page">
      <h1>New lease</h1>
      <form aria-label="New lease" onSubmit={(e) => e.preventDefault()}>
        <h2>Devices</h2>
        <p role="status">
          {list.length === 0
            ? 'Choose at least one available device below (or on the Devices page).'
            : `${list.length} device${list.length === 1 ? '' : 's'} chosen (at most ${MAX_LEASE_DEVICES}).`}
        </p>
        {list.length > 0 ? (
          <ul className="chosen">
            {list.map((d) => (
              <li key={d}>
                <span className="mono">{d}</span>{' '}
                <button type="button" onClick={() => toggle(d)} aria-label={`Remove device ${d}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="row">
          <label>
            Duration (hours)
            <input
              inputMode="numeric"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
              aria-invalid={hoursError !== null}
              aria-describedby={hoursError ? 'hours-error' : undefined}
            />
          </label>
          <fieldset>
            <legend>Pay in</legend>
            {(['usdc', 'io'] as Currency[]).map((c) => (
              <label key={c} className="checkbox">
                <input type="radio" name="currency" value={c} checked={currency === c} onChange={() => setCurrency(c)} />
                {feeLabel(c === 'usdc' ? 'USDC' : '$IO', c === 'usdc' ? terms?.usdcFeeBps : terms?.ioFeeBps)}
              </label>
            ))}
          </fieldset>
        </div>
        {hoursError ? (
          <p id="hours-error" role="alert" className="error">
            {hoursError}
          </p>
        ) : null}
        <h2>Quote</h2>
        {quotePath === null ? (
          <p role="status">The quote appears once devices and a duration are chosen.</p>
        ) : q.isPending ? (
          <Loading what="the quote" />
        ) : q.isError ? (
          <Problem error={q.error} what="the quote" />
        ) : quote === null || dec === null ? (
          <p role="alert">The indexer's quote could not be read; nothing can be signed for it.</p>
        ) : (
          <QuoteView quote={quote} decimals={dec} symbol={SYMBOL[currency]} />
        )}
        <TxButton
          tx={tx}
          label="Open lease"
          disabledReason={
            env === null
              ? 'Connect a wallet to open the lease.'
              : list.length === 0
                ? 'Choose at least one device.'
                : hoursError
                  ? hoursError
                  : quote === null || dec === null || wanted !== quotePath || q.isFetching
                    ? 'Waiting for the quote.'
                    : rent.data === undefined
                      ? 'Reading the rent for the lease account…'
                      : null
          }
          request={() =>
            openLeaseRequest(env!, {
              quote: quote!,
              decimals: dec!,
              symbol: SYMBOL[currency],
              nonce,
              rentLamports: rent.data!,
              // The quote must be the one for what the form shows now.
              // The quote must be for exactly the devices, hours, currency and mint the form shows:
              // its total is the most the renter signs for.
              precheck: () =>
                quote!.hours !== Number(hours) ||
                quote!.currency !== currency ||
                quote!.paymentMint !== mints![currency].address ||
                !sameDevices(quote!.devices.map((d) => d.device), list)
                  ? 'The quote is out of date; wait for it to refresh.'
                  : null,
            })
          }
          onDone={() => {
            void findLeasePda({ renter: address(env!.renter), nonce }, { programAddress: env!.program }).then(([lease]) => {
              setNonce(newNonce());
              navigate(`/leases/${lease}`);
            });
          }}
        />
      </form>
      <h2>Available devices</h2>
      {picker.isPending ? (
        <Loading what="available devices" />
      ) : picker.isError ? (
        <Problem error={picker.error} what="available devices" />
      ) : (
        <>
          <DeviceTable
            rows={pickerRows}
            mints={mints}
            caption="Available devices, nearest first"
            selected={devices}
            onToggle={toggle}
            showDistance
            now={now}
          />
          {picker.hasNextPage ? (
            <button type="button" onClick={() => void picker.fetchNextPage()}>
              Load more devices
            </button>
          ) : null}
        </>
      )}
      <p>
        <Link to="/leases">My leases</Link>
      </p>
    </section>
  );
}

/// Whether two device lists name the same devices (order aside; the form never lists one twice).
function sameDevices(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((d) => set.has(d));
}
