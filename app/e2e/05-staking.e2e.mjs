// Staking from the browser with the injected wallet, against the live local network; every
// outcome is checked on chain (token balances, lamports) as well as on screen:
//   - 99.5 $IO → the minimum message inline and ZERO signing requests;
//   - the wallet rejecting → "cancelled", nothing signed, nothing sent (no fee paid);
//   - 100 $IO → confirmed, the position shows, the $IO balance is 100 lower;
//   - claim rewards (alice's demo position, once a certified report has paid her operator);
//   - unstake (bob's active demo position) → a countdown from chain time; the clock moved past
//     the cooldown (surfnet_timeTravel) → Withdraw → the $IO is back.
// The clock jump is last in this file, and this file is the last of the suite: the periods
// after it are not the ones the oracle nodes attested.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closePage,
  connect,
  indexer,
  lamports,
  launch,
  manifest,
  openPage,
  shot,
  timeTravel,
  tokenBalance,
  units,
  until,
  walletInfo,
} from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// carol holds no demo position: her stake is the test's own. The first operator (atlas) takes it.
const carol = walletInfo('carol');
const operator = manifest.operators[0];

/// The operator page's stake panel after connecting; the amount typed in.
async function stakeForm(page, address, amount) {
  await page.goto(`/operators/${operator.operator}`);
  await connect(page, address);
  const panel = page.locator('#stake');
  await panel.getByRole('textbox', { name: 'Amount' }).fill(amount);
  return panel;
}

/// Runs `body` with a fresh page and wallet; the page's console must stay clean.
async function withPage(name, wallet, body) {
  const p = await openPage(browser, { wallet });
  let failed = true;
  try {
    await body(p);
    assert.deepEqual(p.problems, [], `console errors during ${name}`);
    failed = false;
  } finally {
    await closePage(p, name, failed);
  }
}

