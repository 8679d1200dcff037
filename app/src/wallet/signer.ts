import type { UiWalletAccount } from '@wallet-standard/react';
import { getWalletAccountFeature } from '@wallet-standard/ui';
import { getWalletAccountForUiWalletAccount_DO_NOT_USE_OR_YOU_WILL_BE_FIRED as toStandardAccount } from '@wallet-standard/ui-registry';
import type { SolanaSignAndSendTransactionFeature, SolanaSignTransactionFeature } from '@solana/wallet-standard-features';
import { SIGN_AND_SEND, SIGN_TRANSACTION } from './features';

// The bridge from a connected Wallet Standard account to what runTx needs: sign these
// transaction bytes (the app then sends them through its own RPC), or sign and send them when
// the wallet knows the chain. Prefer signTransaction: it works on a local network with any wallet.

export type WalletSigner = {
  address: string;
  /// `solana:signTransaction`: the signed wire transaction (a wallet may have modified it).
  signTransaction?: (tx: Uint8Array) => Promise<Uint8Array>;
  /// `solana:signAndSendTransaction`: the signature bytes, sent by the wallet.
  signAndSendTransaction?: (tx: Uint8Array) => Promise<Uint8Array>;
};

export function walletSigner(account: UiWalletAccount, chain: `solana:${string}`): WalletSigner {
  const std = toStandardAccount(account);
  const signer: WalletSigner = { address: account.address };
  if (account.features.includes(SIGN_TRANSACTION)) {
    const f = getWalletAccountFeature(account, SIGN_TRANSACTION) as SolanaSignTransactionFeature[typeof SIGN_TRANSACTION];
    // Pass the chain only when the account lists it: a wallet may refuse a chain it does not know.
    const onChain = account.chains.includes(chain);
    signer.signTransaction = async (transaction) => {
      const [out] = await f.signTransaction({ account: std, transaction, ...(onChain ? { chain } : {}) });
      return out.signedTransaction;
    };
  }
  if (account.features.includes(SIGN_AND_SEND) && account.chains.includes(chain)) {
    const f = getWalletAccountFeature(account, SIGN_AND_SEND) as SolanaSignAndSendTransactionFeature[typeof SIGN_AND_SEND];
    signer.signAndSendTransaction = async (transaction) => {
      const [out] = await f.signAndSendTransaction({ account: std, transaction, chain });
      return out.signature;
    };
  }
  return signer;
}
