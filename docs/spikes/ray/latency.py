#!/usr/bin/env python3
"""GET /api/jobs/ N times direct vs via proxy (interleaved, fresh connection per request like the Ray CLI)."""
import sys, time, statistics, http.client
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
TOK = sys.argv[2] if len(sys.argv) > 2 else None   # cluster started with RAY_AUTH_MODE=token
if TOK:   # direct needs the Ray token; proxy on 26502 checks X-Io-Auth and injects the Ray token
    targets = {"direct": ("127.0.0.11", 26365, {"Authorization": "Bearer " + TOK}),
               "proxy-auth": ("127.0.0.1", 26502, {"X-Io-Auth": "s3cret"})}
else:
    targets = {"direct": ("127.0.0.11", 26365, {}),
               "proxy-auth": ("127.0.0.1", 26500, {"X-Io-Auth": "s3cret"}),
               "proxy-open": ("127.0.0.1", 26501, {})}
res = {k: [] for k in targets}
for i in range(N + 5):
    for k, (h, p, hd) in targets.items():
        t = time.perf_counter()
        c = http.client.HTTPConnection(h, p, timeout=10); c.request("GET", "/api/jobs/", headers=hd)
        r = c.getresponse(); body = r.read(); c.close()
        assert r.status == 200, (k, r.status)
        if i >= 5: res[k].append((time.perf_counter() - t) * 1000)
for k, v in res.items():
    v.sort(); print(f"{k:11s} n={len(v)} median={statistics.median(v):.2f}ms p95={v[int(len(v)*0.95)-1]:.2f}ms min={v[0]:.2f}ms bytes={len(body)}")
md = statistics.median(res["direct"])
for k in [k for k in targets if k != "direct"]:
    print(f"added median latency {k}: {statistics.median(res[k]) - md:.2f}ms")
