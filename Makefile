# IO Compute — the two commands a newcomer needs:
#   make up     run the system locally: a Solana JSON-RPC node with every program and a demo network
#               (its clock 120× the wall), the indexer serving its query API, four oracle nodes and
#               one simulated worker per demo device (a lease's workers form a Ray cluster for its
#               renter; the pinned Ray is installed into ~/.cache/io-compute on first use)
#   make test   run every test (the web app's unit tests, the workspace's tests, the browser tests)
CARGO ?= cargo
# program-test logs every instruction at debug level; tests assert, they need no log.
export RUST_LOG ?= error

.PHONY: up demo cli app test lint fmt fuzz bench

# Builds the `io` CLI, the local network, the indexer, the oracle node and the worker, then runs
# them all in the foreground (Ctrl-C stops all; scripts/up.sh says what runs). The network listens
# on 127.0.0.1:8899 (RPC) and :8900 (WebSocket) and writes .localnet/manifest.json; the indexer's
# API is on 127.0.0.1:8999; the oracle nodes on 127.0.0.1:7901-7904; the web app on
# 127.0.0.1:5173 (APP_PORT); logs in .localnet/logs/.
up: cli app
	$(CARGO) build -q -p io-localnet --bin localnet -p io-indexer --bin indexer -p io-oracle-node --bin io-oracle -p io-worker --bin io-worker
	@echo "io CLI: ./target/debug/io  (try: ./target/debug/io report)"
	@RUST_LOG= scripts/up.sh

cli:
	$(CARGO) build -q -p io-cli

# The scripted scenario through all four programs inside solana-program-test (no network): an
# example of the test harness, since it runs the programs in program-test as the tests do.
demo:
	$(CARGO) run -q -p io-testkit --example demo

# The web app (app/): its packages installed from the lock file when node_modules is missing or
# older than the lock, then the production build (type check + Vite) into app/dist/.
APP_INSTALLED = app/node_modules/.package-lock.json
$(APP_INSTALLED): app/package-lock.json
	npm --prefix app ci --no-audit --no-fund
	@touch $@

app: $(APP_INSTALLED)
	npm --prefix app run build

# The browser tests (tests/tests/browser.rs, ignored by a plain `cargo test`) start the whole
# system, serve app/dist and drive /usr/bin/chromium through app/e2e/*.e2e.mjs; screenshots in
# app/e2e/artifacts/.
test: app
	npm --prefix app test
	$(CARGO) fmt --all -- --check
	$(CARGO) test --workspace --locked
	$(CARGO) test -p io-e2e --test browser --locked -- --ignored

# Program crates deny clippy::arithmetic_side_effects (set in their sources); all warnings fail.
lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

# Longer runs of the randomized staking and escrow tests (make fuzz SEEDS=64 STEPS=500), then the
# cross-program fuzzer (crates/testkit/tests/fuzz): FLOWS seeded flows of FLOW_STEPS steps over the
# four programs, on FUZZ_THREADS threads, in a release build (LTO off: it builds in minutes, not an
# hour). Measured on a shared 2-core machine: 100,000 flows of 6 steps in 1,091 s on 2 threads
# (91.6 flows/s, ~46 per thread; a debug build does ~1 per thread), so about 9 minutes on 4 free
# cores. `cargo test` alone runs the CI size (8 flows, debug, a few seconds).
SEEDS ?= 32
STEPS ?= 400
FLOWS ?= 100000
FLOW_STEPS ?= 6
FUZZ_THREADS ?= 4
FUZZ_RELEASE = CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
fuzz:
	IO_FUZZ_SEEDS=$(SEEDS) IO_FUZZ_STEPS=$(STEPS) $(CARGO) test -p io-testkit --test staking --test escrow random -- --nocapture
	$(FUZZ_RELEASE) IO_FUZZ_FLOWS=$(FLOWS) IO_FUZZ_STEPS=$(FLOW_STEPS) IO_FUZZ_THREADS=$(FUZZ_THREADS) $(CARGO) test --release -p io-testkit --test fuzz -- --nocapture

# Merkle trees and every proof for 10k, 100k and 1M leaves (release build).
bench:
	$(CARGO) bench -p io-merkle
