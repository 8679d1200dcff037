import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useWallets, type UiWallet, type UiWalletAccount } from '@wallet-standard/react';
import { getWalletFeature } from '@wallet-standard/ui';
import { useConfig } from '../config';
import { CONNECT, DISCONNECT, chainId, isSolanaWallet } from './features';
import { loadSaved, save, type Saved } from './persist';
import { walletSigner, type WalletSigner } from './signer';

// The app's wallet state over the Wallet Standard registry: which wallets can sign Solana
// transactions, which one the user chose (persisted), its selected account, and a signer for
// runTx. The registry's `change` events reach us through useWallets (it re-renders on them).

type ConnectFeature = { connect(input?: { silent?: boolean }): Promise<{ accounts: readonly unknown[] }> };
type DisconnectFeature = { disconnect(): Promise<void> };

export type WalletState = {
  wallets: readonly UiWallet[];
  wallet: UiWallet | null;
  account: UiWalletAccount | null;
  signer: WalletSigner | null;
  /// Called with the accounts a connect returned.
  select: (wallet: UiWallet, accounts: readonly UiWalletAccount[]) => void;
  selectAccount: (account: UiWalletAccount) => void;
  disconnect: () => Promise<void>;
};

const WalletContext = createContext<WalletState | null>(null);

export function WalletProvider({ children }: { children: ReactNode }) {
  const config = useConfig();
  const all = useWallets();
  const wallets = useMemo(() => all.filter(isSolanaWallet), [all]);
  const [saved, setSaved] = useState<Saved | null>(() => loadSaved());
  const tried = useRef(new Set<string>());

  const wallet = saved ? (wallets.find((w) => w.name === saved.wallet) ?? null) : null;
  // The saved account if the wallet still grants it; else, after an account switch in the
  // wallet (a `change` event), its first account.
  const account = wallet ? (wallet.accounts.find((a) => a.address === saved?.address) ?? wallet.accounts[0] ?? null) : null;

  // Silent reconnect: once per wallet per page load, when the saved wallet grants no account yet.
  useEffect(() => {
    if (!saved || !wallet || wallet.accounts.length > 0 || tried.current.has(wallet.name)) return;
    tried.current.add(wallet.name);
    if (!wallet.features.includes(CONNECT)) return;
    const f = getWalletFeature(wallet, CONNECT) as ConnectFeature;
    f.connect({ silent: true }).catch(() => {
      // Not authorised any more: stay disconnected; the user connects again.
    });
  }, [saved, wallet]);

  useEffect(() => {
    if (saved && account && saved.address !== account.address) {
      const next = { wallet: saved.wallet, address: account.address };
      setSaved(next);
      save(next);
    }
  }, [saved, account]);

  const select = useCallback((w: UiWallet, accounts: readonly UiWalletAccount[]) => {
    const next = { wallet: w.name, address: accounts[0]?.address ?? null };
    setSaved(next);
    save(next);
  }, []);

  const selectAccount = useCallback(
    (a: UiWalletAccount) => {
      if (!saved) return;
      const next = { wallet: saved.wallet, address: a.address };
      setSaved(next);
      save(next);
    },
    [saved],
  );

  const disconnect = useCallback(async () => {
    const w = wallet;
    setSaved(null);
    save(null);
    if (w && w.features.includes(DISCONNECT)) {
      await (getWalletFeature(w, DISCONNECT) as DisconnectFeature).disconnect().catch(() => undefined);
    }
  }, [wallet]);

  const signer = useMemo(() => (account ? walletSigner(account, chainId(config.cluster)) : null), [account, config.cluster]);

  const value = useMemo<WalletState>(
    () => ({ wallets, wallet, account, signer, select, selectAccount, disconnect }),
    [wallets, wallet, account, signer, select, selectAccount, disconnect],
  );
  return <WalletContext.Provider value={value}>{children}</WalletContext.Provider>;
}

export function useWallet(): WalletState {
  const w = useContext(WalletContext);
  if (!w) throw new Error('useWallet outside WalletProvider');
  return w;
}
