import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Position } from '../../api/rows';
import { AmountInput } from '../../components/AmountInput';
import { TxButton } from '../../components/TxButton';
import { useConfig } from '../../config';
import { formatAmount } from '../../lib/amount';
import { shortAddress } from '../../lib/address';
import { countdown, formatDate, formatDuration } from '../../lib/time';
import { useRpc } from '../../tx/rpc';
import { claimRequest, unstakeRequest, useStakingConfig, withdrawRequest } from '../../tx/staking';
import { checkUnstake, cooldownNotice, withdrawBlocker } from '../../tx/stakingRules';
import { useTx } from '../../tx/useTx';
import { useWallet } from '../../wallet/WalletProvider';

// One position: value, warming-up part, claimable rewards with "Claim rewards", "Unstake" (a
// dialog stating the cooldown first), pending unstakes with countdown, unlock date and progress
// from chain time, and "Withdraw", enabled only once one has matured (otherwise it says when).

export function PositionCard({ position: p, now, cooldownSecs }: { position: Position; now: number | null; cooldownSecs: number }) {
  const { mints } = useConfig();
  const rpc = useRpc();
  const { account } = useWallet();
  const staking = useStakingConfig();
  const claim = useTx();
  const withdraw = useTx();
  const [unstakeOpen, setUnstakeOpen] = useState(false);
  const d = mints.io.decimals;
  const io = (v: bigint) => `${formatAmount(v, d, { maxFraction: 4 })} IO`;
  const name = p.operatorName ?? shortAddress(p.operator);
  const env = account && staking.data ? { rpc, staking: staking.data, staker: account.address } : null;
  const notReady = !env ? (!account ? 'Connect a wallet.' : 'Reading the staking program…') : null;
  const blocker = withdrawBlocker(
    p.pendingUnstakes.map((t) => t.unlockTs),
    now,
  );

  return (
    <article className="panel" aria-labelledby={`pos-${p.operator}`}>
      <h3 id={`pos-${p.operator}`}>
        <Link to={`/operators/${p.operator}`}>{name}</Link>
      </h3>
      <dl className="stats">
        <div>
          <dt>Value</dt>
          <dd>{io(p.value)}</dd>
        </div>
        {p.activatingValue > 0n && (
          <div>
            <dt>Activating</dt>
            <dd>
              {io(p.activatingValue)}
              <div className="muted">earns from the next reward period</div>
            </dd>
          </div>
        )}
        <div>
          <dt>Claimable rewards</dt>
          <dd>{p.claimable === null ? '—' : io(p.claimable)}</dd>
        </div>
        <div>
          <dt>Claimed so far</dt>
          <dd>{io(p.rewardsClaimed)}</dd>
        </div>
      </dl>
      <div className="row">
        <TxButton
          tx={claim}
          label="Claim rewards"
          disabledReason={notReady ?? (p.claimable === null || p.claimable === 0n ? 'No rewards to claim yet.' : null)}
          request={() => claimRequest(env!, p.operator)}
        />
        <button type="button" disabled={p.value === 0n || !!notReady} onClick={() => setUnstakeOpen(true)}>
          Unstake
        </button>
      </div>

      {p.pendingUnstakes.length > 0 && (
        <section aria-label={`Pending unstakes from ${name}`}>
          <h4>Pending unstakes</h4>
          <ul className="tickets">
            {p.pendingUnstakes.map((t) => {
              const c = now === null ? null : countdown(t.unlockTs, now, cooldownSecs);
              return (
                <li key={t.signature}>
                  <strong>{io(t.amount)}</strong> —{' '}
                  {c === null ? 'waiting for chain time…' : c.matured ? <span className="ok">ready to withdraw</span> : `${formatDuration(c.left)} left`}
                  <div className="muted">unlocks {formatDate(t.unlockTs)}</div>
                  {c && (
                    <progress max={1} value={c.progress} aria-label={`Cooldown of ${io(t.amount)}: ${Math.floor(c.progress * 100)}% elapsed`} />
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {/* Kept while its transaction runs: the ticket leaves the list once the withdrawal is indexed. */}
      {(p.pendingUnstakes.length > 0 || withdraw.state.phase !== 'idle') && (
        <TxButton tx={withdraw} label="Withdraw" disabledReason={notReady ?? blocker} request={() => withdrawRequest(env!, p.operator)} />
      )}
      {unstakeOpen && env && (
        <UnstakeDialog
          position={p}
          name={name}
          onClose={() => setUnstakeOpen(false)}
          request={(text) => {
            const check = () => {
              const c = checkUnstake(text, env.staking.params, p.value, p.pendingUnstakes.length);
              return Promise.resolve(c.ok ? c.amount : c.error);
            };
            return unstakeRequest(env, p.operator, check);
          }}
          notice={cooldownNotice(env.staking.params)}
          cooldownSecs={env.staking.params.cooldownSecs}
        />
      )}
    </article>
  );
}

function UnstakeDialog({
  position: p,
  name,
  onClose,
  request,
  notice,
  cooldownSecs,
}: {
  position: Position;
  name: string;
  onClose: () => void;
  request: (text: string) => ReturnType<typeof unstakeRequest>;
  notice: string;
  cooldownSecs: number;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { mints } = useConfig();
  const staking = useStakingConfig();
  const tx = useTx();
  const [text, setText] = useState('');
  const d = mints.io.decimals;
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const check = staking.data && text.trim() !== '' ? checkUnstake(text, staking.data.params, p.value, p.pendingUnstakes.length) : null;
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="unstake-title" onClose={onClose}>
      <h2 id="unstake-title">Unstake from {name}</h2>
      <p className="notice">
        <strong>Cooldown: {formatDuration(cooldownSecs)}.</strong> {notice}
      </p>
      {p.pendingUnstakes.length > 0 && (
        <p className="muted">Each unstake starts its own cooldown; your {p.pendingUnstakes.length} pending unstake(s) keep their dates.</p>
      )}
      <AmountInput
        value={text}
        onChange={(v) => {
          setText(v);
          if (tx.state.phase !== 'idle' && !tx.busy) tx.reset();
        }}
        decimals={d}
        symbol="IO"
        balance={p.value}
        balanceLabel="Staked"
        error={check && !check.ok && !(tx.state.phase === 'failed' && tx.state.stage === 'validating') ? check.error : null}
      />
      <div className="row">
        <TxButton tx={tx} label="Unstake" request={() => request(text)} onDone={() => setTimeout(onClose, 1200)} />
        <button type="button" onClick={onClose} disabled={tx.busy}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
