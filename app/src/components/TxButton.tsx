import { useId } from 'react';
import { describe as say } from '../tx/machine';
import type { TxRequest } from '../tx/runTx';
import type { useTx } from '../tx/useTx';

// A button that runs one transaction and says where it stands: the phase on the button while it
// runs, then the outcome beside it (role="status" for progress, success and a cancel; role="alert"
// for a failure). A disabled button always says why.

export function TxButton({
  tx,
  label,
  request,
  disabledReason,
  primary = true,
  onDone,
}: {
  tx: ReturnType<typeof useTx>;
  label: string;
  request: () => TxRequest;
  disabledReason?: string | null;
  primary?: boolean;
  onDone?: () => void;
}) {
  const reasonId = useId();
  const s = tx.state;
  const disabled = tx.busy || !!disabledReason;
  return (
    <div className="tx-button">
      <button
        type="button"
        className={primary ? 'primary' : undefined}
        disabled={disabled}
        aria-describedby={disabledReason ? reasonId : undefined}
        onClick={async () => {
          const r = await tx.run(request());
          if (r.phase === 'confirmed') onDone?.();
        }}
      >
        {tx.busy ? say(s, label) : label}
      </button>
      {disabledReason && !tx.busy && (
        <p id={reasonId} className="muted">
          {disabledReason}
        </p>
      )}
      <TxMessage state={s} label={label} />
    </div>
  );
}

export function TxMessage({ state, label }: { state: ReturnType<typeof useTx>['state']; label: string }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'failed':
    case 'expired':
      return (
        <p role="alert" className="error">
          {state.message}
        </p>
      );
    case 'rejected':
      return <p role="status">{state.message}</p>;
    default:
      return (
        <p role="status" className={state.phase === 'confirmed' && !state.indexing ? 'ok' : 'muted'}>
          {state.phase === 'confirmed' && !state.indexing ? `${label}: confirmed.` : say(state, label)}
        </p>
      );
  }
}
