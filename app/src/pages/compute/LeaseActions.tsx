// What the renter can do with a lease, as io_escrow allows it: top up (extend by whole hours),
// close (end now, unused time refunded at once), finalize (anyone, after end + grace: refund the
// rest). A control that cannot be used is disabled with its reason shown beside it.
import { useId, useState } from 'react';
import { renterActions } from '../../components/compute/leaseFigures';
import type { LeaseRow } from '../../components/compute/types';

export interface LeaseWrites {
  topUp: (hours: number) => Promise<void>;
  close: () => Promise<void>;
  finalize: () => Promise<void>;
}

export default function LeaseActions(props: {
  lease: LeaseRow;
  now: number | null;
  graceSecs: number | null;
  /// Null while no wallet is connected or it is not the renter's: then the reason is shown.
  writes: LeaseWrites | null;
  signerProblem: string | null;
  maxTopUpHours: number | null;
}) {
  const { lease, now, graceSecs, writes, signerProblem, maxTopUpHours } = props;
  const [hours, setHours] = useState('1');
  const [hoursError, setHoursError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hoursId = useId();
  if (now === null) return <p role="status">Reading chain time…</p>;
  const can = renterActions(lease, now, graceSecs);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    try {
      await f();
    } finally {
      setBusy(false);
    }
  };
  const topUp = () => {
    const h = Number(hours);
    if (!/^[0-9]+$/.test(hours.trim()) || !Number.isInteger(h) || h < 1) {
      setHoursError('Enter a whole number of hours, at least 1.');
      return;
    }
    if (maxTopUpHours !== null && h > maxTopUpHours) {
      setHoursError(`At most ${maxTopUpHours} more hours: the offers allow ${maxTopUpHours + (lease.hours ?? 0)} in all.`);
      return;
    }
    setHoursError(null);
    if (writes) void run(() => writes.topUp(h));
  };
  const renterOnly = signerProblem;
  return (
    <div className="panel">
      <h2>Manage</h2>
      {renterOnly ? <p role="status">{renterOnly}</p> : null}
      <div className="row">
        <label htmlFor={hoursId}>Hours to add</label>
        <input
          id={hoursId}
          inputMode="numeric"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          aria-invalid={hoursError !== null}
          aria-describedby={hoursError ? `${hoursId}-err` : undefined}
          disabled={can.topUp !== null}
        />
        <button type="button" onClick={topUp} disabled={busy || can.topUp !== null || writes === null}>
          Top up
        </button>
        {can.topUp ? <small>Top up: {can.topUp}</small> : null}
      </div>
      {hoursError ? (
        <p id={`${hoursId}-err`} role="alert" className="error">
          {hoursError}
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          onClick={() => writes && void run(writes.close)}
          disabled={busy || can.close !== null || writes === null}
        >
          Close lease
        </button>
        <small>
          {can.close
            ? `Close: ${can.close}`
            : 'Ends the lease now: unused time is refunded at once; the elapsed time stays until its usage is settled.'}
        </small>
      </div>
      <div className="row">
        <button
          type="button"
          onClick={() => writes && void run(writes.finalize)}
          disabled={busy || can.finalize !== null || writes === null}
        >
          Finalize
        </button>
        <small>{can.finalize ? `Finalize: ${can.finalize}` : 'Refunds what is left in escrow and closes the lease.'}</small>
      </div>
    </div>
  );
}
