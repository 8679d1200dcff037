#!/usr/bin/env node
// Prints each demo wallet of the local network with its secret key in base58, the form browser
// wallets (Phantom, Solflare, Backpack: "Import private key") accept; the keypair files under
// .localnet/keys/ are the CLI's JSON byte arrays, which those wallets do not read.
// Local-network demo keys only: they hold play money and are printed so a newcomer can import one.
//
//   node app/scripts/demo-keys.mjs [--manifest .localnet/manifest.json]
import { readFileSync } from 'node:fs';
import { getBase58Decoder } from '@solana/kit';

const at = process.argv.indexOf('--manifest');
const manifestPath = at > 0 ? process.argv[at + 1] : '.localnet/manifest.json';
let manifest;
try {
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
} catch (e) {
  console.error(`demo-keys: cannot read the manifest ${manifestPath} (${e.message}); start the local network first (make up)`);
  process.exit(1);
}
const base58 = getBase58Decoder();
for (const w of manifest.wallets ?? []) {
  const bytes = Uint8Array.from(JSON.parse(readFileSync(w.keypair, 'utf8')));
  if (bytes.length !== 64) {
    console.error(`demo-keys: ${w.keypair} is not a 64-byte keypair`);
    process.exit(1);
  }
  console.log(`${w.name.padEnd(8)} ${w.address}  secret key (base58): ${base58.decode(bytes)}`);
}
