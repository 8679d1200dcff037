// Opening a lease from the browser: a device of the demo network for a few hours, paid in USDC (the
// quote shows the 2 % protocol fee and the wallet pays escrow + fee) and then in $IO (no fee: the
// wallet pays the escrow alone). The amounts are checked on chain against the device's own
// prices from the manifest, not against the app's or the indexer's figures.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closePage, connect, launch, manifest, openPage, shot, tokenBalance, until, walletInfo } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const carol = walletInfo('carol');
// Devices outside the demo lease, one per test (a leased device cannot be leased again).
const free = manifest.operators.flatMap((o) => o.devices).filter((d) => !(manifest.demo?.lease_devices ?? []).includes(d.address));
const DEVICE = { usdc: free[0], io: free[1] };
/// Hours for a deposit of at least 10 whole units (io_escrow refuses deposits under its minimum).
const hoursFor = (currency) => {
  const price = BigInt(currency === 'usdc' ? DEVICE.usdc.price_usdc_per_hour : DEVICE.io.price_io_per_hour);
  const ten = 10n * 10n ** BigInt(manifest.mints[currency].decimals);
  return Number((ten + price - 1n) / price);
};
const FEE_BPS = 200n;

/// Opens a lease of the currency's device paying in `currency` ('usdc' | 'io'); returns the quote's
/// "Protocol fee" line as shown and the wallet's balance change in base units.
async function openLease(currency) {
  const device = DEVICE[currency];
  const p = await openPage(browser, { wallet: 'carol' });
  let failed = true;
  try {
    const { page, wallet } = p;
    await page.goto(`/leases/new?devices=${device.address}`);
    await connect(page, wallet.address);
    const form = page.getByRole('form', { name: 'New lease' });
    await form.getByRole('textbox', { name: 'Duration (hours)' }).fill(String(hoursFor(currency)));
    await form.getByRole('radio', { name: currency === 'usdc' ? /^USDC \(2 ?% fee\)$/ : /^\$IO \(no fee\)$/ }).check();
    // The quote's fee line once the quote is the chosen currency's (the form asks for a new
    // quote after a change settles).
    const feeTerm = form.locator('dt').filter({ hasText: /^Protocol fee/ });
    const expected = currency === 'usdc' ? /^Protocol fee \(2(\.0+)? ?%\) [0-9.,]+ USDC$/ : /^Protocol fee none for \$?IO$/;
    let fee = '';
    await until(
      `the quote's fee line for ${currency}`,
      async () => {
        fee = `${await feeTerm.textContent()} ${await feeTerm.locator('xpath=following-sibling::dd[1]').textContent()}`.trim();
        return expected.test(fee);
      },
      30_000,
    ).catch((e) => {
      throw new Error(`${e.message}; the fee line reads "${fee}"`);
    });
    const account = currency === 'usdc' ? carol.usdc_account : carol.io_account;
    const before = await tokenBalance(account);
    const open = form.getByRole('button', { name: 'Open lease' });
    await open.waitFor();
    await until('the Open lease button to be enabled', () => open.isEnabled());
    await open.click();
    await page.waitForURL(/\/leases\/[1-9A-HJ-NP-Za-km-z]{32,44}$/, { timeout: 60_000 });
    await page.getByRole('heading', { level: 1 }).waitFor();
    await shot(page, `lease-${currency}`);
    const paid = before - (await tokenBalance(account));
    assert.equal(wallet.signed.length, 1, 'one transaction signed');
    assert.deepEqual(p.problems, []);
    failed = false;
    return { fee, paid };
  } finally {
    await closePage(p, `lease-${currency}`, failed);
  }
}

test('a lease in USDC shows and charges the 2 % fee', async () => {
  const { fee, paid } = await openLease('usdc');
  const escrow = BigInt(DEVICE.usdc.price_usdc_per_hour) * BigInt(hoursFor('usdc'));
  const expectedFee = (escrow * FEE_BPS + 9_999n) / 10_000n; // rounded up, as the program does
  assert.match(fee, /^Protocol fee \(2(\.0+)? ?%\)/, `the quote's fee line: ${fee}`);
  assert.ok(expectedFee > 0n);
  assert.equal(paid, escrow + expectedFee, 'the wallet paid the escrow and the 2 % fee');
});

test('a lease in $IO shows and charges no fee', async () => {
  const { fee, paid } = await openLease('io');
  assert.match(fee, /none for \$?IO/, `the quote's fee line: ${fee}`);
  assert.equal(paid, BigInt(DEVICE.io.price_io_per_hour) * BigInt(hoursFor('io')), 'the wallet paid the escrow alone');
});
