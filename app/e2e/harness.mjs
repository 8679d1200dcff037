// What every browser test shares: where the system under test is (from the environment), the
// browser (the machine's Chromium driven by playwright-core), a page with the test wallet and
// every console error recorded, the accessibility scan, screenshots, and direct reads of the
// chain (JSON-RPC to the node itself, not through the app).
//
// The environment (set by tests/tests/browser.rs, which starts the system; or by hand against
// `make up`: E2E_BASE_URL=http://127.0.0.1:5173 E2E_MANIFEST=.localnet/manifest.json):
//   E2E_BASE_URL      the app as app/scripts/serve.mjs serves it
//   E2E_MANIFEST      the local network's manifest (keys, mints, operators, wallets)
//   E2E_RPC_URL       the node's JSON-RPC (default: the manifest's rpc_url)
//   E2E_INDEXER_URL   the indexer's API (default: http://127.0.0.1:8999)
//   E2E_ARTIFACTS     screenshots and traces (default: app/e2e/artifacts)
//   CHROMIUM          the browser (default: /usr/bin/chromium)
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { TestWallet } from './wallet.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

function required(name) {
  const v = process.env[name];
  if (!v) {
    throw new Error(
      `${name} is not set: run the browser tests through \`make test\` (tests/tests/browser.rs starts the ` +
        'system and sets it) or against `make up` with E2E_BASE_URL and E2E_MANIFEST',
    );
  }
  return v;
}

export const env = {
  baseUrl: required('E2E_BASE_URL').replace(/\/$/, ''),
  manifestPath: required('E2E_MANIFEST'),
  artifacts: process.env.E2E_ARTIFACTS ?? join(here, 'artifacts'),
  chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
};
export const manifest = JSON.parse(await readFile(env.manifestPath, 'utf8'));
env.rpcUrl = process.env.E2E_RPC_URL ?? manifest.rpc_url;
env.indexerUrl = (process.env.E2E_INDEXER_URL ?? 'http://127.0.0.1:8999').replace(/\/$/, '');
await mkdir(env.artifacts, { recursive: true });

/// Every route of the app with a real target for its parameters (the manifest's first operator,
/// the demo lease, a device's operator as provider). Keep in step with app/src/routes.tsx.
export function routes() {
  const op = manifest.operators[0];
  return [
    { name: 'overview', path: '/' },
    { name: 'operators', path: '/operators' },
    { name: 'operator', path: `/operators/${op.operator}` },
    { name: 'portfolio', path: '/portfolio' },
    { name: 'devices', path: '/devices' },
    { name: 'leases', path: '/leases' },
    { name: 'lease-new', path: '/leases/new' },
    { name: 'lease', path: `/leases/${manifest.demo?.lease ?? 'unknown'}` },
    { name: 'provider', path: `/providers/${op.operator}` },
  ];
}

export async function launch() {
  return chromium.launch({ executablePath: env.chromium, headless: true, args: ['--no-sandbox'] });
}

/// A fresh browser context and page. `wallet`: a demo wallet's name in the manifest (its key
/// signs in Node), or null for a visitor without one. Console errors, uncaught exceptions and
/// failed requests are collected in `problems` (the "no console errors" check reads them).
export async function openPage(browser, { wallet = null, viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, baseURL: env.baseUrl });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A navigation away aborts in-flight reads; that is not the app's fault.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  let w = null;
  if (wallet) {
    const info = manifest.wallets.find((x) => x.name === wallet);
    if (!info) throw new Error(`no wallet ${wallet} in the manifest`);
    w = await TestWallet.load(info.keypair, env.rpcUrl);
    await w.install(page);
  }
  return { context, page, problems, wallet: w };
}

/// Closes the context; its trace is kept only when `failed` (a test's `t` failing is not visible
/// from here, so tests pass their own flag).
export async function closePage({ context }, name, failed = false) {
  if (failed) await context.tracing.stop({ path: join(env.artifacts, `${name}.trace.zip`) });
  else await context.tracing.stop();
  await context.close();
}

export async function shot(page, name) {
  await page.screenshot({ path: join(env.artifacts, `${name}.png`), fullPage: true });
}

/// axe-core over the whole page: the serious and critical findings, one line each.
export async function axeFindings(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/// Polls `f` until it returns a truthy value; throws `what` with the last value after `ms`.
export async function until(what, f, ms = 30_000, every = 500) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      last = await f();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > ms) throw new Error(`waited ${ms} ms for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/// One JSON-RPC call to the node.
export async function rpc(method, params = []) {
  const res = await fetch(env.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/// A token account's balance in base units (bigint); 0n when it does not exist.
export async function tokenBalance(account) {
  const r = await rpc('getTokenAccountBalance', [account, { commitment: 'confirmed' }]).catch((e) => {
    if (/could not find account|Invalid param/i.test(e.message)) return null;
    throw e;
  });
  return r ? BigInt(r.value.amount) : 0n;
}

export async function lamports(address) {
  return BigInt((await rpc('getBalance', [address, { commitment: 'confirmed' }])).value);
}

/// The chain's unix time (Clock sysvar through getBlockTime of the latest slot).
export async function chainTime() {
  const slot = await rpc('getSlot', [{ commitment: 'confirmed' }]);
  return Number(await rpc('getBlockTime', [slot]));
}

/// Moves the local network's clock `secs` forward (surfpool's `surfnet_timeTravel`, as the CLI's
/// tests do), then waits until the chain reports the new time.
export async function timeTravel(secs) {
  const now = await chainTime();
  const target = (Math.max(now * 1000, Date.now()) + secs * 1000);
  await rpc('surfnet_timeTravel', [{ absoluteTimestamp: target }]);
  await until('the chain clock to move', async () => (await chainTime()) * 1000 >= target - 5_000, 30_000);
}

/// GET on the indexer's API (JSON), null on 404.
export async function indexer(path) {
  const res = await fetch(env.indexerUrl + path);
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export function walletInfo(name) {
  const w = manifest.wallets.find((x) => x.name === name);
  if (!w) throw new Error(`no wallet ${name} in the manifest`);
  return w;
}

/// Whole units of a mint in base units: io(100) = 100 $IO.
export function units(mint, whole) {
  const decimals = manifest.mints[mint].decimals;
  const [i, f = ''] = String(whole).split('.');
  return BigInt(i) * 10n ** BigInt(decimals) + BigInt((f + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

/// Connects the page's test wallet through the app's own dialog: "Connect wallet", then the
/// wallet by name; done when the header names the account.
export async function connect(page, address) {
  // The header's (a page may offer its own "Connect wallet" too).
  await page.getByRole('banner').getByRole('button', { name: 'Connect wallet' }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect a wallet' });
  await dialog.getByRole('button', { name: 'E2E Test Wallet' }).click();
  await page.getByRole('button', { name: `Account ${address}` }).waitFor({ timeout: 10_000 });
}
