// Connecting a Wallet Standard wallet: the header's "Connect wallet" opens the dialog listing the
// registered wallets (the injected test wallet among them), choosing it connects its account, the
// header then names the account, and a reload reconnects silently (the choice is remembered).
// Disconnecting brings "Connect wallet" back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closePage, connect, launch, openPage, shot } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('connect the test wallet, reconnect after a reload, disconnect', async () => {
  const p = await openPage(browser, { wallet: 'carol' });
  const { page, wallet } = p;
  let failed = true;
  try {
    await page.goto('/portfolio');
    await connect(page, wallet.address);
    await shot(page, 'connected');

    await page.reload();
    await page.getByRole('button', { name: `Account ${wallet.address}` }).waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: `Account ${wallet.address}` }).click();
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('banner').getByRole('button', { name: 'Connect wallet' }).waitFor({ timeout: 5_000 });
    assert.equal(wallet.signed.length, 0, 'connecting signs nothing');
    assert.deepEqual(p.problems, []);
    failed = false;
  } finally {
    await closePage(p, 'connect', failed);
  }
});
