#!/usr/bin/env node
// The app's two performance figures (issue 14's goals: ≤ 300 kB gzipped JavaScript on the first
// page, the overview painted in ≤ 1 s on localhost), measured, printed as a table:
//   1. bundle: gzipped size of the JavaScript the first page needs before it renders (index.html's
//      module entry and its modulepreload links), of all the JavaScript the overview actually
//      loads (the same plus any chunk it imports lazily, e.g. its charts: recorded in the paint
//      runs), and of every JavaScript file of the build;
//   2. paint: the overview (`/`) loaded N times in headless Chromium, each in a fresh context
//      (cold cache), against the running app: first contentful paint, largest contentful paint,
//      and the app's own `overview:figures` performance mark if the overview sets one (when its
//      figures from the indexer are on screen); median and worst of each.
//
//   node app/scripts/perf.mjs [--url http://127.0.0.1:5173] [--runs 7] [--dist app/dist]
//                             [--screenshot docs/app.png] [--json out.json] [--bundle-only]
// --url is a served app (`make up` prints it); the script exits 1 when a goal is missed.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:5173' },
    runs: { type: 'string', default: '7' },
    dist: { type: 'string', default: join(here, '..', 'dist') },
    screenshot: { type: 'string' },
    json: { type: 'string' },
    'bundle-only': { type: 'boolean', default: false },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' },
  },
});
const GOAL_FIRST_PAGE_GZ = 300 * 1000;
const GOAL_PAINT_MS = 1000;

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

async function bundle(dist) {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  // The entry module and what Vite asks the browser to preload with it.
  const first = new Set();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) first.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) first.add(m[1]);
  const files = (await readdir(join(dist, 'assets'))).filter((f) => f.endsWith('.js'));
  const gzByPath = {};
  let total = 0;
  let totalGz = 0;
  let firstGz = 0;
  let firstRaw = 0;
  for (const f of files) {
    const buf = await readFile(join(dist, 'assets', f));
    const g = gz(buf);
    gzByPath[`/assets/${f}`] = g;
    total += buf.length;
    totalGz += g;
    if (first.has(`/assets/${f}`)) {
      firstGz += g;
      firstRaw += buf.length;
    }
  }
  if (first.size === 0 || firstRaw === 0) throw new Error(`no module entry found in ${dist}/index.html`);
  return { firstPageFiles: [...first], firstRaw, firstGz, files: files.length, total, totalGz, gzByPath };
}

function stats(xs) {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return { median: null, max: null };
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, max: v[v.length - 1] };
}

async function paint(url, runs) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: ['--no-sandbox'] });
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const scripts = new Set();
      page.on('request', (r) => {
        if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
      });
      await page.addInitScript(() => {
        window.__lcp = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) window.__lcp = Math.max(window.__lcp, e.startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      });
      await page.goto(url, { waitUntil: 'load' });
      // The figures come from the indexer after the first render: wait for the reads to settle.
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      const s = await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
        const mark = performance.getEntriesByName('overview:figures')[0]?.startTime ?? null;
        const nav = performance.getEntriesByType('navigation')[0];
        return { fcp, lcp: window.__lcp || null, figures: mark, load: nav ? nav.loadEventEnd : null };
      });
      samples.push({ ...s, scripts: [...scripts] });
      if (i === runs - 1 && opts.screenshot) await page.screenshot({ path: opts.screenshot });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return {
    runs,
    fcp: stats(samples.map((s) => s.fcp)),
    lcp: stats(samples.map((s) => s.lcp)),
    figures: stats(samples.map((s) => s.figures)),
    load: stats(samples.map((s) => s.load)),
    samples,
  };
}

const b = await bundle(opts.dist);
const rows = [
  ['first page JS (gzip)', kB(b.firstGz), `≤ ${kB(GOAL_FIRST_PAGE_GZ)}`, b.firstGz <= GOAL_FIRST_PAGE_GZ ? 'ok' : 'MISSED'],
  ['first page JS (raw)', kB(b.firstRaw), '', ''],
  [`all JS, ${b.files} files (gzip)`, kB(b.totalGz), '', ''],
  [`all JS (raw)`, kB(b.total), '', ''],
];
let p = null;
if (!opts['bundle-only']) {
  p = await paint(opts.url, Number(opts.runs));
  // Every script the overview requested in its last run, sized as built (gzip -9).
  const loaded = p.samples[p.samples.length - 1].scripts;
  const loadedGz = loaded.reduce((a, f) => a + (b.gzByPath[f] ?? 0), 0);
  p.loadedScripts = loaded;
  p.loadedGz = loadedGz;
  rows.splice(2, 0, [`overview's JS loaded, ${loaded.length} files (gzip)`, kB(loadedGz), `≤ ${kB(GOAL_FIRST_PAGE_GZ)}`, loadedGz <= GOAL_FIRST_PAGE_GZ ? 'ok' : 'MISSED']);
  const ms = (x) => (x == null ? '—' : `${Math.round(x)} ms`);
  // The overview is "painted" when its figures are: the app's mark when it sets one, else LCP.
  const meaningful = p.figures.median ?? p.lcp.median;
  rows.push(
    [`overview FCP, median of ${p.runs} (max)`, `${ms(p.fcp.median)} (${ms(p.fcp.max)})`, '', ''],
    [`overview LCP, median (max)`, `${ms(p.lcp.median)} (${ms(p.lcp.max)})`, p.figures.median == null ? `≤ ${GOAL_PAINT_MS} ms` : '', p.figures.median == null ? (meaningful <= GOAL_PAINT_MS ? 'ok' : 'MISSED') : ''],
    [`overview figures mark, median (max)`, `${ms(p.figures.median)} (${ms(p.figures.max)})`, p.figures.median == null ? 'not set by the app' : `≤ ${GOAL_PAINT_MS} ms`, p.figures.median == null ? '' : meaningful <= GOAL_PAINT_MS ? 'ok' : 'MISSED'],
    [`load event, median (max)`, `${ms(p.load.median)} (${ms(p.load.max)})`, '', ''],
  );
}
const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
console.log(line(['figure', 'value', 'goal', '']));
console.log(w.map((n) => '-'.repeat(n)).join('  '));
for (const r of rows) console.log(line(r));
if (opts.json) await writeFile(opts.json, JSON.stringify({ bundle: b, paint: p }, null, 2));
process.exitCode = rows.some((r) => r[3] === 'MISSED') ? 1 : 0;
