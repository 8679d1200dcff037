#!/usr/bin/env bash
# `make up`: the local network and the indexer against it, in the foreground; Ctrl-C stops both.
# The network's chain lives in memory, so the indexer's database is started fresh with it.
set -euo pipefail
# Built by `make up`; run directly (not through `cargo run`) so that a signal reaches them.
bin=${CARGO_TARGET_DIR:-target}/debug
state=.localnet
api=${INDEXER_LISTEN:-127.0.0.1:8999}
mkdir -p "$state"
rm -f "$state"/indexer.db "$state"/indexer.db-wal "$state"/indexer.db-shm

pids=()
stop() {
    trap - INT TERM EXIT
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$bin"/localnet --state-dir "$state" &
pids+=($!)
# The indexer retries until the node answers, and ingests the bootstrap as it lands.
RUST_LOG=${RUST_LOG_INDEXER:-indexer=info,io_indexer=warn} \
    "$bin"/indexer --db "sqlite://$state/indexer.db?mode=rwc" \
    serve --listen "$api" --rpc-url http://127.0.0.1:8899 &
pids+=($!)
# Either one ending (an error, a busy port) ends both.
wait -n
