// What the renter can do with a lease, as io_escrow allows it: top up (extend by whole hours),
// close (end now, unused time refunded at once), finalize (anyone, after end + grace: refund the
// rest). Each write goes through the shell's runTx (validate, simulate, sign, confirm, index);
// a control that cannot be used is disabled with its reason shown.
import { useId, useState } from 'react';
import { TxButton } from '../../components/TxButton';
import { closeRequest, finalizeRequest, topUpRequest } from '../../components/compute/escrowTx';
import { renterActions, topUpCost } from '../../components/compute/leaseFigures';
import type { Currency } from '../../components/compute/quote';
import type { LeaseRow } from '../../components/compute/types';
import { useChainLease, useEscrowEnv, useEscrowTerms } from '../../components/compute/useEscrow';
import { useTx } from '../../tx/useTx';

export default function LeaseActions(props: {
  lease: LeaseRow;
  now: number | null;
  currency: Currency | null;
  decimals: number | null;
  symbol: string;
}) {
  const { lease, now, currency, decimals, symbol } = props;
  const env = useEscrowEnv();
  const terms = useEscrowTerms();
  const chain = useChainLease(lease.address);
  const topUpTx = useTx();
  const closeTx = useTx();
  const finalizeTx = useTx();
  const [hours, setHours] = useState('1');
  const hoursId = useId();
  if (now === null) return <p role="status">Reading chain time…</p>;
  const can = renterActions(lease, now, terms.data?.graceSecs ?? null);
  const notRenter =
    env === null
      ? 'Connect the renter’s wallet first.'
      : env.renter !== lease.renter
        ? 'Only the renter can do this; the connected wallet is not the renter.'
        : null;
  const l = chain.data ?? null;
  const h = /^[0-9]+$/.test(hours.trim()) ? Number(hours) : NaN;
  const hoursError = !Number.isInteger(h) || h < 1 ? 'Enter a whole number of hours, at least 1.' : null;
  const room = l ? l.maxHours - l.hours : null;
  const topUpReason =
    can.topUp ??
    notRenter ??
    hoursError ??
    (room !== null && h > room ? `At most ${room} more hours: the offers allow ${l!.maxHours} in all.` : null) ??
    (decimals === null || l === null || !terms.data || currency === null ? 'Reading the lease on chain…' : null);
  return (
    <section className="panel" aria-labelledby={`${hoursId}-h`}>
      <h2 id={`${hoursId}-h`}>Manage</h2>
      <div className="row">
        <label>
          Hours to add
          <input inputMode="numeric" value={hours} onChange={(e) => setHours(e.target.value)} aria-invalid={hoursError !== null} />
        </label>
        <TxButton
          tx={topUpTx}
          label="Top up"
          primary={false}
          disabledReason={topUpReason}
          request={() =>
            topUpRequest(env!, {
              lease: lease.address,
              hours: h,
              decimals: decimals!,
              symbol,
              cost: (x) => topUpCost(x.devices.map((d) => d.ratePerHour), h, x.feeBps),
              minDeposit: currency === 'usdc' ? terms.data!.minDepositUsdc : terms.data!.minDepositIo,
            })
          }
        />
      </div>
      <div className="row">
        <TxButton
          tx={closeTx}
          label="Close lease"
          primary={false}
          disabledReason={can.close ?? notRenter}
          request={() => closeRequest(env!, { lease: lease.address })}
        />
        <p className="muted">
          Ends the lease now: unused time is refunded at once; the elapsed time stays in escrow until its usage is settled.
        </p>
      </div>
      <div className="row">
        <TxButton
          tx={finalizeTx}
          label="Finalize"
          primary={false}
          disabledReason={can.finalize ?? (env === null ? 'Connect a wallet to send it (anyone may).' : null)}
          request={() => finalizeRequest(env!, { lease: lease.address })}
        />
        <p className="muted">Refunds what is left in escrow to the renter and closes the lease.</p>
      </div>
    </section>
  );
}
