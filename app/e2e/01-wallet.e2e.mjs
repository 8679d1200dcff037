// The test wallet itself, before any flow relies on it: it registers by the Wallet Standard
// protocol (the "app-ready" load order; the app's own discovery covers the other), connects, and
// signs a real transaction of the local network in Node with the demo key (the signature verifies
// against the account's public key); 'reject' refuses without signing; 'delay:<ms>' waits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendTransactionMessageInstruction,
  compileTransaction,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  verifySignature,
  address,
  createNoopSigner,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { closePage, launch, openPage, rpc } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/// An unsigned transfer of 1 lamport from `from` to itself, as wire bytes (base64).
async function unsignedTransfer(from) {
  const { value } = await rpc('getLatestBlockhash', [{ commitment: 'confirmed' }]);
  // A no-op signer: the instruction names the wallet as signer; the wallet signs later.
  const signer = createNoopSigner(address(from));
  const ix = getTransferSolInstruction({ source: signer, destination: signer.address, amount: 1n });
  const msg = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(signer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash: value.blockhash, lastValidBlockHeight: BigInt(value.lastValidBlockHeight) }, m),
    (m) => appendTransactionMessageInstruction(ix, m),
  );
  return getBase64EncodedWireTransaction(compileTransaction(msg));
}

test('the test wallet registers, connects and signs in Node; reject and delay modes', async (t) => {
  const p = await openPage(browser, { wallet: 'carol' });
  const { page, wallet } = p;
  let failed = true;
  try {
    await page.goto('/');
    const found = await page.evaluate(async () => {
      const ws = [];
      window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: { register: (w) => ws.push(w) } }));
      window.__found = ws.find((w) => w.name === 'E2E Test Wallet');
      const w = window.__found;
      const before = w.accounts.length;
      const { accounts } = await w.features['standard:connect'].connect();
      return { before, address: accounts[0].address, features: Object.keys(w.features), chains: w.chains };
    });
    assert.equal(found.before, 0, 'no account before connect');
    assert.equal(found.address, wallet.address);
    assert.ok(found.features.includes('solana:signTransaction'));
    // Like a real wallet, it does not list the local network; the app copes (see test-wallet.js).
    assert.ok(!found.chains.includes('solana:localnet'));

    const wire = await unsignedTransfer(wallet.address);
    const sign = (b64) =>
      page.evaluate(async (b64) => {
        const w = window.__found;
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        try {
          const [out] = await w.features['solana:signTransaction'].signTransaction({ account: w.accounts[0], transaction: bytes });
          return { signed: btoa(String.fromCharCode(...out.signedTransaction)) };
        } catch (e) {
          return { error: { code: e.code, message: e.message } };
        }
      }, b64);

    const ok = await sign(wire);
    assert.ok(ok.signed, JSON.stringify(ok));
    const tx = getTransactionDecoder().decode(Buffer.from(ok.signed, 'base64'));
    const sig = tx.signatures[wallet.address];
    assert.ok(sig, 'the transaction carries the wallet signature');
    assert.ok(await verifySignature(wallet.keyPair.publicKey, sig, tx.messageBytes), 'the signature verifies');
    assert.equal(wallet.signed.length, 1);
    // The node accepts it: the signature and message are a real transaction of this network.
    const sim = await rpc('simulateTransaction', [ok.signed, { encoding: 'base64', sigVerify: true, commitment: 'confirmed' }]);
    assert.equal(sim.value.err, null, JSON.stringify(sim.value));

    await page.evaluate(() => (window.__e2eWalletMode = 'reject'));
    const refused = await sign(wire);
    assert.equal(refused.error?.code, 4001);
    assert.equal(wallet.signed.length, 1, 'a rejection signs nothing');

    await page.evaluate(() => (window.__e2eWalletMode = 'delay:400'));
    const t0 = Date.now();
    assert.ok((await sign(wire)).signed);
    assert.ok(Date.now() - t0 >= 400, 'delay mode waits');
    const log = await page.evaluate(() => window.__e2eWalletLog.map((l) => l.mode));
    assert.deepEqual(log, ['approve', 'reject', 'delay:400']);
    failed = false;
  } finally {
    await closePage(p, 'wallet', failed);
  }
});
