#!/usr/bin/env node
// Serves the built app (app/dist) the way `make up` and the browser tests use it: one origin for
// the page, its run-time settings and the two back ends, so the browser needs no CORS and the same
// build runs against any network.
//   GET /config.json  the app's settings, built from the local network's manifest on each request
//                     (a restarted network writes new addresses; the server need not restart)
//   /rpc              → the manifest's JSON-RPC URL (POST bodies streamed through)
//   /rpc-ws           → the manifest's WebSocket URL (an upgrade, piped byte for byte)
//   /api/...          → the indexer (`--indexer`), prefix removed: /api/v1/stats → /v1/stats
//   anything else     a file of dist/, or index.html for client-side routes
// Plain Node (http, net, zlib): no dependency, so it runs before and without `npm ci`.
//
//   node app/scripts/serve.mjs [--manifest .localnet/manifest.json] [--indexer http://127.0.0.1:8999]
//                              [--port 5173] [--host 127.0.0.1] [--dist app/dist]
// --port 0 binds any free port. The bound address is printed as `serve: http://HOST:PORT` (tests
// read that line).
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    manifest: { type: 'string', default: '.localnet/manifest.json' },
    indexer: { type: 'string', default: 'http://127.0.0.1:8999' },
    port: { type: 'string', default: '5173' },
    host: { type: 'string', default: '127.0.0.1' },
    dist: { type: 'string', default: join(here, '..', 'dist') },
  },
});
const port = Number(opts.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: --port must be 0..65535, got ${opts.port}`);
  process.exit(2);
}
const dist = resolve(opts.dist);
const manifestPath = resolve(opts.manifest);
const indexer = new URL(opts.indexer);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt']);

async function manifest() {
  return JSON.parse(await readFile(manifestPath, 'utf8'));
}

/// The app's run-time settings (the shape `app/src/config.ts` reads; the common brief fixes it).
/// RPC and indexer go through this server (same origin); `explorerRpc` is the node's own address,
/// for explorer links opened from the user's machine.
function appConfig(m, host) {
  const mint = (name) => {
    const x = m.mints?.[name];
    if (!x) throw new Error(`the manifest has no ${name} mint`);
    return { address: x.address, decimals: x.decimals };
  };
  const programs = {};
  for (const name of ['io_token', 'io_staking', 'io_escrow', 'io_oracle']) {
    const p = m.programs?.[name];
    if (!p) throw new Error(`the manifest has no ${name} program`);
    programs[name] = p.program_id;
  }
  return {
    cluster: 'localnet',
    rpcUrl: '/rpc',
    wsUrl: `ws://${host}/rpc-ws`,
    indexerUrl: '/api',
    explorerRpc: m.rpc_url,
    mints: { io: mint('io'), usdc: mint('usdc') },
    programs,
  };
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res, status, value, headers = {}) {
  send(res, status, 'application/json', JSON.stringify(value), { 'cache-control': 'no-store', ...headers });
}

/// Forwards the request to `target` (method, headers, body streamed) and streams the answer back.
function proxy(req, res, target) {
  const headers = { ...req.headers, host: target.host };
  const out = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  out.on('error', (e) => {
    if (!res.headersSent) sendJson(res, 502, { error: 'upstream_unreachable', upstream: target.origin, detail: e.message });
    else res.destroy(e);
  });
  req.pipe(out);
}

// Compressed files by path and modification time: dist/ changes only on a rebuild.
const gzCache = new Map();

async function serveFile(req, res, file, cacheControl) {
  const info = await stat(file);
  const ext = extname(file);
  const type = TYPES[ext] ?? 'application/octet-stream';
  let body = await readFile(file);
  const headers = { 'cache-control': cacheControl };
  if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
    const key = `${file}:${info.mtimeMs}`;
    let gz = gzCache.get(key);
    if (!gz) gzCache.set(key, (gz = gzipSync(body)));
    body = gz;
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  }
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function serveStatic(req, res, pathname) {
  // Decoded and normalized, then held inside dist/ (no `..` escapes).
  let rel;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return sendJson(res, 400, { error: 'bad_path' });
  }
  const file = join(dist, rel);
  if (file !== dist && !file.startsWith(dist + sep)) return sendJson(res, 400, { error: 'bad_path' });
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (isFile) {
    // Vite names built assets by content hash: they never change under one name.
    const immutable = rel.startsWith(`assets${sep}`);
    return serveFile(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  }
  // A missing asset is a 404 (a stale page asking for an old chunk must not get HTML as JS);
  // any other path is a client-side route.
  if (extname(rel) !== '') return sendJson(res, 404, { error: 'not_found', path: pathname });
  const index = join(dist, 'index.html');
  if (!(await stat(index).then((s) => s.isFile(), () => false))) {
    return send(res, 503, 'text/plain; charset=utf-8', `no build in ${dist}: run npm --prefix app run build\n`);
  }
  return serveFile(req, res, index, 'no-cache');
}

async function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://local');
  const path = url.pathname;
  if (path === '/config.json') {
    try {
      return sendJson(res, 200, appConfig(await manifest(), req.headers.host ?? `${opts.host}:${port}`));
    } catch (e) {
      // No manifest yet (the network is still bootstrapping) or a broken one: say which file.
      return sendJson(res, 503, { error: 'no_config', manifest: manifestPath, detail: e.message });
    }
  }
  if (path === '/rpc' || path.startsWith('/rpc/')) {
    try {
      const rpc = new URL((await manifest()).rpc_url);
      return proxy(req, res, withPath(rpc, path.slice('/rpc'.length), url.search));
    } catch (e) {
      return sendJson(res, 503, { error: 'no_config', manifest: manifestPath, detail: e.message });
    }
  }
  if (path === '/api' || path.startsWith('/api/')) {
    return proxy(req, res, withPath(indexer, path.slice('/api'.length), url.search));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method_not_allowed' });
  return serveStatic(req, res, path);
}

/// `base` with `path` (relative to base's own path) and `search`.
function withPath(base, path, search) {
  const u = new URL(base);
  u.pathname = (base.pathname.replace(/\/$/, '') + (path || '')) || '/';
  u.search = search;
  return u;
}

const server = createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error('serve:', e);
    if (!res.headersSent) sendJson(res, 500, { error: 'internal', detail: e.message });
    else res.destroy();
  });
});

// The WebSocket endpoint (kit's subscriptions): the upgrade request is replayed to the node and
// the two sockets piped together; the node answers the handshake itself.
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname !== '/rpc-ws') return socket.destroy();
  manifest().then(
    (m) => {
      const ws = new URL(m.ws_url);
      const up = connect(Number(ws.port || 80), ws.hostname, () => {
        const lines = [`${req.method} ${ws.pathname}${url.search} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const [k, v] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
          lines.push(`${k}: ${k.toLowerCase() === 'host' ? ws.host : v}`);
        }
        up.write(lines.join('\r\n') + '\r\n\r\n');
        if (head.length) up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    },
    () => socket.destroy(),
  );
});

server.listen(port, opts.host, () => {
  const a = server.address();
  console.log(`serve: http://${a.address}:${a.port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close(() => process.exit(0));
    // Keep-alive connections (a browser left open) would hold close() forever.
    server.closeAllConnections();
  });
}
