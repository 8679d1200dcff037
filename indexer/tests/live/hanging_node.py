#!/usr/bin/env python3
"""The indexer binary against a node that accepts connections and never answers: how soon
/health turns 503 (and why), and how long SIGTERM takes to stop it."""
import json, os, socket, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error
binary = sys.argv[1]
hang = socket.socket(); hang.bind(("127.0.0.1", 0)); hang.listen(100)
held = []
threading.Thread(target=lambda: [held.append(hang.accept()) for _ in iter(int, 1)], daemon=True).start()
rpc = f"http://127.0.0.1:{hang.getsockname()[1]}"
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
tmp = tempfile.mkdtemp()
env = dict(os.environ, RUST_LOG="error")
start = time.monotonic()
p = subprocess.Popen([binary, "--db", f"sqlite://{tmp}/h.db?mode=rwc", "serve", "--rpc-url", rpc, "--listen", f"127.0.0.1:{port}"],
                     env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
first = None
while time.monotonic() - start < 40:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
            body = r.read().decode(); code = r.status
    except urllib.error.HTTPError as e:
        body = e.read().decode(); code = e.code
    except OSError:
        time.sleep(0.1); continue
    if first is None:
        first = time.monotonic()
    if code != 200:
        print(f"/health {code} {time.monotonic() - first:.2f} s after the API answered first: {json.loads(body)['data']['reasons']}")
        break
    time.sleep(0.1)
else:
    print("/health still 200 after 40 s")
t = time.monotonic(); p.terminate()
try:
    p.wait(timeout=30); print(f"stopped {time.monotonic() - t:.2f} s after SIGTERM")
except subprocess.TimeoutExpired:
    print("still running 30 s after SIGTERM"); p.kill(); p.wait()
