// The Node half of the E2E test wallet: holds a demo keypair of the local network (the manifest's
// keypair file) and signs what the page's wallet (e2e/test-wallet.js) hands it, with @solana/kit.
// Every signed transaction is recorded, so a test can match the app's signature with the wallet's
// and count what was signed.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  createKeyPairFromBytes,
  getAddressEncoder,
  getAddressFromPublicKey,
  getBase58Encoder,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  partiallySignTransaction,
  signBytes,
} from '@solana/kit';

const SCRIPT = fileURLToPath(new URL('./test-wallet.js', import.meta.url));

export class TestWallet {
  /// `keypairPath`: a Solana CLI keypair file (a JSON array of 64 bytes); `rpcUrl`: where
  /// `signAndSendTransaction` sends (the node itself, not the app's proxy).
  static async load(keypairPath, rpcUrl) {
    const bytes = new Uint8Array(JSON.parse(await readFile(keypairPath, 'utf8')));
    const keyPair = await createKeyPairFromBytes(bytes);
    const address = await getAddressFromPublicKey(keyPair.publicKey);
    return new TestWallet(keyPair, address, rpcUrl);
  }

  constructor(keyPair, address, rpcUrl) {
    this.keyPair = keyPair;
    this.address = address;
    this.rpcUrl = rpcUrl;
    /// { signature, wire (base64) } of every transaction signed, in order.
    this.signed = [];
  }

  /// Installs the wallet into `page` (before any of the app's scripts run on the next navigation).
  async install(page) {
    const publicKey = Array.from(getAddressEncoder().encode(this.address));
    await page.addInitScript((cfg) => {
      window.__E2E_WALLET__ = cfg;
    }, { address: this.address, publicKey });
    await page.exposeFunction('__e2eWalletSign', (b64) => this.#sign(b64).then((t) => t.wire));
    await page.exposeFunction('__e2eWalletSignAndSend', async (b64) => {
      const t = await this.#sign(b64);
      await this.#send(t.wire);
      return Buffer.from(getBase58Encoder().encode(t.signature)).toString('base64');
    });
    await page.exposeFunction('__e2eWalletSignMessage', async (b64) => {
      const sig = await signBytes(this.keyPair.privateKey, Buffer.from(b64, 'base64'));
      return Buffer.from(sig).toString('base64');
    });
    await page.addInitScript({ path: SCRIPT });
  }

  async #sign(b64) {
    const tx = getTransactionDecoder().decode(Buffer.from(b64, 'base64'));
    // Throws when this key is not one of the message's signers: a wrong fee payer or authority
    // in the app's transaction fails the test here.
    const signed = await partiallySignTransaction([this.keyPair], tx);
    const wire = Buffer.from(getTransactionEncoder().encode(signed)).toString('base64');
    const record = { signature: getSignatureFromTransaction(signed), wire, base64: getBase64EncodedWireTransaction(signed) };
    this.signed.push(record);
    return record;
  }

  async #send(wire) {
    const res = await fetch(this.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'sendTransaction',
        params: [wire, { encoding: 'base64', preflightCommitment: 'confirmed' }],
      }),
    });
    const body = await res.json();
    if (body.error) throw new Error(`sendTransaction: ${JSON.stringify(body.error)}`);
    return body.result;
  }
}
