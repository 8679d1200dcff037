import { useEffect, useId, useRef, useState } from 'react';
import { useConnect, type UiWallet } from '@wallet-standard/react';
import { useWallet } from './WalletProvider';
import { isRejection } from '../tx/classify';

// The connect dialog: every registered wallet that can sign Solana transactions, or help when
// there is none. A native <dialog> (focus trap, Escape, inert page) with a visible heading.

export function ConnectDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  // One dialog per wallet button (the header's, a page's own): ids must not repeat.
  const titleId = useId();
  const { wallets } = useWallet();
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setMessage(null);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Connect a wallet</h2>
      {wallets.length === 0 ? (
        <div>
          <p>
            <strong>No wallet found.</strong> Install a Solana wallet that supports the Wallet Standard (Phantom,
            Solflare, Backpack), then reload this page.
          </p>
        </div>
      ) : (
        <ul className="wallet-list">
          {wallets.map((w) => (
            <WalletRow key={w.name} wallet={w} onDone={onClose} onMessage={setMessage} />
          ))}
        </ul>
      )}
      {message && (
        <p role={message.kind} className={message.kind === 'alert' ? 'error' : 'muted'}>
          {message.text}
        </p>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}

function WalletRow({
  wallet,
  onDone,
  onMessage,
}: {
  wallet: UiWallet;
  onDone: () => void;
  onMessage: (m: { kind: 'status' | 'alert'; text: string } | null) => void;
}) {
  const [connecting, connect] = useConnect(wallet);
  const { select } = useWallet();
  const go = async () => {
    onMessage(null);
    try {
      const accounts = await connect();
      if (accounts.length === 0) {
        onMessage({ kind: 'alert', text: `${wallet.name} granted no account.` });
        return;
      }
      select(wallet, accounts);
      onDone();
    } catch (e) {
      onMessage(
        isRejection(e)
          ? { kind: 'status', text: 'Connection cancelled in the wallet.' }
          : { kind: 'alert', text: `${wallet.name} could not connect: ${(e as Error).message ?? String(e)}` },
      );
    }
  };
  return (
    <li>
      <button type="button" className="wallet-option" onClick={go} disabled={connecting}>
        {wallet.icon && <img src={wallet.icon} alt="" width={24} height={24} />}
        <span>{connecting ? `Connecting to ${wallet.name}…` : wallet.name}</span>
      </button>
    </li>
  );
}
