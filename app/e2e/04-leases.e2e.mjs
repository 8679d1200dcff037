// Opening a lease from the browser: a device of the demo network for 1 hour, paid in USDC (the
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
// A device outside the demo lease (which holds operator 0's second device and operator 1's first).
const device = manifest.operators[0].devices[0];
const FEE_BPS = 200n;

/// Opens a 1-hour lease of `device` paying in `currency` ('usdc' | 'io'); returns the quote's
/// "Protocol fee" line as shown and the wallet's balance change in base units.
async function openLease(currency) {
  const p = await openPage(browser, { wallet: 'carol' });
  let failed = true;
  try {
    const { page, wallet } = p;
    await page.goto(`/leases/new?devices=${device.address}`);
    await connect(page, wallet.address);
    const form = page.getByRole('form', { name: 'New lease' });
    await form.getByRole('textbox', { name: 'Duration (hours)' }).fill('1');
    await form.getByRole('radio', { name: currency === 'usdc' ? 'USDC (2 % fee)' : '$IO (no fee)' }).check();
    const feeTerm = form.locator('dt').filter({ hasText: /^Protocol fee/ });
    await feeTerm.waitFor({ timeout: 30_000 });
    const fee = `${await feeTerm.textContent()} ${await feeTerm.locator('xpath=following-sibling::dd[1]').textContent()}`;
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
  const escrow = BigInt(device.price_usdc_per_hour);
  const expectedFee = (escrow * FEE_BPS + 9_999n) / 10_000n; // rounded up, as the program does
  assert.match(fee, /Protocol fee \(2(\.0+)? ?%\)/, `the quote's fee line: ${fee}`);
  assert.ok(expectedFee > 0n);
  assert.equal(paid, escrow + expectedFee, 'the wallet paid the escrow and the 2 % fee');
});

test('a lease in $IO shows and charges no fee', async () => {
  const { fee, paid } = await openLease('io');
  assert.match(fee, /none for (\$)?IO/, `the quote's fee line: ${fee}`);
  assert.equal(paid, BigInt(device.price_io_per_hour), 'the wallet paid the escrow alone');
});
