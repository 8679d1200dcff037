#!/usr/bin/env bash
# `make up`: the live local network, in the foreground; Ctrl-C (or any one part exiting) stops
# every part. What runs:
#   - the local network (JSON-RPC 127.0.0.1:8899, WebSocket :8900) with its clock 120× faster
#     than the wall (CLOCK_SPEED): one hourly oracle period every 30 wall seconds;
#   - the indexer (API 127.0.0.1:8999);
#   - four oracle nodes (127.0.0.1:7901-7904, threshold 3), each `io-oracle run --config
#     .localnet/oracle-<i>.toml` (settings written by the bootstrap);
#   - one simulated worker per demo device (`io-worker run --simulate`, its key in
#     .localnet/workers/<operator>-<n>/), each on its own loopback address 127.0.0.6<k> (its
#     cluster gateway on port 7960 there, its Ray ports from 21000 + 200·k, below the kernel's ephemeral ports): a lease's workers
#     form a Ray cluster for its renter (the demo's cluster lease over two devices among them),
#     with the pinned Ray that `io-worker ray install` puts in ~/.cache/io-compute;
#   - the web app (app/dist, built by `make app`) on 127.0.0.1:5173 (APP_PORT), served by
#     app/scripts/serve.mjs with its settings from the manifest and the RPC and indexer behind it.
# Logs of the nodes and workers: .localnet/logs/. The chain lives in memory, so every database
# (indexer, oracle nodes) starts fresh with it.
set -euo pipefail
# Built by `make up`; run directly (not through `cargo run`) so that a signal reaches them.
bin=${CARGO_TARGET_DIR:-target}/debug
state=.localnet
api=${INDEXER_LISTEN:-127.0.0.1:8999}
rpc=http://127.0.0.1:8899
speed=${CLOCK_SPEED:-120}
app_port=${APP_PORT:-5173}
logs=$state/logs
command -v jq >/dev/null || { echo "up: jq is needed to read the manifest (apt-get install jq)" >&2; exit 1; }
mkdir -p "$state" "$logs"
rm -f "$state"/indexer.db "$state"/indexer.db-wal "$state"/indexer.db-shm
rm -f "$state"/oracle-*.db "$state"/oracle-*.db-wal "$state"/oracle-*.db-shm
# A previous run's manifest must not be mistaken for this one's.
rm -f "$state"/manifest.json

pids=()
stop() {
    trap - INT TERM EXIT
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$bin"/localnet --state-dir "$state" --clock-speed "$speed" &
pids+=($!)
# The oracle nodes and workers need the bootstrap's manifest (keys, settings files, devices).
for _ in $(seq 1 600); do
    [ -s "$state/manifest.json" ] && break
    kill -0 "${pids[0]}" 2>/dev/null || { echo "up: the local network stopped" >&2; exit 1; }
    sleep 0.2
done
[ -s "$state/manifest.json" ] || { echo "up: no manifest after 120 s" >&2; exit 1; }

oracles=()
for settings in $(jq -r '.oracle_nodes[].settings' "$state/manifest.json"); do
    name=$(basename "$settings" .toml)
    IO_ORACLE_LOG=${IO_ORACLE_LOG:-io_oracle_node=info} \
        "$bin"/io-oracle run --config "$settings" >"$logs/$name.log" 2>&1 &
    pids+=($!)
done
for url in $(jq -r '.oracle_nodes[].url' "$state/manifest.json"); do
    oracles+=("$url")
done
urls=$(IFS=,; echo "${oracles[*]}")
# The indexer starts once the manifest names the oracle nodes, whose published leaves its
# /v1/network proofs link to; it ingests the bootstrap from the chain's start all the same.
RUST_LOG=${RUST_LOG_INDEXER:-indexer=info,io_indexer=warn} \
    "$bin"/indexer --db "sqlite://$state/indexer.db?mode=rwc" \
    serve --listen "$api" --rpc-url "$rpc" --oracle-url "$urls" &
pids+=($!)
app_line="up: no web app: Node or app/dist is missing (make app builds it)"
if command -v node >/dev/null && [ -f app/dist/index.html ]; then
    node app/scripts/serve.mjs --manifest "$state/manifest.json" --indexer "http://$api" \
        --port "$app_port" >"$logs/app.log" 2>&1 &
    pids+=($!)
    app_line="up: the web app on http://127.0.0.1:$app_port  (import a demo key into your wallet: node app/scripts/demo-keys.mjs prints them in base58)"
fi
# The pinned Ray the workers run leases' clusters with (once; later runs find it). Without it
# the workers still run, and say what to do when a lease asks for a cluster.
"$bin"/io-worker ray install || echo "up: Ray could not be installed: leases get no cluster (see above)" >&2
k=0
for dir in $(jq -r '.operators[].devices[].worker_state_dir' "$state/manifest.json"); do
    ip=127.0.0.$((60 + k))
    IO_WORKER_LOG=${IO_WORKER_LOG:-io_worker=info,warn} \
        "$bin"/io-worker --url "$rpc" --state-dir "$dir" run --simulate --oracle "$urls" \
        --gateway "$ip:7960" --cluster-ip "$ip" --ray-ports $((21000 + 200 * k)) --ray-object-store-mb 256 \
        --lease-poll-secs 1 >"$logs/worker-$(basename "$dir").log" 2>&1 &
    pids+=($!)
    k=$((k + 1))
done
ray_bin=$("$bin"/io-worker ray check 2>/dev/null | sed -n 's/^Ray .* is installed at //p')/bin/ray
renter_key=$(jq -r '.wallets[] | select(.name == "renter") | .keypair' "$state/manifest.json")
cluster_lease=$(jq -r '.demo.cluster.lease // "LEASE"' "$state/manifest.json")

cat <<EOF
up: ${#oracles[@]} oracle nodes (${urls}) and $(jq '[.operators[].devices[]] | length' "$state/manifest.json") workers started; logs in $logs/
up: the chain's clock runs ${speed}× the wall: one oracle period per $((3600 / speed)) s. Watch it:
      $bin/io report                       the latest certified report (totals, leaves)
      $bin/io --keypair $state/keys/wallet-alice.json positions    rewards claimable
      $bin/io lease usage $(jq -r '.demo.lease // "LEASE"' "$state/manifest.json")   the demo lease's attested usage
      $bin/io device list                  devices: active, jailed
      curl -s http://127.0.0.1:7901/v1/status        a node's view; tail -f $logs/oracle-1.log
up: the demo's Ray cluster (lease $cluster_lease, two devices) for its renter:
      $bin/io --keypair $renter_key lease connect $cluster_lease
      $ray_bin job submit --address http://127.0.0.1:8265 -- python -c 'import ray; ray.init(); print(ray.cluster_resources())'
      $bin/io --keypair $renter_key lease jobs $cluster_lease --logs
$app_line
EOF
# Any one ending (an error, a busy port) ends all.
wait -n