test('stake 99.5 $IO: the minimum message, no signing request, nothing sent', async () => {
  await withPage('stake-below-minimum', 'carol', async ({ page, wallet }) => {
    const io = await tokenBalance(carol.io_account);
    const sol = await lamports(carol.address);
    const panel = await stakeForm(page, wallet.address, '99.5');
    await panel.getByRole('button', { name: 'Stake' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Minimum stake is 100 IO' }).waitFor({ timeout: 10_000 });
    await shot(page, 'stake-below-minimum');
    assert.deepEqual(await page.evaluate(() => window.__e2eWalletLog), [], 'no signing request reached the wallet');
    assert.equal(wallet.signed.length, 0);
    assert.equal(await tokenBalance(carol.io_account), io);
    assert.equal(await lamports(carol.address), sol);
  });
});

test('the wallet rejecting a stake: "cancelled", nothing signed or sent', async () => {
  await withPage('stake-rejected', 'carol', async ({ page, wallet }) => {
    const io = await tokenBalance(carol.io_account);
    const sol = await lamports(carol.address);
    const panel = await stakeForm(page, wallet.address, '100');
    await page.evaluate(() => (window.__e2eWalletMode = 'reject'));
    await panel.getByRole('button', { name: 'Stake' }).click();
    await panel.getByRole('status').filter({ hasText: /cancelled/i }).waitFor({ timeout: 30_000 });
    await shot(page, 'stake-rejected');
    const log = await page.evaluate(() => window.__e2eWalletLog);
    assert.equal(log.length, 1, 'the wallet was asked once');
    assert.equal(log[0].mode, 'reject');
    assert.equal(wallet.signed.length, 0, 'nothing signed');
    // Nothing reached the chain: no fee, no stake.
    assert.equal(await lamports(carol.address), sol);
    assert.equal(await tokenBalance(carol.io_account), io);
    assert.equal(await panel.getByRole('alert').count(), 0, 'a cancel is not shown as a failure');
  });
});

test('stake 100 $IO: confirmed, the position and the balance update', async () => {
  await withPage('stake-100', 'carol', async ({ page, wallet }) => {
    const io = await tokenBalance(carol.io_account);
    const panel = await stakeForm(page, wallet.address, '100');
    await panel.getByRole('button', { name: 'Stake' }).click();
    await panel.getByRole('status').filter({ hasText: 'Stake: confirmed.' }).waitFor({ timeout: 60_000 });
    await shot(page, 'stake-confirmed');
    assert.equal(wallet.signed.length, 1, 'one transaction signed');
    // The toast carries the wallet's signature.
    const sig = wallet.signed[0].signature;
    await page.getByRole('link', { name: `View ${sig.slice(0, 8)}… in the explorer` }).first().waitFor({ timeout: 10_000 });
    assert.equal(await tokenBalance(carol.io_account), io - units('io', 100), '100 $IO left the wallet');
    // The indexer has it, and the portfolio shows the position with its value.
    await until('the indexer to list carol\'s position', async () => {
      const r = await indexer(`/v1/wallets/${carol.address}/positions`);
      return r?.data?.some((x) => x.operator === operator.operator);
    });
    await page.getByRole('link', { name: 'Portfolio' }).click();
    const card = page.getByRole('article').filter({ hasText: operator.name });
    await card.getByText('100 IO').first().waitFor({ timeout: 30_000 });
    await shot(page, 'portfolio-after-stake');
  });
});

test("claim rewards after a certified period (alice's demo position)", async () => {
  await withPage('claim', 'alice', async ({ page, wallet }) => {
    const alice = walletInfo('alice');
    await page.goto('/portfolio');
    await connect(page, wallet.address);
    const claim = page.getByRole('button', { name: 'Claim rewards' }).first();
    // The first emission is due an hour of chain time after genesis and is shared by the next
    // certified report: at the fixture's 60× clock, a few wall minutes after the start.
    await until(
      'alice to have rewards to claim',
      async () => {
        if (await claim.isEnabled()) return true;
        await page.reload();
        await claim.waitFor({ timeout: 10_000 });
        return claim.isEnabled();
      },
      300_000,
      5_000,
    );
    const before = await tokenBalance(alice.io_account);
    await claim.click();
    await page.getByRole('status').filter({ hasText: 'Claim rewards: confirmed.' }).waitFor({ timeout: 60_000 });
    await shot(page, 'claimed');
    assert.ok((await tokenBalance(alice.io_account)) > before, 'the rewards reached the wallet');
  });
});

test("unstake → countdown; the clock past the cooldown → Withdraw (bob's demo position)", async () => {
  // An active position: stake still warming up (carol's, staked above) is returned at once by
  // an unstake, with no cooldown to count down. bob's demo stake has earned for a while.
  const bob = walletInfo('bob');
  const pos = manifest.demo.positions.find((x) => x.wallet === 'bob');
  const bobOperator = manifest.operators.find((o) => o.operator === pos.operator);
  await withPage('unstake-withdraw', 'bob', async ({ page, wallet }) => {
    await page.goto('/portfolio');
    await connect(page, wallet.address);
    const card = page.getByRole('article').filter({ hasText: bobOperator.name });
    await card.getByRole('button', { name: 'Unstake' }).click();
    const dialog = page.getByRole('dialog', { name: /^Unstake from/ });
    await dialog.getByText(/Cooldown:/).waitFor();
    await dialog.getByRole('textbox', { name: 'Amount' }).fill('100');
    await dialog.getByRole('button', { name: 'Unstake' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Unstake: confirmed.' }).waitFor({ timeout: 60_000 });
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    const pending = page.getByRole('region', { name: /^Pending unstakes from/ });
    // A countdown from chain time (days and hours left) and the unlock date.
    await pending.getByText(/ left/).waitFor({ timeout: 60_000 });
    await pending.getByText(/unlocks /).waitFor();
    await shot(page, 'unstake-countdown');
    const withdraw = card.getByRole('button', { name: 'Withdraw' });
    assert.equal(await withdraw.isDisabled(), true, 'Withdraw waits for the cooldown');

    const before = await tokenBalance(bob.io_account);
    await timeTravel(15 * 24 * 3600);
    await until(
      'Withdraw to be enabled',
      async () => {
        if (await withdraw.isEnabled()) return true;
        await page.reload();
        await withdraw.waitFor({ timeout: 10_000 });
        return withdraw.isEnabled();
      },
      90_000,
      3_000,
    );
    await pending.getByText(/ready to withdraw/i).waitFor();
    await shot(page, 'ready-to-withdraw');
    await withdraw.click();
    // The outcome: the toast (the ticket leaves the list), and the $IO back in the wallet.
    await page.getByText(/^Withdraw: confirmed/).first().waitFor({ timeout: 60_000 });
    await until('the 100 $IO back in the wallet', async () => (await tokenBalance(bob.io_account)) === before + units('io', 100));
    await shot(page, 'withdrawn');
  });
});
