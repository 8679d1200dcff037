import { useState } from 'react';
import { useTokenBalance } from '../../api/chain';
import { usePositions } from '../../api/hooks';
import type { OperatorRow } from '../../api/rows';
import { AmountInput } from '../../components/AmountInput';
import { TxButton } from '../../components/TxButton';
import { useConfig } from '../../config';
import { formatAmount, formatBps, parseAmount } from '../../lib/amount';
import { estimateRewards } from '../../lib/simulator';
import { useRpc } from '../../tx/rpc';
import { stakeRequest, useStakingConfig } from '../../tx/staking';
import { checkStake, cooldownNotice } from '../../tx/stakingRules';
import { useTx } from '../../tx/useTx';
import { useWallet } from '../../wallet/WalletProvider';

// The operator page's stake panel: amount with Max, the minimum stated inline before any
// wallet prompt, a rewards simulator at the operator's estimated net APY (an estimate, said so),
// the cooldown notice, and the Stake button driven by runTx.

export function StakePanel({ op }: { op: OperatorRow }) {
  const { mints } = useConfig();
  const rpc = useRpc();
  const { account } = useWallet();
  const owner = account?.address;
  const balance = useTokenBalance(owner, mints.io.address);
  const positions = usePositions(owner);
  const staking = useStakingConfig();
  const tx = useTx();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);

  const d = mints.io.decimals;
  const params = staking.data?.params;
  const current = positions.data?.data.find((p) => p.operator === op.address)?.value ?? 0n;
  const check = params && text.trim() !== '' ? checkStake(text, params, balance.data ?? null, current) : null;
  const parsed = parseAmount(text, d);
  const est = op.estNetApyBps !== null && parsed.ok ? estimateRewards(parsed.value, op.estNetApyBps) : null;
  const fmt = (v: bigint) => `${formatAmount(v, d, { maxFraction: 4 })} IO`;

  return (
    <section id="stake" className="panel" aria-labelledby="stake-title">
      <h2 id="stake-title">Stake with {op.name ?? 'this operator'}</h2>
      {current > 0n && <p className="muted">You have {fmt(current)} staked with this operator.</p>}
      <AmountInput
        value={text}
        onChange={(v) => {
          setText(v);
          setTouched(true);
          if (tx.state.phase !== 'idle' && !tx.busy) tx.reset();
        }}
        decimals={d}
        symbol="IO"
        balance={owner ? (balance.data ?? null) : null}
        // After a click the button shows the validation message; once is enough.
        error={touched && check && !check.ok && !(tx.state.phase === 'failed' && tx.state.stage === 'validating') ? check.error : null}
        hint={params ? `Minimum position: ${formatAmount(params.minStake, d)} IO.` : null}
      />
      <div className="simulator" aria-live="polite">
        <h3>Rewards estimate</h3>
        {op.estNetApyBps === null ? (
          <p className="muted">No APY estimate for this operator yet (it needs certified reward periods).</p>
        ) : est ? (
          <p>
            ≈ {fmt(est.perDay)} per day, {fmt(est.perMonth)} per month, {fmt(est.perYear)} per year at{' '}
            {formatBps(op.estNetApyBps)} est. net APY
            {op.commissionBps !== null ? ` (after ${formatBps(op.commissionBps)} commission)` : ''} —{' '}
            <strong>an estimate</strong> from past periods, not a promise.
          </p>
        ) : (
          <p className="muted">Enter an amount to see an estimate at {formatBps(op.estNetApyBps)} est. net APY.</p>
        )}
      </div>
      {params && <p className="notice">{cooldownNotice(params)}</p>}
      <TxButton
        tx={tx}
        label="Stake"
        disabledReason={!account ? 'Connect a wallet to stake.' : !staking.data ? 'Reading the staking program…' : null}
        request={() =>
          stakeRequest({ rpc, staking: staking.data!, staker: account!.address }, op.address, async () => {
            // Fresh figures from the node, not the form's cached ones.
            setTouched(true);
            const [fresh, pos] = await Promise.all([balance.refetch(), positions.refetch()]);
            const value = pos.data?.data.find((p) => p.operator === op.address)?.value ?? current;
            const c = checkStake(text, staking.data!.params, fresh.data ?? null, value);
            return c.ok ? c.amount : c.error;
          })
        }
        onDone={() => setText('')}
      />
    </section>
  );
}
