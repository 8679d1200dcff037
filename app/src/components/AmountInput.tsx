import { useId } from 'react';
import { formatAmount } from '../lib/amount';

// A token amount field: a visible "Amount" label, the balance, a Max button that fills the
// exact balance (fees are paid in SOL, so all of the token can go), and an inline message.

export function AmountInput({
  value,
  onChange,
  decimals,
  symbol,
  balance,
  error,
  hint,
  label = 'Amount',
  balanceLabel = 'Balance',
}: {
  value: string;
  onChange: (v: string) => void;
  decimals: number;
  symbol: string;
  balance?: bigint | null;
  error?: string | null;
  hint?: string | null;
  label?: string;
  /// What `balance` is ("Balance", "Staked").
  balanceLabel?: string;
}) {
  const id = useId();
  const msgId = `${id}-msg`;
  return (
    <div className="amount-input">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={!!error}
          aria-describedby={error || hint ? msgId : undefined}
          placeholder="0"
        />
        <span aria-hidden="true">{symbol}</span>
        <button type="button" disabled={balance === undefined || balance === null || balance === 0n} onClick={() => balance && onChange(formatAmount(balance, decimals, { group: false }))}>
          Max
        </button>
      </div>
      {balance !== undefined && balance !== null && (
        <p className="muted">
          {balanceLabel}: {formatAmount(balance, decimals, { maxFraction: 4 })} {symbol}
        </p>
      )}
      {error ? (
        <p id={msgId} role="alert" className="error">
          {error}
        </p>
      ) : hint ? (
        <p id={msgId} className="muted">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
