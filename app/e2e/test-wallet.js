// The browser half of the E2E test wallet: a Wallet Standard wallet injected before the app's own
// scripts (page.addInitScript), so the app finds it exactly as it finds Phantom or Solflare. It
// holds no key: every signature is made in Node (`window.__e2eWalletSign`, exposed by
// e2e/wallet.mjs) with a demo keypair of the local network. No imports: an init script runs
// before any module loader.
//
// Set by the test before this script: window.__E2E_WALLET__ = { address, publicKey: number[] }.
// Knobs the test sets at any time: window.__e2eWalletMode = 'approve' (default) | 'reject'
// (throws the standard's user-rejection error, code 4001) | 'delay:<ms>' (waits, then approves).
// window.__e2eWalletLog lists every request the app made (feature, mode), signed or not: the
// "zero signing requests" assertions read it.
(() => {
  const cfg = window.__E2E_WALLET__;
  if (!cfg) return;
  // The chains a real wallet lists: no localnet. The app must work on the local network anyway
  // (it signs with solana:signTransaction and sends through its own RPC), and this is what tests it.
  const CHAINS = ['solana:mainnet', 'solana:devnet'];
  const FEATURES = ['solana:signTransaction', 'solana:signAndSendTransaction', 'solana:signMessage'];
  const ICON =
    'data:image/svg+xml;base64,' +
    btoa('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#5b3df5"/><text x="16" y="21" font-size="12" text-anchor="middle" fill="#fff">E2E</text></svg>');

  const account = Object.freeze({
    address: cfg.address,
    publicKey: new Uint8Array(cfg.publicKey),
    chains: CHAINS,
    features: FEATURES,
    label: 'E2E test account',
  });
  let connected = false;
  const listeners = new Set();
  window.__e2eWalletLog = [];

  const b64 = (bytes) => {
    let s = '';
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  };
  const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  /// Applies the current mode to one request: logs it, then rejects, waits or goes on.
  async function gate(feature) {
    const mode = String(window.__e2eWalletMode ?? 'approve');
    window.__e2eWalletLog.push({ feature, mode, at: Date.now() });
    if (mode === 'reject') {
      // The shape wallets use for a user's "Reject" (EIP-1193 style code 4001); apps also match
      // the message.
      const e = new Error('User rejected the request.');
      e.code = 4001;
      throw e;
    }
    const delay = /^delay:(\d+)$/.exec(mode);
    if (delay) await new Promise((r) => setTimeout(r, Number(delay[1])));
  }

  const checkAccount = (input) => {
    if (input.account?.address !== account.address) throw new Error('E2E wallet: unknown account');
  };

  const wallet = {
    version: '1.0.0',
    name: 'E2E Test Wallet',
    icon: ICON,
    chains: CHAINS,
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        connect: async () => {
          connected = true;
          for (const l of listeners) l({ accounts: [account] });
          return { accounts: [account] };
        },
      },
      'standard:disconnect': {
        version: '1.0.0',
        disconnect: async () => {
          connected = false;
          for (const l of listeners) l({ accounts: [] });
        },
      },
      'standard:events': {
        version: '1.0.0',
        on: (event, listener) => {
          if (event !== 'change') return () => {};
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signTransaction: async (...inputs) => {
          const out = [];
          for (const input of inputs) {
            checkAccount(input);
            await gate('solana:signTransaction');
            out.push({ signedTransaction: unb64(await window.__e2eWalletSign(b64(input.transaction))) });
          }
          return out;
        },
      },
      'solana:signAndSendTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: ['legacy', 0],
        signAndSendTransaction: async (...inputs) => {
          const out = [];
          for (const input of inputs) {
            checkAccount(input);
            await gate('solana:signAndSendTransaction');
            out.push({ signature: unb64(await window.__e2eWalletSignAndSend(b64(input.transaction))) });
          }
          return out;
        },
      },
      'solana:signMessage': {
        version: '1.0.0',
        signMessage: async (...inputs) => {
          const out = [];
          for (const input of inputs) {
            checkAccount(input);
            await gate('solana:signMessage');
            const signature = unb64(await window.__e2eWalletSignMessage(b64(input.message)));
            out.push({ signedMessage: input.message, signature });
          }
          return out;
        },
      },
    },
  };

  // Registration by the standard's own protocol, for both load orders: announce now (an app
  // already listening registers it), and answer the app's "app-ready" (an app that loads later).
  const register = ({ register }) => register(wallet);
  try {
    window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
  } catch (e) {
    console.warn('E2E wallet: register event failed', e);
  }
  window.addEventListener('wallet-standard:app-ready', (e) => register(e.detail));
})();
