#!/usr/bin/env python3
"""CPU cost of idle /v1/stream clients: starts `indexer serve --no-ingest` on an empty SQLite
database, opens N SSE connections that read nothing, and reports the server process's CPU use
over an interval, from /proc/<pid>/stat (utime + stime), then how long SIGTERM takes to stop it
with the clients connected. Linux only.

    python3 indexer/tests/live/sse_idle_cost.py path/to/indexer [clients=200] [seconds=10]
"""
import os, socket, subprocess, sys, tempfile, time

binary = sys.argv[1]
clients = int(sys.argv[2]) if len(sys.argv) > 2 else 200
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
tmp = tempfile.mkdtemp()
db = f"sqlite://{tmp}/idle.db?mode=rwc"
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
env = dict(os.environ, RUST_LOG="error")
subprocess.run([binary, "--db", db, "migrate"], check=True, env=env, stdout=subprocess.DEVNULL)
server = subprocess.Popen([binary, "--db", db, "serve", "--no-ingest", "--listen", f"127.0.0.1:{port}"],
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    conns = []
    for _ in range(clients):
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(f"GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        conns.append(c)
    time.sleep(2)

    def ticks():
        fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime

    hz = os.sysconf("SC_CLK_TCK")
    t0, w0 = ticks(), time.monotonic()
    time.sleep(seconds)
    t1, w1 = ticks(), time.monotonic()
    alive = sum(1 for c in conns if c.fileno() >= 0)
    print(f"{binary}: {alive} idle SSE clients, server CPU {100.0 * (t1 - t0) / hz / (w1 - w0):.1f}% of a core over {w1 - w0:.1f} s")
    # SIGTERM with the clients still connected: how long until the server exits.
    t = time.monotonic()
    server.terminate()
    try:
        server.wait(timeout=10)
        print(f"stopped {time.monotonic() - t:.2f} s after SIGTERM with {clients} streams open")
    except subprocess.TimeoutExpired:
        print(f"still running 10 s after SIGTERM with {clients} streams open")
finally:
    if server.poll() is None:
        server.kill()
        server.wait()
