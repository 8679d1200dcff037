#!/usr/bin/env python3
"""Minimal auth-injecting reverse proxy in front of the Ray dashboard (spike for issue 17).

One HTTP request per client connection: read the request head, check/strip the client
auth header, add an upstream header, force `Connection: close`, then splice bytes both
ways until either side closes. Streaming responses and WebSocket upgrades
(`ray job logs -f` -> /api/jobs/<id>/logs/tail) work because after the head it is a pipe.

usage: proxy.py LISTEN_HOST:PORT UPSTREAM_HOST:PORT [--require-token TOKEN] [--inject NAME:VALUE]
  --require-token T : client must send `X-Io-Auth: T` (stripped before forwarding), else 401
  --inject N:V      : header added to the upstream request (e.g. what a tunnel would add)
"""
import asyncio, sys

def hp(s):
    h, p = s.rsplit(":", 1); return h, int(p)

LISTEN, UP = hp(sys.argv[1]), hp(sys.argv[2])
args = sys.argv[3:]
TOKEN = args[args.index("--require-token") + 1] if "--require-token" in args else None
INJECT = args[args.index("--inject") + 1] if "--inject" in args else None
STRIP = {b"x-io-auth", b"connection", b"keep-alive", b"proxy-connection"}

async def pipe(r, w):
    try:
        while True:
            b = await r.read(65536)
            if not b: break
            w.write(b); await w.drain()
    except (ConnectionError, asyncio.IncompleteReadError): pass
    finally:
        try: w.close()
        except Exception: pass

async def handle(cr, cw):
    try:
        head = await cr.readuntil(b"\r\n\r\n")
    except Exception:
        cw.close(); return
    lines = head[:-4].split(b"\r\n")
    reqline, hdrs = lines[0], lines[1:]
    auth, out, upgrade = None, [], False
    for h in hdrs:
        k, _, v = h.partition(b":"); kl = k.strip().lower(); v = v.strip()
        if kl == b"x-io-auth": auth = v.decode()
        if kl == b"upgrade": upgrade = True
        if kl in STRIP and not (upgrade and kl == b"connection"): continue
        out.append(h)
    if TOKEN is not None and auth != TOKEN:
        body = b"unauthorized\n"
        cw.write(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        await cw.drain(); cw.close(); return
    if INJECT: out.append(INJECT.encode())
    out.append(b"Connection: Upgrade" if upgrade else b"Connection: close")
    try:
        ur, uw = await asyncio.open_connection(*UP)
    except OSError:
        cw.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"); await cw.drain(); cw.close(); return
    uw.write(reqline + b"\r\n" + b"\r\n".join(out) + b"\r\n\r\n"); await uw.drain()
    await asyncio.gather(pipe(cr, uw), pipe(ur, cw))

async def main():
    srv = await asyncio.start_server(handle, *LISTEN, backlog=256)
    print(f"proxy {LISTEN} -> {UP} token={'yes' if TOKEN else 'no'} inject={INJECT}", flush=True)
    async with srv: await srv.serve_forever()

asyncio.run(main())
