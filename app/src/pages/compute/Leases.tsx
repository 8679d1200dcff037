// The connected wallet's leases as renter (`/v1/leases?renter=`); any renter's with `?renter=`.
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useChainNow, useIndexer } from '../../components/compute/api';
import LeaseTable from '../../components/compute/LeaseTable';
import { useMints } from '../../components/compute/mints';
import { Loading, Problem } from '../../components/compute/Problem';
import type { LeaseRow } from '../../components/compute/types';
import { useConnectedAddress } from '../../components/compute/wallet';
import '../../components/compute/compute.css';

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

export default function Leases() {
  const connected = useConnectedAddress();
  const [params, setParams] = useSearchParams();
  const renter = params.get('renter') ?? connected;
  const [text, setText] = useState(renter ?? '');
  const [error, setError] = useState<string | null>(null);
  const mints = useMints();
  const now = useChainNow();
  const q = useIndexer<LeaseRow[]>(renter ? `/v1/leases?renter=${renter}&limit=100` : null);
  return (
    <section className="compute-page">
      <h1>Leases</h1>
      <p>
        <Link to="/leases/new">New lease</Link> · <Link to="/devices">Browse devices</Link>
      </p>
      <form
        className="row"
        aria-label="Renter"
        onSubmit={(e) => {
          e.preventDefault();
          const t = text.trim();
          if (!BASE58.test(t)) {
            setError('Enter a wallet address (base58, 32–44 characters).');
            return;
          }
          setError(null);
          setParams({ renter: t });
        }}
      >
        <label>
          Renter address
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby={error ? 'renter-error' : undefined}
            spellCheck={false}
          />
        </label>
        <button type="submit">Show leases</button>
        {error ? (
          <p id="renter-error" role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
      {!renter ? (
        <p role="status">Connect a wallet to see your leases, or enter a renter address.</p>
      ) : q.isPending ? (
        <Loading what="leases" />
      ) : q.isError ? (
        <Problem error={q.error} what="leases" />
      ) : q.data.data.length === 0 ? (
        <p role="status">No leases for this renter yet.</p>
      ) : (
        <LeaseTable rows={q.data.data} mints={mints} now={now} />
      )}
    </section>
  );
}
