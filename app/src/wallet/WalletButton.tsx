import { useState } from 'react';
import { ConnectDialog } from './ConnectDialog';
import { useWallet } from './WalletProvider';
import { shortAddress } from '../lib/address';

// The header's wallet control: "Connect wallet", or the connected account with its menu
// (switch account, copy address, disconnect).

export function WalletButton() {
  const { account, wallet, disconnect, selectAccount } = useWallet();
  const [dialog, setDialog] = useState(false);
  const [menu, setMenu] = useState(false);
  const [copied, setCopied] = useState(false);

  if (!account || !wallet) {
    return (
      <>
        <button type="button" className="primary" onClick={() => setDialog(true)}>
          Connect wallet
        </button>
        <ConnectDialog open={dialog} onClose={() => setDialog(false)} />
      </>
    );
  }
  return (
    <div className="account-menu">
      <button
        type="button"
        aria-expanded={menu}
        aria-controls="account-menu-list"
        onClick={() => setMenu((m) => !m)}
      >
        {/* The name starts "Account <address>" and contains the visible text (WCAG 2.5.3). */}
        <span className="sr-only">Account {account.address}, </span>
        {wallet.icon && <img src={wallet.icon} alt="" width={16} height={16} />} {account.label ?? shortAddress(account.address)}
      </button>
      {menu && (
        <div id="account-menu-list" className="menu">
          <p className="muted mono">{account.address}</p>
          {wallet.accounts.length > 1 && (
            <fieldset>
              <legend>Account</legend>
              {wallet.accounts.map((a) => (
                <label key={a.address}>
                  <input type="radio" name="account" checked={a.address === account.address} onChange={() => selectAccount(a)} />{' '}
                  {a.label ?? shortAddress(a.address)}
                </label>
              ))}
            </fieldset>
          )}
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(account.address).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy address'}
          </button>
          <button
            type="button"
            onClick={() => {
              setMenu(false);
              void disconnect();
            }}
          >
            Disconnect
          </button>
        </div>
      )}
    </div>
  );
}
