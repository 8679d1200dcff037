// Every page of the app, as a visitor with a Wallet Standard wallet installed (not connected) and
// at phone width: it renders its heading, logs no console error and throws nothing, and axe-core
// finds nothing serious or critical. Screenshots of each page go to the artifacts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeFindings, closePage, launch, openPage, routes, shot } from './harness.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

for (const route of routes()) {
  for (const { name: vp, viewport } of VIEWPORTS) {
    test(`${route.name} page (${route.path}, ${vp}): heading, no console errors, no serious a11y finding`, async () => {
      const p = await openPage(browser, { wallet: 'carol', viewport });
      let failed = true;
      try {
        await p.page.goto(route.path);
        // The page's own heading: every page has exactly one h1 (app shell rule).
        await p.page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 15_000 });
        // Let the page's reads land (indexer and RPC through the app's server).
        await p.page.waitForLoadState('networkidle');
        await shot(p.page, `page-${route.name}-${vp}`);
        assert.deepEqual(p.problems, [], `console errors on ${route.path}`);
        assert.deepEqual(await axeFindings(p.page), [], `serious or critical accessibility findings on ${route.path}`);
        failed = false;
      } finally {
        await closePage(p, `page-${route.name}-${vp}`, failed);
      }
    });
  }
}
